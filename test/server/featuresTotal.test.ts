// Every feature is total: at every offset of every sample, and of randomly damaged samples, it
// answers (possibly nothing) without throwing, and what it answers lies inside the text.

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../../src/dsl/ast';
import { analyze, type Analysis } from '../../src/dsl/features/analysis';
import { codeActions } from '../../src/dsl/features/codeActions';
import { complete } from '../../src/dsl/features/completion';
import { format } from '../../src/dsl/features/format';
import { hover } from '../../src/dsl/features/hover';
import { definition, highlights, references } from '../../src/dsl/features/navigation';
import { outline } from '../../src/dsl/features/outline';
import { prepareRename, rename } from '../../src/dsl/features/rename';

const ROOT = join(__dirname, '../../..');
const SAMPLES = readdirSync(join(ROOT, 'samples'))
  .filter((f) => f.endsWith('.gvt'))
  .map((f) => readFileSync(join(ROOT, 'samples', f), 'utf8'));

function inside(a: Analysis, s: Span, what: string): void {
  assert.ok(s.start >= 0 && s.start <= s.end && s.end <= a.text.length, `${what} ${JSON.stringify(s)} outside 0..${a.text.length}`);
}

function everything(a: Analysis, offset: number): void {
  const c = complete(a, offset);
  inside(a, c.replace, 'completion');
  const h = hover(a, offset);
  if (h) inside(a, h.span, 'hover');
  const d = definition(a, offset);
  if (d) [d.target, d.statement, d.origin].forEach((s) => inside(a, s, 'definition'));
  references(a, offset, true).forEach((s) => inside(a, s, 'reference'));
  highlights(a, offset).forEach((x) => inside(a, x.span, 'highlight'));
  const p = prepareRename(a, offset);
  if ('span' in p) {
    inside(a, p.span, 'prepareRename');
    const r = rename(a, offset, 'renamed_x');
    if ('edits' in r) r.edits.forEach((e) => inside(a, e, 'rename'));
  }
  codeActions(a, { start: offset, end: offset }).forEach((x) => x.edits.forEach((e) => inside(a, e, 'code action')));
}

describe('server features are total', function () {
  this.timeout(60000);

  it('every offset of every sample', () => {
    for (const text of SAMPLES) {
      const a = analyze(text);
      for (let offset = -2; offset <= text.length + 2; offset++) everything(a, offset);
      outline(a);
      format(a).forEach((e) => inside(a, e, 'format'));
    }
  });

  it('randomly damaged samples', () => {
    let seed = 11;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const junk = ['{', '}', '(', '-', '..', '"', '#', '\n', ' ', 'x', '0x', '->', '==', '\r\n', '\t', 'repeat 3 {\n', '\u0000', '\ud800'];
    for (let k = 0; k < 150; k++) {
      let text = SAMPLES[rnd(SAMPLES.length)];
      for (let m = 0; m < 1 + rnd(8); m++) {
        const at = rnd(text.length + 1);
        text = rnd(2) === 0 ? text.slice(0, at) + junk[rnd(junk.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + rnd(20));
      }
      const a = analyze(text);
      for (let i = 0; i < 40; i++) everything(a, rnd(text.length + 1));
      outline(a);
      format(a).forEach((e) => inside(a, e, 'format'));
    }
  });
});
