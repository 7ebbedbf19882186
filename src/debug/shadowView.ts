// The shadow PPGTT as the tree views and the Variables pane show it: mms, spts by level, and per
// entry the guest entry beside the shadow entry, decoded, with where each points and why they
// disagree (post-shadow pending, out of sync, a stale or scratch shadow). Reads core state only.

import { hex, postShadowQueue,
  BIT_IPS, BIT_PS, GttEntry, GttType, LEVEL_NAMES, PAGE_SIZE, entryTypeOf, pointsToTable, realEntryType,
  type Gpa, type Mfn, type Spt, type Vgpu,
} from '../core';
import type { EntryTarget, PpgttMmNode, ShadowEntryRow, SptDetail, SptLevel, SptSummary, VgpuShadowTables } from './protocol';
import { memoryReference } from './memory';


/** Decoded flag names of an entry. */
function entryFlags(e: GttEntry): string[] {
  if (e.isZero()) return [];
  const f: string[] = [];
  const lo = e.lo;
  if (lo & 1) f.push('P');
  if (lo & 2) f.push('RW');
  if (lo & 8) f.push('PWT');
  if (lo & 16) f.push('PCD');
  if (lo & 32) f.push('A');
  if (lo & 64) f.push('D');
  if (lo & BIT_PS) f.push(e.type === GttType.PTE_4K || e.type === GttType.PTE_64K ? 'PAT' : 'PS');
  if (lo & BIT_IPS && (e.type === GttType.PDE_ENTRY || e.type === GttType.PTE_2M)) f.push('IPS');
  if (e.test64kSplit()) f.push('64K-split');
  return f;
}

const levelOf = (s: Spt): SptLevel => (LEVEL_NAMES[s.shadowType] ?? 'PT') as SptLevel;

/** The guest entry at i of an spt's guest page (none for a split 2M sub-table). */
function guestEntryAt(v: Vgpu, s: Spt, i: number): GttEntry | undefined {
  if (s.guestGfn === 0 && v.pageTrack.find(s.guestGfn)?.priv !== s) return undefined; // a split 2M sub-table
  return v.ppgtt.guestEntry(s, i);
}

function shadowTarget(v: Vgpu, s: Spt, se: GttEntry): EntryTarget {
  if (!se.present()) return { kind: 'none' };
  const pfn = se.pfn();
  if (v.ppgtt.isScratch(pfn)) return { kind: 'scratch', mfn: pfn };
  if (s.shadowType !== GttType.PTE_PT && pointsToTable(se.type)) {
    const child = v.ppgtt.findSptByMfn(pfn);
    return { kind: 'table', mfn: pfn, gfn: child ? child.guestGfn : -1 };
  }
  const pages = se.type === GttType.PTE_2M ? 512 : se.type === GttType.PTE_1G ? 512 * 512 : 1;
  return { kind: 'page', mfn: pfn, gfn: v.host.guestFrameOf(v.index, pfn as Mfn), pages };
}

/** What the shadow entry should point at (gfn), from the guest entry; undefined when nothing. */
function expectedGfn(v: Vgpu, s: Spt, i: number): number | undefined {
  if (s.pdeIps && i % 16 !== 0) {
    const base = guestEntryAt(v, s, i & ~15);
    return base && base.present() ? base.pfn() + (i % 16) : undefined;
  }
  const ge = guestEntryAt(v, s, i);
  return ge && ge.present() ? ge.pfn() : undefined;
}

/** The gfn a shadow entry really reaches (through a split 2M sub-table if need be). */
function reachedGfn(v: Vgpu, t: EntryTarget): number | undefined {
  if (t.kind === 'page') return t.gfn;
  if (t.kind !== 'table') return undefined;
  const child = v.ppgtt.findSptByMfn(t.mfn);
  if (child && child.guestGfn === 0) {
    const e0 = child.getShadowEntry(0);
    return e0.present() ? v.host.guestFrameOf(v.index, e0.pfn() as Mfn) : undefined;
  }
  return t.gfn;
}

function mismatchOf(v: Vgpu, s: Spt, i: number, t: EntryTarget): string | undefined {
  if (s.guestGfn === 0) return undefined; // a split sub-table has no guest page to compare with
  const want = expectedGfn(v, s, i);
  const post = s.postShadow[i] !== 0;
  const why = post ? ' (a partial write waits for the post-shadow flush)' : s.oosPage ? ' (the page is out of sync)' : '';
  if (want === undefined) {
    if (t.kind === 'page' || t.kind === 'table') return `guest entry not present, shadow still maps gfn ${hex(reachedGfn(v, t) ?? 0)}${why}`;
    return undefined;
  }
  if (t.kind === 'none') return `guest maps gfn ${hex(want)}, shadow entry not present${why}`;
  if (t.kind === 'scratch') return `guest maps gfn ${hex(want)}, shadow points at scratch${why}`;
  const got = reachedGfn(v, t);
  if (got !== want) return `guest maps gfn ${hex(want)}, shadow reaches ${got === undefined ? 'a host page outside guest memory' : `gfn ${hex(got)}`}${why}`;
  return undefined;
}

