// Formatting (src/dsl/features/format.ts): table cases, then the promises that matter: every
// sample formats to the same syntax tree (spans aside), every line keeps its tokens, and a second
// format changes nothing. Random token soup with random spacing is held to the same promises.

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/dsl/features/analysis';
import { format, formatText } from '../../src/dsl/features/format';
import { scan } from '../../src/dsl/scanner';

const ROOT = join(__dirname, '../../..');
const fmt = (src: string): string => formatText(analyze(src));

/** The tree without positions: what the scenario means. */
function meaning(src: string): string {
  const strip = (v: unknown): unknown => {
    if (typeof v === 'bigint') return `${v}n`;
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!['start', 'end', 'span', 'keyword', 'close', 'sizeSpan'].includes(k)) out[k] = strip(x);
    return out;
  };
  return JSON.stringify(strip(analyze(src).program));
}

/** Every token's kind and text, per line (line breaks included). */
function tokens(src: string): string {
  const t = scan(src).tokens;
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) out.push(t.kind(i) === 'newline' ? '\n' : `${t.kind(i)}:${src.slice(t.start(i), t.end(i))}`);
  return out.join(' ');
}

const comments = (src: string): string[] => scan(src).comments.map((c) => src.slice(c.start, c.end).trimEnd());

function samples(): [string, string][] {
  const dir = join(ROOT, 'samples');
  const files: [string, string][] = readdirSync(dir)
    .filter((f) => f.endsWith('.gvt'))
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
  files.push(['all-statements.gvt', readFileSync(join(ROOT, 'test/dsl/golden/all-statements.gvt'), 'utf8')]);
  return files;
}

