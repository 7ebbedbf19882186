// The history index: for each thing a user asks about (a gfn of a vGPU, one 8-byte slot of a
// guest page, a vGPU), the steps of the recorded run that changed it or trapped on it, kept in
// typed arrays (5 words an entry) and filled from the core's tracer events (historyRecorder.ts). Answers are slices of these arrays, never replays. Bounded: past its budget the oldest
// steps are dropped from every key at once (`indexedFrom` moves forward, and the console says so).

import { DEFAULT_HISTORY_MIB } from './timeline';
import { pageOffset, type KernelFn } from '../core';

/** What an entry records (the low 7 bits of its meta word; bit 7 marks a change made while stopped). */
export const Code = {
  // gfn keys: the page as a whole
  Registered: 1,
  Unregistered: 2,
  Tracked: 3,
  Untracked: 4,
  ProtectOn: 5,
  ProtectOff: 6,
  Trap: 7,
  UntrappedStore: 8,
  SptAlloc: 9,
  SptFree: 10,
  SptRef: 11,
  SptUnref: 12,
  DmaMap: 13,
  DmaUnmap: 14,
  DmaFail: 15,
  OutOfSync: 16,
  Synced: 17,
  // slot keys: one 8-byte entry of a guest page
  GuestStore: 32,
  ShadowEntry: 33,
  PostShadowSet: 34,
  PostShadowClear: 35,
  /** A guest store to the slot that trapped (GuestStore: one that did not). */
  GuestStoreTrapped: 36,
  // vGPU keys
  FailsafeOn: 64,
  FailsafeOff: 65,
  Attached: 66,
  Detached: 67,
  MmCreated: 68,
  MmShadowed: 69,
  MmInvalidated: 70,
  MmDestroyed: 71,
  Hazard: 72,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

const EDIT_FLAG = 0x80;

/** State bit of a slot key: queued for the post-shadow flush. */
export const SLOT_POST_SHADOW = 1;

/** State bits of a gfn key (stored before and after each entry). */
export const Bit = { registered: 1, tracked: 2, protected: 4, shadowed: 8, oos: 16, dma: 32 } as const;

/** One entry, decoded. `a`/`b` are the code's payload (see the recorder). */
export interface HistoryEntry {
  step: number;
  /** 0-based scenario line; -1 for a change made while stopped. */
  line: number;
  code: Code;
  edit: boolean;
  fn: KernelFn | undefined;
  before: number;
  after: number;
  a: number;
  b: number;
  /** Order of recording across all keys (events of one step keep the kernel's order). */
  seq: number;
}

const WORDS = 5;
const ENTRY_BYTES = WORDS * 4;

export class KeyLog {
  data = new Uint32Array(WORDS * 4);
  n = 0;
  state = 0;

  push(step: number, meta: number, a: number, b: number, seq: number): void {
    if ((this.n + 1) * WORDS > this.data.length) {
      const d = new Uint32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    const o = this.n++ * WORDS;
    const d = this.data;
    d[o] = step;
    d[o + 1] = meta;
    d[o + 2] = a >>> 0;
    d[o + 3] = b >>> 0;
    d[o + 4] = seq;
  }

  /** Offset in `data` of the newest entry (the recorder rewrites it in place). */
  get lastAt(): number {
    return (this.n - 1) * WORDS;
  }

  /** First entry whose order (step*2 + statement-not-edit) is ≥ `order`. */
  lowerBound(order: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (orderOf(this.data, mid) < order) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops entries [0, k). */
  dropFront(k: number): void {
    if (k <= 0) return;
    this.data.copyWithin(0, k * WORDS, this.n * WORDS);
    this.n -= k;
    // Give memory back when most of the array went.
    if (this.n * WORDS * 4 < this.data.length) this.data = this.data.slice(0, Math.max(WORDS * 4, this.n * WORDS * 2));
  }

  entry(i: number, fns: readonly KernelFn[], lineOf: (step: number) => number): HistoryEntry {
    const d = this.data;
    const o = i * WORDS;
    const meta = d[o + 1];
    const fn = (meta >>> 8) & 0xff;
    return { step: d[o], line: meta & EDIT_FLAG ? -1 : lineOf(d[o]), code: (meta & 0x7f) as Code, edit: (meta & EDIT_FLAG) !== 0, fn: fn ? fns[fn - 1] : undefined, before: (meta >>> 16) & 0xff, after: meta >>> 24, a: d[o + 2], b: d[o + 3], seq: d[o + 4] };
  }
}

/** An entry's place in time: a change made while stopped at position p comes before statement p. */
function orderOf(d: Uint32Array, i: number): number {
  const o = i * WORDS;
  return d[o] * 2 + ((d[o + 1] & EDIT_FLAG) !== 0 ? 0 : 1);
}

export const orderOfStep = (step: number, edit: boolean): number => step * 2 + (edit ? 0 : 1);

export type KeyKind = 'gfn' | 'slot' | 'vgpu';

/** 8-byte entries of a guest page (4 KiB): slot keys are gfn * PAGE_SLOTS + index. */
export const PAGE_SLOTS = 512;
/** The slot key of entry `index` of guest page `gfn`. */
export const slotKey = (gfn: number, index: number): number => gfn * PAGE_SLOTS + index;
/** The entry index a slot key names within its page. */
export const slotIndex = (key: number): number => key % PAGE_SLOTS;
/** The 8-byte entry of its page a guest physical address falls in. */
export const entryOfGpa = (gpa: number): number => Math.floor(pageOffset(gpa) / 8);

/** The default memory budget of the index (its typed arrays): half the history's default. */
const DEFAULT_INDEX_MIB = DEFAULT_HISTORY_MIB / 2;

export class HistoryIndex {
  private readonly keys = new Map<string, Map<number, KeyLog>>();
  private readonly fnIds = new Map<KernelFn, number>();
  readonly fns: KernelFn[] = [];
  private entries = 0;
  private seq = 0;
  /** Steps before this are no longer indexed (thinned). */
  indexedFrom = 0;
  /** Told once when the budget first thins the index. */
  onThinned: ((text: string) => void) | null = null;
  private thinnedTold = false;
  private readonly budgetBytes: number;

  constructor(budgetMiB = DEFAULT_INDEX_MIB) {
    this.budgetBytes = Math.max(32 * 1024, budgetMiB * 1024 * 1024);
  }

  get size(): number {
    return this.entries;
  }

  get estimatedBytes(): number {
    return this.entries * ENTRY_BYTES + this.lines.byteLength;
  }

  private lastVgpu = '';
  private lastMaps: Record<KeyKind, Map<number, KeyLog>> | undefined;

  /** The key maps of a vGPU (the recorder asks for the same vGPU event after event: cached). */
  private maps(vgpu: string): Record<KeyKind, Map<number, KeyLog>> {
    if (vgpu === this.lastVgpu && this.lastMaps) return this.lastMaps;
    const get = (kind: KeyKind): Map<number, KeyLog> => {
      const name = `${kind}:${vgpu}`;
      let m = this.keys.get(name);
      if (!m) this.keys.set(name, (m = new Map()));
      return m;
    };
    this.lastVgpu = vgpu;
    this.lastMaps = { gfn: get('gfn'), slot: get('slot'), vgpu: get('vgpu') };
    return this.lastMaps;
  }

  log(vgpu: string, kind: KeyKind, key: number): KeyLog {
    const m = this.maps(vgpu)[kind];
    let l = m.get(key);
    if (!l) m.set(key, (l = new KeyLog()));
    return l;
  }

  /** Rewrites an entry's code and function in place (a store's provisional entry becoming its trap). */
  retag(l: KeyLog, at: number, code: Code, fn: KernelFn | undefined): void {
    l.data[at + 1] = (l.data[at + 1] & ~0xff7f) | code | (this.fnId(fn) << 8);
  }

  /** Clears state bits of every gfn key of a vGPU (kvmgt detached: its protect table went). */
  clearAll(vgpu: string, bits: number): void {
    for (const l of this.maps(vgpu).gfn.values()) l.state &= ~bits;
  }

  private lastFn: KernelFn | undefined;
  private lastFnId = 0;

  private fnId(fn: KernelFn | undefined): number {
    if (!fn) return 0;
    if (fn === this.lastFn) return this.lastFnId;
    let id = this.fnIds.get(fn);
    if (id === undefined) {
      this.fns.push(fn);
      id = this.fns.length;
      this.fnIds.set(fn, id);
    }
    this.lastFn = fn;
    this.lastFnId = id;
    return id;
  }

  /** Line (0-based) of each indexed step's statement, from `linesBase` on. */
  private lines = new Int32Array(1024);
  private linesBase = 0;

  /** The indexer says which line the step being indexed is (before its events come). */
  setLine(step: number, line: number): void {
    let i = step - this.linesBase;
    if (i < 0) return;
    if (i >= this.lines.length) {
      if (this.estimatedBytes > this.budgetBytes) {
        this.thin(step);
        i = step - this.linesBase;
      }
      if (i >= this.lines.length) {
        const l = new Int32Array(Math.max(this.lines.length * 2, i + 1));
        l.set(this.lines);
        this.lines = l;
      }
    }
    this.lines[i] = line;
  }

  readonly lineOf = (step: number): number => {
    const i = step - this.linesBase;
    return i >= 0 && i < this.lines.length ? this.lines[i] : -1;
  };

  /** Appends an entry; for gfn keys `set`/`clear` change the key's state bits. */
  add(l: KeyLog, step: number, code: Code, edit: boolean, fn: KernelFn | undefined, a = 0, b = 0, set = 0, clear = 0): void {
    const before = l.state;
    l.state = (before | set) & ~clear;
    l.push(step, code | (edit ? EDIT_FLAG : 0) | (this.fnId(fn) << 8) | (before << 16) | (l.state << 24), a, b, this.seq++);
    if (++this.entries * ENTRY_BYTES + this.lines.byteLength > this.budgetBytes) this.thin(step);
  }

  /** Entries of a key, oldest first (a copy of the decoded range). */
  entriesOf(vgpu: string, kind: KeyKind, key: number, from = 0, to = Infinity): HistoryEntry[] {
    const l = this.find(vgpu, kind, key);
    if (!l) return [];
    const out: HistoryEntry[] = [];
    const end = Math.min(l.n, to);
    for (let i = Math.max(0, from); i < end; i++) out.push(l.entry(i, this.fns, this.lineOf));
    return out;
  }

  private find(vgpu: string, kind: KeyKind, key: number): KeyLog | undefined {
    return this.keys.get(`${kind}:${vgpu}`)?.get(key);
  }

  /** Positions in a key of the entries of steps [from, to] whose code `keep` accepts (one pass over the meta words). */
  matching(vgpu: string, kind: KeyKind, key: number, from: number, to: number, keep: (c: Code) => boolean): Int32Array {
    const l = this.find(vgpu, kind, key);
    if (!l) return new Int32Array(0);
    const lo = l.lowerBound(from * 2);
    const hi = to === Infinity ? l.n : l.lowerBound((to + 1) * 2);
    const out = new Int32Array(Math.max(0, hi - lo));
    const d = l.data;
    const seen = new Map<number, boolean>();
    let n = 0;
    for (let i = lo; i < hi; i++) {
      const c = d[i * WORDS + 1] & 0x7f;
      let k = seen.get(c);
      if (k === undefined) seen.set(c, (k = keep(c as Code)));
      if (k) out[n++] = i;
    }
    return out.subarray(0, n);
  }

  entryAt(vgpu: string, kind: KeyKind, key: number, i: number): HistoryEntry {
    return this.find(vgpu, kind, key)!.entry(i, this.fns, this.lineOf);
  }

  /**
   * The newest entry of a key whose order (step*2 + statement-not-edit) is below `order` and whose
   * code is in `codes`: a scan back from there, as far as it takes (no cap), so a recent cause is
   * found at once even behind a million older entries; a code the key never had costs one pass.
   */
  newestBefore(vgpu: string, kind: KeyKind, key: number, order: number, codes: ReadonlySet<number>): HistoryEntry | undefined {
    const l = this.find(vgpu, kind, key);
    return l && this.scanBack(l, l.lowerBound(order), codes, Infinity);
  }

  /** The newest entry before position `i` of a key with one of `codes` (looks back at most 100 k entries). */
  previous(vgpu: string, kind: KeyKind, key: number, i: number, codes: readonly Code[]): HistoryEntry | undefined {
    const l = this.find(vgpu, kind, key);
    return l && this.scanBack(l, i, new Set<number>(codes), 100_000);
  }

  /** The newest of a key's entries before position `i` (at most `cap` looked at) whose code is in `codes`. */
  private scanBack(l: KeyLog, i: number, codes: ReadonlySet<number>, cap: number): HistoryEntry | undefined {
    const d = l.data;
    for (let j = i - 1, n = 0; j >= 0 && n < cap; j--, n++) {
      if (codes.has(d[j * WORDS + 1] & 0x7f)) return l.entry(j, this.fns, this.lineOf);
    }
    return undefined;
  }

  /** The keys of one kind of a vGPU that fall in [lo, hi] (slot keys of one page: slotKey(gfn, 0) .. slotKey(gfn, 511)). */
  keysIn(vgpu: string, kind: KeyKind, lo: number, hi: number): number[] {
    const m = this.keys.get(`${kind}:${vgpu}`);
    if (!m) return [];
    const out: number[] = [];
    // A short range is looked up key by key; the count must be exact (past 2^53, k++ would not move).
    if (hi - lo < 4096 && Number.isSafeInteger(hi)) {
      for (let k = lo; k <= hi; k++) if (m.has(k)) out.push(k);
    } else for (const k of m.keys()) if (k >= lo && k <= hi) out.push(k);
    return out.sort((x, y) => x - y);
  }

  /** The state bits of a gfn key now (as indexed). */
  stateOf(vgpu: string, gfn: number): number {
    return this.find(vgpu, 'gfn', gfn)?.state ?? 0;
  }

  /** Drops every entry at or after `order` (an edit changed the future from there). */
  truncate(order: number): void {
    this.lastMaps = undefined;
    let n = 0;
    for (const m of this.keys.values()) {
      for (const l of m.values()) {
        const k = l.lowerBound(order);
        l.n = k;
        n += k;
        // The key's state is the state after its last kept entry.
        l.state = k > 0 ? l.data[(k - 1) * WORDS + 1] >>> 24 : 0;
      }
    }
    this.entries = n;
  }

  /** Over budget: forget the older half of the indexed steps, in every key. */
  private thin(now: number): void {
    this.lastMaps = undefined;
    const cutoff = Math.max(this.indexedFrom + 1, Math.floor((this.indexedFrom + now) / 2));
    let n = 0;
    for (const m of this.keys.values()) {
      for (const l of m.values()) {
        l.dropFront(l.lowerBound(cutoff * 2));
        n += l.n;
      }
    }
    this.entries = n;
    this.indexedFrom = cutoff;
    const drop = cutoff - this.linesBase;
    if (drop > 0) {
      this.lines.copyWithin(0, Math.min(drop, this.lines.length));
      this.linesBase = cutoff;
    }
    if (!this.thinnedTold) {
      this.thinnedTold = true;
      this.onThinned?.(`history index: more than ${Math.round(this.budgetBytes / 1048576)} MiB (half of limits.historyMiB); steps before ${cutoff} are no longer indexed (history and why answer from there on; older steps are thinned further as the run grows)`);
    }
  }
}

