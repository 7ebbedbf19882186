// gtt.c out-of-sync pages (enable_out_of_sync, off by default): the second trapped write to a
// PT-level page snapshots it and drops its write protection; workload submission syncs it back.
// Modelled with its quirks (docs/kernel-model.md §6.9): the allocation result is ignored, and sync_oos_page can leave
// post-shadow bits set while unlinking the spt from the post-shadow list.

import { EINVAL } from './errno';
import { hex } from './address';
import { GttEntry, GttType } from './gen8Entry';
import { ENTRIES_PER_PAGE, type Spt } from './spt';
import type { GuestMemory } from './guestMemory';
import type { OosPage, OosPageUser, OosPool } from './oosPool';
import type { PageTrackTable } from './pageTrackTable';
import type { OosHooks, ShadowPpgtt } from './shadowPpgtt';
import type { VgpuContext } from './vgpuContext';

export class OosSync implements OosHooks, OosPageUser<Spt> {
  /** vgpu->gtt.oos_page_list_head: spts currently out of sync, oldest first. */
  list: Spt[] = [];

  constructor(
    private readonly v: VgpuContext,
    private readonly memory: GuestMemory,
    readonly pool: OosPool<Spt>,
    private readonly pageTrack: PageTrackTable,
    private readonly ppgtt: ShadowPpgtt,
  ) {}

  /** can_do_out_of_sync: enabled, a PT-level page, and write_cnt >= 2. */
  private canDoOutOfSync(spt: Spt): boolean {
    return this.v.oosEnabled && spt.guestType === GttType.PTE_PT && spt.writeCnt >= 2;
  }

  /** The OOS tail of ppgtt_handle_guest_write_page_table_bytes (write_cnt was not yet bumped). */
  recordWrite(spt: Spt, i: number, we: GttEntry): number {
    spt.writeCnt++;
    if (spt.oosPage) {
      spt.oosPage.mem[2 * i] = we.lo;
      spt.oosPage.mem[2 * i + 1] = we.hi;
    }
    if (this.canDoOutOfSync(spt)) {
      if (!spt.oosPage) this.allocate(spt); // the result is ignored, as in the kernel
      return this.setOos(spt);
    }
    return 0;
  }

  /** attach_oos_page: snapshot the guest page, link both ways, move to the in-use list. */
  private attach(page: OosPage<Spt>, spt: Spt): void {
    const at = spt.guestGfn * 4096;
    for (let i = 0; i < ENTRIES_PER_PAGE; i++) {
      page.mem[2 * i] = this.memory.readEntryLo((at + 8 * i) as never);
      page.mem[2 * i + 1] = this.memory.readEntryHi((at + 8 * i) as never);
    }
    page.spt = spt;
    page.user = this;
    spt.oosPage = page;
    this.pool.use(page);
  }

  /** detach_oos_page: write_cnt = 0, unlink, back to the free list. */
  detach(spt: Spt): void {
    const page = spt.oosPage;
    if (!page) return;
    spt.writeCnt = 0;
    spt.oosPage = null;
    page.spt = null;
    page.user = null;
    this.list = this.list.filter((s) => s !== spt);
    this.pool.release(page);
  }

  /** ppgtt_allocate_oos_page: the free head, or evict the oldest in-use page (sync, then detach). */
  allocate(spt: Spt): number {
    let page = this.pool.takeFree();
    if (!page) {
      const victim = this.pool.inUse[0];
      if (!victim?.spt || !victim.user) return -EINVAL;
      const ret = victim.user.evict(victim); // the pool is global: maybe another vGPU's page
      if (ret !== 0) return ret;
      page = this.pool.takeFree();
      if (!page) return -EINVAL;
    }
    this.attach(page, spt);
    return 0;
  }

  /** The eviction half of ppgtt_allocate_oos_page: sync the page's spt back, then detach it. */
  evict(page: OosPage<Spt>): number {
    const spt = page.spt;
    if (!spt) return -EINVAL;
    const ret = this.setSync(spt);
    if (ret === 0) this.detach(spt);
    return ret;
  }

  /** ppgtt_set_guest_page_oos: WARN and -EINVAL without a page; else list it and disable tracking. */
  setOos(spt: Spt): number {
    const t = this.v.tracer;
    t?.enter('ppgtt_set_guest_page_oos', { gfn: spt.guestGfn });
    let ret: number;
    if (!spt.oosPage) {
      t?.note({ kind: 'surprise', vgpu: this.v.name, message: 'WARN: shadow PPGTT page should have a oos page (the allocation result was ignored)' });
      ret = -EINVAL;
    } else {
      if (!this.list.includes(spt)) this.list.push(spt);
      ret = this.pageTrack.disable(spt.guestGfn);
      t?.note({ kind: 'oos', vgpu: this.v.name, gfn: spt.guestGfn, change: 'out-of-sync' });
    }
    t?.leave('ppgtt_set_guest_page_oos', ret);
    return ret;
  }

