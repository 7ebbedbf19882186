// What a number means where it stands: decimal and hex always; a gfn as the guest page's gpa
// range; a gpa as gfn + offset; a va as its four PPGTT indices; a stored value as a gen8 entry
// (present, RW, PS, IPS, pfn: the bits of src/core/gen8Entry.ts); an error code as its errno.

import { BIT_IPS, BIT_PRESENT, BIT_PS, BIT_RW, HI_BIT_64K_SPLIT } from '../../core/gen8Entry';
import { formatHex, toBigInt, toSigned64, type U64 } from '../value';
import type { ExprRole } from './grammar';
import { errnoNameOf, errnoMarkdown } from './wordDocs';

const hex = (v: bigint): string => '0x' + v.toString(16);

/** Markdown lines describing a value in a slot of the given role. */
export function describeNumber(value: U64, role: ExprRole | undefined, width?: string): string[] {
  const v = toBigInt(value);
  const signed = toSigned64(value);
  const lines = [`\`${formatHex(value)}\` = ${v}${signed < 0n ? ` (signed: ${signed})` : ''}${sizeText(v)}`];
  switch (role) {
    case 'gfn':
      lines.push(`as a gfn: guest page at gpa \`${hex(v << 12n)}\`..\`${hex((v << 12n) | 0xfffn)}\``);
      break;
    case 'gpa':
      lines.push(`as a gpa: gfn \`${hex(v >> 12n)}\` + offset \`${hex(v & 0xfffn)}\`${(v & 7n) === 0n ? ` (entry ${(v & 0xfffn) >> 3n} of a table page)` : ''}`);
      break;
    case 'va':
      lines.push(`as a va: ${vaIndices(v)}`);
      break;
    case 'memory':
      if (v > 0n && v % 4096n === 0n) lines.push(`as guest memory: gfns 0..\`${hex(v / 4096n - 1n)}\``);
      break;
    case 'code':
      lines.push(codeText(signed));
      break;
    case 'value':
      if (v !== 0n && (width === undefined || width === 'u64' || width === 'u32')) lines.push(`as a gen8 PPGTT entry: ${entryText(v)}`);
      break;
  }
  return lines;
}

function sizeText(v: bigint): string {
  const units: [bigint, string][] = [
    [1n << 30n, 'GiB'],
    [1n << 20n, 'MiB'],
    [1n << 10n, 'KiB'],
  ];
  for (const [u, name] of units) if (v >= u && v % u === 0n) return ` (${v / u} ${name})`;
  return '';
}

/** PML4, PDP, PD and PT indices and the page offset (9 bits each, from bit 39 down). */
function vaIndices(v: bigint): string {
  const idx = (shift: bigint): bigint => (v >> shift) & 0x1ffn;
  return `PML4[${idx(39n)}] PDP[${idx(30n)}] PD[${idx(21n)}] PT[${idx(12n)}] + offset \`${hex(v & 0xfffn)}\``;
}

/** The entry bits the simulation reads (gen8Entry.ts): pfn is bits 45:12. */
export function entryText(v: bigint): string {
  const lo = Number(v & 0xffffffffn);
  const hi = Number((v >> 32n) & 0xffffffffn);
  const flag = (bit: number, name: string): string => `${name} ${(lo & bit) !== 0 ? '✓' : '✗'}`;
  const pfn = (v >> 12n) & ((1n << 34n) - 1n);
  const parts = [flag(BIT_PRESENT, 'present'), flag(BIT_RW, 'RW'), flag(BIT_PS, 'PS'), flag(BIT_IPS, 'IPS'), `pfn \`${hex(pfn)}\` (gpa \`${hex(pfn << 12n)}\`)`];
  if ((hi & HI_BIT_64K_SPLIT) !== 0) parts.push('64K-split');
  return parts.join(', ');
}

function codeText(signed: bigint): string {
  if (signed === 0n) return 'as a return code: success';
  const name = errnoNameOf(signed);
  return name ? `as a return code: ${errnoMarkdown(name)}` : `as a return code: ${signed}`;
}
