// The vGPU's PPGTT mm objects (vgpu->gtt.ppgtt_mm_list_head) and their lifecycle as the guest's
// g2v notifications drive it: CREATE is intel_vgpu_get_ppgtt_mm (find by root pointers and take a
// reference, or create and shadow), DESTROY is intel_vgpu_put_ppgtt_mm (drop a reference; release
// at zero), and a vGPU reset drops ONE reference per mm (intel_vgpu_destroy_all_ppgtt_mm), so an mm
// created twice survives it, invalidated (docs/kernel-model.md §7.1).

import { EINVAL } from './errno';
import { hex, type Gfn } from './address';
import { PpgttMm, invalidatePpgttMm, shadowPpgttMm, type RootType } from './ppgttMm';
import type { ShadowPpgtt } from './shadowPpgtt';
import type { VgpuContext } from './vgpuContext';

export class PpgttMmList {
  /** In creation order (the kernel's list order). */
  private readonly list = new Set<PpgttMm>();
  /**
   * The mms by their first root pointer: every match (L4 on pdps[0], L3 on all four) has it, so a
   * lookup compares a few mms, not every one (150,000 mms made each CREATE scan them all).
   */
  private readonly byRoot = new Map<number, PpgttMm[]>();
  /** The mm the GPU walks: the last one created, referenced or submitted. */
  active: PpgttMm | undefined;

  /** In creation order (a copy). */
  get mms(): PpgttMm[] {
    return [...this.list];
  }

  get size(): number {
    return this.list.size;
  }

  /** The first mm named by a gfn (its PML4, or pdps[0] for L3), as the views and `expect … mm` name it. */
  byRootGfn(root: number): PpgttMm | undefined {
    return this.byRoot.get(root)?.[0];
  }

  private add(mm: PpgttMm): void {
    this.list.add(mm);
    const same = this.byRoot.get(mm.rootGfn);
    if (same) same.push(mm);
    else this.byRoot.set(mm.rootGfn, [mm]);
  }

  private remove(mm: PpgttMm): void {
    this.list.delete(mm);
    const same = this.byRoot.get(mm.rootGfn);
    if (!same) return;
    same.splice(same.indexOf(mm), 1);
    if (same.length === 0) this.byRoot.delete(mm.rootGfn);
  }

  constructor(
    private readonly v: VgpuContext,
    private readonly ppgtt: ShadowPpgtt,
  ) {}

  /** intel_vgpu_find_ppgtt_mm (by root pointers only: see PpgttMm.matches). */
  find(pdps: readonly number[]): PpgttMm | undefined {
    const same = this.byRoot.get(pdps[0]);
    if (same) for (const m of same) if (m.matches(pdps)) return m;
    return undefined;
  }

  /** intel_vgpu_get_ppgtt_mm: an existing mm only gains a reference (nothing is re-shadowed). */
  get(type: RootType, pdps: readonly Gfn[]): number {
    const v = this.v;
    const t = v.tracer;
    t?.enter('intel_vgpu_get_ppgtt_mm', rootArgs(pdps));
    let mm = this.find(pdps);
    let ret = 0;
    if (mm) {
      mm.refs++;
      t?.note({ kind: 'mm', vgpu: v.name, root: mm.rootGfn, change: 'ref', refs: mm.refs });
    } else {
      t?.enter('intel_vgpu_create_ppgtt_mm', rootArgs(pdps));
      mm = new PpgttMm(type, pdps);
      ret = shadowPpgttMm(this.ppgtt, mm);
      if (ret === 0) {
        this.add(mm); // a failed create frees the mm (vgpu_free_mm)
        t?.note({ kind: 'mm', vgpu: v.name, root: mm.rootGfn, change: 'created', refs: mm.refs });
      }
      t?.leave('intel_vgpu_create_ppgtt_mm', ret);
    }
    if (ret === 0) this.active = mm;
    t?.leave('intel_vgpu_get_ppgtt_mm', ret);
    return ret;
  }

  /** intel_vgpu_put_ppgtt_mm: -EINVAL for unknown root pointers; else drop a reference. */
  put(pdps: readonly Gfn[]): number {
    const t = this.v.tracer;
    t?.enter('intel_vgpu_put_ppgtt_mm', rootArgs(pdps));
    const mm = this.find(pdps);
    if (mm) this.drop(mm);
    else t?.note({ kind: 'kernel-log', vgpu: this.v.name, message: 'fail to find ppgtt instance.' });
    const ret = mm ? 0 : -EINVAL;
    t?.leave('intel_vgpu_put_ppgtt_mm', ret);
    return ret;
  }

  /** kref_put(&mm->ref, _intel_vgpu_mm_release): at zero, unlink and invalidate. */
  private drop(mm: PpgttMm): void {
    const v = this.v;
    const t = v.tracer;
    mm.refs--;
    if (mm.refs > 0) {
      t?.note({ kind: 'mm', vgpu: v.name, root: mm.rootGfn, change: 'unref', refs: mm.refs });
      return;
    }
    invalidatePpgttMm(this.ppgtt, mm);
    this.remove(mm);
    if (this.active === mm) this.active = undefined;
    t?.note({ kind: 'mm', vgpu: v.name, root: mm.rootGfn, change: 'destroyed', refs: 0 });
  }

  /** prepare_workload's pin: pincount++, shadow if invalidated; first error wins. */
  pinAll(): number {
    let ret = 0;
    for (const mm of this.list) {
      mm.pincount++;
      ret = shadowPpgttMm(this.ppgtt, mm);
      mm.pincount--; // unpinned when the workload completes; never below 0
      if (ret !== 0) break;
    }
    return ret;
  }

  /** intel_vgpu_invalidate_ppgtt, then intel_vgpu_destroy_all_ppgtt_mm: one reference per mm. */
  resetAll(): void {
    const t = this.v.tracer;
    t?.enter('intel_vgpu_invalidate_ppgtt', { mms: this.list.size });
    for (const mm of this.list) invalidatePpgttMm(this.ppgtt, mm);
    t?.leave('intel_vgpu_invalidate_ppgtt');
    t?.enter('intel_vgpu_destroy_all_ppgtt_mm', { mms: this.list.size });
    for (const mm of this.mms) this.drop(mm);
    const kept = this.list.size;
    if (kept > 0) {
      t?.note({ kind: 'surprise', vgpu: this.v.name, message: `${kept} PPGTT mm(s) survive the reset (more CREATE than DESTROY notifications): invalidated, re-shadowed at the next submit` });
    }
    t?.leave('intel_vgpu_destroy_all_ppgtt_mm');
  }

  cloneInto(copy: PpgttMmList): void {
    for (const mm of this.list) {
      const c = mm.clone();
      copy.add(c);
      if (mm === this.active) copy.active = c;
    }
  }
}

/** The root pointers as a trace frame shows them. */
function rootArgs(pdps: readonly Gfn[]): { root: string } {
  return { root: pdps.map((g) => hex(g)).join(' ') };
}
