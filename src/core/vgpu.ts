// struct intel_vgpu as far as page tracking goes: guest memory, the page-track table, the KVMGT
// backend, the shadow PPGTT and its mm objects, failsafe, and the guest store path that traps.

import { PAGE_SIZE, gpaToGfn, pageOffset, type Gfn, type Gpa } from './address';
import type { DmaMap } from './dmaMap';
import { DmaMapper } from './dmaMapper';
import type { CoreEvent, HazardKind, KernelFn, Tracer } from './events';
import type { HazardLog } from './hazardLog';
import type { GuestMemory } from './guestMemory';
import { GuestPpgttBuilder } from './guestPpgttBuilder';
import { enterGpa, noteDetachedStore, noteLock, noteStore, noteTrapIgnored } from './hotPathTrace';
import type { HostMemory } from './hostMemory';
import { Kvmgt } from './kvmgt';
import type { OosPool } from './oosPool';
import { OosSync } from './oosSync';
import { PageTrackTable } from './pageTrackTable';
import type { GttEntry } from './gen8Entry';
import type { PpgttMm, RootType } from './ppgttMm';
import { PpgttMmList } from './ppgttMmList';
import type { KernelProfile } from './profile';
import { hostHas2MGttPages, ipsEnabled, type Platform } from './platform';
import type { HostBacking } from './hostBacking';
import { PpgttWriteHandler } from './guestTableWrite';
import { ShadowPpgtt } from './shadowPpgtt';
import { Spt } from './spt';
import { storeResult, type StoreResult } from './storeResult';
import type { VgpuContext } from './vgpuContext';
import { flushPostShadow } from './postShadowFlush';

/** What a vGPU needs from the machine it lives in. */
export interface VgpuHost {
  readonly host: HostMemory;
  readonly oosPool: OosPool<Spt>;
  profile: KernelProfile;
  platform: Platform;
  tracer: Tracer | null;
  /** Called as a store traps, before the dispatcher runs: cheap enough to leave on (breakpoints). */
  trapObserver: TrapObserver | null;
  /** Guest pages that exist, over all vGPUs (a run's memory budget). */
  guestPagesWritten: number;
  /** Guest pages copied because a snapshot shared them (the debugger's history budget reads it). */
  guestPagesCopied: number;
  /** Kernel hazards seen, for `expect hazard` and the debugger. */
  readonly hazards: HazardLog;
  /** Whoever is driving the machine (the interpreter's current statement); stamped on new records. */
  origin: unknown;
}

export type TrapRecordState = 'tracked' | 'untracked' | 'none';
/**
 * Called before the dispatcher runs; may return a callback that receives the dispatcher's result.
 * The record's state is there to ask for (Vgpu.trapRecordState) when the observer needs it: most
 * traps are only counted, and looking the record up for each would cost the trap path a lookup.
 */
export type TrapObserver = (v: Vgpu, at: Gpa, bytes: number) => ((ret: number) => void) | void;

/**
 * The assembly point: the only place that knows every piece. Each piece gets the vGPU as a narrow
 * VgpuContext and its neighbours in construction order (memory → kvmgt → page track → DMA →
 * shadow PPGTT → OOS list → mm list), and snapshots itself (cloneInto).
 */
export class Vgpu implements VgpuContext {
  readonly kvmgt: Kvmgt;
  readonly pageTrack: PageTrackTable;
  readonly dmaMapper: DmaMapper;
  readonly ppgtt: ShadowPpgtt;
  readonly oos: OosSync;
  readonly mmList: PpgttMmList;
  readonly builder: GuestPpgttBuilder;
  /** GAMW_ECO_DEV_RW_IA's 64K IPS field as the guest set it (read on Gen9 only). */
  gamwIps64k = false;
  failsafe = false;
  oosEnabled = false;
  traps = 0;
  lockHeld = false;
  lockHolder: KernelFn | '' = '';

