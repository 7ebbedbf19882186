// Number formatting and parsing for what the views show and what the user types (a gfn filter,
// a gfn in a scenario line). Scenario spelling: decimal or 0x-hex, `_` between digits. Pure.

export const PAGE_SIZE = 4096;

export const hex = (n: number): string => '0x' + n.toString(16);

/** 0x-prefixed, zero-padded to `digits` hex digits. */
export const hexPadded = (n: number, digits: number): string => '0x' + n.toString(16).padStart(digits, '0');

/** A scenario number literal (`42`, `0x2a`, `0x4000_0000`); undefined if it is anything else. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  const m = /^(?:0[xX]([0-9a-fA-F](?:_?[0-9a-fA-F])*)|([0-9](?:_?[0-9])*))$/.exec(t);
  if (!m) return undefined;
  const n = m[1] !== undefined ? parseInt(m[1].replace(/_/g, ''), 16) : parseInt(m[2].replace(/_/g, ''), 10);
  return Number.isSafeInteger(n) ? n : undefined;
}

export interface GfnRange {
  from: number;
  to: number;
}

/**
 * What the user typed in the gfn filter box: `0x100`, `0x100..0x1ff`, `0x100-0x1ff`, `0x100..`,
 * `..0x1ff` (open ends), or empty (no filter: undefined). A string is the reason it is not valid.
 */
export function parseGfnRange(text: string): GfnRange | undefined | string {
  const t = text.trim();
  if (t === '') return undefined;
  const parts = t.includes('..') ? t.split('..') : t.includes('-') ? t.split('-') : [t, t];
  if (parts.length !== 2) return `'${t}' is not a gfn or a range A..B`;
  const [a, b] = parts.map((p) => p.trim());
  const from = a === '' ? 0 : parseNumber(a);
  const to = b === '' ? Number.MAX_SAFE_INTEGER : parseNumber(b);
  if (from === undefined) return `'${a}' is not a number (use 0x100 or 256)`;
  if (to === undefined) return `'${b}' is not a number (use 0x1ff or 511)`;
  if (from > to) return `the range ${hex(from)}..${hex(to)} is empty`;
  return { from, to };
}

export function formatGfnRange(r: GfnRange): string {
  if (r.from === r.to) return `gfn ${hex(r.from)}`;
  if (r.to === Number.MAX_SAFE_INTEGER) return `gfn ${hex(r.from)}..`;
  return `gfn ${hex(r.from)}..${hex(r.to)}`;
}

export const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;
