// The parser on valid input: a golden AST for a file with every statement (UPDATE_GOLDEN=1
// rewrites it), and one line a case for precedence and the forms told apart by lookahead.

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stmt } from '../../src/dsl/ast';
import { parse } from '../../src/dsl/parser';
import { STATEMENT_KEYWORDS } from '../../src/dsl/statementSpec';
import { exprText, programText, stmtText } from './astText';

const GOLDEN = join(__dirname, '../../../test/dsl/golden');

function only(src: string): Stmt {
  const r = parse(src);
  assert.deepEqual(r.diagnostics, [], `diagnostics for ${JSON.stringify(src)}`);
  assert.equal(r.program.statements.length, 1);
  return r.program.statements[0];
}

describe('dsl/parser', () => {
  describe('golden', () => {
    for (const name of ['all-statements']) {
      it(`${name}.gvt`, () => {
        const src = readFileSync(join(GOLDEN, `${name}.gvt`), 'utf8');
        const r = parse(src);
        assert.deepEqual(r.diagnostics, []);
        const actual = programText(r.program.statements);
        const file = join(GOLDEN, `${name}.ast.txt`);
        if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
        assert.equal(actual, readFileSync(file, 'utf8'));
      });
    }

    it('covers every statement kind and keyword', () => {
      const src = readFileSync(join(GOLDEN, 'all-statements.gvt'), 'utf8');
      const kinds = new Set<string>();
      const walk = (ss: readonly Stmt[]): void => ss.forEach((s) => (kinds.add(s.kind), s.kind === 'repeat' && walk(s.body)));
      walk(parse(src).program.statements);
      const all = ['kernel', 'vgpu', 'handler', 'let', 'repeat', 'register', 'unregister', 'enable', 'disable', 'find', 'write', 'read',
        'pagetable', 'map', 'unmap', 'shadow', 'unshadow', 'submit', 'failsafe', 'reset', 'attach', 'detach', 'oos', 'memslotRemove',
        'gpuRead', 'print', 'expectRet', 'expectTrap', 'expectTrack', 'expectMem', 'expectGpu', 'expectTraps',
        'platform', 'ips', 'backing', 'expectMm', 'expectDma', 'expectHazard', 'dispatch'];
      assert.deepEqual([...kinds].sort(), all.sort());
      for (const k of STATEMENT_KEYWORDS) assert.ok(new RegExp(`^\\s*${k}\\b`, 'm').test(src), k);
    });
  });

  describe('expressions (C precedence, left associative)', () => {
    const cases: [string, string][] = [
      ['1 + 2 * 3', '(+ 1 (* 2 3))'],
      ['1 - 2 - 3', '(- (- 1 2) 3)'],
      ['1 << 2 + 3', '(<< 1 (+ 2 3))'],
      ['1 | 2 & 3', '(| 1 (& 2 3))'],
      ['1 & 2 << 3', '(& 1 (<< 2 3))'],
      ['a == b | c', '(== a (| b c))'],
      ['a < b == c > d', '(== (< a b) (> c d))'],
      ['a || b && c', '(|| a (&& b c))'],
      ['!a && -b', '(&& (! a) (- b))'],
      ['~-!x', '(~ (- (! x)))'],
      ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
      ['0x102000 + i*8', '(+ 1056768 (* i 8))'],
      ['4K + 64M + 1G', '(+ (+ 4096 67108864) 1073741824)'],
      ['0x10K', '16384'],
      ['0xFFFF_FFFF_FFFF_FFFF', '18446744073709551615'],
      ['a - b', '(- a b)'],
      ['a-b', 'a-b'],
      ['a -1', '(- a 1)'],
      ['-EEXIST', '-EEXIST(-17)'],
      ['- EEXIST', '(- EEXIST)'],
      ['-EBADRQC', '-EBADRQC(-56)'],
    ];
    const strip = (s: string): string => s.replace(/@\d+:\d+/g, '');
    for (const [src, want] of cases) {
      it(`${src}  →  ${want}`, () => {
        const s = only(`print ${src}`);
        assert.equal(s.kind, 'print');
        assert.equal(strip(exprText((s as Extract<Stmt, { kind: 'print' }>).value)), want);
      });
    }
    it('parentheses widen the span', () => {
      const s = only('print (1 + 2)') as Extract<Stmt, { kind: 'print' }>;
      assert.deepEqual(s.value.span, { start: 6, end: 13 });
    });
  });

  describe('statement forms', () => {
    const cases: [string, string][] = [
      ['map vm1 va 0x1000 gfn 1', 'map@0:23 kw@0:3 vgpu=vm1@4:7 va=4096@11:17 gfn=1@22:23 size="4K"'],
      ['map vm1 va 0 gfn 0 size 0x200000', 'map@0:32 kw@0:3 vgpu=vm1@4:7 va=0@11:12 gfn=0@17:18 size="2M" sizeSpan=@24:32'],
      ['vgpu vm1', 'vgpu@0:8 kw@0:4 name=vm1@5:8'],
      ['expect ret == -ENXIO', 'expectRet@0:20 kw@0:6 code=-ENXIO(-6)@14:20'],
      ['expect ret gfn 1 tracked', 'expectTrack@0:24 kw@0:6 vgpu=ret@7:10 gfn=1@15:16 state="tracked"'],
      ['expect trap gfn 1 registered', 'expectTrack@0:28 kw@0:6 vgpu=trap@7:11 gfn=1@16:17 state="registered"'],
      ['expect no trap', 'expectTrap@0:14 kw@0:6 negated=true'],
      ['expect gpu gfn 1 untracked', 'expectTrack@0:26 kw@0:6 vgpu=gpu@7:10 gfn=1@15:16 state="untracked"'],
      ['expect gpu gpu va 0 fault', 'expectGpu@0:25 kw@0:6 vgpu=gpu@11:14 va=0@18:19 outcome={kind="fault"}'],
      ['expect vm1 gpa x u8 == x', 'expectMem@0:24 kw@0:6 vgpu=vm1@7:10 gpa=x@15:16 width="u8" value=x@23:24'],
      ['write vm1 gpa base u64 ~0', 'write@0:25 kw@0:5 vgpu=vm1@6:9 gpa=base@14:18 data={kind="value" width="u64" value=(~ 0@24:25)@23:25}'],
      ['let x=1', 'let@0:7 kw@0:3 name=x@4:5 value=1@6:7'],
      ['register vm-1 gfn 1 handler h-2', 'register@0:31 kw@0:8 vgpu=vm-1@9:13 gfn=1@18:19 handler=h-2@28:31'],
      ['print 1 # a comment', 'print@0:7 kw@0:5 value=1@6:7'],
    ];
    for (const [src, want] of cases) it(src, () => assert.equal(stmtText(only(src)), want));

    it('repeat keeps its body, close brace and loop name', () => {
      const s = only('repeat 2 as k {\n  print k\n}\n');
      assert.equal(stmtText(s), 'repeat@0:27 kw@0:6 count=2@7:8 as=k@12:13 close=@26:27\n  print@18:25 kw@18:23 value=k@24:25');
    });

    it('statements are line based; blank lines, comments and CRLF are fine', () => {
      const r = parse('\r\n# c\r\nvgpu a\r\n\r\n  submit a   # x\r\nprint 1');
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(r.program.statements.map((s) => s.kind), ['vgpu', 'submit', 'print']);
      assert.equal(r.comments.length, 2);
    });
  });
});
