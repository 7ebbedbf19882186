// The read-only door into the simulation for everyone outside src/core (the debugger's variables,
// views and console, the CLI, `expect`): plain facts about a vGPU and its records, computed from
// the core's private tables here and nowhere else. Nothing returned aliases live state.

import type { Gfn } from './address';
import type { PageTrackRecord } from './pageTrackTable';
import type { Vgpu } from './vgpu';

/** A page-track record as the kernel keeps it, and what kvmgt really does about its gfn. */
export interface RecordFacts {
  readonly gfn: number;
  readonly handler: string;
  /** The record's flag. */
  readonly tracked: boolean;
  /** kvmgt's protect table holds the gfn: stores to it are reported to GVT. */
  readonly protected: boolean;
  /** Tracked but not protected (after failsafe on newest kernels, a memslot removal, or detach). */
  readonly stale: boolean;
  readonly hits: number;
}

export interface VgpuFacts {
  readonly name: string;
  readonly traps: number;
  readonly failsafe: boolean;
  readonly oosEnabled: boolean;
  readonly attached: boolean;
  readonly ipsEnabled: boolean;
  /** Who holds vgpu_lock, if anyone. */
  readonly lockHolder: string | undefined;
  readonly records: number;
  readonly tracked: number;
  readonly stale: number;
  /** gfns in kvmgt's protect table, ascending. */
  readonly protectedGfns: readonly number[];
  readonly spts: number;
  readonly mms: number;
  /** The spts queued for the post-shadow flush, in list order. */
  readonly postShadowQueue: ReadonlyArray<{ readonly mfn: number; readonly gfn: number }>;
  /** Guest gfns of the pages out of sync. */
  readonly oosPages: readonly number[];
  readonly dmaMappings: number;
  readonly dmaReferences: number;
}

export function recordFacts(v: Vgpu, rec: PageTrackRecord): RecordFacts {
  const prot = v.kvmgt.protectTable.has(rec.gfn);
  return { gfn: rec.gfn, handler: rec.handler.name, tracked: rec.tracked, protected: prot, stale: rec.tracked && !prot, hits: rec.hits };
}

/** Whether kvmgt reports stores to this gfn (it is in the protect table). */
export function isProtected(v: Vgpu, g: Gfn | number): boolean {
  return v.kvmgt.protectTable.has(g);
}

/** What every stop reports of a vGPU (the views' summary): counts kept as they change, no walk. */
export interface VgpuCounts {
  readonly name: string;
  readonly traps: number;
  readonly failsafe: boolean;
  readonly oosEnabled: boolean;
  readonly records: number;
  /** Records with `tracked` set, stale ones included. */
  readonly tracked: number;
  readonly spts: number;
  readonly mms: number;
}

export function vgpuCounts(v: Vgpu): VgpuCounts {
  return { name: v.name, traps: v.traps, failsafe: v.failsafe, oosEnabled: v.oosEnabled, records: v.pageTrack.size, tracked: v.pageTrack.tracked, spts: v.ppgtt.sptByMfn.size, mms: v.mmList.size };
}

/** The spts queued for the post-shadow flush, in queue order. */
export function postShadowQueue(v: Vgpu): Array<{ mfn: number; gfn: number }> {
  return [...v.ppgtt.postShadowList].map((s) => ({ mfn: s.mfn, gfn: s.guestGfn }));
}

/** Guest gfns of the pages out of sync, oldest first. */
export function oosPages(v: Vgpu): number[] {
  return v.oos.list.map((s) => s.guestGfn);
}

export function vgpuFacts(v: Vgpu): VgpuFacts {
  const recs = v.pageTrack.all();
  let tracked = 0;
  let stale = 0;
  for (const r of recs) {
    if (!r.tracked) continue;
    tracked++;
    if (!v.kvmgt.protectTable.has(r.gfn)) stale++;
  }
  return {
    name: v.name,
    traps: v.traps,
    failsafe: v.failsafe,
    oosEnabled: v.oosEnabled,
    attached: v.kvmgt.attached,
    ipsEnabled: v.ipsEnabled,
    lockHolder: v.lockHeld ? v.lockHolder : undefined,
    records: recs.length,
    tracked,
    stale,
    protectedGfns: [...v.kvmgt.protectTable], // ascending already
    spts: v.ppgtt.sptByMfn.size,
    mms: v.mmList.size,
    postShadowQueue: postShadowQueue(v),
    oosPages: oosPages(v),
    dmaMappings: v.dma.size,
    dmaReferences: v.dma.references,
  };
}
