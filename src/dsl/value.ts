// Scenario values: 64-bit unsigned integers with BigInt semantics (every operation wraps modulo
// 2^64, nothing is lost above 2^53), made fast for the common case of small values.
//
// Representation (the invariant every function keeps and may rely on):
//   a `number` is always an integer in [0, 2^53); a `bigint` is used only for values in [2^53, 2^64).
// So each value has exactly one representation: equality is `===`, and a number is always less
// than a bigint. Arithmetic on two numbers whose result stays below 2^53 allocates no BigInt;
// bitwise operations on values below 2^31 use JS int32 operations, below 2^53 two 32-bit halves.
// Negative results wrap: sub(0, 1) is 2^64-1 (a bigint); toSigned64 reads a value back as signed.

export type U64 = number | bigint;

export const TWO_53 = 9007199254740992; // 2^53
const TWO_53N = 9007199254740992n;
const TWO_32 = 4294967296;
const MASK_64 = 0xffff_ffff_ffff_ffffn;

/** Normalise any bigint (negative or ≥ 2^64 wraps) to a U64. */
export function fromBigInt(b: bigint): U64 {
  if (b >= 0n && b < TWO_53N) return Number(b);
  const w = BigInt.asUintN(64, b);
  return w < TWO_53N ? Number(w) : w;
}

/** A JS integer (any sign; non-integers are truncated) as a U64, wrapping like C's (uint64_t)n. */
export function fromNumber(n: number): U64 {
  if (n >= 0 && n < TWO_53 && Number.isInteger(n)) return n;
  return Number.isFinite(n) ? fromBigInt(BigInt(Math.trunc(n))) : 0;
}

export function toBigInt(v: U64): bigint {
  return typeof v === 'number' ? BigInt(v) : v;
}

/** The value read as a two's-complement signed 64-bit integer: `neg(17)` → -17n (an errno). */
export function toSigned64(v: U64): bigint {
  return typeof v === 'number' ? BigInt(v) : BigInt.asIntN(64, v);
}



export function add(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b; // exact whenever the true sum is below 2^53
    if (s < TWO_53) return s;
  }
  return fromBigInt(toBigInt(a) + toBigInt(b));
}

export function sub(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number' && a >= b) return a - b;
  return fromBigInt(toBigInt(a) - toBigInt(b));
}

export function mul(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b; // a true product below 2^53 is exact; one at or above rounds to ≥ 2^53
    if (p < TWO_53) return p;
  }
  return fromBigInt(toBigInt(a) * toBigInt(b));
}

/** Unsigned division, truncating. `b` must not be 0 (evaluate reports that before calling). */
export function div(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') return (a - (a % b)) / b;
  return fromBigInt(toBigInt(a) / toBigInt(b));
}

/** Unsigned remainder. `b` must not be 0. */
export function mod(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') return a % b;
  return fromBigInt(toBigInt(a) % toBigInt(b));
}

/** a << n modulo 2^64. A count of 64 or more gives 0 (as BigInt.asUintN(64, a << n) does). */
const POW2 = Array.from({ length: 64 }, (_, i) => 2 ** i);

export function shl(a: U64, n: U64): U64 {
  if (typeof n !== 'number' || n >= 64) return 0;
  if (typeof a === 'number' && n < 53) {
    const p = a * POW2[n];
    if (p < TWO_53) return p;
  }
  return fromBigInt(toBigInt(a) << BigInt(n));
}

/** Logical a >> n. A count of 64 or more gives 0. */
export function shr(a: U64, n: U64): U64 {
  if (typeof n !== 'number' || n >= 64) return 0;
  if (typeof a === 'number') return n >= 53 ? 0 : Math.floor(a / 2 ** n);
  return fromBigInt(a >> BigInt(n));
}

const hi32 = (a: number): number => Math.floor(a / TWO_32);

export function and(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < 0x8000_0000 && b < 0x8000_0000) return a & b;
    return ((hi32(a) & hi32(b)) >>> 0) * TWO_32 + (((a % TWO_32) & (b % TWO_32)) >>> 0);
  }
  return fromBigInt(toBigInt(a) & toBigInt(b));
}

export function or(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < 0x8000_0000 && b < 0x8000_0000) return a | b;
    return ((hi32(a) | hi32(b)) >>> 0) * TWO_32 + (((a % TWO_32) | (b % TWO_32)) >>> 0);
  }
  return fromBigInt(toBigInt(a) | toBigInt(b));
}

export function xor(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < 0x8000_0000 && b < 0x8000_0000) return a ^ b;
    return ((hi32(a) ^ hi32(b)) >>> 0) * TWO_32 + (((a % TWO_32) ^ (b % TWO_32)) >>> 0);
  }
  return fromBigInt(toBigInt(a) ^ toBigInt(b));
}

/** Bitwise complement: 2^64 - 1 - a. */
export function not(a: U64): U64 {
  return fromBigInt(MASK_64 ^ toBigInt(a));
}

/** Two's-complement negation: 2^64 - a (0 stays 0). */
export function neg(a: U64): U64 {
  return a === 0 ? 0 : fromBigInt(-toBigInt(a));
}

/** Unsigned comparison: -1, 0 or 1. */
export function cmp(a: U64, b: U64): -1 | 0 | 1 {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === 'number' ? -1 : 1; // a number is always below a bigint
}


/** C truth: 1 or 0, as comparisons and `&& || !` yield. */
export const bool = (t: boolean): U64 => (t ? 1 : 0);

/** `0x2a` (lower case, no padding), as the trace and hovers print values. */
export function formatHex(v: U64): string {
  return '0x' + v.toString(16);
}

