// A page of memory as text, for the read-only memory documents (used where VS Code's hex editor is
// not installed): a classic hex dump, then the non-zero 64-bit little-endian entries, since most
// pages looked at here are page tables. Pure.

import { hexPadded } from './numbers';

export interface DumpInput {
  /** What the page is (first line). */
  title: string;
  /** Address of data[0]. */
  address: number;
  data: Uint8Array;
  /** Bytes past the end that could not be read. */
  unreadable: number;
}

const printable = (b: number): string => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

export function hexDump(d: DumpInput): string {
  const lines = [d.title, ''];
  const width = Math.max(8, (d.address + d.data.length).toString(16).length);
  for (let off = 0; off < d.data.length; off += 16) {
    const row = d.data.subarray(off, off + 16);
    const bytes: string[] = [];
    for (let i = 0; i < 16; i++) bytes.push(i < row.length ? row[i].toString(16).padStart(2, '0') : '  ');
    lines.push(`${hexPadded(d.address + off, width)}  ${bytes.slice(0, 8).join(' ')}  ${bytes.slice(8).join(' ')}  |${[...row].map(printable).join('')}|`);
  }
  if (d.unreadable > 0) lines.push(`… ${d.unreadable} bytes past the end could not be read`);
  const entries = qwords(d.data).filter((q) => q.value !== 0n);
  lines.push('', `Non-zero 64-bit entries (${entries.length}):`);
  for (const q of entries) lines.push(`  [${String(q.index).padStart(3)}] ${hexPadded(d.address + q.index * 8, width)}  0x${q.value.toString(16).padStart(16, '0')}`);
  return lines.join('\n') + '\n';
}

/** Little-endian 8-byte words. */
export function qwords(data: Uint8Array): Array<{ index: number; value: bigint }> {
  const out: Array<{ index: number; value: bigint }> = [];
  for (let i = 0; i + 8 <= data.length; i += 8) {
    let v = 0n;
    for (let b = 7; b >= 0; b--) v = (v << 8n) | BigInt(data[i + b]);
    out.push({ index: i / 8, value: v });
  }
  return out;
}

/** Standard base64 (DAP readMemory `data`) to bytes, without Node's Buffer. */
export function fromBase64(s: string): Uint8Array {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (const ch of clean) {
    acc = (acc << 6) | A.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}
