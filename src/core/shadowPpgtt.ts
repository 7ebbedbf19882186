// gtt.c, the shadow PPGTT: spts allocated, shared by gfn and refcounted; guest table pages
// registered and write-protected when populated, invalidated when the last reference goes; huge
// pages split or native. docs/kernel-model.md §3 and §4. What a trapped write does ("the heart",
// post-shadow) is guestTableWrite.ts; out-of-sync pages oosSync.ts; mm objects ppgttMm.ts.

import { EINVAL, ENXIO } from './errno';
import { gfn as asGfn, hex, type Gfn, type Mfn } from './address';
import {
  BIT_PS, GttEntry, GttType, LEVEL_NAMES, STRIDE_64K,
  entryTypeOf, isPt, nextPtType, pointsToTable, realEntryType,
} from './gen8Entry';
import { ENTRIES_PER_PAGE, Spt, generateShadowEntry } from './spt';
import { PostShadowList } from './postShadowList';
import { GGTT_SCRATCH_MFN } from './hostMemory';
import type { DmaMapper } from './dmaMapper';
import type { GuestMemory } from './guestMemory';
import type { Kvmgt } from './kvmgt';
import type { PageTrackTable, TrackHandler } from './pageTrackTable';
import type { VgpuContext } from './vgpuContext';
import { populateHugeShadowEntry } from './hugePages';
import { enterEntry, enterIndexEntry, noteShadowEntry } from './hotPathTrace';

export const levelName = (spt: Spt): string => LEVEL_NAMES[spt.shadowType] ?? 'PT';

/** What the shadow PPGTT asks of the vGPU's out-of-sync list (oosSync.ts), which is built after it. */
export interface OosHooks {
  /** detach_oos_page, when an out-of-sync spt is freed. */
  detach(spt: Spt): void;
  /** The OOS tail of a trapped page-table write. */
  recordWrite(spt: Spt, i: number, we: GttEntry): number;
}

/** 5.x ppgtt_populate_spt's local `se` across iterations: what it holds, from which entry, and whether a table pointer put it there. */
interface LocalSe {
  readonly entry: GttEntry;
  readonly from: number;
  readonly table: boolean;
}

export class ShadowPpgtt {
  readonly sptByMfn = new Map<number, Spt>();
  /** vgpu->gtt.post_shadow_list_head, in insertion order. */
  readonly postShadowList = new PostShadowList();
  /** scratch_pt[T].page_mfn: what entries inside a type-T table point to when "empty". */
  readonly scratch = new Map<GttType, Mfn>();
  /** The same, indexed by type: the write path reads it several times per trap (a Map get each). */
  private readonly scratchByType: Array<Mfn | undefined> = [];

  /** ppgtt_write_protection_handler (guestTableWrite.ts), the handler every guest table page is registered with. */
  readonly writeHandler: TrackHandler;

  /** writeHandler: makes this PPGTT's write handler (the write path lives apart, in guestTableWrite.ts). */
  constructor(
    readonly vgpu: VgpuContext,
    readonly memory: GuestMemory,
    readonly kvmgt: Kvmgt,
    readonly pageTrack: PageTrackTable,
    readonly dma: DmaMapper,
    readonly oos: OosHooks,
    writeHandler: (pp: ShadowPpgtt) => TrackHandler,
  ) {
    this.writeHandler = writeHandler(this);
  }

  /** Builds scratch_pt[PTE_PT..PML4_PT] as in intel_vgpu_init_gtt → alloc_scratch_pages. */
  initScratch(): void {
    const host = this.vgpu.host;
    let below = host.allocTable(); // scratch_pt[PTE_PT]: the zero data page
    this.setScratch(GttType.PTE_PT, below);
    for (const t of [GttType.PDE_PT, GttType.PDP_PT, GttType.PML4_PT]) {
      const m = host.allocTable();
      const page = host.table(m)!;
      const e = new GttEntry(0x3 | (t === GttType.PDE_PT ? BIT_PS /* PPAT_CACHED */ : 0), 0, GttType.PTE_4K);
      e.setPfn(below);
      for (let i = 0; i < ENTRIES_PER_PAGE; i++) {
        page[2 * i] = e.lo;
        page[2 * i + 1] = e.hi;
      }
      this.setScratch(t, m);
      below = m;
    }
  }