describe('server features: formatting', () => {
  const cases: [string, string][] = [
    ['register   vm1  gfn 0x100    handler log', 'register vm1 gfn 0x100 handler log'],
    ['write vm1 gpa base+i*8 u64 (0x800+i)<<12|3', 'write vm1 gpa base + i * 8 u64 (0x800 + i) << 12 | 3'],
    ['write vm1 gpa ( base ) u8 - 1', 'write vm1 gpa (base) u8 -1'],
    ['write vm1 gpa 0 u8 ~ 0', 'write vm1 gpa 0 u8 ~0'],
    ['print 1 - -2', 'print 1 - -2'],
    ['print 1--2', 'print 1 - -2'],
    ['print a -b', 'print a - b'],
    ['print a-b', 'print a-b'], // one name
    ['pagetable vm1 root 0x100 pool 0x101 .. 0x1ff', 'pagetable vm1 root 0x100 pool 0x101..0x1ff'],
    ['expect gpu vm1 va 0->gfn 0x801', 'expect gpu vm1 va 0 -> gfn 0x801'],
    ['expect ret==-EEXIST', 'expect ret == -EEXIST'],
    ['expect ret == - EEXIST', 'expect ret == - EEXIST'], // minus and a name: must not become the error code
    ['let x=1', 'let x = 1'],
    ['write vm1 gpa 0 bytes 01   02 ff', 'write vm1 gpa 0 bytes 01 02 ff'],
    ['register vm1 gfn 1 handler log priv   "a  b"', 'register vm1 gfn 1 handler log priv "a  b"'],
    ['repeat 2 as i {\nprint i\n    repeat 3{\nprint i\n}\n}', 'repeat 2 as i {\n  print i\n  repeat 3 {\n    print i\n  }\n}'],
    ['  # a comment   \nvgpu vm1   ', '# a comment\nvgpu vm1'],
    ['vgpu vm1     # aligned\nsubmit vm1   # here', 'vgpu vm1     # aligned\nsubmit vm1   # here'],
    ['vgpu    vm1 # note', 'vgpu vm1    # note'],
    ['repeat 2 {\nwrite vm1 gpa 0 u8 1 # too far left\n}', 'repeat 2 {\n  write vm1 gpa 0 u8 1 # too far left\n}'],
    ['\n\n\nvgpu vm1\n\n', '\n\n\nvgpu vm1\n\n'],
    ['vgpu vm1\r\nsubmit   vm1\r\n', 'vgpu vm1\r\nsubmit vm1\r\n'],
    // lines with errors: spacing normalised only where the tokens survive; scanner errors untouched
    ['write vm1 gpa 0 @@ u8 1   ', 'write vm1 gpa 0 @@ u8 1'],
    ['register vm1 gfn 1 handler log priv "open   ', 'register vm1 gfn 1 handler log priv "open   '],
    ['frobnicate   vm1', 'frobnicate vm1'],
    ['vgpu vm1 \u3000', 'vgpu vm1 \u3000'], // an invalid character is kept (and reported)
    ['\u3000', '\u3000'],
    ['vgpu vm1\u00a0\u00a0# nbsp', 'vgpu vm1  # nbsp'], // no-break spaces are spaces
    ['}\n}\nvgpu vm1', '}\n}\nvgpu vm1'],
    ['repeat 2 {\nprint 1', 'repeat 2 {\n  print 1'],
  ];
  for (const [src, want] of cases) it(JSON.stringify(src), () => assert.equal(fmt(src), want));

  for (const [name, src] of samples()) {
    it(`${name}: same meaning, same tokens and comments, idempotent`, () => {
      const once = fmt(src);
      assert.equal(meaning(once), meaning(src));
      assert.equal(tokens(once).replace(/ +\n/g, '\n'), tokens(src).replace(/ +\n/g, '\n'));
      assert.deepEqual(comments(once), comments(src));
      assert.equal(fmt(once), once);
      assert.deepEqual(analyze(once).diagnostics.map((d) => d.code), analyze(src).diagnostics.map((d) => d.code));
    });
  }

  it('range formatting touches only the lines asked for', () => {
    const src = 'vgpu   vm1\nsubmit   vm1\nreset   vm1';
    const edits = format(analyze(src), {}, 1, 1);
    assert.deepEqual(edits.map((e) => e.newText), ['submit vm1']);
  });

  it('lines nested deeper than 64 levels are left as they are: 10,000 nested braces format to edits linear in the file', () => {
    const src = '{\n'.repeat(10_000);
    const edits = format(analyze(src));
    const total = edits.reduce((n, e) => n + e.newText.length, 0);
    assert.ok(total <= 65 * (64 * 2 + 1), `${total} characters of edits`);
    const lines = fmt('repeat 1 {\n'.repeat(70) + 'print 1\n').split('\n');
    assert.equal(lines[64], ' '.repeat(128) + 'repeat 1 {');
    assert.equal(lines[69], 'repeat 1 {');
  });

  it('edits that would outgrow the document (8 characters a character) are refused with a message', () => {
    // 64 levels deep, then many one-character lines: each would become 513 characters with indent 8.
    const src = '{\n'.repeat(64) + '}\n'.repeat(1) + 'x\n'.repeat(50_000);
    assert.throws(() => format(analyze(src), { indent: 8 }), /formatting would write more than \d+ characters/);
  });

  it('the indent unit is an option', () => {
    assert.equal(formatText(analyze('repeat 2 {\nprint 1\n}'), { indent: 4 }), 'repeat 2 {\n    print 1\n}');
  });

  it('random token soup keeps its tokens and is idempotent', () => {
    const atoms = ['vgpu', 'vm1', 'write', 'gpa', 'u64', '0x10', '1', '-', '+', '*', '(', ')', '..', '->', '==', '=', '!', '~', '<<', 'EEXIST', '-EEXIST', '{', '}', '"s  t"', '# c ', 'a-b', 'i', '@', '\t', '<', '>', '&&', '|'];
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let k = 0; k < 400; k++) {
      const lines: string[] = [];
      for (let l = 0; l < 1 + rnd(6); l++) {
        let line = ' '.repeat(rnd(3));
        for (let t = 0; t < rnd(9); t++) line += atoms[rnd(atoms.length)] + ' '.repeat(rnd(3));
        lines.push(line);
      }
      const src = lines.join('\n');
      const once = fmt(src);
      assert.equal(tokens(once).replace(/ +\n/g, '\n'), tokens(src).replace(/ +\n/g, '\n'), JSON.stringify(src));
      assert.equal(meaning(once), meaning(src), JSON.stringify(src));
      assert.equal(fmt(once), once, JSON.stringify(src));
    }
  });
});
