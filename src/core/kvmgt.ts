// The KVM backend of GVT (kvmgt.c) and the part of KVM it uses: per-vGPU protect table, KVM's
// write-tracking count per gfn, memslots, attach state. Stores reach guest memory here first and
// only then is GVT told (emulator_write_phys writes, then notifies: the PPGTT handler relies on it).

import { ESRCH, EINVAL } from './errno';
import { type Gfn } from './address';
import type { GuestMemory } from './guestMemory';
import type { VgpuContext } from './vgpuContext';

export class Kvmgt {
  /** kvmgt's ptable: gfns write-protected on behalf of this vGPU. */
  readonly protectTable = new Set<number>();
  /** KVM's gfn_write_track count (per gfn, all users). */
  readonly kvmWriteTrack = new Map<number, number>();
  /** gfn ranges whose memslot was removed (inclusive). */
  readonly removedRegions: Array<readonly [number, number]> = [];
  attached = true;

  constructor(
    private readonly vgpu: VgpuContext,
    private readonly memory: GuestMemory,
  ) {}

  hasMemslot(g: Gfn): boolean {
    if (!this.memory.contains(g)) return false;
    const regions = this.removedRegions;
    for (let i = 0; i < regions.length; i++) if (g >= regions[i][0] && g <= regions[i][1]) return false;
    return true;
  }

  /** Whether a store to this gfn faults into KVM's page-track notifier. */
  isWriteTracked(g: number): boolean {
    return (this.kvmWriteTrack.get(g) ?? 0) > 0;
  }

  private kvmAdd(g: Gfn): void {
    this.kvmWriteTrack.set(g, (this.kvmWriteTrack.get(g) ?? 0) + 1);
    this.vgpu.tracer?.note({ kind: 'protect', vgpu: this.vgpu.name, gfn: g, on: true });
  }

  private kvmRemove(g: Gfn): void {
    const n = (this.kvmWriteTrack.get(g) ?? 0) - 1;
    if (n > 0) this.kvmWriteTrack.set(g, n);
    else this.kvmWriteTrack.delete(g);
    this.vgpu.tracer?.note({ kind: 'protect', vgpu: this.vgpu.name, gfn: g, on: false });
  }

  /** Hypervisor "enable page track" for the current profile. */
  add(g: Gfn): number {
    const t = this.vgpu.tracer;
    const fn = this.vgpu.profile === 'newest' ? 'intel_gvt_page_track_add' : 'kvmgt_page_track_add';
    t?.enter(fn, { gfn: g });
    const ret = this.vgpu.profile === 'newest' ? this.addNewest(g) : this.addLegacy(g);
    t?.leave(fn, ret);
    return ret;
  }

  /** Hypervisor "disable page track" for the current profile. */
  remove(g: Gfn): number {
    const t = this.vgpu.tracer;
    const fn = this.vgpu.profile === 'newest' ? 'intel_gvt_page_track_remove' : 'kvmgt_page_track_remove';
    t?.enter(fn, { gfn: g });
    const ret = this.vgpu.profile === 'newest' ? this.removeNewest(g) : this.removeLegacy(g);
    t?.leave(fn, ret);
    return ret;
  }

  // intel_gvt_page_track_add (6.6+): -ESRCH when detached; idempotent via the protect table;
  // kvm_write_track_add_gfn gives -EINVAL without a memslot.
  private addNewest(g: Gfn): number {
    if (!this.attached) return -ESRCH;
    if (this.protectTable.has(g)) return 0;
    if (!this.hasMemslot(g)) return -EINVAL;
    this.kvmAdd(g);
    this.protectTable.add(g);
    return 0;
  }

  // intel_gvt_page_track_remove (6.6+): -ESRCH when detached; 0 when not protected.
  private removeNewest(g: Gfn): number {
    if (!this.attached) return -ESRCH;
    if (!this.protectTable.has(g)) return 0;
    if (!this.hasMemslot(g)) return -EINVAL;
    this.kvmRemove(g);
    this.protectTable.delete(g);
    return 0;
  }

  // kvmgt_page_track_add (5.x): -ESRCH for a bad handle; -EINVAL without a memslot; else 0.
  private addLegacy(g: Gfn): number {
    if (!this.attached) return -ESRCH;
    if (!this.hasMemslot(g)) return -EINVAL;
    if (!this.protectTable.has(g)) {
      this.kvmAdd(g);
      this.protectTable.add(g);
    }
    return 0;
  }

  // kvmgt_page_track_remove (5.x): a bad handle returns 0 (unlike add); -EINVAL without a memslot.
  private removeLegacy(g: Gfn): number {
    if (!this.attached) return 0;
    if (!this.hasMemslot(g)) return -EINVAL;
    if (this.protectTable.has(g)) {
      this.kvmRemove(g);
      this.protectTable.delete(g);
    }
    return 0;
  }

  /**
   * Memslot removal: newest kvmgt_page_track_remove_region drops protect-table entries (KVM drops
   * its own state with the slot); legacy kvmgt_page_track_flush_slot also removes KVM tracking.
   * Either way GVT's records keep tracked == true: they become stale (docs/kernel-model.md §6.1);
   * `recordTracked` (the page-track table's view) lets the trace say so at the gfn it happens to.
   */
  removeRegion(from: Gfn, to: Gfn, recordTracked: (g: Gfn) => boolean): number {
    const t = this.vgpu.tracer;
    const fn = this.vgpu.profile === 'newest' ? 'kvmgt_page_track_remove_region' : 'kvmgt_page_track_flush_slot';
    t?.enter(fn, { gfn: from, nr_pages: to - from + 1 });
    for (const g of [...this.protectTable].sort((a, b) => a - b)) {
      if (g < from || g > to) continue;
      this.protectTable.delete(g);
      this.kvmWriteTrack.delete(g);
      t?.note({ kind: 'protect', vgpu: this.vgpu.name, gfn: g as Gfn, on: false });
      if (t && recordTracked(g as Gfn)) {
        t?.note({ kind: 'surprise', vgpu: this.vgpu.name, message: `gfn 0x${g.toString(16)}: memslot removed but the page-track record keeps tracked = true (stale)` });
      }
    }
    this.removedRegions.push([from, to]);
    t?.leave(fn);
    return 0;
  }

  /**
   * intel_vgpu_close_device: kvmgt_protect_table_destroy frees the table whole. KVM's own write
   * tracking is left as it is (nobody removes it gfn by gfn), so stores still fault into KVM.
   * Returns how many protect-table entries were dropped.
   */
  detach(): number {
    const n = this.protectTable.size;
    this.protectTable.clear();
    this.attached = false;
    return n;
  }

  cloneInto(copy: Kvmgt): void {
    for (const g of this.protectTable) copy.protectTable.add(g);
    for (const [g, n] of this.kvmWriteTrack) copy.kvmWriteTrack.set(g, n);
    copy.removedRegions.push(...this.removedRegions);
    copy.attached = this.attached;
  }
}
