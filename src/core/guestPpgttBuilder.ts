// The guest driver building its own gen8 4-level PPGTT in guest memory (`pagetable`, `map`,
// `unmap`): every change is an ordinary guest store, so writes to tables GVT already shadows trap
// exactly as a real i915 guest's would. Table pages come from a pool, lowest free gfn first.

import { PAGE_SIZE, hex, type Gfn, type Gpa } from './address';
import { BIT_IPS, BIT_PRESENT, BIT_PS, BIT_RW } from './gen8Entry';
import type { GuestMemory } from './guestMemory';
import { NOT_TRAPPED, type StoreResult } from './storeResult';

export type MapSize = 4096 | 65536 | 2097152 | 1073741824;

export interface GuestPagetable {
  /** L4: root is the PML4. L3 (32-bit): pdps are the four page directories (0 = none), root = pdps[0]. */
  readonly type: 'L4' | 'L3';
  readonly pdps: readonly Gfn[];
  readonly root: Gfn;
  readonly poolFrom: Gfn;
  readonly poolTo: Gfn;
  /**
   * Pool pages handed out are those below `next` that are not roots (pages never return: unmap
   * clears leaves only), so the next search starts here.
   */
  next: number;
}

/** A user-level problem at a `map`/`unmap`: reported at the statement, not thrown. */
export interface BuildError {
  error: string;
}

const SHIFTS = [39, 30, 21, 12];
const idx = (va: number, level: number): number => Math.floor(va / 2 ** SHIFTS[level]) % 512;

function entryBytes(pfn: number, flags: number): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, (((pfn & 0xfffff) << 12) | flags) >>> 0, true);
  dv.setUint32(4, Math.floor(pfn / 0x100000), true);
  return b;
}

export class GuestPpgttBuilder {
  readonly tables = new Map<number, GuestPagetable>();
  current: GuestPagetable | undefined;

  /** guestStore: the vGPU's guest CPU store (tables are built by stores, which may trap). */
  constructor(
    private readonly memory: GuestMemory,
    private readonly guestStore: (at: Gpa, data: Uint8Array) => StoreResult,
  ) {}

  private store(at: number, data: Uint8Array): StoreResult {
    return this.guestStore(at as Gpa, data);
  }

  private readEntry(table: number, index: number): { lo: number; hi: number } {
    const at = (table * PAGE_SIZE + index * 8) as Gpa;
    return { lo: this.memory.readEntryLo(at), hi: this.memory.readEntryHi(at) };
  }

  /** `pagetable VGPU root GFN pool A..B`: zero the PML4 (one 4 KiB store) and remember the pool. */
  pagetable(root: Gfn, poolFrom: Gfn, poolTo: Gfn): StoreResult {
    const pt: GuestPagetable = { type: 'L4', pdps: [root], root, poolFrom, poolTo, next: poolFrom };
    this.tables.set(root, pt);
    this.current = pt;
    return this.store(root * PAGE_SIZE, new Uint8Array(PAGE_SIZE));
  }

  /**
   * `pagetable VGPU pdps A B C D pool X..Y`: a 32-bit (3-level) PPGTT. Its four root pointers live
   * in the context, not in a guest page; each names a page directory (zeroed by one 4 KiB store).
   */
  pagetable32(pdps: readonly Gfn[], poolFrom: Gfn, poolTo: Gfn): StoreResult {
    const pt: GuestPagetable = { type: 'L3', pdps, root: pdps[0], poolFrom, poolTo, next: poolFrom };
    this.tables.set(pdps[0], pt);
    this.current = pt;
    let last: StoreResult = NOT_TRAPPED;
    for (const g of pdps) if (g !== 0) last = this.store(g * PAGE_SIZE, new Uint8Array(PAGE_SIZE));
    return last;
  }

  /** Where the walk of va starts: the level and the table gfn (or an error for a 32-bit PPGTT). */
  private start(pt: GuestPagetable, va: number, leafLevel: number): { level: number; table: number } | BuildError {
    if (pt.type === 'L4') return { level: 0, table: pt.root };
    if (va >= 2 ** 32) return { error: `va ${hex(va)} is beyond a 32-bit (3-level) PPGTT` };
    if (leafLevel < 2) return { error: '1G pages need a 4-level PPGTT' };
    const i = Math.floor(va / 2 ** 30) % 4;
    if (pt.pdps[i] === 0) return { error: `pdps[${i}] is 0: no page directory covers va ${hex(va)}` };
    return { level: 2, table: pt.pdps[i] };
  }

