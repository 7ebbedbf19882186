// The checker: one line a case, source → every diagnostic as `code@LINE:COL+LENGTH`; then the
// symbol table the language server reads (definitions, references, scopes).

import { strict as assert } from 'node:assert';
import { check } from '../../src/dsl/checker';
import { DIAGNOSTIC_CODES } from '../../src/dsl/diagnostic';
import { parse } from '../../src/dsl/parser';
import { where } from './diagnosticText';

function diagnose(src: string): string[] {
  const p = parse(src);
  assert.deepEqual(where(src, p.diagnostics), [], 'parses cleanly');
  return where(src, check(p.program, src).diagnostics);
}

/** A vGPU `v` (1M: gfns 0..0xff) and a handler `h` for the cases below. */
const P = 'vgpu v memory 1M\nhandler h returns 0\n';

describe('dsl/checker', () => {
  const cases: [string, string[]][] = [
    // names
    [P + 'register w gfn 1 handler h', ['unknown-vgpu@3:10+1']],
    [P + 'register vv gfn 1 handler h', ['unknown-vgpu@3:10+2']],
    [P + 'register v gfn 1 handler hh', ['unknown-handler@3:26+2']],
    [P + 'register v gfn 1 handler log', []],
    [P + 'register v gfn 1 handler ppgtt', ['ppgtt-in-register@3:26+5']],
    ['submit v\nvgpu v', ['use-before-definition@1:8+1']],
    ['vgpu v\nregister v gfn 1 handler h\nhandler h returns 0', ['use-before-definition@2:26+1']],
    ['print x\nlet x = 1', ['use-before-definition@1:7+1']],
    ['print x', ['unknown-name@1:7+1']],
    ['let base = 1\nprint base-8', ['unknown-name@2:7+6']],
    ['repeat 2 {\nlet t = 1\n}\nprint t', ['unknown-name@4:7+1']],
    ['vgpu v\nvgpu v', ['duplicate-vgpu@2:6+1']],
    ['handler h returns 0\nhandler h returns 1', ['duplicate-handler@2:9+1']],
    ['handler log returns 0', ['duplicate-handler@1:9+3']],
    ['let x = 1\nlet x = x + 1\nprint x', []],
    ['let x = 0\nrepeat 4 as i {\nlet x = x + i\n}', []],
    ['repeat 2 as i {\nlet i = 1\n}', ['assign-to-loop-variable@2:5+1']],
    ['repeat 2 as i {\nrepeat 2 as i {\n}\n}', ['duplicate-name@2:13+1']],
    ['repeat 2 as i {\n}\nrepeat 2 as i {\n}', []],
    ['kernel legacy\nvgpu v', []],
    ['# comment first is fine\nkernel newest', []],
    ['vgpu v\nkernel legacy', ['kernel-not-first@2:1+6']],
    ['kernel legacy\nkernel newest', ['kernel-not-first@2:1+6']],
    // constants
    ['print 1 / 0', ['division-by-zero@1:7+5']],
    ['let z = 0\nprint 5 % z', ['division-by-zero@2:7+5']],
    // the interpreter short-circuits: an operand it never evaluates divides by nothing
    ['let n = 0\nprint n != 0 && 100 / n', []],
    ['print 0 && 1 % 0', []],
    ['print 1 || (5 / 0)', []],
    ['print 0 && (1 || 2 / 0)', []],
    ['print 1 && 5 / 0', ['division-by-zero@1:12+5']],
    ['print 0 || 5 / 0', ['division-by-zero@1:12+5']],
    ['print 0 && nope / 0', ['unknown-name@1:12+4']],
    ['vgpu v memory 0', ['invalid-memory-size@1:15+1']],
    ['vgpu v memory 6000', ['invalid-memory-size@1:15+4']],
    ['vgpu v memory 65G', ['invalid-memory-size@1:15+3']],
    ['vgpu v memory 64G', []],
    [P + 'register v gfn 0x100 handler h', ['gfn-out-of-range@3:16+5']],
    [P + 'register v gfn 0xff handler h', []],
    ['vgpu v\nenable v gfn 0x4000', ['gfn-out-of-range@2:14+6']],
    ['vgpu v\nregister v gfn 0x3fff handler log', []],
    [P + 'let g = 0x80\nregister v gfn g * 2 handler h', ['gfn-out-of-range@4:16+5']],
    [P + 'repeat 1000 as i {\nregister v gfn i handler h\n}', []],
    [P + 'write v gpa 0xffff8 u64 1', []],
    [P + 'write v gpa 0xffffc u64 1', ['gpa-out-of-range@3:13+7']],
    [P + 'write v gpa 0xffffe bytes 01 02 03', ['gpa-out-of-range@3:13+7']],
    [P + 'read v gpa 0x100000 u8', ['gpa-out-of-range@3:12+8']],
    [P + 'expect v gpa 0x100000 u8 == 0', ['gpa-out-of-range@3:14+8']],
    [P + 'write v gpa 0 u8 300', ['value-out-of-range@3:18+3']],
    [P + 'write v gpa 0 u8 255', []],
    [P + 'write v gpa 0 u8 -1', []],
    [P + 'write v gpa 0 u8 -129', ['value-out-of-range@3:18+4']],
    [P + 'write v gpa 0 u32 0x1_0000_0000', ['value-out-of-range@3:19+13']],
    [P + 'write v gpa 0 u64 ~0', []],
    [P + 'expect v gpa 0 u16 == 0x10000', ['value-out-of-range@3:23+7']],
    [P + 'map v va 0x200000 gfn 0x200 size 2M', []],
    [P + 'map v va 0x201000 gfn 0x200 size 2M', ['misaligned-map@3:10+8']],
    [P + 'map v va 0x200000 gfn 0x201 size 2M', ['misaligned-map@3:23+5']],
    [P + 'map v va 0x10000 gfn 0x18 size 64K', ['misaligned-map@3:22+4']],
    [P + 'map v va 0x40000000 gfn 0x40000 size 1G', []],
    [P + 'map v va 0x1001 gfn 1', ['misaligned-map@3:10+6']],
    [P + 'map v va 1 << 48 gfn 1', ['va-out-of-range@3:10+7']],
    [P + 'unmap v va 1 << 48', ['va-out-of-range@3:12+7']],
    [P + 'gpu v read va 0x1000000000000', ['va-out-of-range@3:15+15']],
    [P + 'expect gpu v va 0x1000000000000 fault', ['va-out-of-range@3:17+15']],
    [P + 'unmap v va 0xffffffffffff', []],
    [P + 'pagetable v root 0x10 pool 0x20..0x1f', ['empty-range@3:28+10']],
    [P + 'pagetable v root 0x10 pool 0x20..0x100', ['gfn-out-of-range@3:34+5']],
    [P + 'memslot v remove gfn 5..4', ['empty-range@3:22+4']],
    ['repeat -1 {\n}', ['repeat-count-out-of-range@1:8+2']],
    ['repeat 0x1_0000_0001 {\n}', ['repeat-count-out-of-range@1:8+13']],
    ['repeat 0x1_0000_0000 {\n}', []],
    ['handler h returns 1 << 31', ['value-out-of-range@1:19+7']],
    ['handler h returns -EFAULT', []],
    ['vgpu ' + 'v'.repeat(129), ['name-too-long@1:6+129']],
    ['vgpu ' + 'v'.repeat(128), []],
    ['handler ' + 'h'.repeat(200) + ' returns 0', ['name-too-long@1:9+200']],
    // what the run refuses as a whole number, or past the page
    [P + 'expect v traps == -1', ['value-out-of-range@3:19+2']],
    [P + 'expect v dma gfn 1 refs == 1 << 53', ['value-out-of-range@3:28+7']],
    [P + 'expect v traps == (1 << 53) - 1', []],
    [P + 'pagetable v root 1 pool 2..9\nmap v va 0 gfn 1 << 60', ['value-out-of-range@4:16+7']],
    [P + 'dispatch v gpa 0xfff bytes 2', ['dispatch-bytes@3:28+1']],
    [P + 'dispatch v gpa 0xfff bytes 1', []],
    ['let n = 4\nrepeat 2 {\nlet n = 300\n}\nvgpu v\nwrite v gpa 0 u8 n', ['value-out-of-range@6:18+1']],
    ['let n = 4\nlet c = 0\nrepeat c {\nlet n = 300\n}\nvgpu v\nwrite v gpa 0 u8 n', []],
    ['let n = 4\nrepeat 2 as i {\nlet n = i * 100\n}\nvgpu v\nwrite v gpa 0 u8 n', []],
    // warnings
    [P + 'enable v gfn 5', ['enable-unregistered@3:14+1']],
    [P + 'disable v gfn 5\nexpect ret == -ENXIO', []],
    [P + 'register v gfn 5 handler h\nenable v gfn 5', []],
    [P + 'register v gfn 5 handler h\nenable v gfn 6', ['enable-unregistered@4:14+1']],
    [P + 'shadow v root 5\nenable v gfn 6', []],
    [P + 'unshadow v root 5', ['unshadow-not-shadowed@3:17+1']],
    [P + 'shadow v root 5\nunshadow v root 5', []],
    ['repeat 2 {\nvgpu v\n}', ['vgpu-in-repeat@2:1+4']],
  ];
  for (const [src, want] of cases) it(JSON.stringify(src.startsWith(P) ? '…' + src.slice(P.length) : src), () => assert.deepEqual(diagnose(src), want));

  it('did you mean', () => {
    const ds = check(parse(P + 'submit vv').program).diagnostics;
    assert.equal(ds[0].suggestion, 'v');
    assert.match(ds[0].message, /did you mean 'v'\?/);
  });

  it('"did you mean" work is bounded per file: among a thousand names, the first unknown ones get a suggestion, the last still get their error', () => {
    let text = '';
    for (let i = 0; i < 1000; i++) text += `let x${i} = 0\n`;
    for (let i = 0; i < 1000; i++) text += `let y = q${i}\n`;
    const p = parse(text);
    const unknown = check(p.program, text).diagnostics.filter((d) => d.code === 'unknown-name');
    assert.equal(unknown.length, 1000);
    assert.equal(unknown[0].suggestion, 'x0');
    assert.equal(unknown[999].suggestion, undefined);
    assert.match(unknown[999].message, /^unknown name 'q999'$/);
  });

  it('every code is declared', () => {
    const all = new Set<string>(DIAGNOSTIC_CODES);
    for (const [, want] of cases) for (const w of want) assert.ok(all.has(w.split('@')[0]), w);
  });

  describe('symbols', () => {
    const src = 'vgpu vm1\nhandler h returns 0\nlet base = 0x40\nregister vm1 gfn base handler h\nrepeat 3 as i {\n  let t = base + i\n  enable vm1 gfn t\n}\nlet base = base + 1\n';
    const { symbols, diagnostics } = check(parse(src).program, src);
    const off = (needle: string, nth = 0): number => {
      let at = -1;
      for (let k = 0; k <= nth; k++) at = src.indexOf(needle, at + 1);
      return at;
    };

    it('no diagnostics', () => assert.deepEqual(diagnostics, []));

    it('definitions in source order, built-ins first', () => {
      assert.deepEqual(symbols.definitions.map((d) => `${d.kind}:${d.name}`), ['handler:log', 'handler:ppgtt', 'vgpu:vm1', 'handler:h', 'let:base', 'loop:i', 'let:t']);
    });

    it('definitionAt a reference and at the definition itself', () => {
      assert.equal(symbols.definitionAt(off('vm1', 1))?.ident?.start, off('vm1'));
      assert.equal(symbols.definitionAt(off('vm1', 1) + 3)?.name, 'vm1', 'the end of the name counts');
      assert.equal(symbols.definitionAt(off('h', 1))?.kind, 'handler');
      assert.equal(symbols.definitionAt(off('base', 2))?.ident?.start, off('base'));
      assert.equal(symbols.definitionAt(off('+ i') + 2)?.kind, 'loop');
      assert.equal(symbols.definitionAt(off('register')), undefined);
    });

    it('occurrencesOf: find-references and rename (a `let` of a bound name assigns it)', () => {
      const base = symbols.definitionAt(off('base'))!;
      assert.deepEqual(symbols.occurrencesOf(base).map((s) => s.start), [off('base'), off('base', 1), off('base', 2), off('base', 3), off('base', 4)]);
      assert.equal(symbols.occurrencesOf(base, false).length, 4);
      assert.equal(base.value, undefined, 'assigned twice: no single constant');
      assert.ok(symbols.references.some((r) => r.write && r.span.start === off('base', 3)));
    });

    it('scopeAt: what completion offers', () => {
      const names = (o: number, ns?: 'vgpu' | 'handler' | 'value'): string => symbols.scopeAt(o, ns).map((d) => d.name).join(' ');
      assert.equal(names(off('enable'), 'value'), 'base i t');
      assert.equal(names(off('let base', 1), 'value'), 'base');
      assert.equal(names(off('handler h'), 'vgpu'), 'vm1');
      assert.equal(names(off('register'), 'handler'), 'log ppgtt h');
      assert.equal(names(0), 'log ppgtt');
    });

    it('a let bound once to a constant keeps its value (for hovers)', () => {
      const r = check(parse('let k = 4K * 2\nprint k').program);
      assert.equal(r.symbols.definitions.find((d) => d.name === 'k')?.value, 8192);
    });
  });
});
