// intel_vgpu_flush_post_shadow (gtt.c): at workload submission, every index a 4-byte write left
// in a post-shadow bitmap is shadowed from the FULL guest entry through the heart. The first error
// returns at once, leaving later bits set and the spt still queued (KERNEL-SEMANTICS §6).

import { ENTRIES_PER_PAGE } from './spt';
import type { Vgpu } from './vgpu';

/** intel_vgpu_flush_post_shadow: full guest entries through the heart; stop at the first error. */
export function flushPostShadow(v: Vgpu): number {
  const pp = v.ppgtt;
  const t = v.tracer;
  t?.enter('intel_vgpu_flush_post_shadow', { queued: pp.postShadowList.length });
  let ret = 0;
  while (pp.postShadowList.length > 0 && ret === 0) {
    const spt = pp.postShadowList[0];
    for (let i = 0; i < ENTRIES_PER_PAGE; i++) {
      if (!spt.postShadow[i]) continue;
      ret = pp.handleGuestWritePageTable(spt, pp.guestEntry(spt, i), i);
      if (ret !== 0) break;
      spt.postShadow[i] = 0;
      spt.postShadowCount--;
      t?.note({ kind: 'post-shadow', vgpu: v.name, gfn: spt.guestGfn, index: i, set: false });
    }
    if (ret === 0 && pp.postShadowList[0] === spt) {
      pp.postShadowList.shift();
      spt.onPostShadowList = false;
    }
  }
  t?.leave('intel_vgpu_flush_post_shadow', ret);
  return ret;
}
