// The language server analyses an edited document by rescanning only the changed lines (rescan)
// and reusing the previous tokens: random edit sequences must give exactly the tree, diagnostics
// and comments of a from-scratch analysis of the same text.

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type Analysis } from '../../src/dsl/features/analysis';
import { rng } from '../fuzz/fuzzer';
import { largeScenario } from './largeScenario';

const SAMPLES = join(__dirname, '../../../samples');

/** A small deterministic PRNG: failures reproduce. */
const prng = rng;

/** Text that edits insert: statement pieces, block braces, line breaks, strings, comments, junk. */
const PIECES = ['\n', '\r\n', '\r', '{', '}\n', '"', '"x\\q', '# note', 'x', ' ', '-', '-EEXIST', '0x', '4K', '$', 'repeat 2 {\n', '}', 'write vm1 gpa 0x1000 u32 7\n',
  'register vm1 gfn 0x10 handler h\n', '\n}\n', 'expect ret == 0', 'vgpu vm9\n', 'let q = 1 +', '\u0000', 'ab-c', '..', '->'];

function randomEdit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const kind = rnd();
  if (kind < 0.4) return text.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + text.slice(at);
  const len = Math.floor(rnd() * (kind < 0.8 ? 4 : 80));
  const insert = kind < 0.6 ? '' : PIECES[Math.floor(rnd() * PIECES.length)];
  return text.slice(0, at) + insert + text.slice(at + len);
}

function assertSame(incremental: Analysis, text: string, what: string): void {
  const full = analyze(text);
  assert.deepStrictEqual(incremental.diagnostics, full.diagnostics, `${what}: diagnostics`);
  assert.deepStrictEqual(incremental.program, full.program, `${what}: tree`);
  assert.deepStrictEqual(incremental.comments, full.comments, `${what}: comments`);
}

describe('dsl: incremental analysis (rescan of the changed lines)', () => {
  const samples = readdirSync(SAMPLES).filter((f) => f.endsWith('.gvt'));

  it('gives what a full analysis gives after random edits to every sample', () => {
    assert.ok(samples.length > 10);
    samples.forEach((name, k) => {
      const rnd = prng(1000 + k);
      let text = readFileSync(join(SAMPLES, name), 'utf8');
      let a = analyze(text);
      for (let i = 0; i < 150; i++) {
        text = randomEdit(text, rnd);
        a = analyze(text, a);
        assertSame(a, text, `${name}, edit ${i}`);
      }
    });
  });

  it('handles edits at the very start and end, and an edit that changes nothing', () => {
    let text = 'vgpu vm1\nhandler h returns 0\n';
    let a = analyze(text);
    for (const next of ['\nvgpu vm1\nhandler h returns 0\n', 'vgpu vm1\nhandler h returns 0\n', 'vgpu vm1\nhandler h returns 0', 'vgpu vm1\nhandler h returns 0 "', '', 'x', '\r\nx\r', 'repeat 2 {\nprint 1']) {
      a = analyze(next, a);
      assertSame(a, next, JSON.stringify(next));
      text = next;
    }
    assertSame(analyze(text, a), text, 'unchanged');
  });

  it('closes an unclosed block when a `}` is typed after it, and reopens it when the `}` is removed', () => {
    const steps = ['vgpu vm1\nrepeat 2 {\nprint 1\n\n# end\n', 'vgpu vm1\nrepeat 2 {\nprint 1\n}\n# end\n', 'vgpu vm1\nrepeat 2 {\nprint 1\n\n# end\n', 'vgpu vm1\nrepeat 2 {\nrepeat 3 {\nprint 1\n}\n\n', 'vgpu vm1\nrepeat 2 {\nrepeat 3 {\nprint 1\n}\n}\n'];
    let a = analyze(steps[0]);
    for (const text of steps) {
      a = analyze(text, a);
      assertSame(a, text, JSON.stringify(text));
    }
  });

  it('gives what a full analysis gives after random edits to a 50,000-line scenario', () => {
    const rnd = prng(7);
    let text = largeScenario();
    let a = analyze(text);
    for (let i = 0; i < 8; i++) {
      text = randomEdit(text, rnd);
      a = analyze(text, a);
      assertSame(a, text, `edit ${i}`);
    }
  });
});