  /** ppgtt_set_guest_page_sync: re-protect, unlist, then sync_oos_page. */
  setSync(spt: Spt): number {
    const t = this.v.tracer;
    t?.enter('ppgtt_set_guest_page_sync', { gfn: spt.guestGfn });
    let ret = this.pageTrack.enable(spt.guestGfn);
    if (ret === 0) {
      this.list = this.list.filter((s) => s !== spt);
      ret = this.syncOosPage(spt);
      if (ret === 0) t?.note({ kind: 'oos', vgpu: this.v.name, gfn: spt.guestGfn, change: 'synced' });
    }
    t?.leave('ppgtt_set_guest_page_sync', ret);
    return ret;
  }

  /**
   * sync_oos_page: an index is skipped when snapshot == guest and its post-shadow bit was clear;
   * the bit is tested-and-cleared only when the two are equal. The spt always leaves the post-shadow
   * list, so a changed index keeps its bit while off the list (docs/kernel-model.md §6.9).
   */
  private syncOosPage(spt: Spt): number {
    const page = spt.oosPage!;
    for (let i = 0; i < ENTRIES_PER_PAGE; i++) {
      const oldLo = page.mem[2 * i];
      const oldHi = page.mem[2 * i + 1];
      const now = this.ppgtt.guestEntry(spt, i);
      now.type = GttType.PTE_4K;
      if (oldLo === now.lo && oldHi === now.hi) {
        if (!spt.postShadow[i]) continue;
        spt.postShadow[i] = 0;
        spt.postShadowCount--;
      }
      const before = spt.getShadowEntry(i);
      const ret = this.ppgtt.populateShadowEntry(spt, i, now);
      if (ret !== 0) return ret;
      this.flagKeptMapping(spt, i, before, now);
      page.mem[2 * i] = now.lo;
      page.mem[2 * i + 1] = now.hi;
    }
    spt.writeCnt = 0;
    if (spt.onPostShadowList) {
      this.ppgtt.postShadowList.remove(spt);
      spt.onPostShadowList = false;
      if (spt.postShadowCount > 0) {
        this.v.tracer?.note({ kind: 'surprise', vgpu: this.v.name, message: `sync_oos_page ${hex(spt.guestGfn)}: ${spt.postShadowCount} post-shadow bit(s) left set while the spt is off the post-shadow list` });
      }
    }
    return 0;
  }

  /**
   * sync_oos_page never unmaps what the shadow entry mapped before (§6.7): a present guest entry is
   * mapped over it (the old DMA reference is kept), and one no longer present is skipped by
   * ppgtt_populate_shadow_entry (the shadow still maps the old page: the GPU reaches a page the
   * guest unmapped). Flagged (dma-leak, stale-shadow) when the old shadow entry mapped a guest page.
   */
  private flagKeptMapping(spt: Spt, i: number, before: GttEntry, now: GttEntry): void {
    if (!before.present()) return;
    const old = before.pfn();
    if (old === 0 || old === this.ppgtt.scratchOf(spt.shadowType)) return;
    const g = this.ppgtt.dma.gfnOf(old);
    const what = g >= 0 ? `gfn ${hex(g)}` : `mfn ${hex(old)}`;
    const where = `sync_oos_page ${hex(spt.guestGfn)}[${i}]`;
    if (now.present()) this.v.hazard('dma-leak', `${where}: mapped gfn ${hex(now.pfn())} over the shadow entry's ${what} without unmapping it (its DMA reference is kept)`);
    else this.v.hazard('stale-shadow', `${where}: no longer present in the guest, skipped: the shadow entry still maps ${what} (the GPU still reaches a page the guest unmapped; its DMA reference is kept)`);
  }

  /** Copies the list into another vGPU's (copySpt: the machine-wide spt copier, which re-links OOS pages). */
  cloneInto(copy: OosSync, copySpt: (s: Spt) => Spt): void {
    copy.list = this.list.map(copySpt);
  }

  /** intel_vgpu_sync_oos_pages: a no-op when OOS is off. */
  syncAll(): number {
    if (!this.v.oosEnabled) return 0;
    const t = this.v.tracer;
    t?.enter('intel_vgpu_sync_oos_pages', { pages: this.list.length });
    let ret = 0;
    for (const spt of [...this.list]) {
      ret = this.setSync(spt);
      if (ret !== 0) break;
    }
    t?.leave('intel_vgpu_sync_oos_pages', ret);
    return ret;
  }
}

