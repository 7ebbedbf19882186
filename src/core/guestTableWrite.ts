// gtt.c's write path: what a trapped write to a guest page-table page does. The PPGTT handler
// checks the width, re-reads the entry from guest memory, and runs "the heart" (add the new entry
// before removing the old one) for an 8-byte write, or tears the entry down and queues it for the
// post-shadow flush for a 4-byte one (docs/kernel-model.md §4 and §6). The tables themselves, and
// populating and invalidating them, are ShadowPpgtt's (shadowPpgtt.ts).

import { EINVAL, ENXIO } from './errno';
import { hex, pageOffset, type Gfn, type Gpa, type Mfn } from './address';
import { BIT_PRESENT, BIT_PS, GttType, HI_BIT_64K_SPLIT, LO_ADDR_MASK_4K, STRIDE_64K, entryTypeOf, hiWithPfn, loWithPfn, pfnOf, pointsToTable, type GttEntry } from './gen8Entry';
import type { PageTrackRecord, PageTrackTable, TrackHandler } from './pageTrackTable';
import type { ShadowPpgtt } from './shadowPpgtt';
import { generateShadowEntry, type Spt } from './spt';
import { enterGpa, enterIndexEntry, enterSlotBytes, enterSlotEntry, noteKernelLog, noteMisaligned, noteSurprise } from './hotPathTrace';

/** ppgtt_write_protection_handler: the handler `shadow` attaches to every guest table page of a vGPU. */
export class PpgttWriteHandler implements TrackHandler {
  readonly name = 'ppgtt';
  constructor(private readonly pp: ShadowPpgtt) {}

  handle(_table: PageTrackTable, rec: PageTrackRecord, at: Gpa, _data: Uint8Array, bytes: number): number {
    return writeProtectionHandler(this.pp, rec, at, bytes);
  }
}

/** ppgtt_write_protection_handler: only 4- or 8-byte writes are understood (p_data is never read). */
function writeProtectionHandler(pp: ShadowPpgtt, rec: PageTrackRecord, at: Gpa, bytes: number): number {
  const t = pp.vgpu.tracer;
  if (t) enterGpa(t, 'ppgtt_write_protection_handler', at, bytes);
  const spt = rec.priv as Spt;
  if (spt.freed) pp.vgpu.hazard('use-after-free', `gfn ${hex(rec.gfn)}: record priv points at a freed spt (use after free)`);
  const ret = bytes !== 4 && bytes !== 8 ? -EINVAL : writePageTableBytes(pp, spt, at, bytes);
  t?.leave('ppgtt_write_protection_handler', ret);
  return ret;
}

/** ppgtt_handle_guest_write_page_table_bytes: re-reads guest memory; p_data is never used. */
function writePageTableBytes(pp: ShadowPpgtt, spt: Spt, at: Gpa, bytes: number): number {
  const t = pp.vgpu.tracer;
  const i = pageOffset(at) >>> 3;
  if (t === null && bytes === 8 && spt.guestType === GttType.PTE_PT && spt.shadowType === GttType.PTE_PT && !spt.pdeIps && !pp.vgpu.oosEnabled) {
    const ret = writeLeaf4k(pp, spt, i);
    if (ret !== undefined) return ret;
  }
  if (t) enterSlotBytes(t, 'ppgtt_handle_guest_write_page_table_bytes', spt.guestGfn, i, bytes);
  if ((at & 7) !== 0 && bytes === 8 && t) noteMisaligned(t, pp.vgpu.name, at, i);
  const we = pp.guestEntry(spt, i);
  let ret = 0;
  if (we.type === GttType.PTE_64K && i % STRIDE_64K !== 0) {
    t?.leave('ppgtt_handle_guest_write_page_table_bytes', 0); // an unused 64K slot
    return 0;
  }
  if (bytes === 8) {
    ret = handleGuestWritePageTable(pp, spt, we, i);
  } else {
    ret = partialWrite(pp, spt, i);
  }
  if (ret === 0 && pp.vgpu.oosEnabled) ret = pp.oos.recordWrite(spt, i, we);
  t?.leave('ppgtt_handle_guest_write_page_table_bytes', ret);
  return ret;
}

