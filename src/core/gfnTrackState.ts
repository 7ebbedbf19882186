// The per-gfn state of a guest's write tracking: KVM's gfn_write_track count (how many users
// write-track the gfn; any store to a counted gfn faults into KVM's page-track notifier) and
// kvmgt's protect table (ptable: the gfns protected on behalf of this vGPU). Every guest store asks
// both, so both live in one two-level radix (512 gfns a leaf, found by gfn / 512 in an index sized
// by the guest's memory): 1 M tracked gfns cost 2 048 leaves (2 MiB), not a million-entry Map and
// Set, and a store's two questions read one 16-bit cell. The leaves are slices of one typed array,
// made as gfns are first tracked: a store reads the index (small, cached) and its cell, one cache
// miss at most however many gfns are tracked; separate typed arrays would add a miss for the
// array object before its data.

const LEAF = 512;
/** Per gfn, one 16-bit cell: bit 15 = in the protect table, bits 0-14 = KVM's count of write-tracking users. */
const PROT = 0x8000;
const COUNT = 0x7fff;
const NONE = -1;

export class GfnTrackState {
  /** Where leaf k (gfns k*512 .. k*512+511) starts in `cells`, or NONE; only gfns inside the guest's memory are ever tracked. */
  private readonly start: Int32Array;
  /** Every leaf's 512 cells, in the order the leaves were made; grown by doubling. */
  private cells = new Uint16Array(4 * LEAF);
  private used = 0;
  private protectedCount = 0;

  constructor(pageCount: number) {
    this.start = new Int32Array(Math.ceil(pageCount / LEAF)).fill(NONE);
  }

  /** The cell index of g, or NONE when its leaf does not exist (and `create` is false, or g is outside memory). */
  private cell(g: number, create: boolean): number {
    const key = Math.floor(g / LEAF);
    if (key < 0 || key >= this.start.length) return NONE;
    let at = this.start[key];
    if (at === NONE) {
      if (!create) return NONE;
      at = this.newLeaf(key);
    }
    return at + (g - key * LEAF);
  }

  private newLeaf(key: number): number {
    if (this.used + LEAF > this.cells.length) {
      const bigger = new Uint16Array(this.cells.length * 2);
      bigger.set(this.cells);
      this.cells = bigger;
    }
    const at = this.used;
    this.used += LEAF;
    this.start[key] = at;
    return at;
  }

  /** KVM's write-tracking count of g (0: stores to g do not fault). */
  kvmCount(g: number): number {
    const c = this.cell(g, false);
    return c === NONE ? 0 : this.cells[c] & COUNT;
  }

  /** One more user write-tracks g (kvm_write_track_add_gfn). */
  kvmAdd(g: number): void {
    const c = this.cell(g, true);
    if (c !== NONE && (this.cells[c] & COUNT) < COUNT) this.cells[c]++;
  }

  /** One user fewer (kvm_write_track_remove_gfn); never below 0. */
  kvmRemove(g: number): void {
    const c = this.cell(g, false);
    if (c !== NONE && (this.cells[c] & COUNT) > 0) this.cells[c]--;
  }

  /** The memslot is gone: KVM drops g's tracking with it. */
  kvmDrop(g: number): void {
    const c = this.cell(g, false);
    if (c !== NONE) this.cells[c] &= PROT;
  }

  isProtected(g: number): boolean {
    const c = this.cell(g, false);
    return c !== NONE && (this.cells[c] & PROT) !== 0;
  }

  setProtected(g: number, on: boolean): void {
    const c = this.cell(g, on);
    if (c === NONE) return;
    const was = (this.cells[c] & PROT) !== 0;
    if (was === on) return;
    this.cells[c] = on ? this.cells[c] | PROT : this.cells[c] & COUNT;
    this.protectedCount += on ? 1 : -1;
  }

  get protectedSize(): number {
    return this.protectedCount;
  }

  /** The protect table freed whole (kvmgt_protect_table_destroy); KVM's counts stay. */
  clearProtected(): void {
    for (let c = 0; c < this.used; c++) this.cells[c] &= COUNT;
    this.protectedCount = 0;
  }

  /** Protected gfns, ascending. */
  protectedGfns(): number[] {
    return this.collect((v) => (v & PROT) !== 0).map(([g]) => g);
  }

  /**
   * Protected gfns in [from, to], ascending: only the leaves of that range are read (a memslot
   * removal asked for every protected gfn of the guest, 200,000 of them for each removal).
   */
  protectedGfnsIn(from: number, to: number): number[] {
    const out: number[] = [];
    if (this.protectedCount === 0 || to < from) return out;
    const lo = Math.max(0, Math.floor(from / LEAF));
    const hi = Math.min(this.start.length - 1, Math.floor(to / LEAF));
    for (let key = lo; key <= hi; key++) {
      const at = this.start[key];
      if (at === NONE) continue;
      const g0 = key * LEAF;
      for (let i = Math.max(0, from - g0); i < LEAF && g0 + i <= to; i++) if ((this.cells[at + i] & PROT) !== 0) out.push(g0 + i);
    }
    return out;
  }

  /** [gfn, count] for every gfn KVM write-tracks, ascending. */
  kvmEntries(): Array<[number, number]> {
    return this.collect((v) => (v & COUNT) > 0);
  }

  private collect(keep: (cell: number) => boolean): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let key = 0; key < this.start.length; key++) {
      const at = this.start[key];
      if (at === NONE) continue;
      for (let i = 0; i < LEAF; i++) if (keep(this.cells[at + i])) out.push([key * LEAF + i, this.cells[at + i] & COUNT]);
    }
    return out;
  }

  cloneInto(copy: GfnTrackState): void {
    copy.start.set(this.start);
    copy.cells = this.cells.slice(0, Math.max(this.used, LEAF));
    copy.used = this.used;
    copy.protectedCount = this.protectedCount;
  }
}

/** kvmgt's protect table as the rest of the model reads it: membership, size, ascending gfns. */
export class ProtectTableView implements Iterable<number> {
  constructor(private readonly state: GfnTrackState) {}

  has(g: number): boolean {
    return this.state.isProtected(g);
  }

  get size(): number {
    return this.state.protectedSize;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.state.protectedGfns()[Symbol.iterator]();
  }
}