  /** Sets scratch_pt[t] (init, and clone() copying a machine). */
  setScratch(t: GttType, m: Mfn): void {
    this.scratch.set(t, m);
    this.scratchByType[t] = m;
  }

  isScratch(m: number): boolean {
    for (const s of this.scratch.values()) if (s === m) return true;
    return false;
  }

  // ---- lookups --------------------------------------------------------------------------

  /** scratch_pt[type].page_mfn for a table of that shadow type. */
  scratchOf(type: GttType): Mfn {
    return this.scratchByType[type]!;
  }

  /** intel_vgpu_find_spt_by_gfn: only through a record whose handler is the PPGTT handler. */
  findSptByGfn(g: Gfn): Spt | undefined {
    const rec = this.pageTrack.find(g);
    return rec && rec.handler === this.writeHandler ? (rec.priv as Spt) : undefined;
  }

  findSptByMfn(m: number): Spt | undefined {
    return this.sptByMfn.get(m);
  }

  /** ppgtt_get_guest_entry: read from guest memory, typed by the spt's level and pde_ips. */
  guestEntry(spt: Spt, i: number): GttEntry {
    const words = this.memory.pageWords(spt.guestGfn); // one page lookup for both halves
    const e = new GttEntry(words === undefined ? 0 : words[2 * i], words === undefined ? 0 : words[2 * i + 1], entryTypeOf(spt.guestType));
    e.type = realEntryType(e.type, e, spt.pdeIps);
    return e;
  }

  /** ppgtt_set_shadow_entry, with its trace note. */
  setShadow(spt: Spt, i: number, e: GttEntry): void {
    spt.setShadowEntry(i, e);
    const t = this.vgpu.tracer;
    if (t) noteShadowEntry(t, this.vgpu.name, spt.mfn, spt.guestGfn, i, e);
  }

  private spTrace(spt: Spt, change: 'alloc' | 'free' | 'ref' | 'unref'): void {
    this.vgpu.tracer?.note({ kind: 'spt', vgpu: this.vgpu.name, change, mfn: spt.mfn, gfn: spt.guestGfn, level: levelName(spt), refcount: spt.refcount });
  }

  // ---- allocation -----------------------------------------------------------------------

  /** While set, every spt allocated is appended (what one operation allocated: see Vgpu.leakCheck). */
  allocLog: Spt[] | null = null;

  /** ppgtt_alloc_spt: a zeroed host page, refcount 1, in spt_tree by mfn. */
  allocSpt(type: GttType, announce = true): Spt {
    const m = this.vgpu.host.allocTable();
    const spt = new Spt(m, type, this.vgpu.host.table(m)!);
    this.allocLog?.push(spt);
    this.sptByMfn.set(m, spt);
    if (announce) this.spTrace(spt, 'alloc');
    return spt;
  }

  /** ppgtt_alloc_spt_gfn: alloc + register (not enable). A register failure frees the spt. */
  allocSptGfn(type: GttType, g: Gfn, ips: boolean): Spt | number {
    const t = this.vgpu.tracer;
    t?.enter('ppgtt_alloc_spt_gfn', { gfn: g, type: LEVEL_NAMES[type], ips });
    const spt = this.allocSpt(type, false); // announced once its gfn is known
    const ret = this.pageTrack.register(g, this.writeHandler, spt);
    if (ret !== 0) {
      this.freeSpt(spt); // guest_page.gfn is still 0: the other tracker's record is left alone
      t?.leave('ppgtt_alloc_spt_gfn', ret);
      return ret;
    }
    spt.guestType = type;
    spt.guestGfn = g;
    spt.pdeIps = ips;
    this.spTrace(spt, 'alloc');
    t?.leave('ppgtt_alloc_spt_gfn', 0);
    return spt;
  }

