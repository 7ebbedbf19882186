// DAP memoryReference strings for whole pages, in the adapter's format (protocol.ts: `VGPU:gpa:0xADDR`
// for guest physical memory, `VGPU:spt:0xMFN` for a host shadow or scratch table page), and the
// read-only memory documents' URIs. Pure.

import { MEMORY_SCHEME } from './ids';
import { PAGE_SIZE, hex } from './numbers';

export const guestPageReference = (vgpu: string, gfn: number): string => `${vgpu}:gpa:${hex(gfn * PAGE_SIZE)}`;
export const sptPageReference = (vgpu: string, mfn: number): string => `${vgpu}:spt:${hex(mfn)}`;

/** What a memory document shows, encoded in its URI. */
export interface MemoryDocSpec {
  sessionId: string;
  memoryReference: string;
  /** Bytes from the reference (a page). */
  count: number;
  /** Human name, e.g. `vm1 gfn 0x103`: the document's file name. */
  title: string;
}

/** The parts of a `gvt-memory:` URI (vscode.Uri.from takes them as they are). */
export function memoryDocUri(s: MemoryDocSpec): { scheme: string; path: string; query: string } {
  const q = new URLSearchParams({ session: s.sessionId, ref: s.memoryReference, count: String(s.count) });
  return { scheme: MEMORY_SCHEME, path: `/${s.title.replace(/[/\\?#]/g, '_')}.hexdump`, query: q.toString() };
}

export function parseMemoryDocUri(path: string, query: string): MemoryDocSpec | undefined {
  const q = new URLSearchParams(query);
  const sessionId = q.get('session');
  const memoryReference = q.get('ref');
  const count = Number(q.get('count') ?? PAGE_SIZE);
  if (!sessionId || !memoryReference || !Number.isInteger(count) || count <= 0) return undefined;
  const title = decodeURIComponent(path.replace(/^\//, '').replace(/\.hexdump$/, ''));
  return { sessionId, memoryReference, count, title };
}