  /** init: build the scratch tables (a clone copies them instead). */
  constructor(
    readonly name: string,
    readonly index: number,
    readonly memory: GuestMemory,
    private readonly machine: VgpuHost,
    init = true,
  ) {
    memory.onNewPage = () => machine.guestPagesWritten++;
    memory.onCopiedPage = () => machine.guestPagesCopied++;
    this.kvmgt = new Kvmgt(this, memory);
    this.pageTrack = new PageTrackTable(this, this.kvmgt, memory.pageCount);
    this.dmaMapper = new DmaMapper(this, this.kvmgt);
    // The OOS list is built after the PPGTT it syncs; the PPGTT reaches it through these hooks.
    const oosHooks = { detach: (spt: Spt) => this.oos.detach(spt), recordWrite: (spt: Spt, i: number, we: GttEntry) => this.oos.recordWrite(spt, i, we) };
    this.ppgtt = new ShadowPpgtt(this, memory, this.kvmgt, this.pageTrack, this.dmaMapper, oosHooks, (pp) => new PpgttWriteHandler(pp));
    this.oos = new OosSync(this, memory, machine.oosPool, this.pageTrack, this.ppgtt);
    this.mmList = new PpgttMmList(this, this.ppgtt);
    this.builder = new GuestPpgttBuilder(memory, (at, data) => this.guestStore(at, data));
    if (init) this.ppgtt.initScratch();
  }

  /** kvmgt's DMA cache (what the views and the GPU walker read). */
  get dma(): DmaMap {
    return this.dmaMapper.cache;
  }

  /** How the host backs this guest's memory (what a 2M pin finds). */
  get backing(): HostBacking {
    return this.dmaMapper.backing;
  }

  /** Calls per scenario handler name (the variables view). */
  get handlerCalls(): ReadonlyMap<string, number> {
    return this.pageTrack.handlerCalls;
  }

  get origin(): unknown {
    return this.machine.origin;
  }

  get tracer(): Tracer | null {
    return this.machine.tracer;
  }

  get profile(): KernelProfile {
    return this.machine.profile;
  }

  get host(): HostMemory {
    return this.machine.host;
  }

  note(e: CoreEvent): void {
    this.machine.tracer?.note(e);
  }

  /**
   * A kernel hazard (docs/kernel-model.md §6, §7): logged on the machine whether or not anyone
   * traces (so `expect hazard` and the debugger's kernel-hazard filter see it), and noted.
   */
  hazard(kind: HazardKind, message: string): void {
    this.machine.hazards.record(kind);
    this.machine.tracer?.note({ kind: 'hazard', vgpu: this.name, hazard: kind, message });
  }

  setLock(held: boolean, by: KernelFn): void {
    this.lockHeld = held;
    this.lockHolder = held ? by : '';
    const t = this.machine.tracer;
    if (t) noteLock(t, this.name, held, by);
  }

  // ---- guest CPU ------------------------------------------------------------------------

  /**
   * A guest store. KVM splits it at page boundaries; each piece is written to guest memory first,
   * then, if KVM write-tracks the gfn, kvmgt_page_track_write is notified (and its result dropped).
   */
  guestStore(at: Gpa, data: Uint8Array): StoreResult {
    let traps = 0;
    let ret = 0;
    let off = 0;
    while (off < data.length) {
      const a = at + off;
      const inPage = PAGE_SIZE - pageOffset(a);
      const n = Math.min(data.length - off, inPage);
      const piece = n === data.length ? data : data.subarray(off, off + n);
      this.memory.writeInPage(a as Gpa, piece);
      const g = Math.floor(a / PAGE_SIZE);
      const tracked = this.kvmgt.isWriteTracked(g);
      const t = this.machine.tracer;
      if (t) noteStore(t, this.name, a as Gpa, n, tracked && this.kvmgt.attached);
      if (t && tracked && !this.kvmgt.attached) noteDetachedStore(t, this.name, g as Gfn);
      // Detached: kvmgt's notifier is unregistered; KVM may still emulate the store, nobody is told.
      if (tracked && this.kvmgt.attached) {
        const r = this.kvmgtPageTrackWrite(a as Gpa, piece, n);
        if (r !== undefined) {
          traps++;
          if (ret === 0) ret = r;
        }
      }
      off += n;
    }
    return storeResult(traps, ret);
  }

