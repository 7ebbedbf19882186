// A didChange's edits applied line by line (src/server/editBatch.ts) give exactly the text that
// vscode-languageserver-textdocument gives: random documents with every line break, random edits
// (out of range, reversed, inserting and removing line breaks), compared with TextDocument.update.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../../src/server/editBatch';

function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
}

const PIECES = ['a', 'bc', ' ', '\n', '\r\n', '\r', '𝔸', 'x\r', '\ny', 'é'];

describe('server: a batch of edits applied line by line', () => {
  it('a batch inserting 200,000 lines (more than a call can take as arguments) gives the same text', () => {
    const text = 'vgpu a\n';
    const edits = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'bogus\n'.repeat(200_000) }];
    for (let k = 0; k < 16; k++) edits.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' });
    const doc = TextDocument.create('file:///a.gvt', 'gvt', 1, text);
    TextDocument.update(doc, edits, 2);
    assert.equal(applyEdits(text, edits), doc.getText());
  });

  it('gives the text TextDocument.update gives, over random documents and edits', () => {
    const rand = seeded(17);
    const piece = (): string => PIECES[rand(PIECES.length)];
    for (let round = 0; round < 400; round++) {
      let text = '';
      for (let k = rand(40); k > 0; k--) text += piece();
      const edits = [];
      for (let k = 1 + rand(20); k > 0; k--) {
        const pos = () => ({ line: rand(12) - 2, character: rand(8) - 2 });
        let insert = '';
        for (let j = rand(4); j > 0; j--) insert += piece();
        edits.push({ range: { start: pos(), end: pos() }, text: insert });
      }
      const want = TextDocument.update(TextDocument.create('file:///t.gvt', 'gvt', 1, text), edits, 2).getText();
      assert.equal(JSON.stringify(applyEdits(text, edits)), JSON.stringify(want), `round ${round}: ${JSON.stringify({ text, edits })}`);
    }
  });

  it('a large batch on a long document costs its lines, not the document per edit', () => {
    const text = 'print 1\n'.repeat(20_000);
    const edits = Array.from({ length: 40_000 }, (_, i) => ({ range: { start: { line: i % 20_000, character: 0 }, end: { line: i % 20_000, character: 0 } }, text: ' ' }));
    const out = applyEdits(text, edits);
    assert.equal(out.length, text.length + 40_000);
    assert.ok(out.startsWith('  print 1\n'));
  });
});