  /** The lowest free pool page. Pages are never returned, so the search goes on from the last one found (a search from the pool's start each time made 100 k maps take a minute). */
  private allocTable(pt: GuestPagetable): Gfn | undefined {
    for (let g = pt.next; g <= pt.poolTo; g++) {
      if (!pt.pdps.includes(g as Gfn)) {
        pt.next = g + 1;
        return g as Gfn;
      }
    }
    pt.next = pt.poolTo + 1;
    return undefined;
  }

  /** `map VGPU va VA gfn GFN [size]`: top-down, missing tables from the pool, leaf last. */
  map(va: number, target: Gfn, size: MapSize): StoreResult | BuildError {
    const pt = this.current;
    if (!pt) return { error: 'no `pagetable` declared for this vGPU yet' };
    const leafLevel = size === 1073741824 ? 1 : size === 2097152 ? 2 : 3;
    const from = this.start(pt, va, leafLevel);
    if ('error' in from) return from;
    let table = from.table;
    let last: StoreResult = NOT_TRAPPED;
    for (let l = from.level; l < leafLevel; l++) {
      const i = idx(va, l);
      const e = this.readEntry(table, i);
      const wantIps = size === 65536 && l === 2;
      if (e.lo & BIT_PRESENT && !(l > 0 && e.lo & BIT_PS)) {
        const next = (e.lo >>> 12) + (e.hi & 0x3fff) * 0x100000;
        if (wantIps && !(e.lo & BIT_IPS)) {
          last = this.store(table * PAGE_SIZE + i * 8, entryBytes(next, (e.lo & 0xfff) | BIT_IPS));
        }
        table = next;
        continue;
      }
      const fresh = this.allocTable(pt);
      if (fresh === undefined) return { error: `page-table pool ${hex(pt.poolFrom)}..${hex(pt.poolTo)} is full` };
      this.store(fresh * PAGE_SIZE, new Uint8Array(PAGE_SIZE));
      last = this.store(table * PAGE_SIZE + i * 8, entryBytes(fresh, BIT_PRESENT | BIT_RW | (wantIps ? BIT_IPS : 0)));
      table = fresh;
    }
    const i = size === 65536 ? idx(va, 3) & ~15 : idx(va, leafLevel);
    const flags = BIT_PRESENT | BIT_RW | (leafLevel < 3 ? BIT_PS : 0);
    last = this.store(table * PAGE_SIZE + i * 8, entryBytes(target, flags));
    return last;
  }

  /** `unmap VGPU va VA`: an 8-byte store of 0 to the leaf entry that maps va. */
  unmap(va: number): StoreResult | BuildError {
    const pt = this.current;
    if (!pt) return { error: 'no `pagetable` declared for this vGPU yet' };
    const from = this.start(pt, va, 3);
    if ('error' in from) return from;
    let table = from.table;
    for (let l = from.level; l < 4; l++) {
      let i = idx(va, l);
      const e = this.readEntry(table, i);
      if (!(e.lo & BIT_PRESENT)) return { error: `va ${hex(va)} is not mapped (no present entry at level ${l + 1})` };
      const ips = l === 2 && (e.lo & BIT_IPS) !== 0;
      if (l === 3 || (l > 0 && e.lo & BIT_PS)) {
        return this.store(table * PAGE_SIZE + i * 8, new Uint8Array(8));
      }
      table = (e.lo >>> 12) + (e.hi & 0x3fff) * 0x100000;
      if (ips) {
        i = idx(va, 3) & ~15;
        return this.store(table * PAGE_SIZE + i * 8, new Uint8Array(8));
      }
    }
    return { error: 'unreachable' };
  }

  cloneInto(copy: GuestPpgttBuilder): void {
    for (const [k, pt] of this.tables) {
      const c = { ...pt };
      copy.tables.set(k, c);
      if (this.current === pt) copy.current = c;
    }
  }
}
