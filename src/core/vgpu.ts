// struct intel_vgpu as far as page tracking goes: guest memory, the page-track table, the KVMGT
// backend, the shadow PPGTT and its mm objects, failsafe, and the guest store path that traps.

import { PAGE_SIZE, gpaToGfn, hex, type Gfn, type Gpa, type Mfn } from './address';
import { DmaMap } from './dmaMap';
import type { CoreEvent, KernelFn, Tracer } from './events';
import { GuestMemory } from './guestMemory';
import { GuestPpgttBuilder } from './guestPpgttBuilder';
import { enterGpa, noteDma, noteLock, noteStore, noteTrapIgnored } from './hotPathTrace';
import type { HostMemory } from './hostMemory';
import { Kvmgt } from './kvmgt';
import type { OosPool } from './oosPool';
import { OosSync } from './oosSync';
import { PageTrackTable } from './pageTrackTable';
import { PpgttMm, invalidatePpgttMm, shadowPpgttMm } from './ppgttMm';
import type { KernelProfile } from './profile';
import { ShadowPpgtt } from './shadowPpgtt';
import { flushPostShadow } from './postShadowFlush';

export interface StoreResult {
  /** The store (or a page of it) reached the dispatcher. */
  trapped: boolean;
  /** The first non-zero dispatcher result, else 0. */
  ret: number;
  /** How many pages of the store trapped. */
  traps: number;
}

/** What a vGPU needs from the machine it lives in. */
export interface VgpuHost {
  readonly host: HostMemory;
  readonly oosPool: OosPool;
  profile: KernelProfile;
  tracer: Tracer | null;
  /** Called as a store traps, before the dispatcher runs: cheap enough to leave on (breakpoints). */
  trapObserver: TrapObserver | null;
  /** Whoever is driving the machine (the interpreter's current statement); stamped on new records. */
  origin: unknown;
}

export type TrapRecordState = 'tracked' | 'untracked' | 'none';
/** Called before the dispatcher runs; may return a callback that receives the dispatcher's result. */
export type TrapObserver = (v: Vgpu, at: Gpa, bytes: number, record: TrapRecordState) => ((ret: number) => void) | void;

export class Vgpu {
  memory: GuestMemory;
  readonly kvmgt: Kvmgt;
  readonly pageTrack: PageTrackTable;
  readonly ppgtt: ShadowPpgtt;
  readonly oos: OosSync;
  readonly dma = new DmaMap();
  readonly builder: GuestPpgttBuilder;
  /** PPGTT mm objects by root gfn, in creation order. */
  mms: PpgttMm[] = [];
  activeRoot: number | undefined;
  failsafe = false;
  oosEnabled = false;
  traps = 0;
  /** Calls per scenario handler name (handlers themselves are stateless, so snapshots stay exact). */
  handlerCalls = new Map<string, number>();
  lockHeld = false;
  lockHolder: KernelFn | '' = '';

  constructor(
    readonly name: string,
    readonly index: number,
    memoryBytes: number,
    private readonly machine: VgpuHost,
    init = true,
  ) {
    this.memory = new GuestMemory(memoryBytes);
    this.kvmgt = new Kvmgt(this);
    this.pageTrack = new PageTrackTable(this);
    this.ppgtt = new ShadowPpgtt(this);
    this.oos = new OosSync(this, machine.oosPool);
    this.builder = new GuestPpgttBuilder(this);
    if (init) this.ppgtt.initScratch();
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
    const result: StoreResult = { trapped: false, ret: 0, traps: 0 };
    let off = 0;
    while (off < data.length) {
      const a = at + off;
      const inPage = PAGE_SIZE - (a % PAGE_SIZE);
      const n = Math.min(data.length - off, inPage);
      const piece = n === data.length ? data : data.subarray(off, off + n);
      this.memory.writeInPage(a as Gpa, piece);
      const g = Math.floor(a / PAGE_SIZE);
      const tracked = this.kvmgt.isWriteTracked(g);
      const t = this.machine.tracer;
      if (t) noteStore(t, this.name, a as Gpa, n, tracked);
      if (tracked) {
        const r = this.kvmgtPageTrackWrite(a as Gpa, piece, n);
        if (r !== undefined) {
          result.trapped = true;
          result.traps++;
          if (result.ret === 0) result.ret = r;
        }
      }
      off += n;
    }
    return result;
  }

