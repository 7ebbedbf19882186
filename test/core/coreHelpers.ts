// Shared by the core tests: a recording tracer (hypervisor calls are counted by their kernel
// frames), a standard shadowed 4-level page table, entry encoders, and a canonical dump of a
// machine's state for the snapshot and determinism tests. Knows only src/core's public face.
import * as core from '../../src/core';
import { gfn, gpa, type Gfn, type Gpa } from '../../src/core';

export const MIB = 1024 * 1024;

/** A tracer that keeps every frame entered (with its return value) and every note. */
export class Recorder implements core.Tracer {
  readonly frames: Array<{ fn: core.KernelFn; args: core.FrameArgs }> = [];
  readonly returns: Array<{ fn: core.KernelFn; ret?: number }> = [];
  readonly notes: core.CoreEvent[] = [];

  enter(fn: core.KernelFn, args: core.FrameArgs): void {
    this.frames.push({ fn, args });
  }

  leave(fn: core.KernelFn, ret?: number): void {
    this.returns.push({ fn, ret });
  }

  note(e: core.CoreEvent): void {
    this.notes.push(e);
  }

  count(fn: core.KernelFn): number {
    return this.frames.filter((f) => f.fn === fn).length;
  }

  /** Hypervisor add calls of either profile (intel_gvt_page_track_add / kvmgt_page_track_add). */
  get adds(): number {
    return this.count('intel_gvt_page_track_add') + this.count('kvmgt_page_track_add');
  }

  get removes(): number {
    return this.count('intel_gvt_page_track_remove') + this.count('kvmgt_page_track_remove');
  }

  /** KVM's own write-track changes (kvm_write_track_add/remove_gfn), as 'protect' notes. */
  kvmCalls(on?: boolean): number {
    return this.notes.filter((n) => n.kind === 'protect' && (on === undefined || n.on === on)).length;
  }

  /** Modelled surprises and kernel hazards (a hazard is the kind of surprise the debugger can stop on). */
  surprises(): string[] {
    return this.notes.flatMap((n) => (n.kind === 'surprise' || n.kind === 'hazard' ? [n.message] : []));
  }

  ofKind<K extends core.CoreEvent['kind']>(kind: K): Array<Extract<core.CoreEvent, { kind: K }>> {
    return this.notes.filter((n): n is Extract<core.CoreEvent, { kind: K }> => n.kind === kind);
  }

  clear(): void {
    this.frames.length = 0;
    this.returns.length = 0;
    this.notes.length = 0;
  }
}

/** A handler that remembers its calls and returns a fixed code. */
export class SpyHandler implements core.TrackHandler {
  readonly calls: Array<{ gpa: Gpa; data: Uint8Array; bytes: number; tracked: boolean; record: core.PageTrackRecord }> = [];
  constructor(readonly name: string, readonly returns = 0) {}

  handle(_table: core.PageTrackTable, record: core.PageTrackRecord, at: Gpa, data: Uint8Array, bytes: number): number {
    this.calls.push({ gpa: at, data: data.slice(), bytes, tracked: record.tracked, record });
    return this.returns;
  }
}

/** 8 little-endian bytes of a 64-bit entry value. */
export function u64(value: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return b;
}

export function u32(value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, true);
  return b;
}

/** A guest entry: pfn << 12 | flags (present + RW by default). */
export function entry(pfn: number, flags = 0x3n): bigint {
  return (BigInt(pfn) << 12n) | flags;
}

export const P = 0x1n;
export const RW = 0x2n;
export const PS = 0x80n;
export const IPS = 0x800n;
export const BIT52 = 1n << 52n;
/** Bits 45:12: the 4K address field. */
export const ADDR_4K = ((1n << 46n) - 1n) & ~0xfffn;

export const pfnOf = (v: bigint): number => Number((v & ADDR_4K) >> 12n);

/**
 * The standard layout used by most tests: PML4 at 0x100, pool 0x101.., so the builder hands out
 * PDP 0x101, PD 0x102, PT 0x103 for va 0x1000 → gfn 0x500 (PT index 1). Shadowed at once.
 */
export interface Std {
  m: core.Machine;
  v: core.Vgpu;
  rec: Recorder;
  root: Gfn;
  pdp: Gfn;
  pd: Gfn;
  pt: Gfn;
}

export const ROOT = gfn(0x100);
export const PDP = gfn(0x101);
export const PD = gfn(0x102);
export const PT = gfn(0x103);
export const DATA = gfn(0x500);

export function shadowed(profile: core.KernelProfile = 'newest', setup?: (v: core.Vgpu, m: core.Machine) => void): Std {
  const m = new core.Machine(profile);
  const v = m.createVgpu('vm1', 64 * MIB);
  v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
  const r = v.builder.map(0x1000, DATA, 4096);
  if ('error' in r) throw new Error(r.error);
  setup?.(v, m);
  const ret = v.shadow(ROOT);
  if (ret !== 0) throw new Error(`shadow failed: ${ret}`);
  const rec = new Recorder();
  m.tracer = rec;
  return { m, v, rec, root: ROOT, pdp: PDP, pd: PD, pt: PT };
}

