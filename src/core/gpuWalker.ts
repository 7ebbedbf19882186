// The simulated GPU's page walker: it walks the SHADOW tables GVT built (never the guest's), as
// the hardware does, honouring PS (2M/1G) and IPS (64K, Gen11+). A non-present entry is a GPU
// page fault; an entry GVT pointed at a scratch table ends on the zero page: no fault, just zeroes.
// guestWalk walks the guest's own tables in guest memory, for side-by-side comparison.

import { PAGE_SIZE, PPGTT_VA_LIMIT, beyondPpgtt, hex, type Gfn, type Gpa, type Mfn } from './address';
import { BIT_IPS, GttEntry, GttType, LEVEL_NAMES, describeEntry, entryTypeOf, realEntryType } from './gen8Entry';
import { GGTT_SCRATCH_MFN } from './hostMemory';
import type { Vgpu } from './vgpu';

export interface WalkStep {
  level: string; // PML4, PDP, PD, PT
  table: number; // mfn (shadow walk) or gfn (guest walk) of the table read
  index: number;
  entry: bigint;
  decoded: string;
  scratch?: boolean;
}

export type WalkOutcome =
  /**
   * unpinned: the DMA mapping behind the leaf was dropped (docs/kernel-model.md §7.4): the GPU reaches a page no longer pinned.
   * hostTable: the leaf names one of GVT's own shadow or scratch table pages (a shadow leaf GVT left with the
   * wrong frame, e.g. a native 2M entry pointed at scratch by a 4-byte write): the GPU reads GVT's page, not guest memory.
   * notGuest: the leaf names host memory that is neither this vGPU's guest memory nor a GVT table (the rest of
   * such a 2M region): nothing GVT mapped.
   */
  | { kind: 'page'; mfn: Mfn; gfn?: Gfn; size: number; unpinned?: boolean; hostTable?: boolean; notGuest?: boolean }
  | { kind: 'scratch'; level: string }
  | { kind: 'fault'; level: string; index: number; reason: string };

/** What a walk's page is when it is not guest memory GVT mapped, as a trace note (empty otherwise). */
export function walkPageNote(o: { hostTable?: boolean; notGuest?: boolean }): string {
  if (o.hostTable) return " (one of GVT's own table pages, not guest memory)";
  if (o.notGuest) return ' (host memory that is neither guest memory nor a GVT table: nothing GVT mapped)';
  return '';
}

export interface WalkResult {
  va: number;
  steps: WalkStep[];
  outcome: WalkOutcome;
}

const LEVELS: GttType[] = [GttType.PML4_PT, GttType.PDP_PT, GttType.PDE_PT, GttType.PTE_PT];
const SHIFTS = [39, 30, 21, 12];

function indexAt(va: number, level: number): number {
  return Math.floor(va / 2 ** SHIFTS[level]) % 512;
}

/**
 * The GPU's walk of va through the shadow PPGTT of the vGPU's active mm: 4 levels from the shadow
 * PML4 (ROOT_L4), or for a 32-bit mm (ROOT_L3) the root pointer chosen by va bits 31:30, then PD, PT.
 */
