// kvmgt's DMA cache (gvt_dma): guest pages pinned and mapped for the GPU, reference counted. The
// kernel keeps ONE entry per gfn (gfn_cache) and finds entries to unmap by DMA address
// (dma_addr_cache). Mapping a gfn again with another size unmaps and drops the cached entry first,
// whatever its references, even when the new map then fails ("the same gfn with different size",
// docs/kernel-model.md §7.4); a later unmap of the dropped mapping by its address finds nothing.
//
// Frame numbers stand for DMA addresses (identity mapping), but each size class is its own address
// space, as distinct IOVAs would be: the 4K and the 2M mapping of one gfn never find each other.
// Kept as a two-level radix of typed-array leaves keyed by gfn: every
// trapped PTE write maps and unmaps, and this way that allocates nothing.

import type { Gfn, Mfn } from './address';

export interface DmaMapping {
  readonly gfn: Gfn;
  readonly pages: number; // 1, or 512 for a native 2M mapping
  readonly mfn: Mfn;
  refs: number;
}

/** The cached mapping of another size that a map unmapped and dropped first, with the references it still had. */
export interface ReplacedMapping {
  readonly pages: number;
  readonly mfn: Mfn;
  readonly refs: number;
}

const LEAF = 512;

interface Leaf {
  /** 0: no mapping; else 1 or 512. */
  readonly pages: Uint16Array;
  readonly refs: Int32Array;
  readonly mfn: Float64Array;
}

const newLeaf = (): Leaf => ({ pages: new Uint16Array(LEAF), refs: new Int32Array(LEAF), mfn: new Float64Array(LEAF) });

/** How DMA addresses are laid out: which gfn an address (host frame) belongs to, or -1. */
export interface DmaAddressSpace {
  gfnOf(addr: number): number;
}

export class DmaMap {
  private leaves = new Map<number, Leaf>();
  private lastKey = -1;
  private lastLeaf: Leaf | undefined;
  private count = 0;
  private refTotal = 0;

  /**
   * An object, not a closure: every snapshot makes a new DmaMap, and a new closure each time would
   * change the call target the optimised unmap path was specialised for.
   */
  constructor(private readonly space: DmaAddressSpace) {}

  get size(): number {
    return this.count;
  }

  /** Total references held: a leaked reference keeps a page pinned. */
  get references(): number {
    return this.refTotal;
  }

  private leaf(g: number, create: boolean): Leaf | undefined {
    const key = Math.floor(g / LEAF);
    if (key === this.lastKey && this.lastLeaf !== undefined) return this.lastLeaf;
    let leaf = this.leaves.get(key);
    if (leaf === undefined && create) {
      leaf = newLeaf();
      this.leaves.set(key, leaf);
    }
    if (leaf !== undefined) {
      this.lastKey = key;
      this.lastLeaf = leaf;
    }
    return leaf;
  }

  /** Every mapping, by gfn (for the views and tests: allocates). */
  mappings(): DmaMapping[] {
    const out: DmaMapping[] = [];
    for (const key of [...this.leaves.keys()].sort((a, b) => a - b)) {
      const l = this.leaves.get(key) as Leaf;
      for (let i = 0; i < LEAF; i++) {
        if (l.pages[i] !== 0) out.push({ gfn: (key * LEAF + i) as Gfn, pages: l.pages[i], mfn: l.mfn[i] as Mfn, refs: l.refs[i] });
      }
    }
    return out;
  }

  find(gfn: Gfn): DmaMapping | undefined {
    const l = this.leaf(gfn, false);
    const i = gfn % LEAF;
    return l === undefined || l.pages[i] === 0 ? undefined : { gfn, pages: l.pages[i], mfn: l.mfn[i] as Mfn, refs: l.refs[i] };
  }

  /** Whether a mapping with this address and size is still cached (the GPU's pages are still pinned). */
  isLive(addr: number, pages: number): boolean {
    const g = this.space.gfnOf(addr);
    const l = g < 0 ? undefined : this.leaf(g, false);
    const i = g % LEAF;
    return l !== undefined && l.pages[i] === pages && l.mfn[i] === addr;
  }

  /**
   * intel_gvt_dma_map_guest_page for a gfn cached with THIS size: kref_get, and the cached address
   * (nothing is pinned again). -1 when the gfn is not cached with this size.
   */
  refIfCached(gfn: Gfn, pages: number): number {
    const l = this.leaf(gfn, false);
    const i = gfn % LEAF;
    if (l === undefined || l.pages[i] !== pages) return -1;
    l.refs[i]++;
    this.refTotal++;
    return l.mfn[i];
  }

  /**
   * The first half of intel_gvt_dma_map_guest_page for a gfn cached with ANOTHER size: the cached
   * entry is unmapped and removed, whatever its references, before the new map is tried. Returns
   * what was dropped (undefined when the gfn is uncached or cached with this size).
   */
  dropOtherSize(gfn: Gfn, pages: number): ReplacedMapping | undefined {
    const l = this.leaf(gfn, false);
    const i = gfn % LEAF;
    if (l === undefined) return undefined;
    const had = l.pages[i];
    if (had === 0 || had === pages) return undefined;
    const dropped = { pages: had, mfn: l.mfn[i] as Mfn, refs: l.refs[i] };
    this.refTotal -= l.refs[i];
    this.count--;
    l.pages[i] = 0;
    l.refs[i] = 0;
    l.mfn[i] = 0;
    return dropped;
  }

  /** intel_gvt_dma_map_guest_page's new entry, once the pin succeeded (refIfCached missed, dropOtherSize emptied the slot). */
  add(gfn: Gfn, pages: number, hostMfn: Mfn): void {
    const l = this.leaf(gfn, true) as Leaf;
    const i = gfn % LEAF;
    this.count++;
    l.pages[i] = pages;
    l.mfn[i] = hostMfn;
    l.refs[i] = 1;
    this.refTotal++;
  }

  /** intel_gvt_dma_unmap_guest_page, by DMA address: the gfn it dropped a reference of, or -1 (nothing found, nothing done). */
  unmap(addr: Mfn, pages: number): number {
    const g = this.space.gfnOf(addr);
    const l = g < 0 ? undefined : this.leaf(g, false);
    const i = g % LEAF;
    if (l === undefined || l.pages[i] !== pages || l.mfn[i] !== addr) return -1;
    this.refTotal--;
    if (--l.refs[i] === 0) {
      l.pages[i] = 0;
      l.mfn[i] = 0;
      this.count--;
    }
    return g;
  }

  /** gvt_cache_destroy: every entry gone. */
  clear(): void {
    this.leaves = new Map();
    this.lastKey = -1;
    this.lastLeaf = undefined;
    this.count = 0;
    this.refTotal = 0;
  }

  cloneInto(copy: DmaMap): void {
    for (const [k, l] of this.leaves) copy.leaves.set(k, { pages: l.pages.slice(), refs: l.refs.slice(), mfn: l.mfn.slice() });
    copy.count = this.count;
    copy.refTotal = this.refTotal;
  }
}
