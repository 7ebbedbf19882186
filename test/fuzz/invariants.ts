// The core's invariants, checked after every statement of a generated scenario (the fuzzer):
//  1. protection: a record says tracked exactly when kvmgt's protect table holds its gfn, except
//     where the kernel makes records stale (failsafe on newest kernels, memslot removal, detach);
//  2. references: every live spt's refcount equals the shadow roots and shadow entries that point
//     at it, unless a kernel hazard (a leak, a use-after-free) has been flagged;
//  3. no freed spt is reachable from an mm or from a record's priv, again unless a hazard said so.
// Reads the core through its public objects only.

import { GttType, Spt, pointsToTable } from '../../src/core';
import type { Stmt } from '../../src/dsl/ast';
import type { Interpreter } from '../../src/dsl/interpreter';

export interface InvariantContext {
  /** vGPUs whose records may be stale (the kernel's documented cases happened). */
  staleAllowed: Set<string>;
  afterSubmit: boolean;
}

export function checkInvariants(interp: Interpreter, stmt: Stmt, cx: InvariantContext): string | undefined {
  const m = interp.machine;
  if (stmt.kind === 'failsafe' || stmt.kind === 'memslotRemove' || stmt.kind === 'detach' || stmt.kind === 'attach') cx.staleAllowed.add(stmt.vgpu.name);
  for (const v of m.vgpus.values()) {
    const tracked = v.pageTrack.all().filter((r) => r.tracked).length;
    if (v.pageTrack.tracked !== tracked) return `${v.name}: the page-track table counts ${v.pageTrack.tracked} tracked records, ${tracked} are`;
    if (!cx.staleAllowed.has(v.name)) {
      for (const rec of v.pageTrack.all()) {
        const prot = v.kvmgt.protectTable.has(rec.gfn);
        if (rec.tracked !== prot) return `${v.name} gfn 0x${rec.gfn.toString(16)}: tracked ${rec.tracked} but protected ${prot}`;
      }
      for (const g of v.kvmgt.protectTable) {
        if (!v.pageTrack.find(g as never)) return `${v.name} gfn 0x${g.toString(16)} is protected with no record`;
      }
    }
    if (m.hazards.total > 0) continue;
    const refs = new Map<number, number>();
    const add = (mfn: number): void => void refs.set(mfn, (refs.get(mfn) ?? 0) + 1);
    for (const mm of v.mms) for (const se of mm.shadowPdps) if (se.present()) add(se.pfn());
    const spts = v.ppgtt.allSpts();
    for (const s of spts) {
      if (s.shadowType === GttType.PTE_PT) continue;
      for (let i = 0; i < 512; i++) {
        const e = s.getShadowEntry(i);
        if (e.present() && pointsToTable(e.type) && !v.ppgtt.isScratch(e.pfn())) add(e.pfn());
      }
    }
    for (const s of spts) {
      const n = refs.get(s.mfn) ?? 0;
      if (s.refcount !== n) return `${v.name} spt mfn 0x${s.mfn.toString(16)} (gfn 0x${s.guestGfn.toString(16)}): refcount ${s.refcount}, ${n} reference(s)`;
    }
    for (const rec of v.pageTrack.all()) {
      if (rec.priv instanceof Spt && rec.priv.freed) return `${v.name} gfn 0x${rec.gfn.toString(16)}: the record's spt is freed (no hazard was flagged)`;
    }
  }
  return undefined;
}
