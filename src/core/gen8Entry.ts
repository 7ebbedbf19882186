// Gen8+ PPGTT entries as GVT sees them (docs/kernel-model.md §2): the type numbering and type
// table of gtt.c, and the pte_ops (present, pfn with per-size masks, PS/IPS, the bit-52 64K-split
// marker). A 64-bit entry is kept as two 32-bit halves so the hot path never allocates a BigInt.

export enum GttType {
  INVALID = 0,
  GGTT_PTE = 1,
  PTE_4K = 2,
  PTE_64K = 3,
  PTE_2M = 4,
  PTE_1G = 5,
  PTE_ENTRY = 6,
  PDE_ENTRY = 7,
  PDP_ENTRY = 8,
  PML4_ENTRY = 9,
  ROOT_ENTRY = 10,
  ROOT_L3 = 11,
  ROOT_L4 = 12,
  PPGTT_ENTRY = 13,
  PTE_PT = 14,
  PDE_PT = 15,
  PDP_PT = 16,
  PML4_PT = 17,
  MAX = 18,
}

const TYPE_NAMES: Record<number, string> = {
  0: 'INVALID', 1: 'GGTT_PTE', 2: 'PTE_4K', 3: 'PTE_64K', 4: 'PTE_2M', 5: 'PTE_1G', 7: 'PDE_ENTRY',
  8: 'PDP_ENTRY', 9: 'PML4_ENTRY', 11: 'ROOT_L3', 12: 'ROOT_L4', 14: 'PTE_PT', 15: 'PDE_PT', 16: 'PDP_PT', 17: 'PML4_PT',
};
export const gttTypeName = (t: GttType): string => TYPE_NAMES[t] ?? `type ${t}`;

/** Short level names for the UI: the table a PT type is. */
export const LEVEL_NAMES: Record<number, string> = { 14: 'PT', 15: 'PD', 16: 'PDP', 17: 'PML4' };

/** gtt.c type table: entry type → next-level table type (INVALID when the entry is a leaf). */
function nextPtTypeOf(t: GttType): GttType {
  switch (t) {
    case GttType.ROOT_L4: return GttType.PML4_PT;
    case GttType.PML4_ENTRY: return GttType.PDP_PT;
    case GttType.PDP_ENTRY: return GttType.PDE_PT;
    case GttType.ROOT_L3: return GttType.PDE_PT;
    case GttType.PDE_ENTRY: return GttType.PTE_PT;
    default: return GttType.INVALID;
  }
}

/** Table type → the type of the entries in it. */
function entryTypeOfTable(table: GttType): GttType {
  switch (table) {
    case GttType.PML4_PT: return GttType.PML4_ENTRY;
    case GttType.PDP_PT: return GttType.PDP_ENTRY;
    case GttType.PDE_PT: return GttType.PDE_ENTRY;
    case GttType.PTE_PT: return GttType.PTE_4K;
    default: return GttType.INVALID;
  }
}

// The two switches above as tables indexed by type, and the functions the rest of the core calls:
// the trap path asks them several times per store, and a switch over enum members is both slower
// and bigger bytecode (which stops V8 inlining the callers) than one typed-array load.
const NEXT_PT_TYPE = Int8Array.from({ length: GttType.MAX + 1 }, (_, t) => nextPtTypeOf(t));
const ENTRY_TYPE_OF = Int8Array.from({ length: GttType.MAX + 1 }, (_, t) => entryTypeOfTable(t));

export function nextPtType(t: GttType): GttType {
  return NEXT_PT_TYPE[t] ?? GttType.INVALID;
}

export function entryTypeOf(table: GttType): GttType {
  return ENTRY_TYPE_OF[table] ?? GttType.INVALID;
}

export const isPt = (t: GttType): boolean => t >= GttType.PTE_PT && t <= GttType.PML4_PT;
/** "An entry points to a table exactly when its next-level type is a PT type." */
export const pointsToTable = (t: GttType): boolean => isPt(nextPtType(t));

export const BIT_PRESENT = 1 << 0;
export const BIT_RW = 1 << 1;
export const BIT_ACCESSED = 1 << 5;
export const BIT_DIRTY = 1 << 6;
export const BIT_PS = 1 << 7; // PS in a PDE/PDPE; PAT in a 4K PTE
export const BIT_IPS = 1 << 11; // GEN8_PDE_IPS_64K
export const BIT_PAT_LARGE = 1 << 12;
/** Bit 52 of the entry = bit 20 of the high half: GVT's private "64K split" shadow marker. */
export const HI_BIT_64K_SPLIT = 1 << 20;
/** Bits 45:32 of an address live in the low 14 bits of the high half (GTT_HAW = 46). */
const HI_ADDR_MASK = 0x3fff;

