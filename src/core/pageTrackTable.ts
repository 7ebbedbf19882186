// page_track.c: the per-vGPU page-track records (vgpu->page_track_tree, keyed by gfn) and the
// write dispatcher intel_vgpu_page_track_handler. Return codes and edge cases as KERNEL-SEMANTICS
// §3.1: registering never write-protects, enable/disable are idempotent on `tracked`, the
// dispatcher ignores `tracked`, and a handler failure is only logged (it never enters failsafe).

import { EEXIST, ENXIO } from './errno';
import { gpaToGfn, hex, type Gfn, type Gpa } from './address';
import type { Vgpu } from './vgpu';

/** The handler type of page_track.h: (record, gpa, data, bytes) → 0 or -errno. */
export interface TrackHandler {
  readonly name: string;
  handle(vgpu: Vgpu, record: PageTrackRecord, at: Gpa, data: Uint8Array, bytes: number): number;
}

/** struct intel_vgpu_page_track, plus how often the dispatcher reached it (for the UI). */
export class PageTrackRecord {
  tracked = false;
  hits = 0;
  constructor(
    readonly gfn: Gfn,
    readonly handler: TrackHandler,
    readonly priv: unknown,
  ) {}
}

export class PageTrackTable {
  private readonly records = new Map<number, PageTrackRecord>();

  constructor(private readonly vgpu: Vgpu) {}

  get size(): number {
    return this.records.size;
  }

  /** Records in gfn order (the radix tree's order). */
  all(): PageTrackRecord[] {
    return [...this.records.values()].sort((a, b) => a.gfn - b.gfn);
  }

  /** intel_vgpu_find_page_track: a lookup, no side effects. */
  find(g: Gfn): PageTrackRecord | undefined {
    return this.records.get(g);
  }

  /** intel_vgpu_register_page_track: -EEXIST if any record holds the gfn (nothing compared). */
  register(g: Gfn, handler: TrackHandler, priv: unknown): number {
    const t = this.vgpu.tracer;
    t?.enter('intel_vgpu_register_page_track', { gfn: g, handler: handler.name });
    let ret = 0;
    if (this.records.has(g)) {
      ret = -EEXIST;
    } else {
      this.records.set(g, new PageTrackRecord(g, handler, priv));
      t?.note({ kind: 'record', vgpu: this.vgpu.name, gfn: g, change: 'registered', handler: handler.name });
    }
    t?.leave('intel_vgpu_register_page_track', ret);
    return ret;
  }

  /** intel_vgpu_unregister_page_track: unknown gfn is a silent no-op; the hypervisor result is ignored. */
  unregister(g: Gfn): void {
    const t = this.vgpu.tracer;
    t?.enter('intel_vgpu_unregister_page_track', { gfn: g });
    const rec = this.records.get(g);
    if (rec) {
      this.records.delete(g);
      if (rec.tracked) this.vgpu.kvmgt.remove(g);
      t?.note({ kind: 'record', vgpu: this.vgpu.name, gfn: g, change: 'unregistered', handler: rec.handler.name });
    }
    t?.leave('intel_vgpu_unregister_page_track');
  }

  /** intel_vgpu_enable_page_track: -ENXIO without a record; 0 at once if already tracked. */
  enable(g: Gfn): number {
    const t = this.vgpu.tracer;
    t?.enter('intel_vgpu_enable_page_track', { gfn: g });
    const rec = this.records.get(g);
    let ret = 0;
    if (!rec) {
      ret = -ENXIO;
    } else if (!rec.tracked) {
      ret = this.vgpu.kvmgt.add(g);
      if (ret === 0) {
        rec.tracked = true;
        t?.note({ kind: 'record', vgpu: this.vgpu.name, gfn: g, change: 'tracked', handler: rec.handler.name });
      }
    }
    t?.leave('intel_vgpu_enable_page_track', ret);
    return ret;
  }

  /** intel_vgpu_disable_page_track: the mirror of enable; a failed remove keeps tracked true. */
  disable(g: Gfn): number {
    const t = this.vgpu.tracer;
    t?.enter('intel_vgpu_disable_page_track', { gfn: g });
    const rec = this.records.get(g);
    let ret = 0;
    if (!rec) {
      ret = -ENXIO;
    } else if (rec.tracked) {
      ret = this.vgpu.kvmgt.remove(g);
      if (ret === 0) {
        rec.tracked = false;
        t?.note({ kind: 'record', vgpu: this.vgpu.name, gfn: g, change: 'untracked', handler: rec.handler.name });
      }
    }
    t?.leave('intel_vgpu_disable_page_track', ret);
    return ret;
  }

  /**
   * intel_vgpu_page_track_handler. Newest kernels: the caller (kvmgt) holds vgpu_lock; legacy
   * kernels take it here. Failsafe removes protection without calling the handler; newest kernels
   * call kvmgt's remove directly and so leave `tracked` stale (§6), legacy ones go through disable.
   */
  dispatch(at: Gpa, data: Uint8Array, bytes: number): number {
    const v = this.vgpu;
    const t = v.tracer;
    t?.enter('intel_vgpu_page_track_handler', { gpa: at, bytes });
    if (v.profile === 'legacy') v.setLock(true, 'intel_vgpu_page_track_handler');
    const g = gpaToGfn(at);
    const rec = this.records.get(g);
    let ret: number;
    if (!rec) {
      ret = -ENXIO;
    } else if (v.failsafe) {
      if (v.profile === 'newest') {
        v.kvmgt.remove(g);
        if (rec.tracked) t?.note({ kind: 'surprise', vgpu: v.name, message: `failsafe: protection of gfn ${hex(g)} removed, but tracked stays true (a later enable returns 0 and never re-protects)` });
      } else {
        this.disable(g);
      }
      ret = 0;
    } else {
      rec.hits++;
      ret = rec.handler.handle(v, rec, at, data, bytes);
      if (ret !== 0) {
        t?.note({ kind: 'kernel-log', vgpu: v.name, message: `guest page write error, gpa ${hex(at)}` });
      }
    }
    if (v.profile === 'legacy') v.setLock(false, 'intel_vgpu_page_track_handler');
    t?.leave('intel_vgpu_page_track_handler', ret);
    return ret;
  }

  /** Copies records into another vGPU's table; priv is remapped (spts are cloned separately). */
  cloneInto(copy: PageTrackTable, remapPriv: (priv: unknown) => unknown): void {
    for (const [g, r] of this.records) {
      const c = new PageTrackRecord(r.gfn, r.handler, remapPriv(r.priv));
      c.tracked = r.tracked;
      c.hits = r.hits;
      copy.records.set(g, c);
    }
  }
}
