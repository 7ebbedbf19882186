// Huge leaf entries of the shadow PPGTT (gtt.c): a 64K entry is always split into 16 shadow 4K
// entries carrying GVT's private bit 52; a 2M entry is mapped natively when the host's i915 has 2M
// GTT pages (not on Gen8/Gen9 with 6.6+), else split into an untracked sub-table; a 1G entry is
// refused. Kept out of line of the 4K trap path in shadowPpgtt.ts.

import { EINVAL, ENXIO } from './errno';
import { gfn as asGfn, hex } from './address';
import { BIT_DIRTY, BIT_IPS, BIT_PAT_LARGE, BIT_PS, GttEntry, GttType, HI_BIT_64K_SPLIT, STRIDE_64K } from './gen8Entry';
import { noteKernelLog } from './hotPathTrace';
import type { DmaMapper } from './dmaMapper';
import type { Kvmgt } from './kvmgt';
import type { VgpuContext } from './vgpuContext';
import { ENTRIES_PER_PAGE, type Spt } from './spt';

/** What the huge-page cases use of the shadow PPGTT (shadowPpgtt.ts), which calls them. */
export interface HugePageTables {
  readonly vgpu: VgpuContext;
  readonly kvmgt: Kvmgt;
  readonly dma: DmaMapper;
  setShadow(spt: Spt, i: number, e: GttEntry): void;
  allocSpt(type: GttType): Spt;
  freeSpt(spt: Spt): void;
  invalidateSpt(spt: Spt): number;
  invalidatePte(spt: Spt, e: GttEntry): void;
}

/** The 64K, 2M and 1G cases of ppgtt_populate_shadow_entry (out of line of the 4K trap path). */
export function populateHugeShadowEntry(pp: HugePageTables, spt: Spt, i: number, ge: GttEntry, se: GttEntry): number {
  let ret = 0;
  switch (ge.type) {
    case GttType.PTE_64K:
      ret = split64K(pp, spt, i, se);
      break;
    case GttType.PTE_2M:
      ret = pp.vgpu.profile === 'legacy' ? populate2MLegacy(pp, spt, i, se) : populate2MNewest(pp, spt, i, se);
      break;
    default: {
      const t = pp.vgpu.tracer;
      if (t) noteKernelLog(t, pp.vgpu.name, "GVT doesn't support 1GB entry");
      ret = -EINVAL;
    }
  }
  return ret;
}

/** 6.6+: a native 2M map needs 2M GTT pages and a successful 2M pin of all 512 pages; else split. */
function populate2MNewest(pp: HugePageTables, spt: Spt, i: number, se: GttEntry): number {
  const m = pp.vgpu.host2M ? pp.dma.map(asGfn(se.pfn()), 512) : undefined;
  if (m === undefined) return split2M(pp, spt, i, se);
  se.setPfn(m);
  pp.setShadow(spt, i, se);
  return 0;
}

/**
 * 5.x: is_2MB_gtt_possible decides first: no memslot behind the gfn is -EINVAL; a host page that is
 * not a transparent huge page means split; only then the 2M map (-ENXIO when it fails) (docs/kernel-model.md §7.9).
 */
function populate2MLegacy(pp: HugePageTables, spt: Spt, i: number, se: GttEntry): number {
  const g = asGfn(se.pfn());
  if (!pp.vgpu.host2M) return split2M(pp, spt, i, se);
  if (!pp.kvmgt.hasMemslot(g)) return -EINVAL;
  if (!pp.dma.backing.isTransHuge(g)) return split2M(pp, spt, i, se);
  const m = pp.dma.map(g, 512);
  if (m === undefined) return -ENXIO;
  se.setPfn(m);
  pp.setShadow(spt, i, se);
  return 0;
}

/** split_64KB_gtt_entry: 16 shadow 4K entries with bit 52 set, mapping gfn+k. */
function split64K(pp: HugePageTables, spt: Spt, index: number, se: GttEntry): number {
  const t = pp.vgpu.tracer;
  t?.enter('split_64KB_gtt_entry', { index });
  const start = se.pfn();
  const entry = se.copy();
  entry.type = GttType.PTE_4K;
  entry.hi |= HI_BIT_64K_SPLIT;
  const ret = mapEachPage(pp, start, STRIDE_64K, (k, m) => {
    entry.setPfn(m);
    pp.setShadow(spt, index + k, entry);
  });
  t?.leave('split_64KB_gtt_entry', ret);
  return ret;
}

/** The split loops' intel_gvt_dma_map_guest_page per 4K page, in order; -EINVAL at the first that fails (the pages mapped before it stay mapped). */
function mapEachPage(pp: HugePageTables, start: number, count: number, use: (k: number, mfn: number) => void): number {
  for (let k = 0; k < count; k++) {
    const m = pp.dma.map(asGfn(start + k), 1);
    if (m === undefined) return -EINVAL;
    use(k, m);
  }
  return 0;
}

/** split_2MB_gtt_entry: an untracked PTE-level sub-spt (gfn 0) with 512 4K entries. */
function split2M(pp: HugePageTables, spt: Spt, index: number, se: GttEntry): number {
  const t = pp.vgpu.tracer;
  t?.enter('split_2MB_gtt_entry', { index });
  const start = se.pfn();
  const sub = pp.allocSpt(GttType.PTE_PT);
  const ret = mapEachPage(pp, start, ENTRIES_PER_PAGE, (k, m) => {
    const sub4k = new GttEntry((se.lo & ~BIT_PS) | ((se.lo & BIT_PAT_LARGE) >>> 5), se.hi, GttType.PTE_4K);
    sub4k.setPfn(m);
    pp.setShadow(sub, k, sub4k);
  });
  if (ret !== 0 && pp.vgpu.profile === 'legacy') {
    // 5.x's error path invalidates the PARENT spt (dropping a reference it does not own) and leaks
    // the new sub-table with the pages it mapped; 6.2 fixed both (CVE-2022-3707, also in 5.x stable).
    pp.vgpu.hazard('leak', `split_2MB_gtt_entry (5.x) failed: it calls ppgtt_invalidate_spt on the parent table (gfn ${hex(spt.guestGfn)}, refcount ${spt.refcount}) instead of freeing the sub-table, which leaks with its mappings`);
    pp.invalidateSpt(spt);
  } else if (ret !== 0) {
    for (let k = 0; k < ENTRIES_PER_PAGE; k++) {
      const e = sub.getShadowEntry(k);
      if (e.present()) pp.invalidatePte(sub, e);
    }
    pp.freeSpt(sub);
  } else {
    se.lo &= ~(BIT_DIRTY | BIT_PS | BIT_IPS);
    se.type = GttType.PDE_ENTRY;
    se.setPfn(sub.mfn);
    pp.setShadow(spt, index, se);
  }
  t?.leave('split_2MB_gtt_entry', ret);
  return ret;
}
