// struct intel_vgpu_ppgtt_spt: one shadow page table, the host page the GPU walks, paired with
// the guest page-table page it mirrors (gfn 0 = no guest page: the sub-table of a split 2M entry).
// One guest page has one spt per vGPU, shared by every parent that points at it (refcount).

import { type Gfn, type Mfn } from './address';
import { BIT_IPS, GttEntry, GttType, entryTypeOf, realEntryType } from './gen8Entry';
import type { OosPage } from './oosPool';

export const ENTRIES_PER_PAGE = 512;

export class Spt {
  refcount = 1;
  /** Set by ppgtt_free_spt; a record left pointing here (gfn 0, docs/kernel-model.md §6.3) is a use-after-free. */
  freed = false;
  guestGfn = 0 as Gfn;
  guestType: GttType;
  pdeIps = false;
  writeCnt = 0;
  oosPage: OosPage<Spt> | null = null;
  /** post_shadow_bitmap: one byte per entry index (set = a 4-byte write awaits the flush). */
  readonly postShadow = new Uint8Array(ENTRIES_PER_PAGE);
  postShadowCount = 0;
  onPostShadowList = false;
  /** entryTypeOf(shadowType), once (read on every shadow-entry load). */
  private readonly entryType: GttType;

  constructor(
    readonly mfn: Mfn,
    readonly shadowType: GttType,
    /** The host page: 512 entries as (lo, hi) pairs. */
    readonly shadow: Uint32Array,
  ) {
    this.guestType = shadowType;
    this.entryType = entryTypeOf(shadowType);
  }

  /** ppgtt_get_shadow_entry: shadow reads never yield 64K. */
  getShadowEntry(i: number): GttEntry {
    const e = new GttEntry(this.shadow[2 * i], this.shadow[2 * i + 1], this.entryType);
    e.type = realEntryType(e.type, e, false);
    return e;
  }

  setShadowEntry(i: number, e: GttEntry): void {
    this.shadow[2 * i] = e.lo;
    this.shadow[2 * i + 1] = e.hi;
  }

  shadowLo(i: number): number {
    return this.shadow[2 * i];
  }

  shadowHi(i: number): number {
    return this.shadow[2 * i + 1];
  }

  /** A copy over `shadow` (the copied host page); its OOS page is re-linked by the OOS list's clone. */
  cloneWith(shadow: Uint32Array): Spt {
    const c = new Spt(this.mfn, this.shadowType, shadow);
    c.refcount = this.refcount;
    c.freed = this.freed;
    c.guestGfn = this.guestGfn;
    c.guestType = this.guestType;
    c.pdeIps = this.pdeIps;
    c.writeCnt = this.writeCnt;
    c.postShadow.set(this.postShadow);
    c.postShadowCount = this.postShadowCount;
    c.onPostShadowList = this.onPostShadowList;
    return c;
  }
}

/** ppgtt_generate_shadow_entry: the guest entry with the child's shadow mfn; IPS cleared in a PDE. */
export function generateShadowEntry(child: Spt, ge: GttEntry): GttEntry {
  const se = ge.copy();
  se.setPfn(child.mfn);
  if (se.type === GttType.PDE_ENTRY) se.lo &= ~BIT_IPS;
  return se;
}