  /** kvmgt_page_track_write: the dispatcher's result is thrown away by the kernel; we keep it for `ret`. */
  private kvmgtPageTrackWrite(at: Gpa, data: Uint8Array, bytes: number): number | undefined {
    const t = this.machine.tracer;
    if (t) enterGpa(t, 'kvmgt_page_track_write', at, bytes);
    const newest = this.machine.profile === 'newest';
    if (newest) this.setLock(true, 'kvmgt_page_track_write');
    const g = gpaToGfn(at);
    let ret: number | undefined;
    if (this.kvmgt.isProtected(g)) {
      this.traps++;
      const done = t || this.machine.trapObserver ? this.reportTrap(g, at, bytes) : undefined;
      ret = this.pageTrack.dispatch(at, data, bytes);
      if (done) done(ret);
      if (ret !== 0 && t) noteTrapIgnored(t, this.name, at, ret);
    }
    if (newest) this.setLock(false, 'kvmgt_page_track_write');
    t?.leave('kvmgt_page_track_write');
    return ret;
  }

  /**
   * intel_vgpu_page_track_handler called directly (the `dispatch` statement): what kvmgt would do for
   * a protected gfn, minus the store and the protect-table check. Observers see it as a trap.
   */
  dispatchDirect(at: Gpa, bytes: number): number {
    const t = this.machine.tracer;
    const newest = this.machine.profile === 'newest';
    if (newest) this.setLock(true, 'kvmgt_page_track_write');
    const data = this.memory.readBytes(at, bytes);
    const done = t || this.machine.trapObserver ? this.reportTrap(gpaToGfn(at), at, bytes) : undefined;
    const ret = this.pageTrack.dispatch(at, data, bytes);
    if (done) done(ret);
    if (newest) this.setLock(false, 'kvmgt_page_track_write');
    return ret;
  }

  /** The trap note and the trap observer (breakpoints); out of line of the trap path (hotPathTrace.ts). */
  private reportTrap(g: Gfn, at: Gpa, bytes: number): ((ret: number) => void) | void {
    this.machine.tracer?.note({ kind: 'trap', vgpu: this.name, gpa: at, bytes, record: this.trapRecordState(g) });
    return this.machine.trapObserver?.(this, at, bytes);
  }

  /** What a trap to gfn g finds: a record that is tracked, one that is not (stale or disabled), or none. */
  trapRecordState(g: Gfn | number): TrapRecordState {
    const rec = this.pageTrack.find(g as Gfn);
    return !rec ? 'none' : rec.tracked ? 'tracked' : 'untracked';
  }

  // ---- GVT ------------------------------------------------------------------------------

  /** The PPGTT mm objects, in creation order. */
  get mms(): PpgttMm[] {
    return this.mmList.mms;
  }

  /** The mm named by a gfn (its PML4, or pdps[0] for L3), as the views and `expect … mm` name it. */
  findMm(root: Gfn): PpgttMm | undefined {
    return this.mmList.byRootGfn(root);
  }

  /** The mm the GPU walks: the last one created or referenced. */
  activeMm(): PpgttMm | undefined {
    return this.mmList.active;
  }

  /** IPS honoured for this vGPU (vgpu_ips_enabled): the platform, and on Gen9 the guest's register. */
  get ipsEnabled(): boolean {
    return ipsEnabled(this.machine.platform, this.gamwIps64k);
  }

  /** The host's i915 has 2M GTT pages (HAS_PAGE_SIZES): else every 2M entry is split. */
  get host2M(): boolean {
    return hostHas2MGttPages(this.machine.platform, this.profile);
  }

  /**
   * Failsafe: every MMIO write is only a virtual register update (failsafe_emulate_mmio_rw), so a
   * g2v notification or an ELSP submission does nothing (§7.5). True when the request was swallowed.
   */
  private swallowedByFailsafe(request: string): boolean {
    if (!this.failsafe) return false;
    const t = this.machine.tracer;
    t?.enter('failsafe_emulate_mmio_rw', { request });
    t?.note({ kind: 'mmio-ignored', vgpu: this.name, request });
    t?.leave('failsafe_emulate_mmio_rw', 0);
    return true;
  }