export function sptSummary(v: Vgpu, s: Spt): SptSummary {
  let present = 0;
  let mismatches = 0;
  for (let i = 0; i < 512; i++) {
    const lo = s.shadowLo(i);
    if (lo & 1) present++;
    if (s.guestGfn !== 0 && (lo !== 0 || s.shadowHi(i) !== 0 || guestNonZero(v, s, i))) {
      if (mismatchOf(v, s, i, shadowTarget(v, s, s.getShadowEntry(i)))) mismatches++;
    }
  }
  const rec = s.guestGfn !== 0 ? v.pageTrack.find(s.guestGfn) : undefined;
  return {
    vgpu: v.name, mfn: s.mfn, gfn: s.guestGfn, level: levelOf(s), refcount: s.refcount,
    tracked: rec?.tracked ?? false, oos: s.oosPage !== null, postShadow: s.postShadowCount, present, mismatches, pdeIps: s.pdeIps,
  };
}

function guestNonZero(v: Vgpu, s: Spt, i: number): boolean {
  const at = (s.guestGfn * PAGE_SIZE + i * 8) as Gpa;
  return v.memory.readEntryLo(at) !== 0 || v.memory.readEntryHi(at) !== 0;
}

export function entryRow(v: Vgpu, s: Spt, i: number): ShadowEntryRow {
  const se = s.getShadowEntry(i);
  const ge = guestEntryAt(v, s, i) ?? new GttEntry(0, 0, realEntryType(entryTypeOf(s.guestType), new GttEntry(0, 0, GttType.INVALID), false));
  const t = shadowTarget(v, s, se);
  const child = t.kind === 'table' ? v.ppgtt.findSptByMfn(t.mfn) : undefined;
  const guestAt = s.guestGfn * PAGE_SIZE + i * 8;
  return {
    index: i,
    guest: hex(ge.value),
    shadow: hex(se.value),
    guestFlags: entryFlags(ge),
    shadowFlags: entryFlags(se),
    guestGfn: ge.present() ? ge.pfn() : undefined,
    shadowTarget: t,
    scratch: t.kind === 'scratch',
    mismatch: mismatchOf(v, s, i, t),
    postShadow: s.postShadow[i] !== 0,
    oos: s.oosPage !== null,
    child: child ? sptSummary(v, child) : undefined,
    guestMemoryReference: memoryReference(v.name, 'gpa', guestAt),
    shadowMemoryReference: memoryReference(v.name, 'spt', s.mfn, i * 8),
  };
}

/** Non-empty entries (guest or shadow non-zero) of an spt. */
export function sptDetail(v: Vgpu, s: Spt): SptDetail {
  const entries: ShadowEntryRow[] = [];
  for (let i = 0; i < 512; i++) {
    if (s.shadowLo(i) !== 0 || s.shadowHi(i) !== 0 || (s.guestGfn !== 0 && guestNonZero(v, s, i))) entries.push(entryRow(v, s, i));
  }
  return { spt: sptSummary(v, s), entries };
}

/** DMA rows sent with the overview (the view pages nothing else; more is a count). */
const MAX_DMA_ROWS = 2000;

export function vgpuShadowTables(v: Vgpu): VgpuShadowTables {
  const mms: PpgttMmNode[] = v.mms.map((mm) => {
    const roots = mm.shadowPdps.flatMap((se) => {
      const s = se.present() ? v.ppgtt.findSptByMfn(se.pfn()) : undefined;
      return s ? [sptSummary(v, s)] : [];
    });
    return {
      vgpu: v.name, rootGfn: mm.rootGfn, rootType: mm.rootType, pdps: [...mm.pdps], shadowed: mm.shadowed, active: v.activeMm() === mm,
      pincount: mm.pincount, refs: mm.refs, root: roots[0], roots,
    };
  });
  const reachable = v.ppgtt.reachableFrom(v.mms.flatMap((mm) => mm.shadowPdps));
  const all = v.ppgtt.allSpts();
  const dma = v.dma.mappings();
  return {
    vgpu: v.name,
    mms,
    sptCount: all.length,
    unreachable: all.filter((s) => !reachable.has(s.mfn)).map((s) => sptSummary(v, s)),
    postShadowQueue: postShadowQueue(v).map((s) => s.mfn),
    dma: dma.slice(0, MAX_DMA_ROWS).map((d) => ({ gfn: d.gfn, pages: d.pages, mfn: d.mfn, refs: d.refs })),
    dmaTotal: dma.length,
    ipsEnabled: v.ipsEnabled,
    attached: v.kvmgt.attached,
  };
}

