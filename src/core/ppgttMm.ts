// PPGTT mm objects (struct intel_vgpu_mm): the guest root pointers a context supplies, their shadow
// roots, the kref that CREATE/DESTROY notifications move, and shadow/invalidate (shadow_ppgtt_mm,
// invalidate_ppgtt_mm). `shadowed` is set before populating and invalidate errors are ignored, as
// in the kernel (docs/kernel-model.md §6). Two shapes: ROOT_L4 (48-bit: one root naming the PML4)
// and ROOT_L3 (32-bit: four root pointers, each naming a page directory; no PDP page, §7.10).

import { EINVAL } from './errno';
import { hex, type Gfn } from './address';
import { GttEntry, GttType } from './gen8Entry';
import type { ShadowPpgtt } from './shadowPpgtt';

export type RootType = 'L4' | 'L3';

const emptyRoot = (type: RootType): GttEntry => new GttEntry(0, 0, type === 'L4' ? GttType.ROOT_L4 : GttType.ROOT_L3);

export class PpgttMm {
  shadowed = false;
  pincount = 0;
  /** kref: CREATE takes one (or creates the mm), DESTROY and a vGPU reset drop one; 0 releases. */
  refs = 1;
  /** shadow_pdps[]: for L4 only [0] is used (the shadow PML4); for L3 one per root pointer. */
  shadowPdps: GttEntry[];

  /** guest_pdps[]: L4 [pml4 gfn]; L3 four page-directory gfns (0 = none). */
  constructor(readonly rootType: RootType, readonly pdps: readonly Gfn[]) {
    this.shadowPdps = pdps.map(() => emptyRoot(rootType));
  }

  /** The gfn that names this mm in the UI and in `expect … mm GFN`: the PML4, or pdps[0] for L3. */
  get rootGfn(): Gfn {
    return this.pdps[0];
  }

  /** shadow_pdps[0] (the L4 root: the shadow PML4). */
  get shadowRoot(): GttEntry {
    return this.shadowPdps[0];
  }

  /**
   * intel_vgpu_find_ppgtt_mm: by the STORED mm's type, whatever the request's (the kernel takes no
   * type): an L4 mm matches on pdps[0] alone, so an L3 request whose first pointer is its PML4
   * finds it; an L3 mm compares all four (pointers a request does not name count as 0, as in the
   * PVINFO registers of a guest that wrote only pdp[0]: a simplification, since a 4-level
   * notification writes only pdp[0] and the other registers keep what an earlier 32-bit
   * notification left there).
   */
  matches(pdps: readonly number[]): boolean {
    if (this.rootType === 'L4') return pdps[0] === this.pdps[0];
    for (let i = 0; i < 4; i++) if ((pdps[i] ?? 0) !== (this.pdps[i] ?? 0)) return false;
    return true;
  }

  /** guest_pdps[i] as a root entry: i915 writes root pointers without a present bit. */
  guestRoot(i = 0): GttEntry {
    const g = this.pdps[i];
    return new GttEntry((g & 0xfffff) << 12, Math.floor(g / 0x100000), this.rootType === 'L4' ? GttType.ROOT_L4 : GttType.ROOT_L3);
  }

  describe(): string {
    return this.rootType === 'L4' ? `root ${hex(this.rootGfn)}` : `pdps ${this.pdps.map((g) => hex(g)).join(' ')}`;
  }

  clone(): PpgttMm {
    const c = new PpgttMm(this.rootType, this.pdps);
    c.shadowed = this.shadowed;
    c.pincount = this.pincount;
    c.refs = this.refs;
    c.shadowPdps = this.shadowPdps.map((e) => e.copy());
    return c;
  }
}

/** shadow_ppgtt_mm: 0 if already shadowed; on failure invalidate_ppgtt_mm (which resets shadowed). */
export function shadowPpgttMm(pp: ShadowPpgtt, mm: PpgttMm): number {
  const v = pp.vgpu;
  if (mm.shadowed) return 0;
  const t = v.tracer;
  t?.enter('shadow_ppgtt_mm', { root: hex(mm.rootGfn) });
  let ret = 0;
  if (v.profile === 'newest' && !pp.kvmgt.attached) {
    ret = -EINVAL;
  } else {
    mm.shadowed = true;
    for (let i = 0; i < mm.pdps.length && ret === 0; i++) {
      const ge = mm.guestRoot(i);
      if (!ge.present()) continue; // a root entry is present when non-zero
      const s = pp.populateSptByGuestEntry(ge);
      if (typeof s === 'number') {
        ret = s;
        invalidatePpgttMm(pp, mm);
      } else {
        const se = ge.copy();
        se.setPfn(s.mfn);
        mm.shadowPdps[i] = se;
      }
    }
    if (ret === 0) t?.note({ kind: 'mm', vgpu: v.name, root: mm.rootGfn, change: 'shadowed', refs: mm.refs });
  }
  t?.leave('shadow_ppgtt_mm', ret);
  return ret;
}

/** invalidate_ppgtt_mm: tear down each present shadow root (errors ignored), zero it. */
export function invalidatePpgttMm(pp: ShadowPpgtt, mm: PpgttMm): void {
  const v = pp.vgpu;
  if (!mm.shadowed) return;
  const t = v.tracer;
  t?.enter('invalidate_ppgtt_mm', { root: hex(mm.rootGfn) });
  for (let i = 0; i < mm.shadowPdps.length; i++) {
    const se = mm.shadowPdps[i];
    if (!se.present()) continue;
    pp.invalidateSptByShadowEntry(null, se);
    mm.shadowPdps[i] = emptyRoot(mm.rootType);
  }
  mm.shadowed = false;
  t?.note({ kind: 'mm', vgpu: v.name, root: mm.rootGfn, change: 'invalidated', refs: mm.refs });
  t?.leave('invalidate_ppgtt_mm');
}