  /** g2v CREATE (4-level): intel_vgpu_get_ppgtt_mm. */
  shadow(root: Gfn): number {
    return this.shadowRoots('L4', [root]);
  }

  /** g2v DESTROY (4-level): intel_vgpu_put_ppgtt_mm. */
  unshadow(root: Gfn): number {
    return this.unshadowRoots('L4', [root]);
  }

  /** g2v CREATE for either root type (L3: four page-directory gfns). */
  shadowRoots(type: RootType, pdps: readonly Gfn[]): number {
    if (this.swallowedByFailsafe(type === 'L4' ? 'PPGTT_L4_PAGE_TABLE_CREATE' : 'PPGTT_L3_PAGE_TABLE_CREATE')) return 0;
    return this.leakCheck(() => this.mmList.get(type, pdps));
  }

  /** g2v DESTROY for either root type. */
  unshadowRoots(type: RootType, pdps: readonly Gfn[]): number {
    if (this.swallowedByFailsafe(type === 'L4' ? 'PPGTT_L4_PAGE_TABLE_DESTROY' : 'PPGTT_L3_PAGE_TABLE_DESTROY')) return 0;
    return this.mmList.put(pdps);
  }

  /** prepare_workload: pin (shadow if needed), sync OOS pages, flush post-shadow; first error wins. */
  submit(): number {
    if (this.swallowedByFailsafe('ELSP submission')) return 0;
    const t = this.machine.tracer;
    t?.enter('prepare_workload', { mms: this.mmList.size });
    let ret = this.leakCheck(() => this.mmList.pinAll()); // a failed re-shadow leaks like a failed create
    if (ret === 0) ret = this.oos.syncAll();
    if (ret === 0) ret = flushPostShadow(this.ppgtt);
    t?.leave('prepare_workload', ret);
    return ret;
  }

  /** enter_failsafe_mode: only a flag; page-track handler failures never get here. */
  enterFailsafe(reason = 'GVT_FAILSAFE_GUEST_ERR'): void {
    const t = this.machine.tracer;
    t?.enter('enter_failsafe_mode', { reason });
    this.failsafe = true;
    t?.note({ kind: 'failsafe', vgpu: this.name, on: true, reason });
    t?.leave('enter_failsafe_mode');
  }

  /**
   * intel_gvt_reset_vgpu_locked(dmlr): invalidate every mm and drop one reference each, force-free
   * the spts left in spt_tree (ppgtt_free_all_spt), clear failsafe.
   */
  reset(): void {
    const t = this.machine.tracer;
    t?.enter('intel_gvt_reset_vgpu_locked', { dmlr: true });
    this.mmList.resetAll();
    const left = this.ppgtt.allSpts(); // ppgtt_free_all_spt: whatever is still in spt_tree
    if (left.length > 0) {
      t?.note({ kind: 'kernel-log', vgpu: this.name, message: 'Why we still has spt not freed?' });
      for (const s of left) if (!s.freed) this.ppgtt.freeSpt(s);
    }
    this.ppgtt.postShadowList.clear();
    if (this.failsafe) {
      this.failsafe = false;
      t?.note({ kind: 'failsafe', vgpu: this.name, on: false });
    }
    t?.leave('intel_gvt_reset_vgpu_locked');
  }

  /**
   * intel_vgpu_close_device: the page-track notifier is unregistered and the protect table freed
   * whole (KVM's write tracking is not removed gfn by gfn), then gvt_cache_destroy unmaps every DMA
   * mapping. No store reaches kvmgt until attach, and no DMA map succeeds (§7.2). The PPGTT mms
   * are not destroyed: their shadow leaves now point at unpinned pages.
   */
  detach(): void {
    if (!this.kvmgt.attached) return;
    const t = this.machine.tracer;
    t?.enter('intel_vgpu_close_device', {});
    const dropped = this.kvmgt.detach();
    this.pageTrack.touchAll();
    t?.note({ kind: 'attach', vgpu: this.name, attached: false, dropped });
    const dma = this.dmaMapper.destroyCache();
    if (t && dma.mappings > 0) {
      t.note({ kind: 'kernel-log', vgpu: this.name, message: `gvt_cache_destroy: ${dma.mappings} DMA mapping(s) unmapped and unpinned` });
      if (dma.refs > 0) t.note({ kind: 'surprise', vgpu: this.name, message: `the mappings gvt_cache_destroy dropped still had ${dma.refs} reference(s): the shadow PPGTT survives the close, and its entries that used them point at pages that are no longer pinned` });
    }
    t?.leave('intel_vgpu_close_device');
  }

