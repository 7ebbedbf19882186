// 64-bit unsigned value semantics: every operation checked against BigInt.asUintN(64, ...) on
// small, boundary (2^31, 2^32, 2^53) and large values, plus the representation invariant.

import { strict as assert } from 'node:assert';
import * as V from '../../src/dsl/value';
import type { U64 } from '../../src/dsl/value';

const M = (1n << 64n) - 1n;
const big = (v: U64): bigint => V.toBigInt(v);
/** number below 2^53, bigint at or above: the invariant. */
function normal(v: U64): void {
  if (typeof v === 'number') assert.ok(Number.isInteger(v) && v >= 0 && v < 2 ** 53, `bad number ${v}`);
  else assert.ok(v >= 2n ** 53n && v <= M, `bad bigint ${v}`);
}

const SAMPLES: bigint[] = [0n, 1n, 2n, 3n, 7n, 8n, 255n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0x1234_5678_9abcn,
  2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, M - 1n, M];

const OPS: [string, (a: U64, b: U64) => U64, (a: bigint, b: bigint) => bigint][] = [
  ['add', V.add, (a, b) => a + b],
  ['sub', V.sub, (a, b) => a - b],
  ['mul', V.mul, (a, b) => a * b],
  ['and', V.and, (a, b) => a & b],
  ['or', V.or, (a, b) => a | b],
  ['xor', V.xor, (a, b) => a ^ b],
];

describe('dsl/value', () => {
  const cases: [string, U64, U64][] = [
    ['0xFFFF_FFFF_FFFF_FFFF + 1 == 0', V.add(V.fromBigInt(M), 1), 0],
    ['0 - 1 == 2^64-1', V.sub(0, 1), M],
    ['1 << 63', V.shl(1, 63), 1n << 63n],
    ['1 << 64 == 0 (count ≥ 64)', V.shl(1, 64), 0],
    ['(1 << 63) >> 63', V.shr(V.shl(1, 63), 63), 1],
    ['x >> 64 == 0', V.shr(V.fromBigInt(M), 64), 0],
    ['2^53 - 1 + 1 is a bigint', V.add(2 ** 53 - 1, 1), 2n ** 53n],
    ['2^53 + 1 exact', V.add(2 ** 53 - 1, 2), 2n ** 53n + 1n],
    ['mixed: 2^60 - 2^59', V.sub(V.shl(1, 60), 2 ** 52 * 128), 2n ** 59n],
    ['bigint back to number', V.sub(V.fromBigInt(2n ** 60n), V.fromBigInt(2n ** 60n - 5n)), 5],
    ['3 * 2^62 wraps', V.mul(3, V.fromBigInt(2n ** 62n)), 2n ** 62n * 3n - 2n ** 64n],
    ['~0', V.not(0), M],
    ['-(1)', V.neg(1), M],
    ['-(0)', V.neg(0), 0],
    ['7 / 2', V.div(7, 2), 3],
    ['(2^53 - 1) / 3', V.div(2 ** 53 - 1, 3), 3002399751580330],
    ['max / 2', V.div(V.fromBigInt(M), 2), M / 2n],
    ['7 % 3', V.mod(7, 3), 1],
    ['and above 2^32', V.and(0x1_ffff_0000 * 16, 0xffff_ffff_f), 0xffff_0000_0],
    ['fromNumber(-17) wraps', V.fromNumber(-17), M - 16n],
    ['fromBigInt(2^64 + 5) wraps', V.fromBigInt(2n ** 64n + 5n), 5],
  ];
  for (const [name, got, want] of cases) {
    it(name, () => {
      normal(got);
      assert.equal(big(got), typeof want === 'bigint' ? BigInt.asUintN(64, want) : BigInt(want));
      assert.strictEqual(got, V.fromBigInt(big(got)), 'one representation per value');
    });
  }

  it('toSigned64: -17 equals -EEXIST', () => {
    assert.equal(V.toSigned64(V.neg(17)), -17n);
    assert.equal(V.toSigned64(V.sub(0, 17)), -17n);
    assert.equal(V.toSigned64(V.fromBigInt(M)), -1n);
    assert.equal(V.toSigned64(5), 5n);
    assert.equal(V.toSigned64(V.fromBigInt(2n ** 63n - 1n)), 2n ** 63n - 1n);
  });

  it('cmp is unsigned and total across representations', () => {
    for (const a of SAMPLES) for (const b of SAMPLES) assert.equal(V.cmp(V.fromBigInt(a), V.fromBigInt(b)), a < b ? -1 : a > b ? 1 : 0);
  });

  for (const [name, f, g] of OPS) {
    it(`${name} agrees with BigInt.asUintN on boundary values`, () => {
      for (const a of SAMPLES) {
        for (const b of SAMPLES) {
          const r = f(V.fromBigInt(a), V.fromBigInt(b));
          normal(r);
          assert.equal(big(r), BigInt.asUintN(64, g(a, b)), `${name}(${a}, ${b})`);
        }
      }
    });
  }

  it('div, mod, shifts, not, neg agree with BigInt on boundary values', () => {
    for (const a of SAMPLES) {
      for (const b of SAMPLES) {
        if (b !== 0n) {
          assert.equal(big(V.div(V.fromBigInt(a), V.fromBigInt(b))), a / b);
          assert.equal(big(V.mod(V.fromBigInt(a), V.fromBigInt(b))), a % b);
        }
      }
      for (const n of [0, 1, 12, 31, 32, 52, 53, 63, 64, 100]) {
        const l = V.shl(V.fromBigInt(a), n);
        const r = V.shr(V.fromBigInt(a), n);
        normal(l);
        normal(r);
        assert.equal(big(l), BigInt.asUintN(64, a << BigInt(n)), `shl(${a}, ${n})`);
        assert.equal(big(r), a >> BigInt(n), `shr(${a}, ${n})`);
      }
      assert.equal(big(V.not(V.fromBigInt(a))), M ^ a);
      assert.equal(big(V.neg(V.fromBigInt(a))), BigInt.asUintN(64, -a));
    }
  });

  it('small values stay numbers (the fast path)', () => {
    for (const v of [V.add(1, 2), V.sub(5, 3), V.mul(4096, 512), V.and(0xff, 0x0f), V.or(1, 2), V.shl(1, 40), V.shr(2 ** 50, 3), V.div(10, 3)]) {
      assert.equal(typeof v, 'number');
    }
  });

  it('formatHex', () => {
    assert.equal(V.formatHex(0), '0x0');
    assert.equal(V.formatHex(0x2a), '0x2a');
    assert.equal(V.formatHex(V.fromBigInt(M)), '0xffffffffffffffff');
  });
});
