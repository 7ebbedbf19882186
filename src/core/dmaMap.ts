// kvmgt's DMA cache (gvt_dma): guest pages pinned and mapped for the GPU, reference counted. The
// kernel keeps ONE entry per gfn (gfn_cache) and finds entries to unmap by DMA address
// (dma_addr_cache). Mapping a gfn again with another size unmaps and replaces the cached entry at
// once, whatever its references ("the same gfn with different size", docs/kernel-model.md §7.4);
// a later unmap of the replaced mapping by its address then finds nothing.
//
// Frame numbers stand for DMA addresses (identity mapping), but each size class is its own address
// space, as distinct IOVAs would be: the 4K and the 2M mapping of one gfn never find each other.

import type { Gfn, Mfn } from './address';

export interface DmaMapping {
  readonly gfn: Gfn;
  readonly pages: number; // 1, or 512 for a native 2M mapping
  readonly mfn: Mfn;
  refs: number;
}

export interface DmaMapResult {
  readonly mapping: DmaMapping;
  /** The cached mapping of another size that this map unmapped and dropped, with the references it still had. */
  readonly replaced?: { readonly pages: number; readonly mfn: Mfn; readonly refs: number };
}

const addrKey = (m: number, pages: number): number => m * 2 + (pages === 1 ? 0 : 1);

export class DmaMap {
  private byGfn = new Map<number, DmaMapping>();
  private byAddr = new Map<number, DmaMapping>();

  get size(): number {
    return this.byGfn.size;
  }

  /** Total references held: a leaked reference keeps a page pinned. */
  get references(): number {
    let n = 0;
    for (const m of this.byGfn.values()) n += m.refs;
    return n;
  }

  mappings(): DmaMapping[] {
    return [...this.byGfn.values()].sort((a, b) => a.gfn - b.gfn);
  }

  find(gfn: Gfn): DmaMapping | undefined {
    return this.byGfn.get(gfn);
  }

  /** Whether a mapping with this address and size is still cached (the GPU's pages are still pinned). */
  isLive(addr: number, pages: number): boolean {
    return this.byAddr.has(addrKey(addr, pages));
  }

  /** intel_gvt_dma_map_guest_page: same gfn and size gains a reference; another size replaces it. */
  map(gfn: Gfn, pages: number, hostMfn: Mfn): DmaMapResult {
    const old = this.byGfn.get(gfn);
    if (old && old.pages === pages) {
      old.refs++;
      return { mapping: old };
    }
    let replaced: DmaMapResult['replaced'];
    if (old) {
      this.byAddr.delete(addrKey(old.mfn, old.pages));
      replaced = { pages: old.pages, mfn: old.mfn, refs: old.refs };
    }
    const m: DmaMapping = { gfn, pages, mfn: hostMfn, refs: 1 };
    this.byGfn.set(gfn, m);
    this.byAddr.set(addrKey(hostMfn, pages), m);
    return { mapping: m, replaced };
  }

  /** intel_gvt_dma_unmap_guest_page, by DMA address: nothing found, nothing done. */
  unmap(addr: Mfn, pages: number): DmaMapping | undefined {
    const m = this.byAddr.get(addrKey(addr, pages));
    if (!m) return undefined;
    if (--m.refs === 0) {
      this.byGfn.delete(m.gfn);
      this.byAddr.delete(addrKey(m.mfn, m.pages));
    }
    return m;
  }

  cloneInto(copy: DmaMap): void {
    for (const [k, m] of this.byGfn) {
      const c = { ...m };
      copy.byGfn.set(k, c);
      copy.byAddr.set(addrKey(c.mfn, c.pages), c);
    }
  }
}
