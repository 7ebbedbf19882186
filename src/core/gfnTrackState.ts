// The per-gfn state of a guest's write tracking: KVM's gfn_write_track count (how many users
// write-track the gfn; any store to a counted gfn faults into KVM's page-track notifier) and
// kvmgt's protect table (ptable: the gfns protected on behalf of this vGPU). Every guest store asks
// both, so both live in one two-level radix of typed-array leaves (512 gfns a leaf, indexed by
// gfn / 512 in an array sized by the guest's memory): 1 M tracked gfns cost 2 048 small leaves
// (2 MiB), not a million-entry Map and Set; a store's two questions read one leaf, found by an
// array index rather than a hash, so their cost does not grow with the number of tracked gfns.

const LEAF = 512;
/** A leaf is one Uint16Array (one buffer, one cache line for a store's two questions): per gfn,
 *  bit 15 = in the protect table, bits 0-14 = KVM's count of write-tracking users. */
type Leaf = Uint16Array;
const PROT = 0x8000;
const COUNT = 0x7fff;

const newLeaf = (): Leaf => new Uint16Array(LEAF);
const noLeaves = (n: number): Array<Leaf | undefined> => new Array<Leaf | undefined>(n).fill(undefined);

export class GfnTrackState {
  /** Leaf k holds gfns k*512 .. k*512+511; only gfns inside the guest's memory are ever tracked. */
  private readonly leaves: Array<Leaf | undefined>;
  private protectedCount = 0;

  constructor(pageCount: number) {
    this.leaves = noLeaves(Math.ceil(pageCount / LEAF));
  }

  private leaf(g: number, create: boolean): Leaf | undefined {
    const key = Math.floor(g / LEAF);
    const leaf = this.leaves[key];
    if (leaf !== undefined || !create || key < 0 || key >= this.leaves.length) return leaf;
    return (this.leaves[key] = newLeaf());
  }

  /** KVM's write-tracking count of g (0: stores to g do not fault). */
  kvmCount(g: number): number {
    const l = this.leaf(g, false);
    return l === undefined ? 0 : l[g % LEAF] & COUNT;
  }

  /** One more user write-tracks g (kvm_write_track_add_gfn). */
  kvmAdd(g: number): void {
    const l = this.leaf(g, true)!;
    const i = g % LEAF;
    if ((l[i] & COUNT) < COUNT) l[i]++;
  }

  /** One user fewer (kvm_write_track_remove_gfn); never below 0. */
  kvmRemove(g: number): void {
    const l = this.leaf(g, false);
    if (l !== undefined && (l[g % LEAF] & COUNT) > 0) l[g % LEAF]--;
  }

  /** The memslot is gone: KVM drops g's tracking with it. */
  kvmDrop(g: number): void {
    const l = this.leaf(g, false);
    if (l !== undefined) l[g % LEAF] &= PROT;
  }

  isProtected(g: number): boolean {
    const l = this.leaf(g, false);
    return l !== undefined && (l[g % LEAF] & PROT) !== 0;
  }

  setProtected(g: number, on: boolean): void {
    const l = this.leaf(g, on);
    if (l === undefined) return;
    const i = g % LEAF;
    const was = (l[i] & PROT) !== 0;
    if (was === on) return;
    l[i] = on ? l[i] | PROT : l[i] & COUNT;
    this.protectedCount += on ? 1 : -1;
  }

  get protectedSize(): number {
    return this.protectedCount;
  }

  /** The protect table freed whole (kvmgt_protect_table_destroy); KVM's counts stay. */
  clearProtected(): void {
    for (const l of this.leaves) if (l !== undefined) for (let i = 0; i < LEAF; i++) l[i] &= COUNT;
    this.protectedCount = 0;
  }

  /** Protected gfns, ascending. */
  protectedGfns(): number[] {
    return this.collect((l, i) => (l[i] & PROT) !== 0).map(([g]) => g);
  }

  /** [gfn, count] for every gfn KVM write-tracks, ascending. */
  kvmEntries(): Array<[number, number]> {
    return this.collect((l, i) => (l[i] & COUNT) > 0);
  }

  private collect(keep: (l: Leaf, i: number) => boolean): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    this.leaves.forEach((l, key) => {
      if (l !== undefined) for (let i = 0; i < LEAF; i++) if (keep(l, i)) out.push([key * LEAF + i, l[i] & COUNT]);
    });
    return out;
  }

  cloneInto(copy: GfnTrackState): void {
    // Into the copy's own array (same guest, same length): the same elements kind, so code
    // optimised for one machine's leaves keeps working on its snapshot's.
    this.leaves.forEach((l, k) => (copy.leaves[k] = l?.slice()));
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