  /** kvmgt_page_track_write: the dispatcher's result is thrown away by the kernel; we keep it for `ret`. */
  private kvmgtPageTrackWrite(at: Gpa, data: Uint8Array, bytes: number): number | undefined {
    const t = this.machine.tracer;
    if (t) enterGpa(t, 'kvmgt_page_track_write', at, bytes);
    const newest = this.machine.profile === 'newest';
    if (newest) this.setLock(true, 'kvmgt_page_track_write');
    const g = gpaToGfn(at);
    let ret: number | undefined;
    if (this.kvmgt.protectTable.has(g)) {
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

  /** The trap note and the trap observer (breakpoints); out of line of the trap path (hotPathTrace.ts). */
  private reportTrap(g: Gfn, at: Gpa, bytes: number): ((ret: number) => void) | void {
    const rec = this.pageTrack.find(g);
    const state: TrapRecordState = !rec ? 'none' : rec.tracked ? 'tracked' : 'untracked';
    this.machine.tracer?.note({ kind: 'trap', vgpu: this.name, gpa: at, bytes, record: state });
    return this.machine.trapObserver?.(this, at, bytes, state);
  }

  // ---- DMA (kvmgt gvt_dma) --------------------------------------------------------------

  /** intel_gvt_dma_map_guest_page: undefined when the gfn range has no memslot (the map fails). */
  dmaMapGuestPage(g: Gfn, pages: number): Mfn | undefined {
    for (let k = 0; k < pages; k += pages === 1 ? 1 : 511) {
      if (!this.kvmgt.hasMemslot((g + k) as Gfn)) return undefined;
    }
    const m = this.host.backingFrame(this.index, g);
    this.dma.map(g, pages, m);
    const t = this.machine.tracer;
    if (t) noteDma(t, this.name, 'map', g, pages, m);
    return m;
  }

  dmaUnmap(m: Mfn): void {
    const mapping = this.dma.unmap(m);
    const t = this.machine.tracer;
    if (mapping && t) noteDma(t, this.name, 'unmap', mapping.gfn, mapping.pages, m);
  }

  // ---- GVT ------------------------------------------------------------------------------

  findMm(root: Gfn): PpgttMm | undefined {
    return this.mms.find((m) => m.rootGfn === root);
  }

  /** The mm the GPU walks: the last one shadowed or submitted. */
  activeMm(): PpgttMm | undefined {
    return this.activeRoot === undefined ? undefined : this.findMm(this.activeRoot as Gfn);
  }

  /** intel_vgpu_get_ppgtt_mm / create_ppgtt_mm: reuse an mm for the same root, else create and shadow. */
  shadow(root: Gfn): number {
    const t = this.machine.tracer;
    t?.enter('intel_vgpu_create_ppgtt_mm', { root: hex(root) });
    let mm = this.findMm(root);
    let ret = 0;
    if (mm) {
      ret = shadowPpgttMm(this, mm);
    } else {
      mm = new PpgttMm(root);
      ret = shadowPpgttMm(this, mm);
      if (ret === 0) this.mms.push(mm); // a failed create frees the mm (vgpu_free_mm)
    }
    if (ret === 0) this.activeRoot = root;
    this.reportLeakedSpts();
    t?.leave('intel_vgpu_create_ppgtt_mm', ret);
    return ret;
  }

  /** intel_vgpu_g2v_destroy_ppgtt_mm: -EINVAL for an unknown root; else release (invalidate). */
  unshadow(root: Gfn): number {
    const t = this.machine.tracer;
    t?.enter('intel_vgpu_destroy_ppgtt_mm', { root: hex(root) });
    const mm = this.findMm(root);
    let ret = 0;
    if (!mm) {
      t?.note({ kind: 'kernel-log', vgpu: this.name, message: 'fail to find ppgtt instance.' });
      ret = -22;
    } else {
      invalidatePpgttMm(this, mm);
      this.mms = this.mms.filter((m) => m !== mm);
      if (this.activeRoot === root) this.activeRoot = undefined;
      t?.note({ kind: 'mm', vgpu: this.name, root, change: 'destroyed' });
    }
    t?.leave('intel_vgpu_destroy_ppgtt_mm', ret);
    return ret;
  }

  /** prepare_workload: pin (shadow if needed), sync OOS pages, flush post-shadow; first error wins. */
  submit(): number {
    const t = this.machine.tracer;
    t?.enter('prepare_workload', { mms: this.mms.length });
    let ret = 0;
    for (const mm of this.mms) {
      mm.pincount++;
      ret = shadowPpgttMm(this, mm);
      mm.pincount--; // unpinned when the workload completes; never below 0
      if (ret !== 0) break;
    }
    if (ret === 0) ret = this.oos.syncAll();
    if (ret === 0) ret = flushPostShadow(this);
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

  /** intel_gvt_reset_vgpu_locked(dmlr): invalidate and destroy every mm, force-free leftovers, clear failsafe. */
  reset(): void {
    const t = this.machine.tracer;
    t?.enter('intel_gvt_reset_vgpu_locked', { dmlr: true });
    for (const mm of this.mms) invalidatePpgttMm(this, mm);
    for (const mm of this.mms) t?.note({ kind: 'mm', vgpu: this.name, root: mm.rootGfn, change: 'destroyed' });
    this.mms = [];
    this.activeRoot = undefined;
    const left = this.ppgtt.allSpts(); // ppgtt_free_all_spt: whatever is still in spt_tree
    if (left.length > 0) {
      t?.note({ kind: 'kernel-log', vgpu: this.name, message: 'Why we still has spt not freed?' });
      for (const s of left) if (!s.freed) this.ppgtt.freeSpt(s);
    }
    this.ppgtt.postShadowList = [];
    if (this.failsafe) {
      this.failsafe = false;
      t?.note({ kind: 'failsafe', vgpu: this.name, on: false });
    }
    t?.leave('intel_gvt_reset_vgpu_locked');
  }

  /** spts no mm reaches: leaked by a failed populate (the kernel frees them only at reset). */
  unreachableSpts(): number {
    const seen = new Set<number>();
    const visit = (m: number): void => {
      const s = this.ppgtt.findSptByMfn(m);
      if (!s || seen.has(m)) return;
      seen.add(m);
      for (let i = 0; i < 512; i++) {
        const e = s.getShadowEntry(i);
        if (e.present() && !this.ppgtt.isScratch(e.pfn())) visit(e.pfn());
      }
    };
    for (const mm of this.mms) if (mm.shadowRoot.present()) visit(mm.shadowRoot.pfn());
    return this.ppgtt.allSpts().filter((s) => !seen.has(s.mfn)).length;
  }

  private reportLeakedSpts(): void {
    const t = this.machine.tracer;
    if (!t) return;
    const n = this.unreachableSpts();
    if (n > 0) t.note({ kind: 'surprise', vgpu: this.name, message: `${n} shadow page(s) reachable from no mm: leaked by a failed populate (still registered and write-protected; freed only at vGPU reset)` });
  }
}
