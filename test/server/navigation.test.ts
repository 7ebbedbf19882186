// Go to definition, find references, highlights and rename (src/dsl/features/navigation.ts,
// rename.ts): cursor `¦` → the spans' texts and lines.

import { strict as assert } from 'node:assert';
import type { Span } from '../../src/dsl/ast';
import { analyze } from '../../src/dsl/features/analysis';
import { definition, highlights, references } from '../../src/dsl/features/navigation';
import { prepareRename, rename } from '../../src/dsl/features/rename';
import { cursor } from './cursor';

const SRC = [
  'vgpu vm1', // 1
  'handler audit returns 0', // 2
  'let base = 0x1000', // 3
  'register vm1 gfn 1 handler audit', // 4
  'repeat 4 as i {', // 5
  '  let base = base + i', // 6
  '  write vm1 gpa base u8 i', // 7
  '}', // 8
  'register vm1 gfn 2 handler log', // 9
  'submit vm1', // 10
].join('\n');

/** `¦` inserted in the n-th occurrence of needle as a whole word (after its first character). */
function at(needle: string, n = 0, delta = 1): { text: string; offset: number } {
  const found = [...SRC.matchAll(new RegExp(`(?<![\\w-])${needle}(?![\\w-])`, 'g'))];
  const i = found[n].index;
  return cursor(SRC.slice(0, i + delta) + '¦' + SRC.slice(i + delta));
}

/** Spans as `LINE:text` (1-based lines). */
function where(text: string, spans: readonly Span[]): string[] {
  return spans.map((s) => `${text.slice(0, s.start).split('\n').length}:${text.slice(s.start, s.end)}`);
}

describe('server features: definition and references', () => {
  const defs: [string, number, string | undefined][] = [
    ['vm1', 4, '1:vm1'], // on `submit vm1`
    ['audit', 1, '2:audit'],
    ['base', 3, '3:base'],
    ['i', 2, '5:i'],
    ['log', 0, undefined], // built-in: no definition in the file
    ['register', 0, undefined], // a keyword
  ];
  for (const [needle, n, want] of defs) {
    it(`definition of ${needle} #${n}`, () => {
      const { text, offset } = at(needle, n);
      const d = definition(analyze(text), offset);
      assert.deepEqual(d && where(text, [d.target])[0], want);
    });
  }

  it('references of a vGPU, with and without the declaration', () => {
    const { text, offset } = at('vm1', 2);
    assert.deepEqual(where(text, references(analyze(text), offset, true)), ['1:vm1', '4:vm1', '7:vm1', '9:vm1', '10:vm1']);
    assert.deepEqual(where(text, references(analyze(text), offset, false)), ['4:vm1', '7:vm1', '9:vm1', '10:vm1']);
  });

  it('references of a let follow its assignments in the loop', () => {
    const { text, offset } = at('base', 0);
    assert.deepEqual(where(text, references(analyze(text), offset, true)), ['3:base', '6:base', '6:base', '7:base']);
  });

  it('references of the built-in log', () => {
    const { text, offset } = at('log', 0);
    assert.deepEqual(where(text, references(analyze(text), offset, true)), ['9:log']);
  });

  it('highlights mark definitions and assignments as writes', () => {
    const { text, offset } = at('base', 0);
    const h = highlights(analyze(text), offset).map((x) => `${where(text, [x.span])[0]}${x.write ? ' write' : ''}`);
    assert.deepEqual(h, ['3:base write', '6:base write', '6:base', '7:base']);
  });
});

describe('server features: rename', () => {
  const ok: [string, number, string, string[]][] = [
    ['vm1', 0, 'gpu0', ['1:gpu0', '4:gpu0', '7:gpu0', '9:gpu0', '10:gpu0']],
    ['audit', 1, 'trace-h', ['2:trace-h', '4:trace-h']],
    ['i', 1, 'k', ['5:k', '6:k', '7:k']],
    ['base', 2, 'addr', ['3:addr', '6:addr', '6:addr', '7:addr']],
  ];
  for (const [needle, n, to, want] of ok) {
    it(`${needle} → ${to}`, () => {
      const { text, offset } = at(needle, n);
      const a = analyze(text);
      const p = prepareRename(a, offset);
      assert.ok('span' in p, JSON.stringify(p));
      assert.equal(p.placeholder, needle);
      const r = rename(a, offset, to);
      assert.ok('edits' in r, JSON.stringify(r));
      assert.deepEqual(where(text, r.edits).map((w) => w.replace(/:.*/, `:${to}`)), want);
      // The renamed text still checks cleanly.
      let out = text;
      for (const e of [...r.edits].reverse()) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
      assert.deepEqual(analyze(out).diagnostics, []);
    });
  }

  const refused: [string, number, string, RegExp][] = [
    ['log', 0, 'x', /built-in/],
    ['register', 0, 'x', /keyword/],
    ['gfn', 0, 'x', /keyword/],
    ['0x1000', 0, 'x', /Only vGPU, handler, let and loop names/],
    ['vm1', 0, '9lives', /not a valid name/],
    ['vm1', 0, 'a b', /not a valid name/],
    ['vm1', 0, 'bad-', /not a valid name/],
    ['vm1', 0, '', /not a valid name/],
    ['vm1', 0, 'expect', /keyword/],
    ['vm1', 0, 'u64', /keyword/],
    ['audit', 0, 'log', /built-in/],
    ['i', 0, 'base', /already defined/],
    ['vm1', 0, 'EEXIST', /error code/],
  ];
  for (const [needle, n, to, want] of refused) {
    it(`refuses ${needle} → ${JSON.stringify(to)}`, () => {
      const { text, offset } = at(needle, n);
      const r = rename(analyze(text), offset, to);
      assert.ok('error' in r, JSON.stringify(r));
      assert.match(r.error, want);
    });
  }

  it('refuses a name an unresolved use would then capture', () => {
    const src = 'let a = 1\nprint zz\n';
    const r = rename(analyze(src), 4, 'zz');
    assert.ok('error' in r && /line 2 \(unresolved\)/.test(r.error), JSON.stringify(r));
  });

  it('a vGPU may share a name with a handler (different namespaces)', () => {
    const { text, offset } = at('vm1', 0);
    assert.ok('edits' in rename(analyze(text), offset, 'audit'));
  });
});
