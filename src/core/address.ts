// Address spaces of the simulation, as branded numbers so a gfn cannot be passed where a gpa is
// wanted. All fit in a JS number: guest memory is at most 2^44 bytes, host frames fewer than 2^34.

export type Gfn = number & { readonly __brand: 'Gfn' };
export type Gpa = number & { readonly __brand: 'Gpa' };
export type Mfn = number & { readonly __brand: 'Mfn' };
/** Graphics memory address (the GPU's virtual address, "va" in scenarios). */
export type Gma = number & { readonly __brand: 'Gma' };

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
export const PAGE_MASK = PAGE_SIZE - 1;
/** A PPGTT address has 48 bits (4 levels of 9 bits over a 4 KiB page): a va at or past this is no PPGTT address. */
export const PPGTT_VA_LIMIT = 2 ** 48;
/** What a va at or past PPGTT_VA_LIMIT is told (the builder, the walkers, the language alike). */
export const beyondPpgtt = (va: number | bigint): string => `va 0x${va.toString(16)} is beyond the 48-bit PPGTT`;

export const gfn = (n: number): Gfn => n as Gfn;
export const gpa = (n: number): Gpa => n as Gpa;
export const mfn = (n: number): Mfn => n as Mfn;
export const gma = (n: number): Gma => n as Gma;

export const gpaToGfn = (a: Gpa): Gfn => Math.floor(a / PAGE_SIZE) as Gfn;
export const gfnToGpa = (f: Gfn): Gpa => (f * PAGE_SIZE) as Gpa;
/**
 * The offset of an address in its page. Not `a % PAGE_SIZE`: addresses of a guest past 2 GiB are
 * not small integers to V8, and `%` on them is a floating-point remainder (an x87 loop) on the
 * trap path, where this subtraction costs a rounding.
 */
export const pageOffset = (a: number): number => a - Math.floor(a / PAGE_SIZE) * PAGE_SIZE;

export function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}