/**
 * The heart for the commonest trapped write, 8 bytes into a page table of 4K entries, with the
 * entries as numbers rather than objects (three a write were a third of its cost). The same steps
 * as handleGuestWritePageTable: …_entry_add (ppgtt_populate_shadow_entry: map the page, write the
 * shadow entry; -ENXIO if it cannot be mapped, and nothing is removed), then …_entry_removal
 * (ppgtt_invalidate_pte: unmap the old page unless it is 0 or scratch), then a non-present entry's
 * old shadow entry pointed at scratch. The caller takes this path only when nothing is traced
 * (traces describe entries), out-of-sync is off (it keeps the written entry) and the page has no
 * IPS (its entries are 64K); undefined when the old shadow entry is a 64K-split one (its removal is
 * a hazard): then the general path runs. test/core/leafWrite.test.ts holds the two paths equal.
 */
function writeLeaf4k(pp: ShadowPpgtt, spt: Spt, i: number): number | undefined {
  const sh = spt.shadow;
  const oldLo = sh[2 * i];
  const oldHi = sh[2 * i + 1];
  if ((oldHi & HI_BIT_64K_SPLIT) !== 0) return undefined;
  const words = pp.memory.pageWords(spt.guestGfn);
  const lo = words === undefined ? 0 : words[2 * i];
  const hi = words === undefined ? 0 : words[2 * i + 1];
  const present = (lo & BIT_PRESENT) !== 0;
  if (present) {
    const m = pp.dma.map(pfnOf(lo, hi, LO_ADDR_MASK_4K) as Gfn, 1);
    if (m === undefined) return -ENXIO;
    sh[2 * i] = loWithPfn(lo, m, LO_ADDR_MASK_4K);
    sh[2 * i + 1] = hiWithPfn(hi, m);
  }
  const scratch = pp.scratchOf(spt.shadowType);
  if ((oldLo & BIT_PRESENT) !== 0) {
    const oldPfn = pfnOf(oldLo, oldHi, LO_ADDR_MASK_4K);
    if (oldPfn !== scratch && oldPfn !== 0) pp.dma.unmap(oldPfn as Mfn, 1);
  }
  if (!present) {
    sh[2 * i] = loWithPfn(oldLo, scratch, LO_ADDR_MASK_4K);
    sh[2 * i + 1] = hiWithPfn(oldHi, scratch);
  }
  return 0;
}

/** The 4-byte branch of …_write_page_table_bytes: first partial write tears down, then post-shadow. */
function partialWrite(pp: ShadowPpgtt, spt: Spt, i: number): number {
  let ret = 0;
  if (!spt.postShadow[i]) {
    const old = spt.getShadowEntry(i);
    ret = handleGuestEntryRemoval(pp, spt, old, i);
    if (ret === 0) {
      const scratch = pp.scratchOf(spt.shadowType);
      old.setPfn(scratch);
      pp.setShadow(spt, i, old); // still "present", now pointing at scratch (§6)
      if (old.type === GttType.PTE_2M || old.type === GttType.PTE_1G) hugeAtScratch(pp, spt, i, old, scratch);
    }
  }
  if (ret === 0) setPostShadow(pp, spt, i);
  return ret;
}

/**
 * set_pfn on an entry still typed 2M (or 1G) masks with that size's address mask and keeps PS: the
 * native huge entry does not become a pointer to the scratch table but a present huge page at the
 * scratch table's frame rounded down, host memory that is neither scratch nor the guest's.
 */
function hugeAtScratch(pp: ShadowPpgtt, spt: Spt, i: number, se: GttEntry, scratch: number): void {
  const size = se.type === GttType.PTE_2M ? '2M' : '1G';
  pp.vgpu.hazard('stale-shadow', `4-byte write to the native ${size} shadow entry ${hex(spt.guestGfn)}[${i}]: set_pfn(scratch ${hex(scratch)}) on an entry still typed ${size} keeps PS and masks the frame to ${hex(se.pfn())}: until the flush the GPU reads a ${size} host region there, not the scratch table`);
}

/** ppgtt_set_post_shadow: set bit i; queue the spt once. */
function setPostShadow(pp: ShadowPpgtt, spt: Spt, i: number): void {
  const t = pp.vgpu.tracer;
  t?.enter('ppgtt_set_post_shadow', { gfn: spt.guestGfn, index: i });
  if (!spt.postShadow[i]) {
    spt.postShadow[i] = 1;
    spt.postShadowCount++;
    t?.note({ kind: 'post-shadow', vgpu: pp.vgpu.name, gfn: spt.guestGfn, index: i, set: true });
  }
  if (!spt.onPostShadowList) {
    spt.onPostShadowList = true;
    pp.postShadowList.push(spt);
  }
  t?.leave('ppgtt_set_post_shadow');
}