  /** ppgtt_free_spt: unregisters only when guest_page.gfn != 0 (the gfn-0 sentinel, §6). */
  freeSpt(spt: Spt): void {
    const t = this.vgpu.tracer;
    if (spt.freed) {
      // Only reachable through a kernel bug (5.x's split error path): say so, touch nothing.
      this.vgpu.hazard('use-after-free', `ppgtt_free_spt on shadow page ${hex(spt.mfn)} (gfn ${hex(spt.guestGfn)}), which is already freed: a double free`);
      return;
    }
    t?.enter('ppgtt_free_spt', { mfn: spt.mfn, gfn: spt.guestGfn });
    this.vgpu.host.freeTable(spt.mfn);
    this.sptByMfn.delete(spt.mfn);
    if (spt.guestGfn !== 0) {
      if (spt.oosPage) this.oos.detach(spt);
      this.pageTrack.unregister(spt.guestGfn);
    } else {
      const rec = this.pageTrack.find(spt.guestGfn);
      if (rec && rec.priv === spt) {
        this.vgpu.hazard('dangling-record', 'ppgtt_free_spt: guest page table at gfn 0 is not unregistered; its record now points at a freed spt (dangling)');
        this.pageTrack.touch(spt.guestGfn); // the record left pointing here now shows it freed
      }
    }
    if (spt.onPostShadowList) {
      this.postShadowList.remove(spt);
      spt.onPostShadowList = false;
    }
    spt.freed = true;
    this.spTrace(spt, 'free');
    t?.leave('ppgtt_free_spt');
  }

  // ---- populate -------------------------------------------------------------------------

  /** ppgtt_populate_spt_by_guest_entry: reuse (refcount++) or create, register, enable, populate. */
  populateSptByGuestEntry(we: GttEntry): Spt | number {
    const t = this.vgpu.tracer;
    const g = asGfn(we.pfn());
    if (t) enterEntry(t, 'ppgtt_populate_spt_by_guest_entry', we, g);
    const ips = we.type === GttType.PDE_ENTRY && this.vgpu.ipsEnabled && we.testIps();
    let spt = this.findSptByGfn(g);
    let ret = 0;
    if (spt) {
      if (spt.freed) this.vgpu.hazard('use-after-free', `gfn ${hex(g)}: the page-track record points at a freed spt (use after free)`);
      spt.refcount++;
      this.spTrace(spt, 'ref');
      if (ips !== spt.pdeIps) {
        spt.pdeIps = ips;
        spt.shadow.fill(0); // clear_page: old mappings and child references are not released (§6)
        this.vgpu.hazard('dma-leak', `reshadow ${hex(g)} since IPS changed: shadow page cleared without releasing its old mappings`);
        ret = this.populateSpt(spt);
        if (ret !== 0) {
          spt.refcount--;
          this.spTrace(spt, 'unref');
        }
      }
    } else {
      const type = nextPtType(we.type);
      if (!isPt(type)) {
        ret = -EINVAL;
      } else {
        const r = this.allocSptGfn(type, g, ips);
        if (typeof r === 'number') {
          ret = r;
        } else {
          spt = r;
          ret = this.pageTrack.enable(g);
          if (ret === 0) ret = this.populateSpt(spt);
          if (ret !== 0) this.freeSpt(spt); // children populated so far are not released (§6)
        }
      }
    }
    if (ret !== 0) t?.note({ kind: 'kernel-log', vgpu: this.vgpu.name, message: `fail: shadow page guest entry ${hex(we.value)} type ${we.type}` });
    t?.leave('ppgtt_populate_spt_by_guest_entry', ret);
    return ret !== 0 ? ret : spt!;
  }

  /** ppgtt_populate_spt: each present guest entry (stride 16 under IPS); stop at the first error. */
  populateSpt(spt: Spt): number {
    const t = this.vgpu.tracer;
    t?.enter('ppgtt_populate_spt', { gfn: spt.guestGfn, level: levelName(spt) });
    const step = spt.pdeIps ? STRIDE_64K : 1;
    let ret = 0;
    // 5.x's local `se`, shared by every iteration: what the last table pointer (or invalid leaf) wrote.
    let se: LocalSe | undefined;
    for (let i = 0; i < ENTRIES_PER_PAGE && ret === 0; i += step) {
      const ge = this.guestEntry(spt, i);
      if (!ge.present()) continue;
      if (pointsToTable(ge.type)) {
        const s = this.populateSptByGuestEntry(ge);
        if (typeof s === 'number') {
          ret = s;
        } else {
          const e = generateShadowEntry(s, ge);
          this.setShadow(spt, i, e);
          se = { entry: e, from: i, table: true };
        }
      } else if (this.vgpu.profile === 'legacy' && !this.kvmgt.hasMemslot(asGfn(ge.pfn()))) {
        se = { entry: this.legacyInvalidGfn(spt, i, ge, se), from: se?.from ?? i, table: se?.table ?? false };
      } else {
        ret = this.populateShadowEntry(spt, i, ge);
      }
    }
    t?.leave('ppgtt_populate_spt', ret);
    return ret;
  }

