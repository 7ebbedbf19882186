// The open documents' analyses under a memory budget (src/server/documentStore.ts): the kept
// analyses together cover at most the budget's characters; the least recently used are dropped
// and redone when next asked for, so any one document within the size limit is always analysed.
import * as assert from 'node:assert/strict';
import { DocumentStore } from '../../src/server/documentStore';
import { readConfig } from '../../src/server/config';

/** A scenario of exactly n characters. */
const text = (n: number, name = 'a'): string => `vgpu ${name}\n`.padEnd(n, ' ');

describe('server: the document store keeps analyses within a budget', () => {
  it('drops the least recently used analyses to make room, and redoes one when asked again', () => {
    const store = new DocumentStore(() => 200, () => 250);
    for (const u of ['a', 'b', 'c']) store.open(`file:///${u}.gvt`, 'gvt', 1, text(100, u));
    const a1 = store.analysis('file:///a.gvt');
    store.analysis('file:///b.gvt');
    assert.equal(store.analysedLength, 200);
    store.analysis('file:///a.gvt'); // a is now the most recently used
    store.analysis('file:///c.gvt'); // 300 > 250: b goes, not a
    assert.equal(store.analysedLength, 200);
    assert.strictEqual(store.analysis('file:///a.gvt'), a1, 'a kept its analysis');
    const b2 = store.analysis('file:///b.gvt'); // redone; c (least recent now) goes
    assert.ok(b2);
    assert.deepEqual(b2.diagnostics, []);
    assert.equal(store.analysedLength, 200);
  });

  it('one document within the size limit is analysed even when it alone exceeds the budget', () => {
    const store = new DocumentStore(() => 1000, () => 50);
    store.open('file:///a.gvt', 'gvt', 1, text(100));
    store.open('file:///b.gvt', 'gvt', 1, text(950, 'b'));
    assert.ok(store.analysis('file:///a.gvt'));
    assert.ok(store.analysis('file:///b.gvt'));
    assert.equal(store.analysedLength, 950, 'a was dropped for b (the budget is never below the size limit)');
  });

  it('close and a second open of the same uri release what was kept', () => {
    const store = new DocumentStore(() => 1000, () => 1000);
    store.open('file:///a.gvt', 'gvt', 1, text(100));
    store.analysis('file:///a.gvt');
    store.open('file:///a.gvt', 'gvt', 2, text(300));
    assert.equal(store.analysedLength, 0);
    store.analysis('file:///a.gvt');
    assert.equal(store.analysedLength, 300);
    store.close('file:///a.gvt');
    assert.equal(store.analysedLength, 0);
  });

  it('an edit counts the new length', () => {
    const store = new DocumentStore(() => 1000, () => 1000);
    store.open('file:///a.gvt', 'gvt', 1, text(100));
    store.analysis('file:///a.gvt');
    assert.ok(store.change('file:///a.gvt', 2, [{ text: text(40) }]));
    store.analysis('file:///a.gvt');
    assert.equal(store.analysedLength, 40);
  });

  it('maxAnalysedLength is an initialization option (16 Mi characters by default; a bad value keeps it)', () => {
    assert.equal(readConfig({}).maxAnalysedLength, 16 * 1024 * 1024);
    assert.equal(readConfig({ maxAnalysedLength: 1000 }).maxAnalysedLength, 1000);
    assert.equal(readConfig({ maxAnalysedLength: -1 }).maxAnalysedLength, 16 * 1024 * 1024);
    assert.equal(readConfig({ maxAnalysedLength: 'lots' }).maxAnalysedLength, 16 * 1024 * 1024);
  });
});

describe('server: the document store applies edits as the client does', () => {
  const big = 2 ** 31 - 1;
  const fresh = (t: string): DocumentStore => {
    const store = new DocumentStore(() => 1 << 20);
    store.open('file:///a.gvt', 'gvt', 1, t);
    return store;
  };
  it('a range past the end is clamped, and the line table stays whole for the edits after it (a few, through the library)', () => {
    const store = fresh('vgpu vm1\n');
    assert.ok(store.change('file:///a.gvt', 2, [{ range: { start: { line: big - 1, character: 0 }, end: { line: big, character: 0 } }, text: '\n' }]));
    assert.ok(store.change('file:///a.gvt', 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]));
    const doc = store.get('file:///a.gvt')!;
    assert.equal(doc.getText(), 'xvgpu vm1\n\n');
    assert.equal(doc.lineCount, 3);
    assert.deepEqual(doc.positionAt(doc.getText().length), { line: 2, character: 0 });
  });

  it('an edit whose range ends past the last line, inserting as many line breaks as it spans, keeps the text the client has', () => {
    const store = fresh('vgpu vm1\nprint 1');
    assert.ok(store.change('file:///a.gvt', 2, [{ range: { start: { line: 7, character: 0 }, end: { line: 8, character: 0 } }, text: '\nprint 1' }]));
    for (let v = 3; v < 30; v++) assert.ok(store.change('file:///a.gvt', v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]));
    assert.equal(store.get('file:///a.gvt')!.getText(), 'vgpu vm1\nprint 1\nprint 1');
    assert.deepEqual(store.analysis('file:///a.gvt')!.diagnostics, []);
  });

  it('a batch of many edits that change line counts gives what one edit at a time gives', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `let n${i} = ${i}`);
    const store = fresh(lines.join('\n'));
    const one = fresh(lines.join('\n'));
    const edits = Array.from({ length: 300 }, (_, k) => {
      const line = (k * 7919) % 2000;
      return { range: { start: { line, character: 0 }, end: { line: line + (k % 3), character: 2 } }, text: k % 2 ? `# ${k}\n\n` : '' };
    });
    assert.ok(store.change('file:///a.gvt', 2, edits));
    edits.forEach((e, k) => assert.ok(one.change('file:///a.gvt', 2 + k, [e])));
    assert.equal(store.get('file:///a.gvt')!.getText(), one.get('file:///a.gvt')!.getText());
  });
});
