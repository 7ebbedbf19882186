// PPGTT mm objects (struct intel_vgpu_mm, 4-level): the guest root pointer a context supplies, its
// shadow root, and shadow/invalidate (shadow_ppgtt_mm, invalidate_ppgtt_mm). `shadowed` is set
// before populating and invalidate errors are ignored, as in the kernel (§6).

import { EINVAL } from './errno';
import { hex, type Gfn } from './address';
import { GttEntry, GttType } from './gen8Entry';
import type { Vgpu } from './vgpu';

export class PpgttMm {
  shadowed = false;
  pincount = 0;
  /** shadow_pdps[0]: the shadow PML4's mfn as a root entry (0 = none). */
  shadowRoot = new GttEntry(0, 0, GttType.ROOT_L4);

  constructor(readonly rootGfn: Gfn) {}

  /** guest_pdps[0]: i915 writes the PML4's address without a present bit. */
  guestRoot(): GttEntry {
    return new GttEntry((this.rootGfn & 0xfffff) << 12, Math.floor(this.rootGfn / 0x100000), GttType.ROOT_L4);
  }

  clone(): PpgttMm {
    const c = new PpgttMm(this.rootGfn);
    c.shadowed = this.shadowed;
    c.pincount = this.pincount;
    c.shadowRoot = this.shadowRoot.copy();
    return c;
  }
}

/** shadow_ppgtt_mm: 0 if already shadowed; on failure invalidate_ppgtt_mm (which resets shadowed). */
export function shadowPpgttMm(v: Vgpu, mm: PpgttMm): number {
  if (mm.shadowed) return 0;
  const t = v.tracer;
  t?.enter('shadow_ppgtt_mm', { root: hex(mm.rootGfn) });
  let ret = 0;
  if (v.profile === 'newest' && !v.kvmgt.attached) {
    ret = -EINVAL;
  } else {
    mm.shadowed = true;
    const ge = mm.guestRoot();
    if (ge.present()) {
      const s = v.ppgtt.populateSptByGuestEntry(ge);
      if (typeof s === 'number') {
        ret = s;
        invalidatePpgttMm(v, mm);
      } else {
        const se = ge.copy();
        se.setPfn(s.mfn);
        mm.shadowRoot = se;
        t?.note({ kind: 'mm', vgpu: v.name, root: mm.rootGfn, change: 'shadowed' });
      }
    }
  }
  t?.leave('shadow_ppgtt_mm', ret);
  return ret;
}

/** invalidate_ppgtt_mm: tear down each present shadow root (errors ignored), zero it. */
export function invalidatePpgttMm(v: Vgpu, mm: PpgttMm): void {
  if (!mm.shadowed) return;
  const t = v.tracer;
  t?.enter('invalidate_ppgtt_mm', { root: hex(mm.rootGfn) });
  if (mm.shadowRoot.present()) {
    v.ppgtt.invalidateSptByShadowEntry(null, mm.shadowRoot);
    mm.shadowRoot = new GttEntry(0, 0, GttType.ROOT_L4);
  }
  mm.shadowed = false;
  t?.note({ kind: 'mm', vgpu: v.name, root: mm.rootGfn, change: 'invalidated' });
  t?.leave('invalidate_ppgtt_mm');
}