  /**
   * Before 6.6 ppgtt_populate_spt (only it: not the write path, flush or OOS sync) pre-checked every
   * leaf's gfn with is_valid_gfn and, for an invalid one, set the GGTT scratch pfn on its local `se`
   * and wrote that (§7.7). `se` is one variable for the whole loop: when an earlier entry of this
   * table was a table pointer (or an invalid leaf), it still holds that entry, so the write is a
   * PRESENT entry of that type aimed at the GGTT scratch page, which the GPU then walks as a table.
   * Otherwise it was never initialised: modelled zero-initialised (not present: the GPU faults);
   * the bits are really whatever was on the stack. Returns what `se` now holds.
   */
  private legacyInvalidGfn(spt: Spt, i: number, ge: GttEntry, stale: LocalSe | undefined): GttEntry {
    const se = stale ? stale.entry.copy() : new GttEntry(0, 0, ge.type);
    se.setPfn(GGTT_SCRATCH_MFN);
    this.setShadow(spt, i, se);
    if (stale?.table) {
      this.vgpu.hazard('stale-shadow', `ppgtt_populate_spt: gfn ${hex(ge.pfn())} is not a valid guest page; the shadow entry ${i} is the local se still holding entry ${stale.from}'s shadow table pointer, with only its pfn set to the GGTT scratch page ${hex(GGTT_SCRATCH_MFN)}: a present entry that makes the GPU walk the GGTT scratch page as a table`);
    } else {
      this.vgpu.hazard('undefined-behaviour', `ppgtt_populate_spt: gfn ${hex(ge.pfn())} is not a valid guest page; the shadow entry ${i} is an uninitialised local with the GGTT scratch pfn (modelled zero-initialised: not present, the GPU faults)`);
    }
    return se;
  }

  /** ppgtt_populate_shadow_entry: a leaf. Not present: nothing written. */
  populateShadowEntry(spt: Spt, i: number, ge: GttEntry): number {
    if (!ge.present()) return 0;
    const t = this.vgpu.tracer;
    if (t) enterIndexEntry(t, 'ppgtt_populate_shadow_entry', i, ge);
    const se = ge.copy();
    let ret = 0;
    if (ge.type === GttType.PTE_4K) {
      const m = this.dma.map(asGfn(ge.pfn()), 1);
      if (m === undefined) {
        ret = -ENXIO; // every profile: legacy's scratch fallback lives in populateSpt only
      } else {
        se.setPfn(m);
        this.setShadow(spt, i, se);
      }
    } else {
      ret = populateHugeShadowEntry(this, spt, i, ge, se);
    }
    t?.leave('ppgtt_populate_shadow_entry', ret);
    return ret;
  }

  // ---- teardown -------------------------------------------------------------------------

  /** ppgtt_invalidate_pte: unmap unless the pfn is 0 or this level's scratch. */
  invalidatePte(spt: Spt, e: GttEntry): void {
    const pfn = e.pfn();
    if (pfn === 0 || pfn === this.scratchByType[spt.shadowType]) return;
    this.dma.unmap(pfn as Mfn, e.type === GttType.PTE_2M ? 512 : 1);
  }