/** Low-half address mask by entry size (gen8_gtt_get_pfn). */
function loAddrMaskOf(t: GttType): number {
  switch (t) {
    case GttType.PTE_1G: return 0xc0000000 | 0;
    case GttType.PTE_2M: return 0xffe00000 | 0;
    case GttType.PTE_64K: return 0xffff0000 | 0;
    default: return 0xfffff000 | 0;
  }
}

/** The low-half address mask of a 4K entry. */
export const LO_ADDR_MASK_4K = 0xfffff000 | 0;

// get_pfn and set_pfn on an entry's two halves (mask: the low-half mask of its size), for the write
// path's 4K leaves, which keep entries as numbers; GttEntry's pfn and setPfn are these.
export const pfnOf = (lo: number, hi: number, mask: number): number => ((lo & mask) >>> 12) + (hi & HI_ADDR_MASK) * 0x100000;
export const loWithPfn = (lo: number, pfn: number, mask: number): number => (lo & ~mask) | (((pfn & 0xfffff) << 12) & mask);
export const hiWithPfn = (hi: number, pfn: number): number => (hi & ~HI_ADDR_MASK) | (Math.floor(pfn / 0x100000) & HI_ADDR_MASK);

/** loAddrMaskOf by type, as a table (see NEXT_PT_TYPE). */
const LO_ADDR_MASK = Int32Array.from({ length: GttType.MAX + 1 }, (_, t) => loAddrMaskOf(t));
const loAddrMask = (t: GttType): number => LO_ADDR_MASK[t] ?? loAddrMaskOf(t);

/** GTT_64K_PTE_STRIDE: a 64K page takes every 16th PTE slot of its table. */
export const STRIDE_64K = 16;

/** intel_gvt_gtt_entry: a value and the type it was read as. */
export class GttEntry {
  // Assigned in the constructor, not declared as class fields: a field declaration makes every
  // `new GttEntry` (several per trapped write) define the fields first, then assign them.
  declare lo: number;
  declare hi: number;
  declare type: GttType;

  constructor(lo: number, hi: number, type: GttType) {
    this.lo = lo;
    this.hi = hi;
    this.type = type;
  }

  static fromBigInt(v: bigint, type: GttType): GttEntry {
    return new GttEntry(Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0, type);
  }

  copy(): GttEntry {
    return new GttEntry(this.lo, this.hi, this.type);
  }

  get value(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  isZero(): boolean {
    return this.lo === 0 && this.hi === 0;
  }

  /** Root pointers count as present when non-zero (i915 writes them without the present bit). */
  present(): boolean {
    const t = this.type;
    return t === GttType.ROOT_L3 || t === GttType.ROOT_L4 ? this.lo !== 0 || this.hi !== 0 : (this.lo & BIT_PRESENT) !== 0;
  }

  /** get_pfn: (val & size mask) >> 12, always in 4K units. */
  pfn(): number {
    return pfnOf(this.lo, this.hi, loAddrMask(this.type));
  }

  /** set_pfn: clear the masked bits and OR in the new pfn, masked the same way; other bits kept. */
  setPfn(pfn: number): void {
    const mask = loAddrMask(this.type);
    this.lo = loWithPfn(this.lo, pfn, mask);
    this.hi = hiWithPfn(this.hi, pfn);
  }

  testPse(): boolean {
    return (this.lo & BIT_PS) !== 0;
  }

  testIps(): boolean {
    return this.type === GttType.PDE_ENTRY && (this.lo & BIT_IPS) !== 0;
  }

  test64kSplit(): boolean {
    return (this.hi & HI_BIT_64K_SPLIT) !== 0;
  }
}

/**
 * update_entry_type_for_real: PDE/PDP with PS become 2M/1G; a 4K PTE read from the guest in a page
 * whose parent PDE has IPS becomes 64K (shadow reads pass ips = false, so never 64K).
 */
export function realEntryType(base: GttType, e: GttEntry, ips: boolean): GttType {
  if (base === GttType.PDE_ENTRY) return e.testPse() ? GttType.PTE_2M : base;
  if (base === GttType.PDP_ENTRY) return e.testPse() ? GttType.PTE_1G : base;
  if (base === GttType.PTE_4K && ips) return GttType.PTE_64K;
  return base;
}

/** Human form of an entry for traces and views: flags and target. */
export function describeEntry(e: GttEntry): string {
  if (e.isZero()) return '0 (empty)';
  const flags: string[] = [];
  if (e.lo & BIT_PRESENT) flags.push('P');
  if (e.lo & BIT_RW) flags.push('RW');
  if (e.type === GttType.PDE_ENTRY || e.type === GttType.PDP_ENTRY || e.type === GttType.PTE_2M || e.type === GttType.PTE_1G) {
    if (e.lo & BIT_PS) flags.push('PS');
  }
  if (e.lo & BIT_IPS && (e.type === GttType.PDE_ENTRY || e.type === GttType.PTE_2M)) flags.push('IPS');
  if (e.test64kSplit()) flags.push('64K-split');
  return `pfn 0x${e.pfn().toString(16)} ${flags.join('|') || '-'}`;
}