/** Address of entry i of the guest table page g. */
export const at = (g: number, i: number): Gpa => gpa(g * 4096 + i * 8);

/** 8-byte guest store of an entry value into table g at index i. */
export function store64(v: core.Vgpu, g: number, i: number, value: bigint): core.StoreResult {
  return v.guestStore(at(g, i), u64(value));
}

export function spt(v: core.Vgpu, g: number): core.Spt {
  const s = v.ppgtt.findSptByGfn(gfn(g));
  if (!s) throw new Error(`no spt for gfn 0x${g.toString(16)}`);
  return s;
}

export const shadowValue = (v: core.Vgpu, g: number, i: number): bigint => spt(v, g).getShadowEntry(i).value;

export const backing = (v: core.Vgpu, g: number): number => v.host.backingFrame(v.index, gfn(g));

/** The host frame of scratch_pt[type]. */
export const scratch = (v: core.Vgpu, type: core.GttType): number => v.ppgtt.scratch.get(type)!;

export const dmaRefs = (v: core.Vgpu, g: number, pages = 1): number =>
  v.dma.mappings().find((d) => d.gfn === g && d.pages === pages)?.refs ?? 0;

// ---- canonical dump -------------------------------------------------------------------------

const hex = (n: number | bigint): string => '0x' + n.toString(16);

function dumpSpt(s: core.Spt): unknown {
  const entries: string[] = [];
  for (let i = 0; i < core.ENTRIES_PER_PAGE; i++) {
    const lo = s.shadowLo(i);
    const hi = s.shadowHi(i);
    if (lo !== 0 || hi !== 0) entries.push(`${i}=${hex(s.getShadowEntry(i).value)}`);
  }
  const bits: number[] = [];
  s.postShadow.forEach((b, i) => b && bits.push(i));
  return {
    mfn: hex(s.mfn), type: s.shadowType, gfn: hex(s.guestGfn), refcount: s.refcount, freed: s.freed,
    ips: s.pdeIps, writeCnt: s.writeCnt, oos: s.oosPage ? Array.from(s.oosPage.mem).join(',') : null,
    postShadow: bits, postShadowCount: s.postShadowCount, onList: s.onPostShadowList, entries,
  };
}

function privOf(p: unknown): string {
  if (p instanceof core.Spt) return `spt ${hex(p.mfn)}${p.freed ? ' (freed)' : ''}`;
  return String(p);
}

/** Everything observable about a vGPU, as plain data (compare with deepStrictEqual). */
function dumpVgpu(v: core.Vgpu): unknown {
  const pages: string[] = [];
  for (const g of v.memory.touchedGfns()) {
    const b = v.memory.readBytes(gpa(g * 4096), 4096);
    let h = 0x811c9dc5;
    for (const x of b) h = Math.imul(h ^ x, 0x01000193);
    pages.push(`${hex(g)}:${(h >>> 0).toString(16)}`);
  }
  return {
    name: v.name,
    memory: pages,
    records: v.pageTrack.all().map((r) => ({ gfn: hex(r.gfn), handler: r.handler.name, tracked: r.tracked, hits: r.hits, priv: privOf(r.priv) })),
    protect: [...v.kvmgt.protectTable].sort((a, b) => a - b).map(hex),
    kvm: v.kvmgt.kvmTrackEntries().map(([g, n]) => `${hex(g)}x${n}`),
    attached: v.kvmgt.attached,
    spts: v.ppgtt.allSpts().map(dumpSpt),
    postShadowList: [...v.ppgtt.postShadowList].map((s) => hex(s.mfn)),
    oosList: v.oos.list.map((s) => hex(s.mfn)),
    dma: v.dma.mappings().map((d) => `${hex(d.gfn)}/${d.pages}->${hex(d.mfn)}x${d.refs}`),
    mms: v.mms.map((mm) => ({ root: mm.describe(), shadowed: mm.shadowed, shadowRoots: mm.shadowPdps.map((e) => hex(e.value)), pin: mm.pincount, refs: mm.refs })),
    activeRoot: v.activeMm()?.describe(),
    platform: v.ipsEnabled,
    gamwIps64k: v.gamwIps64k,
    backing: v.backing.ranges().map((r) => `${hex(r.from)}..${hex(r.to)} ${r.kind}`),
    failsafe: v.failsafe,
    oosEnabled: v.oosEnabled,
    traps: v.traps,
    handlerCalls: [...v.handlerCalls].sort(),
  };
}

export function dumpMachine(m: core.Machine): unknown {
  return {
    profile: m.profile,
    oosInUse: m.oosPool.inUse.map((p) => `${p.id}:${p.spt ? hex(p.spt.mfn) : '-'}`),
    oosFree: m.oosPool.freeCount,
    vgpus: [...m.vgpus.values()].map(dumpVgpu),
  };
}