/** ppgtt_handle_guest_write_page_table, "the heart": add first, then remove the old entry. */
export function handleGuestWritePageTable(pp: ShadowPpgtt, spt: Spt, we: GttEntry, i: number): number {
  const t = pp.vgpu.tracer;
  if (t) enterSlotEntry(t, 'ppgtt_handle_guest_write_page_table', spt.guestGfn, i, we);
  const old = spt.getShadowEntry(i);
  let ret = 0;
  if (we.present()) ret = handleGuestEntryAdd(pp, spt, we, i);
  if (ret === 0) ret = handleGuestEntryRemoval(pp, spt, old, i);
  if (ret === 0 && !we.present()) pointAtScratch(pp, spt, old, i);
  t?.leave('ppgtt_handle_guest_write_page_table', ret);
  return ret;
}

/** The heart's non-present case: the old shadow entry, pointed at this level's scratch. */
function pointAtScratch(pp: ShadowPpgtt, spt: Spt, old: GttEntry, i: number): void {
  const scratch = pp.scratchOf(spt.shadowType);
  if (old.test64kSplit() && i % STRIDE_64K === 0) {
    old.hi &= ~HI_BIT_64K_SPLIT; // sub-entry 0's value, written to all 16 slots
    old.setPfn(scratch);
    for (let k = 0; k < STRIDE_64K; k++) pp.setShadow(spt, i + k, old);
  } else {
    if (old.type === GttType.PTE_2M || old.type === GttType.PTE_1G) {
      old.lo &= ~BIT_PS;
      old.type = entryTypeOf(spt.shadowType);
    }
    old.setPfn(scratch); // the other old bits, present included, are kept (§6)
    pp.setShadow(spt, i, old);
  }
}

/** ppgtt_handle_guest_entry_add: populate a child table, or a leaf. */
function handleGuestEntryAdd(pp: ShadowPpgtt, spt: Spt, we: GttEntry, i: number): number {
  const t = pp.vgpu.tracer;
  if (t) enterIndexEntry(t, 'ppgtt_handle_guest_entry_add', i, we);
  let ret = 0;
  if (pointsToTable(we.type)) {
    const s = pp.populateSptByGuestEntry(we);
    if (typeof s === 'number') ret = s;
    else pp.setShadow(spt, i, generateShadowEntry(s, we));
  } else {
    ret = pp.populateShadowEntry(spt, i, we);
  }
  t?.leave('ppgtt_handle_guest_entry_add', ret);
  return ret;
}

/** ppgtt_handle_guest_entry_removal: not present or scratch: nothing; table: invalidate; leaf: unmap. */
function handleGuestEntryRemoval(pp: ShadowPpgtt, spt: Spt, se: GttEntry, i: number): number {
  if (!se.present() || se.pfn() === pp.scratchOf(spt.shadowType)) return 0;
  const t = pp.vgpu.tracer;
  if (t) enterIndexEntry(t, 'ppgtt_handle_guest_entry_removal', i, se);
  let ret = 0;
  if (pointsToTable(se.type)) {
    ret = removeChildTable(pp, se);
  } else {
    if (se.type === GttType.PTE_64K && t) noteSurprise(t, pp.vgpu.name, 'WARN: suspicious 64K entry');
    if (se.test64kSplit()) pp.vgpu.hazard('dma-leak', `64K-split entry ${i}: only sub-entry 0 is unmapped, the other 15 DMA references are kept`);
    pp.invalidatePte(spt, se);
  }
  t?.leave('ppgtt_handle_guest_entry_removal', ret);
  return ret;
}

/** The table-pointing case of …_entry_removal: find the child by mfn, drop a reference. */
function removeChildTable(pp: ShadowPpgtt, se: GttEntry): number {
  const s = pp.sptByMfn.get(se.pfn());
  if (!s) {
    const t = pp.vgpu.tracer;
    if (t) noteKernelLog(t, pp.vgpu.name, 'fail to find guest page');
    return -ENXIO;
  }
  return pp.invalidateSpt(s);
}
