// intel_vgpu_flush_post_shadow (gtt.c): at workload submission, every index a 4-byte write left
// in a post-shadow bitmap is shadowed from the FULL guest entry through the heart. The first error
// returns at once, leaving later bits set and the spt still queued (docs/kernel-model.md §6).
//
// The kernel walks the list with list_for_each_safe, which caches the NEXT spt before handling the
// current one. If handling the current one frees that next spt (a page directory's entry torn down
// by the flush drops the last reference to a queued page table), the loop goes on in freed memory:
// a use-after-free, or a spin with vgpu_lock held (§7.6). We cannot crash; we flag that moment as a
// hazard and go on with what is really still queued.

import { hex } from './address';
import { ENTRIES_PER_PAGE, type Spt } from './spt';
import type { ShadowPpgtt } from './shadowPpgtt';
import { handleGuestWritePageTable } from './guestTableWrite';

/** intel_vgpu_flush_post_shadow: full guest entries through the heart; stop at the first error. */
export function flushPostShadow(pp: ShadowPpgtt): number {
  const v = pp.vgpu;
  const t = v.tracer;
  t?.enter('intel_vgpu_flush_post_shadow', { queued: pp.postShadowList.length });
  let ret = 0;
  let spt: Spt | undefined = pp.postShadowList.first;
  while (spt !== undefined && ret === 0) {
    const next: Spt | undefined = pp.postShadowList.after(spt); // list_for_each_safe's n
    for (let i = 0; i < ENTRIES_PER_PAGE; i++) {
      if (!spt.postShadow[i]) continue;
      ret = handleGuestWritePageTable(pp, spt, pp.guestEntry(spt, i), i);
      if (ret !== 0) break;
      spt.postShadow[i] = 0;
      spt.postShadowCount--;
      t?.note({ kind: 'post-shadow', vgpu: v.name, gfn: spt.guestGfn, index: i, set: false });
    }
    if (ret !== 0) break;
    if (spt.onPostShadowList) {
      pp.postShadowList.remove(spt);
      spt.onPostShadowList = false;
    }
    if (next !== undefined && next.freed) {
      v.hazard('use-after-free', `intel_vgpu_flush_post_shadow: handling gfn ${hex(spt.guestGfn)} freed the next queued spt (gfn ${hex(next.guestGfn)}, mfn ${hex(next.mfn)}) that list_for_each_safe had cached: the kernel continues in freed memory (use-after-free, or a spin with vgpu_lock held)`);
    }
    spt = next !== undefined && next.onPostShadowList ? next : pp.postShadowList.first;
  }
  t?.leave('intel_vgpu_flush_post_shadow', ret);
  return ret;
}
