// The host side of the machine: the frames that back each vGPU's guest memory, and the host pages
// GVT allocates for shadow page tables and scratch tables. Frame numbers are handed out in order,
// so every run of a scenario sees the same mfns (determinism is what makes step-back work).

import { mfn, type Gfn, type Mfn } from './address';

/** Each vGPU's guest memory is backed by a contiguous host range (2M aligned): frame = base + gfn. */
const BACKING_BASE = 0x1000000; // 64 GiB into host memory
const BACKING_STRIDE = 0x1000000; // 64 GiB of host frames per vGPU
const TABLE_BASE = 0x100000; // shadow and scratch tables: 4 GiB into host memory

export const MAX_GUEST_PAGES = BACKING_STRIDE;
/** Host frames the table range holds, below the first guest backing frame. */
const TABLE_FRAMES = BACKING_BASE - TABLE_BASE;

/** gvt->gtt.scratch_mfn: the global GGTT scratch page (a host frame below the table range). */
export const GGTT_SCRATCH_MFN = mfn(TABLE_BASE - 512); // 2M-aligned, so every entry size keeps it

/**
 * Thrown at an allocation past one of the simulation's own limits on host kernel memory (not a
 * kernel error: the run stops there): table pages, or page-track records. One statement can
 * allocate without bound (a `shadow` splitting thousands of 2M entries), so the limit is enforced
 * at the allocation, not after the statement.
 */
export class HostLimitReached extends Error {
  constructor(
    readonly what: 'tables' | 'records',
    readonly limit: number,
  ) {
    super(`the simulation's limit of ${limit} host ${what} is reached`);
  }
}

export class HostMemory {
  /** Shadow and scratch table pages: 512 entries as 1024 32-bit halves. */
  private tables = new Map<number, Uint32Array>();
  private nextTableMfn = TABLE_BASE;
  /** Table pages the simulation may hold (the run's hostTables limit); allocTable throws past it. */
  tableLimit = Infinity;
  /** Page-track records (kzalloc'd intel_vgpu_page_track) held over all vGPUs, and their limit. */
  private records = 0;
  recordLimit = Infinity;

  /** A page-track record allocated (intel_vgpu_register_page_track); throws past recordLimit. */
  addRecord(): void {
    if (this.records >= this.recordLimit) throw new HostLimitReached('records', this.recordLimit);
    this.records++;
  }

  /** A page-track record freed. */
  removeRecord(): void {
    this.records--;
  }

  backingBase(vgpuIndex: number): number {
    return BACKING_BASE + vgpuIndex * BACKING_STRIDE;
  }

  /** The host frame that backs a guest frame, and back. */
  backingFrame(vgpuIndex: number, g: Gfn): Mfn {
    return mfn(this.backingBase(vgpuIndex) + g);
  }

  guestFrameOf(vgpuIndex: number, m: Mfn): Gfn | undefined {
    const g = m - this.backingBase(vgpuIndex);
    return g >= 0 && g < BACKING_STRIDE ? (g as Gfn) : undefined;
  }

  /** Shadow and scratch table pages allocated (each 4 KiB; a snapshot copies them all). */
  get tableCount(): number {
    return this.tables.size;
  }

  allocTable(): Mfn {
    if (this.tables.size >= this.tableLimit) throw new HostLimitReached('tables', this.tableLimit);
    if (this.tables.size >= TABLE_FRAMES) throw new HostLimitReached('tables', TABLE_FRAMES);
    // Fresh frames first, in order; once the table range is used up (15.7 M allocations) the
    // lowest free ones after it wraps, never a frame that backs guest memory.
    let m = this.nextTableMfn;
    while (this.tables.has(m)) m = m + 1 < BACKING_BASE ? m + 1 : TABLE_BASE;
    this.nextTableMfn = m + 1 < BACKING_BASE ? m + 1 : TABLE_BASE;
    this.tables.set(m, new Uint32Array(1024));
    return mfn(m);
  }

  freeTable(m: Mfn): void {
    this.tables.delete(m);
  }

  table(m: Mfn): Uint32Array | undefined {
    return this.tables.get(m);
  }

  clone(): HostMemory {
    const copy = new HostMemory();
    copy.nextTableMfn = this.nextTableMfn;
    copy.tableLimit = this.tableLimit;
    copy.recordLimit = this.recordLimit; // records: counted again as the vGPUs' tables copy theirs
    for (const [k, v] of this.tables) copy.tables.set(k, v.slice());
    return copy;
  }
}