export function gpuWalk(v: Vgpu, va: number): WalkResult {
  const steps: WalkStep[] = [];
  const mm = v.activeMm();
  if (!mm) return { va, steps, outcome: { kind: 'fault', level: 'root', index: 0, reason: 'no shadowed PPGTT root' } };
  let first = 0;
  let root = mm.shadowRoot;
  // The indexes below take 9 bits a level: past 48 bits they would wrap onto another va.
  if (va >= PPGTT_VA_LIMIT) return { va, steps, outcome: { kind: 'fault', level: 'root', index: 0, reason: beyondPpgtt(va) } };
  if (mm.rootType === 'L3') {
    if (va >= 2 ** 32) return { va, steps, outcome: { kind: 'fault', level: 'root', index: 0, reason: `va ${hex(va)} is beyond a 32-bit (3-level) PPGTT` } };
    const pdp = Math.floor(va / 2 ** 30) % 4;
    root = mm.shadowPdps[pdp];
    first = 2;
    if (!root.present()) return { va, steps, outcome: { kind: 'fault', level: 'PDP', index: pdp, reason: `root pointer pdps[${pdp}] not shadowed` } };
  } else if (!root.present()) {
    return { va, steps, outcome: { kind: 'fault', level: 'root', index: 0, reason: 'no shadowed PPGTT root' } };
  }
  let tableMfn = root.pfn();
  let ips = false;
  for (let l = first; l < 4; l++) {
    const name = LEVEL_NAMES[LEVELS[l]];
    const page = v.host.table(tableMfn as Mfn);
    let index = indexAt(va, l);
    if (l === 3 && ips) index &= ~15;
    if (!page) {
      // A 5.x populate can aim a present table pointer at the GGTT scratch page (§7.7): zeroes.
      const reason = tableMfn === GGTT_SCRATCH_MFN ? `table ${hex(tableMfn)} is the GGTT scratch page: zeroes, entry not present` : `table ${hex(tableMfn)} is not a live host page (freed)`;
      return { va, steps, outcome: { kind: 'fault', level: name, index, reason } };
    }
    const e = new GttEntry(page[2 * index], page[2 * index + 1], entryTypeOf(LEVELS[l]));
    e.type = realEntryType(e.type, e, false);
    const scratchTable = v.ppgtt.isScratch(tableMfn);
    steps.push({ level: name, table: tableMfn, index, entry: e.value, decoded: describeEntry(e), scratch: scratchTable || undefined });
    if (!e.present()) {
      return { va, steps, outcome: { kind: 'fault', level: name, index, reason: 'entry not present' } };
    }
    const leaf = l === 3 || e.type === GttType.PTE_2M || e.type === GttType.PTE_1G;
    if (leaf) {
      const size = l === 3 ? (ips ? 16 : 1) : e.type === GttType.PTE_2M ? 512 : 512 * 512;
      const within = Math.floor(va / PAGE_SIZE) % size;
      const target = (e.pfn() + within) as Mfn;
      if (target === v.ppgtt.scratch.get(GttType.PTE_PT)) return { va, steps, outcome: { kind: 'scratch', level: name } };
      if (v.host.table(target)) return { va, steps, outcome: { kind: 'page', mfn: target, size, hostTable: true } };
      const gfn = v.host.guestFrameOf(v.index, target);
      if (gfn === undefined && !scratchTable) return { va, steps, outcome: { kind: 'page', mfn: target, size, notGuest: true } };
      const mapped = size === 512 ? 512 : 1;
      const pinned = scratchTable || v.dma.isLive(size === 512 ? e.pfn() : target, mapped);
      const outcome: WalkOutcome = { kind: 'page', mfn: target, gfn, size };
      if (!pinned) outcome.unpinned = true;
      return { va, steps, outcome };
    }
    ips = l === 2 && (e.lo & BIT_IPS) !== 0;
    tableMfn = e.pfn();
  }
  return { va, steps, outcome: { kind: 'fault', level: 'PT', index: 0, reason: 'unreachable' } };
}

/**
 * The same walk over the guest's tables in guest memory (what the guest believes): from a PML4 gfn,
 * or (first = 2) from a page directory gfn of a 32-bit PPGTT. IPS counts only where the platform
 * honours it.
 */
export function guestWalk(v: Vgpu, rootGfn: Gfn, va: number, first = 0): WalkResult {
  const steps: WalkStep[] = [];
  if (va >= PPGTT_VA_LIMIT) return { va, steps, outcome: { kind: 'fault', level: 'root', index: 0, reason: beyondPpgtt(va) } };
  let table = rootGfn as number;
  let ips = false;
  for (let l = first; l < 4; l++) {
    const name = LEVEL_NAMES[LEVELS[l]];
    let index = indexAt(va, l);
    if (l === 3 && ips) index &= ~15;
    if (!v.memory.contains(table as Gfn)) {
      return { va, steps, outcome: { kind: 'fault', level: name, index, reason: `gfn ${hex(table)} is outside guest memory` } };
    }
    const at = (table * PAGE_SIZE + index * 8) as Gpa;
    const e = new GttEntry(v.memory.readEntryLo(at), v.memory.readEntryHi(at), entryTypeOf(LEVELS[l]));
    e.type = realEntryType(e.type, e, l === 3 && ips);
    steps.push({ level: name, table, index, entry: e.value, decoded: describeEntry(e) });
    if (!e.present()) return { va, steps, outcome: { kind: 'fault', level: name, index, reason: 'entry not present' } };
    const leaf = l === 3 || e.type === GttType.PTE_2M || e.type === GttType.PTE_1G;
    if (leaf) {
      const size = l === 3 ? (ips ? 16 : 1) : e.type === GttType.PTE_2M ? 512 : 512 * 512;
      const g = (e.pfn() + (Math.floor(va / PAGE_SIZE) % size)) as Gfn;
      return { va, steps, outcome: { kind: 'page', mfn: v.host.backingFrame(v.index, g), gfn: g, size } };
    }
    ips = l === 2 && (e.lo & BIT_IPS) !== 0 && v.ipsEnabled;
    table = e.pfn();
  }
  return { va, steps, outcome: { kind: 'fault', level: 'PT', index: 0, reason: 'unreachable' } };
}
