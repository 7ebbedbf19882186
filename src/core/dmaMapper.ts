// kvmgt's DMA API for GVT (intel_gvt_dma_map_guest_page / intel_gvt_dma_unmap_guest_page): pin the
// guest pages through KVM (gvt_pin_guest_page), then map them into the per-gfn cache (dmaMap.ts).
// The shadow PPGTT maps every leaf it shadows through here, and unmaps it when the leaf goes.

import { hex, type Gfn, type Mfn } from './address';
import { DmaMap, type DmaAddressSpace, type ReplacedMapping } from './dmaMap';
import { HostBacking } from './hostBacking';
import { noteDma } from './hotPathTrace';
import type { Kvmgt } from './kvmgt';
import type { VgpuContext } from './vgpuContext';

const sizeName = (pages: number): string => (pages === 1 ? '4K' : '2M');
/** A failed pin whose reason is not noted. */
const NO_NOTE = '';

export class DmaMapper implements DmaAddressSpace {
  /** kvmgt's gvt_dma cache: one entry per gfn. */
  readonly cache: DmaMap;
  /** How the host backs this guest's memory (what a 2M pin finds). */
  readonly backing = new HostBacking();

  constructor(
    private readonly vgpu: VgpuContext,
    private readonly kvmgt: Kvmgt,
  ) {
    this.cache = new DmaMap(this);
  }

  /** The gfn whose backing frame a DMA address is (frames stand for DMA addresses), or -1. */
  gfnOf(addr: number): number {
    return this.vgpu.host.guestFrameOf(this.vgpu.index, addr as Mfn) ?? -1;
  }

  /**
   * intel_gvt_dma_map_guest_page: a gfn cached with this size only gains a reference (kref_get:
   * nothing is pinned again, even where a pin would now fail); otherwise pin (gvt_pin_guest_page:
   * every page of the range, host-contiguous) and map; undefined when that fails. A detached vGPU
   * maps nothing (-EINVAL). A cached mapping of the gfn with another size is unmapped and dropped
   * FIRST, whatever references it still has, and stays gone when the new map then fails (§7.4):
   * flagged as a hazard.
   */
  map(g: Gfn, pages: number): Mfn | undefined {
    const v = this.vgpu;
    if (!this.kvmgt.attached) {
      const fn = v.profile === 'newest' ? 'intel_gvt_dma_map_guest_page' : 'kvmgt_dma_map_guest_page';
      v.tracer?.note({ kind: 'dma-fail', vgpu: v.name, gfn: g, pages, reason: `${fn}: the vGPU is detached (-EINVAL)` });
      return undefined;
    }
    const cached = this.cache.refIfCached(g, pages);
    if (cached >= 0) {
      const t = v.tracer;
      if (t) noteDma(t, v.name, 'map', g, pages, cached as Mfn);
      return cached as Mfn;
    }
    // The kernel's order: a cached mapping of another size is unmapped first, then the pin is tried.
    const old = this.cache.dropOtherSize(g, pages);
    if (old !== undefined) this.replaced(g, pages, old);
    // A 4K pin fails only for want of a memslot: no note, the caller's -ENXIO says it failed.
    const problem = pages === 1 ? (this.kvmgt.hasMemslot(g) ? undefined : NO_NOTE) : this.pinProblem(g, pages);
    const t = v.tracer;
    if (problem !== undefined) {
      if (t && problem !== NO_NOTE) t.note({ kind: 'dma-fail', vgpu: v.name, gfn: g, pages, reason: problem });
      if (t && old !== undefined) t.note({ kind: 'kernel-log', vgpu: v.name, message: `gfn ${hex(g)}: the re-map failed after its ${sizeName(old.pages)} mapping was unmapped: it has no mapping now` });
      return undefined;
    }
    const m = v.host.backingFrame(v.index, g);
    this.cache.add(g, pages, m);
    if (t) noteDma(t, v.name, 'map', g, pages, m);
    return m;
  }

  /** gvt_pin_guest_page for a huge range: why it fails (a page without a memslot, host pages not contiguous), or undefined. */
  private pinProblem(g: Gfn, pages: number): string | undefined {
    for (let k = 0; k < pages; k++) {
      if (!this.kvmgt.hasMemslot((g + k) as Gfn)) return `gvt_pin_guest_page: gfn ${hex(g + k)} has no memslot`;
    }
    const bad = this.backing.firstNonContiguous(g, pages);
    return bad >= 0 ? `gvt_pin_guest_page: host page behind gfn ${hex(bad)} is not contiguous with the range` : undefined;
  }

  /** The re-map of a gfn with another size (out of line of the trap path). */
  private replaced(g: Gfn, pages: number, old: ReplacedMapping): void {
    const t = this.vgpu.tracer;
    if (t) noteDma(t, this.vgpu.name, 'unmap', g, old.pages, old.mfn);
    if (old.refs > 0) {
      this.vgpu.hazard('dma-remap', `gfn ${hex(g)} mapped as ${sizeName(pages)} while its ${sizeName(old.pages)} mapping still had ${old.refs} reference(s): kvmgt unmaps it before mapping again ("the same gfn with different size"), whether or not the new map succeeds; shadow entries using it now point at pages that are no longer pinned`);
    }
  }

  /** intel_gvt_dma_unmap_guest_page by DMA address (pages: the size class of the shadow entry); a detached vGPU returns at once. */
  unmap(m: Mfn, pages = 1): void {
    const t = this.vgpu.tracer;
    if (!this.kvmgt.attached) {
      t?.note({ kind: 'kernel-log', vgpu: this.vgpu.name, message: `dma unmap of ${hex(m)} (${sizeName(pages)}): the vGPU is detached, nothing done` });
      return;
    }
    const g = this.cache.unmap(m, pages);
    if (!t) return;
    if (g >= 0) noteDma(t, this.vgpu.name, 'unmap', g as Gfn, pages, m);
    else t.note({ kind: 'kernel-log', vgpu: this.vgpu.name, message: `dma unmap of ${hex(m)} (${sizeName(pages)}): no cache entry, nothing done` });
  }

  /**
   * gvt_cache_destroy (intel_vgpu_close_device): every cached mapping is unmapped and unpinned,
   * whatever its references. The shadow PPGTT is not torn down, so its leaves now point at pages
   * that are no longer pinned. Returns the mappings dropped and the references they still had.
   */
  destroyCache(): { mappings: number; refs: number } {
    const dropped = { mappings: this.cache.size, refs: this.cache.references };
    this.cache.clear();
    return dropped;
  }

  cloneInto(copy: DmaMapper): void {
    this.cache.cloneInto(copy.cache);
    this.backing.cloneInto(copy.backing);
  }
}
