// kvmgt's DMA cache (gvt_dma): guest pages pinned and mapped for the GPU, reference counted per
// (gfn, size). Leaf shadow entries hold one reference each; leaked references are how the
// possible leaks of KERNEL-SEMANTICS §6 become visible.

import type { Gfn, Mfn } from './address';

export interface DmaMapping {
  readonly gfn: Gfn;
  readonly pages: number; // 1, or 512 for a native 2M mapping
  readonly mfn: Mfn;
  refs: number;
}

export class DmaMap {
  private byGfn = new Map<number, DmaMapping>();
  private byMfn = new Map<number, DmaMapping>();

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

  /** intel_gvt_dma_map_guest_page: a cached mapping of the same size gains a reference. */
  map(gfn: Gfn, pages: number, hostMfn: Mfn): DmaMapping {
    const key = gfn * 1024 + (pages === 1 ? 0 : 1);
    let m = this.byGfn.get(key);
    if (m) {
      m.refs++;
      return m;
    }
    m = { gfn, pages, mfn: hostMfn, refs: 1 };
    this.byGfn.set(key, m);
    this.byMfn.set(hostMfn * 2 + (pages === 1 ? 0 : 1), m);
    return m;
  }

  /** intel_gvt_dma_unmap_guest_page, by dma address (a 2M mapping is found by its aligned mfn). */
  unmap(hostMfn: Mfn): DmaMapping | undefined {
    const m = this.byMfn.get(hostMfn * 2) ?? this.byMfn.get(hostMfn * 2 + 1);
    if (!m) return undefined;
    if (--m.refs === 0) {
      this.byGfn.delete(m.gfn * 1024 + (m.pages === 1 ? 0 : 1));
      this.byMfn.delete(m.mfn * 2 + (m.pages === 1 ? 0 : 1));
    }
    return m;
  }

  cloneInto(copy: DmaMap): void {
    for (const [k, m] of this.byGfn) {
      const c = { ...m };
      copy.byGfn.set(k, c);
      copy.byMfn.set(c.mfn * 2 + (c.pages === 1 ? 0 : 1), c);
    }
  }
}