  /** intel_vgpu_open_device: a new, empty protect table; records still marked tracked are now stale. */
  attach(): void {
    if (this.kvmgt.attached) return;
    const t = this.machine.tracer;
    t?.enter('intel_vgpu_open_device', {});
    this.kvmgt.attached = true;
    if (t) {
      const stale = this.pageTrack.tracked; // the new protect table is empty: every tracked record is stale
      t.note({ kind: 'attach', vgpu: this.name, attached: true, stale });
      if (stale > 0) t.note({ kind: 'surprise', vgpu: this.name, message: `${stale} record(s) still say tracked, but the new protect table is empty: their stores no longer trap, and enable returns 0 without protecting (stale)` });
    }
    t?.leave('intel_vgpu_open_device');
  }

  /** spts no mm reaches: leaked by a failed populate (the kernel frees them only at reset). */
  unreachableSpts(): number {
    return this.ppgtt.unreachableFrom(this.mms.flatMap((mm) => mm.shadowPdps));
  }

  /** A memslot removed under the guest (kvmgt_page_track_remove_region / _flush_slot). */
  removeMemslot(from: Gfn, to: Gfn): number {
    this.pageTrack.touchAll();
    return this.kvmgt.removeRegion(from, to, (g) => this.pageTrack.find(g)?.tracked === true);
  }

  /** Copies this vGPU's own state and each piece's into `copy` (copySpt: the machine-wide spt copier). */
  cloneInto(copy: Vgpu, copySpt: (s: Spt) => Spt): void {
    this.kvmgt.cloneInto(copy.kvmgt);
    this.dmaMapper.cloneInto(copy.dmaMapper);
    this.pageTrack.cloneInto(
      copy.pageTrack,
      (priv) => (priv instanceof Spt ? copySpt(priv) : priv),
      (h) => (h === this.ppgtt.writeHandler ? copy.ppgtt.writeHandler : h),
    );
    this.ppgtt.cloneInto(copy.ppgtt, copySpt);
    this.oos.cloneInto(copy.oos, copySpt);
    this.mmList.cloneInto(copy.mmList);
    this.builder.cloneInto(copy.builder);
    const { gamwIps64k, failsafe, oosEnabled, traps, lockHeld, lockHolder } = this;
    Object.assign(copy, { gamwIps64k, failsafe, oosEnabled, traps, lockHeld, lockHolder });
  }

  /**
   * Runs a populate (CREATE, a submit's re-shadow); when it fails and an spt it allocated is still
   * allocated, counts those no mm reaches: this populate's leak. Only then are the mms' tables
   * walked (20,000 failed CREATEs that freed what they made walked 5,000 spts each time).
   */
  private leakCheck(populate: () => number): number {
    const log: Spt[] = [];
    this.ppgtt.allocLog = log;
    let ret: number;
    try {
      ret = populate();
    } finally {
      this.ppgtt.allocLog = null; // populates do not nest
    }
    const kept = ret !== 0 ? log.filter((s) => !s.freed) : [];
    if (kept.length > 0) {
      const reachable = this.ppgtt.reachableFrom(this.mms.flatMap((mm) => mm.shadowPdps));
      const n = kept.filter((s) => !reachable.has(s.mfn)).length;
      if (n > 0) this.hazard('leak', `${n} shadow page(s) reachable from no mm: leaked by this failed populate (still registered and write-protected; freed only at vGPU reset)`);
    }
    return ret;
  }
}
