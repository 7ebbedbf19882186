// Memory the debugger can read and write: a vGPU's guest physical memory (gpa space) and host
// table pages (shadow and scratch page tables, by mfn). memoryReference strings name a base
// (`vm1:gpa:0x103000`, `vm1:spt:0x100007`); readMemory/writeMemory add an offset. Writes are
// returned as edits so they become part of the history that step-back replays.

import { PAGE_SIZE, type Gpa, type Machine, type Mfn } from '../core';
import type { Interpreter } from '../dsl/interpreter';
import type { MemorySpace } from './protocol';
import type { Edit } from './timeline';

export interface MemoryAddress {
  vgpu: string;
  space: MemorySpace;
  /** gpa, or the table's mfn. */
  base: number;
  /** Offset from the base (spt: from the page start). */
  offset: number;
}

export function memoryReference(vgpu: string, space: MemorySpace, base: number, offset = 0): string {
  return space === 'spt' && offset !== 0 ? `${vgpu}:spt:0x${base.toString(16)}+0x${offset.toString(16)}` : `${vgpu}:${space}:0x${(base + offset).toString(16)}`;
}

export function parseMemoryReference(ref: string): MemoryAddress | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_-]*):(gpa|spt):0x([0-9a-fA-F]+)(?:\+0x([0-9a-fA-F]+))?$/.exec(ref);
  if (!m) return undefined;
  const base = parseInt(m[3], 16);
  const offset = m[4] ? parseInt(m[4], 16) : 0;
  // Past 2^53 a number is no longer exact (an over-long reference read as address 0xInfinity).
  if (!Number.isSafeInteger(base) || !Number.isSafeInteger(offset) || !Number.isSafeInteger(base + offset)) return undefined;
  return { vgpu: m[1], space: m[2] as MemorySpace, base, offset };
}

/** Largest single read or write (VS Code's memory view asks for a page or so at a time). */
export const MAX_MEMORY_ACCESS = 1 << 20;

export interface MemoryRead {
  /** First address read (the base address plus offset). */
  address: number;
  data: Uint8Array;
  /** Bytes past the end that could not be read. */
  unreadable: number;
}

/** Reads `count` bytes at base+offset; what lies outside the space is reported unreadable. */
export function readMemory(m: Machine, a: MemoryAddress, offset: number, count: number): MemoryRead | string {
  const v = m.vgpu(a.vgpu);
  if (!v) return `no vGPU named '${a.vgpu}' (yet) at this point of the scenario`;
  const start = a.offset + offset;
  // A gpa reference may be read before its own address (a negative offset: the memory view scrolling up).
  if ((a.space === 'gpa' ? a.base + start : start) < 0) return `address before the start of the ${a.space === 'gpa' ? 'guest memory' : 'table page'}`;
  if (a.space === 'gpa') {
    const at = a.base + start;
    const n = Math.max(0, Math.min(count, v.memory.sizeBytes - at));
    return { address: at, data: n > 0 ? v.memory.readBytes(at as Gpa, n) : new Uint8Array(0), unreadable: count - n };
  }
  const table = m.host.table(a.base as Mfn);
  if (!table) return `host frame 0x${a.base.toString(16)} is not a live table page`;
  const bytes = new Uint8Array(table.buffer, table.byteOffset, PAGE_SIZE);
  const n = Math.max(0, Math.min(count, PAGE_SIZE - start));
  return { address: a.base * PAGE_SIZE + start, data: bytes.slice(start, start + n), unreadable: count - n };
}

/** An edit that writes bytes at base+offset (guest memory directly, not as a trapping guest store). */
export function writeMemoryEdit(m: Machine, a: MemoryAddress, offset: number, data: Uint8Array): Edit | string {
  const v = m.vgpu(a.vgpu);
  if (!v) return `no vGPU named '${a.vgpu}' (yet) at this point of the scenario`;
  const start = a.offset + offset;
  const size = a.space === 'gpa' ? v.memory.sizeBytes - a.base : PAGE_SIZE;
  if ((a.space === 'gpa' ? a.base + start : start) < 0 || start + data.length > size) return `the write (${data.length} bytes at offset 0x${start.toString(16)}) does not fit in the ${a.space === 'gpa' ? `guest memory of ${a.vgpu}` : 'table page'}`;
  if (a.space === 'spt' && !m.host.table(a.base as Mfn)) return `host frame 0x${a.base.toString(16)} is not a live table page`;
  const copy = data.slice();
  const what = a.space === 'gpa' ? `gpa 0x${(a.base + start).toString(16)}` : `table 0x${a.base.toString(16)} offset 0x${start.toString(16)}`;
  return {
    description: `write ${copy.length} byte(s) to ${a.vgpu} ${what}`,
    as: { kind: 'memory', vgpu: a.vgpu, space: a.space, at: a.space === 'gpa' ? a.base + start : a.base * PAGE_SIZE + start, bytes: copy },
    apply(interp: Interpreter): void {
      const mm = interp.machine;
      const vv = mm.vgpu(a.vgpu);
      if (!vv) return;
      if (a.space === 'gpa') {
        let done = 0;
        while (done < copy.length) {
          const at = a.base + start + done;
          const n = Math.min(copy.length - done, PAGE_SIZE - (at % PAGE_SIZE));
          vv.memory.writeInPage(at as Gpa, copy.subarray(done, done + n));
          done += n;
        }
      } else {
        const table = mm.host.table(a.base as Mfn);
        if (table) new Uint8Array(table.buffer, table.byteOffset, PAGE_SIZE).set(copy, start);
      }
    },
  };
}

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(s: string): Uint8Array | undefined {
  try {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}
