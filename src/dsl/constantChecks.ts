// Range checks on values the checker knows statically (literals and `let` names bound to
// constants): guest memory sizes, gfns and gpas against a vGPU's memory, store values against
// their width, huge-page alignment, pool and memslot ranges, repeat counts, handler return codes.
// Each returns a diagnostic or undefined; the checker decides when a value is known.
// The same limits hold at run time (runtime.ts, statements.ts): this reports them before the run.

import type { PageSize, Span, Width } from './ast';
import { MAX_GUEST_PAGES } from '../core/hostMemory';
import { PPGTT_VA_LIMIT, beyondPpgtt } from '../core/address';
import { errorAt, type Diagnostic } from './diagnostic';
import { formatHex, toSigned64, type U64 } from './value';

const PAGE_BYTES = 4096;
export const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
/** The largest guest memory a vGPU may have: the host range the core reserves for each vGPU. */
const MAX_MEMORY_BYTES = MAX_GUEST_PAGES * PAGE_BYTES;
const PAGE_SIZE_BYTES: Readonly<Record<PageSize, number>> = { '4K': 0x1000, '64K': 0x10000, '2M': 0x200000, '1G': 0x40000000 };
const WIDTH_BITS: Readonly<Record<Width, number>> = { u8: 8, u16: 16, u32: 32, u64: 64 };

/** A vGPU whose memory size is known. */
export interface KnownMemory {
  readonly name: string;
  readonly bytes: number;
}

/** A value as a JS number, or Infinity when it is 2^53 or more (always out of any range here). */
const n = (v: U64): number => (typeof v === 'number' ? v : Infinity);

export function checkMemorySize(v: U64, span: Span): Diagnostic | undefined {
  const bytes = n(v);
  if (bytes === 0 || bytes % PAGE_BYTES !== 0) return errorAt('invalid-memory-size', `memory size ${formatHex(v)} must be a positive multiple of 4K`, span);
  if (bytes > MAX_MEMORY_BYTES) return errorAt('invalid-memory-size', `memory size ${formatHex(v)} is larger than 64G`, span);
  return undefined;
}

/** `count` pages from `gfn` must lie in the vGPU's memory (and within what the simulation backs). */
export function checkGfn(mem: KnownMemory, gfn: U64, span: Span, count = 1, what = 'gfn'): Diagnostic | undefined {
  const pages = Math.min(mem.bytes / PAGE_BYTES, MAX_GUEST_PAGES);
  if (n(gfn) + count <= pages) return undefined;
  const limit = mem.bytes / PAGE_BYTES > MAX_GUEST_PAGES ? ' (the simulation backs at most 64G of a guest)' : '';
  const run = count > 1 ? ` (with the ${count} pages it covers)` : '';
  return errorAt('gfn-out-of-range', `${what} ${formatHex(gfn)}${run} is outside ${mem.name}'s guest memory: gfns 0..${formatHex(pages - 1)}${limit}`, span);
}

export function checkGpa(mem: KnownMemory, gpa: U64, length: number, span: Span): Diagnostic | undefined {
  if (n(gpa) + length <= Math.min(mem.bytes, MAX_GUEST_PAGES * PAGE_BYTES)) return undefined;
  const what = length > 1 ? `gpa ${formatHex(gpa)} (${length} bytes)` : `gpa ${formatHex(gpa)}`;
  return errorAt('gpa-out-of-range', `${what} is outside ${mem.name}'s guest memory (${formatHex(mem.bytes)} bytes)`, span);
}

/**
 * A store or expected value must fit its width: below 2^bits, or a negative number that fits as
 * signed (`u8 -1` is 0xff, as C's truncation would give; `u8 300` is an error).
 */
export function checkWidthValue(width: Width, v: U64, span: Span): Diagnostic | undefined {
  const bits = WIDTH_BITS[width];
  if (bits === 64 || n(v) < 2 ** bits) return undefined;
  const signed = toSigned64(v);
  if (signed < 0n && signed >= -(1n << BigInt(bits - 1))) return undefined;
  return errorAt('value-out-of-range', `${formatDecimal(v)} does not fit in ${width}`, span);
}

/** `-129`, `300 (0x12c)`: a value as the user most likely wrote it. */
function formatDecimal(v: U64): string {
  const s = toSigned64(v);
  return s < 0n ? s.toString() : `${v} (${formatHex(v)})`;
}

/** va and gfn of a `map` must be aligned to its page size (the builder requires it; 4K included). */
export function checkMapAlignment(size: PageSize, va: U64 | undefined, vaSpan: Span, gfn: U64 | undefined, gfnSpan: Span): Diagnostic[] {
  const bytes = PAGE_SIZE_BYTES[size];
  const out: Diagnostic[] = [];
  if (va !== undefined && (typeof va === 'bigint' ? va % BigInt(bytes) !== 0n : va % bytes !== 0)) {
    out.push(errorAt('misaligned-map', `va ${formatHex(va)} is not aligned to the ${size} page it maps`, vaSpan));
  }
  const pages = bytes / PAGE_BYTES;
  if (gfn !== undefined && (typeof gfn === 'bigint' ? gfn % BigInt(pages) !== 0n : gfn % pages !== 0)) {
    out.push(errorAt('misaligned-map', `gfn ${formatHex(gfn)} is not aligned to ${size} (a multiple of ${formatHex(pages)} pages)`, gfnSpan));
  }
  return out;
}

/** The PPGTT is 4-level: virtual addresses have 48 bits. */
export function checkVa(va: U64, span: Span): Diagnostic | undefined {
  if (n(va) < PPGTT_VA_LIMIT) return undefined;
  return errorAt('va-out-of-range', beyondPpgtt(va), span);
}

export function checkRange(from: U64, to: U64, span: Span, what: string): Diagnostic | undefined {
  if ((typeof from === typeof to ? from <= to : typeof from === 'number')) return undefined;
  return errorAt('empty-range', `${what} ${formatHex(from)}..${formatHex(to)} is empty (the first gfn is above the last)`, span);
}

const MAX_REPEAT_COUNT = 2 ** 32;

export function checkRepeatCount(v: U64, span: Span): Diagnostic | undefined {
  if (toSigned64(v) < 0n) return errorAt('repeat-count-out-of-range', `repeat count ${toSigned64(v)} is negative`, span);
  if (n(v) > MAX_REPEAT_COUNT) return errorAt('repeat-count-out-of-range', `repeat count ${formatHex(v)} is larger than 2^32`, span);
  return undefined;
}

/** A handler's return code is a C int: 0 or a negative errno, at least in 32 bits. */
export function checkReturnCode(v: U64, span: Span): Diagnostic | undefined {
  const s = toSigned64(v);
  if (s >= -(2n ** 31n) && s < 2n ** 31n) return undefined;
  return errorAt('value-out-of-range', `return code ${s} does not fit in a 32-bit int`, span);
}
