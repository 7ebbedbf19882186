// Compiled expressions: one line a case, `print EXPR` source → value (or failure) with slots
// i = 3 and big = 2^64-1; and the constant evaluator.

import { strict as assert } from 'node:assert';
import type { Expr, Stmt } from '../../src/dsl/ast';
import { compileExpression, evaluateConstant, foldExpression, isFailure } from '../../src/dsl/evaluate';
import { parse } from '../../src/dsl/parser';
import { toBigInt, type U64 } from '../../src/dsl/value';

function expr(src: string): Expr {
  const r = parse(`print ${src}`);
  assert.deepEqual(r.diagnostics, [], src);
  return (r.program.statements[0] as Extract<Stmt, { kind: 'print' }>).value;
}

const M = (1n << 64n) - 1n;
const SLOTS: Record<string, number> = { i: 0, big: 1, unset: 2 };
const VALUES: U64[] = [3, M];

function run(src: string): string {
  const f = compileExpression(expr(src), (n) => SLOTS[n]);
  const v = f(VALUES);
  return isFailure(v) ? `failure: ${v.failure} @${v.span.start - 6}:${v.span.end - 6}` : String(toBigInt(v));
}

describe('dsl/evaluate', () => {
  const cases: [string, string][] = [
    ['0x102000 + i*8', String(0x102000 + 24)],
    ['0xFFFF_FFFF_FFFF_FFFF + 1', '0'],
    ['big + 1', '0'],
    ['1 << 63', String(1n << 63n)],
    ['1 << 64', '0'],
    ['1 << 200', '0'],
    ['big >> 64', '0'],
    ['-1', String(M)],
    ['-EEXIST', String(M - 16n)],
    ['-EEXIST == 0 - 17', '1'],
    ['i == 3', '1'],
    ['i != 3', '0'],
    ['i < 4 && i > 2', '1'],
    ['big > i', '1'],
    ['-1 < 0', '0'],
    ['!i', '0'],
    ['!0', '1'],
    ['~0 == big', '1'],
    ['i / 0', 'failure: division by zero @0:5'],
    ['i % (i - 3)', 'failure: modulo by zero @0:11'],
    ['0 && i / 0', '0'],
    ['1 || i / 0', '1'],
    ['i && i / 0', 'failure: division by zero @5:10'],
    ['(i + 1) * 2', '8'],
    ['nope + 1', "failure: unknown name 'nope' @0:4"],
    ['unset', "failure: 'unset' has no value yet @0:5"],
    ['64M / 4K', '16384'],
  ];
  for (const [src, want] of cases) it(`${src}  →  ${want}`, () => assert.equal(run(src), want));

  it('evaluateConstant', () => {
    assert.equal(evaluateConstant(expr('2 + 3 * 4')), 14);
    assert.equal(evaluateConstant(expr('(1 << 63) * 2')), 0);
    assert.equal(evaluateConstant(expr('1 << 63')), 1n << 63n);
    assert.ok(isFailure(evaluateConstant(expr('1 / 0'))));
    assert.ok(isFailure(evaluateConstant(expr('x + 1'))));
  });

  it('foldExpression: known names fold, unknown ones make the result unknown', () => {
    const known = (n: string): U64 | undefined => (n === 'k' ? 5 : undefined);
    assert.equal(foldExpression(expr('k * 2'), known), 10);
    assert.equal(foldExpression(expr('k * u'), known), undefined);
    assert.equal(foldExpression(expr('0 && u'), known), 0);
  });

  it('an operator with one known operand gives what the general evaluation gives, for every op and edge value', () => {
    // A name against a literal (either side) takes compiled shortcuts; the literal-only form is folded by applyBinary.
    const edges: bigint[] = [0n, 1n, 3n, 7n, 12n, 63n, 64n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, (1n << 53n) - 1n, 1n << 53n, (1n << 63n) + 5n, M];
    const ops = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '==', '!=', '<', '<=', '>', '>=', '&&', '||'];
    const hex = (b: bigint): string => '0x' + b.toString(16);
    const show = (v: U64 | { failure: string }): string => (isFailure(v as U64) ? `failure: ${(v as { failure: string }).failure}` : String(toBigInt(v as U64)));
    for (const op of ops) {
      for (const x of edges) {
        for (const k of edges) {
          const slots: U64[] = [x < 1n << 53n ? Number(x) : x];
          for (const [named, literal] of [[`i ${op} ${hex(k)}`, `${hex(x)} ${op} ${hex(k)}`], [`${hex(k)} ${op} i`, `${hex(k)} ${op} ${hex(x)}`]]) {
            const got = compileExpression(expr(named), (n) => (n === 'i' ? 0 : undefined))(slots);
            assert.equal(show(got), show(evaluateConstant(expr(literal))), `${named} with i = ${hex(x)}`);
          }
        }
      }
    }
  });

  it('compiles once: a million evaluations run fast', () => {
    const f = compileExpression(expr('0x40000 + i*8 & 0xfff'), (n) => SLOTS[n]);
    const slots: U64[] = [0];
    let sum = 0;
    for (let k = 0; k < 1_000_000; k++) {
      slots[0] = k;
      sum += f(slots) as number;
    }
    assert.ok(sum > 0);
  });
});
