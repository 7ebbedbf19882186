// The KVM backend of GVT (kvmgt.c) and the part of KVM it uses: per-vGPU protect table, KVM's
// write-tracking count per gfn, memslots, attach state. Stores reach guest memory here first and
// only then is GVT told (emulator_write_phys writes, then notifies: the PPGTT handler relies on it).

import { ESRCH, EINVAL } from './errno';
import { type Gfn } from './address';
import { GfnTrackState, ProtectTableView } from './gfnTrackState';
import { GfnRangeSet } from './gfnRangeSet';
import type { GuestMemory } from './guestMemory';
import type { VgpuContext } from './vgpuContext';

/**
 * Separate removed-memslot ranges a vGPU may hold (the simulation's limit, as for backing ranges):
 * each snapshot copies them, and 8 M one-gfn removals over three vGPUs took 1.1 GB.
 */
export const MAX_REMOVED_RANGES = 100_000;

export class Kvmgt {
  /** KVM's gfn_write_track counts and kvmgt's ptable, per gfn. */
  private readonly state: GfnTrackState;
  /** kvmgt's ptable: gfns write-protected on behalf of this vGPU (read-only here). */
  readonly protectTable: ProtectTableView;
  /** gfns whose memslot was removed: merged ranges (a removal merges into its neighbours). */
  private readonly removedRegions = new GfnRangeSet();
  attached = true;

  constructor(
    private readonly vgpu: VgpuContext,
    private readonly memory: GuestMemory,
  ) {
    this.state = new GfnTrackState(memory.pageCount);
    this.protectTable = new ProtectTableView(this.state);
  }

  /** Whether removing from..to stays within MAX_REMOVED_RANGES (a removal that merges always does). */
  canRemoveRegion(from: Gfn, to: Gfn): boolean {
    return this.removedRegions.rangeCount < MAX_REMOVED_RANGES || !this.removedRegions.addsRange(from, to);
  }

  hasMemslot(g: Gfn): boolean {
    if (!this.memory.contains(g)) return false;
    return this.removedRegions.isEmpty || !this.removedRegions.has(g); // the trap path asks per PTE write: no search without removals
  }

  /** Whether a store to this gfn faults into KVM's page-track notifier. */
  isWriteTracked(g: number): boolean {
    return this.state.kvmCount(g) > 0;
  }

  /** Whether kvmgt_page_track_write hands a store to this gfn to the dispatcher. */
  isProtected(g: number): boolean {
    return this.state.isProtected(g);
  }

  /** KVM's gfn_write_track count of g: all users, this vGPU's and others'. */
  kvmTrackCount(g: number): number {
    return this.state.kvmCount(g);
  }

  /** [gfn, count] for every gfn KVM write-tracks, ascending. */
  kvmTrackEntries(): Array<[number, number]> {
    return this.state.kvmEntries();
  }

  /** Another KVM user (not this vGPU) write-tracks g: stores fault into KVM and kvmgt is notified. */
  trackForAnotherUser(g: Gfn): void {
    this.state.kvmAdd(g);
  }

  private kvmAdd(g: Gfn): void {
    this.state.kvmAdd(g);
    this.vgpu.tracer?.note({ kind: 'protect', vgpu: this.vgpu.name, gfn: g, on: true });
  }

  private kvmRemove(g: Gfn): void {
    this.state.kvmRemove(g);
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
    if (this.state.isProtected(g)) return 0;
    if (!this.hasMemslot(g)) return -EINVAL;
    this.kvmAdd(g);
    this.state.setProtected(g, true);
    return 0;
  }

  // intel_gvt_page_track_remove (6.6+): -ESRCH when detached; 0 when not protected.
  private removeNewest(g: Gfn): number {
    if (!this.attached) return -ESRCH;
    if (!this.state.isProtected(g)) return 0;
    if (!this.hasMemslot(g)) return -EINVAL;
    this.kvmRemove(g);
    this.state.setProtected(g, false);
    return 0;
  }

  // kvmgt_page_track_add (5.x): -ESRCH for a bad handle; -EINVAL without a memslot; else 0.
  private addLegacy(g: Gfn): number {
    if (!this.attached) return -ESRCH;
    if (!this.hasMemslot(g)) return -EINVAL;
    if (!this.state.isProtected(g)) {
      this.kvmAdd(g);
      this.state.setProtected(g, true);
    }
    return 0;
  }

  // kvmgt_page_track_remove (5.x): a bad handle returns 0 (unlike add); -EINVAL without a memslot.
  private removeLegacy(g: Gfn): number {
    if (!this.attached) return 0;
    if (!this.hasMemslot(g)) return -EINVAL;
    if (this.state.isProtected(g)) {
      this.kvmRemove(g);
      this.state.setProtected(g, false);
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
    for (const g of this.state.protectedGfnsIn(from, to)) {
      this.state.setProtected(g, false);
      this.state.kvmDrop(g);
      t?.note({ kind: 'protect', vgpu: this.vgpu.name, gfn: g as Gfn, on: false });
      if (t && recordTracked(g as Gfn)) {
        t.note({ kind: 'surprise', vgpu: this.vgpu.name, message: `gfn 0x${g.toString(16)}: memslot removed but the page-track record keeps tracked = true (stale)` });
      }
    }
    this.removedRegions.add(from, to);
    t?.leave(fn);
    return 0;
  }

  /**
   * intel_vgpu_close_device: kvmgt_protect_table_destroy frees the table whole. KVM's own write
   * tracking is left as it is (nobody removes it gfn by gfn), so stores still fault into KVM.
   * Returns how many protect-table entries were dropped.
   */
  detach(): number {
    const n = this.state.protectedSize;
    this.state.clearProtected();
    this.attached = false;
    return n;
  }

  cloneInto(copy: Kvmgt): void {
    this.state.cloneInto(copy.state);
    this.removedRegions.copyInto(copy.removedRegions);
    copy.attached = this.attached;
  }
}