  /** ppgtt_invalidate_spt: drop a reference; at 0 walk the present shadow entries, then free. */
  invalidateSpt(spt: Spt): number {
    const t = this.vgpu.tracer;
    t?.enter('ppgtt_invalidate_spt', { gfn: spt.guestGfn, level: levelName(spt), refcount: spt.refcount });
    spt.refcount--;
    this.spTrace(spt, 'unref');
    let ret = 0;
    if (spt.refcount <= 0) {
      for (let i = 0; i < ENTRIES_PER_PAGE && ret === 0; i++) {
        const e = spt.getShadowEntry(i);
        if (!e.present()) continue;
        switch (e.type) {
          case GttType.PTE_4K:
            this.invalidatePte(spt, e);
            break;
          case GttType.PTE_64K:
            t?.note({ kind: 'surprise', vgpu: this.vgpu.name, message: 'WARN: suspicious 64K gtt entry' });
            break;
          case GttType.PTE_2M:
            // Skipped with no unmap: a DMA-reference leak as the code reads (§6), when the 2M
            // mapping is still cached (a 4-byte write or a detach may have dropped it already).
            if (this.dma.cache.isLive(e.pfn(), 512)) this.vgpu.hazard('dma-leak', `native 2M shadow entry ${i} skipped without unmap (DMA reference kept)`);
            break;
          case GttType.PTE_1G:
            t?.note({ kind: 'surprise', vgpu: this.vgpu.name, message: "WARN: GVT doesn't support 1GB page" });
            break;
          default:
            ret = this.invalidateSptByShadowEntry(spt, e);
        }
      }
      if (ret === 0) this.freeSpt(spt);
      else t?.note({ kind: 'kernel-log', vgpu: this.vgpu.name, message: `fail: shadow page ${hex(spt.mfn)} not freed` });
    }
    t?.leave('ppgtt_invalidate_spt', ret);
    return ret;
  }

  /** ppgtt_invalidate_spt_by_shadow_entry: 0 for this level's scratch; -ENXIO for an unknown child. */
  invalidateSptByShadowEntry(parent: Spt | null, e: GttEntry): number {
    const t = this.vgpu.tracer;
    if (t) enterEntry(t, 'ppgtt_invalidate_spt_by_shadow_entry', e);
    let ret: number;
    if (parent && e.pfn() === this.scratchByType[parent.shadowType]) {
      ret = 0;
    } else {
      const s = this.sptByMfn.get(e.pfn());
      if (!s) {
        t?.note({ kind: 'kernel-log', vgpu: this.vgpu.name, message: `fail to find shadow page: mfn: ${hex(e.pfn())}` });
        ret = -ENXIO;
      } else {
        ret = this.invalidateSpt(s);
      }
    }
    t?.leave('ppgtt_invalidate_spt_by_shadow_entry', ret);
    return ret;
  }

  /** Copies the tables into another vGPU's (copySpt: the machine-wide spt copier). */
  cloneInto(copy: ShadowPpgtt, copySpt: (s: Spt) => Spt): void {
    for (const [k, s] of this.sptByMfn) copy.sptByMfn.set(k, copySpt(s));
    for (const [k, s] of this.scratch) copy.setScratch(k, s);
    for (const s of this.postShadowList) copy.postShadowList.push(copySpt(s));
  }

  /** The mfns of the spts reachable from `roots` (the mms' shadow roots) through present, non-scratch entries. */
  reachableFrom(roots: readonly GttEntry[]): Set<number> {
    const seen = new Set<number>();
    const visit = (m: number): void => {
      const s = this.sptByMfn.get(m);
      if (!s || seen.has(m)) return;
      seen.add(m);
      if (s.shadowType === GttType.PTE_PT) return; // a page table's entries are leaves: data pages
      for (let i = 0; i < ENTRIES_PER_PAGE; i++) {
        const e = s.getShadowEntry(i);
        if (e.present() && !this.isScratch(e.pfn())) visit(e.pfn());
      }
    };
    for (const se of roots) if (se.present()) visit(se.pfn());
    return seen;
  }

  /** spts no mm reaches from `roots`: leaked by a failed populate. */
  unreachableFrom(roots: readonly GttEntry[]): number {
    const seen = this.reachableFrom(roots);
    let n = 0;
    for (const m of this.sptByMfn.keys()) if (!seen.has(m)) n++;
    return n;
  }

  /** Every spt still allocated, by mfn order (the shadow-table view and leak checks). */
  allSpts(): Spt[] {
    return [...this.sptByMfn.values()].sort((a, b) => a.mfn - b.mfn);
  }
}
