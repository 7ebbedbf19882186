// page_track.c: the per-vGPU page-track records (vgpu->page_track_tree, keyed by gfn) and the
// write dispatcher intel_vgpu_page_track_handler. Return codes and edge cases as docs/kernel-model.md
// §3: registering never write-protects, enable/disable are idempotent on `tracked`, the
// dispatcher ignores `tracked`, and a handler failure is only logged (it never enters failsafe).

import { EEXIST, ENXIO } from './errno';
import { gpaToGfn, type Gfn, type Gpa } from './address';
import { enterGpa, noteFailsafeStale, noteWriteError } from './hotPathTrace';
import type { Kvmgt } from './kvmgt';
import type { VgpuContext } from './vgpuContext';

/**
 * The handler type of page_track.h: (record, gpa, data, bytes) → 0 or -errno. `table` is the
 * dispatching vGPU's page-track table (its context, and the per-handler call counts the UI shows).
 */
export interface TrackHandler {
  readonly name: string;
  handle(table: PageTrackTable, record: PageTrackRecord, at: Gpa, data: Uint8Array, bytes: number): number;
}

/**
 * struct intel_vgpu_page_track, plus how often the dispatcher reached it (for the UI). While the
 * record is in a table its hit count lives in the table's slots, beside it: the trap path then
 * reads one place per write, not the slot and then the record (with a million records spread over
 * memory, each read is a cache miss).
 */
export class PageTrackRecord {
  tracked = false;
  /** What created the record (the scenario statement running at the time), for "reveal registration". */
  origin: unknown = null;
  /** The table holding this record, while one does (its hits are there); else null. */
  private table: PageTrackTable | null = null;
  private ownHits = 0;
  constructor(
    readonly gfn: Gfn,
    readonly handler: TrackHandler,
    readonly priv: unknown,
  ) {}

  /** How often the dispatcher reached this record. */
  get hits(): number {
    return this.table === null ? this.ownHits : this.table.hitsOf(this.gfn);
  }

  set hits(n: number) {
    if (this.table === null) this.ownHits = n;
    else this.table.setHitsOf(this.gfn, n);
  }

  /** A table stored it: its hits move there. */
  placeIn(table: PageTrackTable): void {
    const n = this.hits;
    this.table = table;
    table.setHitsOf(this.gfn, n);
  }

  /** The table dropped it: its hits come back with it. */
  takeOut(): void {
    this.ownHits = this.hits;
    this.table = null;
  }
}

/** gfns per leaf of the gfn radix tree (page_track_tree): 512, like a radix-tree node's span. */
const LEAF_SIZE = 512;
/**
 * Three slots per gfn, side by side: the record, its handler, its hit count. The dispatcher reads
 * and writes only these (one cache line), never the record object itself.
 */
const SLOTS = 3;
const HANDLER = 1;
const HITS = 2;
const LEAF_SLOTS = LEAF_SIZE * SLOTS;
const NONE = -1;
/** A slot's address: its chunk << CHUNK_SHIFT | its offset there (a chunk of 64 leaves has 98 304 slots). */
const CHUNK_SHIFT = 17;
const OFFSET_MASK = (1 << CHUNK_SHIFT) - 1;
const MAX_CHUNK_LEAVES = 64;
/** Gfns the table lists as touched before it starts the list again (PageTrackTable.touchedGfns). */
const TOUCHED_MAX = 1024;
type Slot = PageTrackRecord | TrackHandler | number | undefined;

export class PageTrackTable {
  /**
   * gfn → record as a two-level radix (leaves of 512 gfns keyed by gfn / 512), like the kernel's
   * radix tree: 1 M tracked gfns cost 2 048 leaves, not a 1 M-entry Map. A leaf is a stretch of a
   * few large arrays (`chunks`: the first holds 1 leaf, then 2, 4, … up to 64), made as its first
   * gfn is registered; `nearStart` gives where the leaf of each key inside guest memory starts (a
   * chunk and an offset, packed), so the trap path neither hashes nor follows a pointer per leaf:
   * it reads the index and its gfn's slots, one cache miss at most, where an array per leaf added
   * two (the array object, its elements' header). Chunks are never copied as more are made. A
   * record may name any gfn (registering checks none), so keys beyond memory go to a Map. Leaves
   * are never freed.
   */
  private readonly chunks: Slot[][] = [];
  /** Leaves still free in the last chunk, and the slots used in it. */
  private chunkFree = 0;
  private chunkUsed = 0;
  private readonly nearStart: Int32Array;
  private readonly farStart = new Map<number, number>();
  private count = 0;
  private trackedCount = 0;

  /**
   * Change stamps, so a stop can tell the rows that changed without walking every record: each
   * change to what a row shows (a record added or removed, `tracked`, protection, hits) bumps
   * `version` and stamps the gfn's leaf with it; `touchAll` stamps every leaf at once (detach,
   * memslot removal). A snapshot's table starts afresh (a reader sees another table object).
   */
  private version = 0;
  private allStamp = 0;
  private readonly nearStamps: Float64Array;
  private readonly farStamps = new Map<number, number>();
  /**
   * The gfns touched lately, in the order first touched, each with the version of its latest touch
   * (so the versions ascend): complete for every touch after `touchedFrom`. A stop after a step
   * then compares the rows its statement touched, not every row of their leaves (all 255 pages of
   * a page-table pool share one). A gfn touched again at once (a loop writing one page table) only
   * moves its version; past TOUCHED_MAX gfns the list starts again, and an older reader gets the
   * leaves.
   */
  private touchedGfns: number[] = [];
  private touchedAt: number[] = [];
  private touchedFrom = 0;

  /** Calls per scenario handler name (the handlers are stateless, so snapshots stay exact; the kernel counts nothing). */
  readonly handlerCalls = new Map<string, number>();

  /** pageCount: the guest's memory in pages (which leaves the array holds). */
  constructor(
    readonly vgpu: VgpuContext,
    private readonly kvmgt: Kvmgt,
    pageCount: number,
  ) {
    this.nearStart = new Int32Array(Math.ceil(pageCount / LEAF_SIZE)).fill(NONE);
    this.nearStamps = new Float64Array(this.nearStart.length);
  }

  /** What a row of gfn g shows may have changed. */
  touch(g: number): void {
    const key = Math.floor(g / LEAF_SIZE);
    const v = ++this.version;
    if (key >= 0 && key < this.nearStamps.length) this.nearStamps[key] = v;
    else this.farStamps.set(key, v);
    const gs = this.touchedGfns;
    const n = gs.length;
    if (n > 0 && gs[n - 1] === g) {
      this.touchedAt[n - 1] = v;
      return;
    }
    if (n === TOUCHED_MAX) {
      gs.length = 0;
      this.touchedAt.length = 0;
      this.touchedFrom = v - 1;
    }
    gs.push(g);
    this.touchedAt.push(v);
  }

  /** What any row shows may have changed (protection dropped wholesale). */
  touchAll(): void {
    this.allStamp = ++this.version;
  }

  /** The stamp a reader keeps to ask changedSince() at its next look. */
  get changeVersion(): number {
    return this.version;
  }

  /**
   * The gfns whose rows may have changed after `version`, ascending, as [from, to] ranges: each gfn
   * touched since, or whole leaves when the list of touched gfns no longer reaches back that far;
   * undefined when anything may have.
   */
  changedSince(version: number): Array<readonly [number, number]> | undefined {
    if (this.allStamp > version) return undefined;
    if (version >= this.touchedFrom) return this.touchedSince(version);
    const keys: number[] = [];
    for (let k = 0; k < this.nearStamps.length; k++) if (this.nearStamps[k] > version) keys.push(k);
    for (const [k, v] of this.farStamps) if (v > version) keys.push(k);
    keys.sort((a, b) => a - b);
    return keys.map((k) => [k * LEAF_SIZE, k * LEAF_SIZE + LEAF_SIZE - 1] as const);
  }

  /** changedSince from the list of touched gfns: each as a range of its own, ascending. */
  private touchedSince(version: number): Array<readonly [number, number]> {
    const at = this.touchedAt;
    const gfns: number[] = [];
    for (let i = at.length - 1; i >= 0 && at[i] > version; i--) gfns.push(this.touchedGfns[i]);
    gfns.sort((a, b) => a - b);
    const out: Array<readonly [number, number]> = [];
    for (let i = 0; i < gfns.length; i++) if (i === 0 || gfns[i] !== gfns[i - 1]) out.push([gfns[i], gfns[i]]);
    return out;
  }

  get size(): number {
    return this.count;
  }

  /** Records whose `tracked` flag is set (stale ones included), kept as they change: a stop reads it. */
  get tracked(): number {
    return this.trackedCount;
  }

  /** Where the leaf of `key` starts (a slot address), or NONE. */
  private leafStart(key: number): number {
    if (key >= 0 && key < this.nearStart.length) return this.nearStart[key];
    return this.farStart.get(key) ?? NONE;
  }

  /** The slot address of gfn g (its record's), or NONE when its leaf does not exist. */
  private slotOf(g: number): number {
    const key = Math.floor(g / LEAF_SIZE);
    const start = this.leafStart(key);
    return start === NONE ? NONE : start + (g - key * LEAF_SIZE) * SLOTS;
  }

  private slot(at: number, k: number): Slot {
    return this.chunks[at >>> CHUNK_SHIFT][(at & OFFSET_MASK) + k];
  }

  private setSlot(at: number, k: number, value: Slot): void {
    this.chunks[at >>> CHUNK_SHIFT][(at & OFFSET_MASK) + k] = value;
  }

  private newLeaf(key: number): number {
    if (this.chunkFree === 0) {
      const leaves = Math.min(MAX_CHUNK_LEAVES, 2 ** this.chunks.length);
      this.chunks.push(new Array<Slot>(leaves * LEAF_SLOTS).fill(undefined));
      this.chunkFree = leaves;
      this.chunkUsed = 0;
    }
    const start = ((this.chunks.length - 1) << CHUNK_SHIFT) | this.chunkUsed;
    this.chunkUsed += LEAF_SLOTS;
    this.chunkFree--;
    if (key >= 0 && key < this.nearStart.length) this.nearStart[key] = start;
    else this.farStart.set(key, start);
    return start;
  }

  private get(g: number): PageTrackRecord | undefined {
    const at = this.slotOf(g);
    return at === NONE ? undefined : (this.slot(at, 0) as PageTrackRecord | undefined);
  }

  private set(g: number, rec: PageTrackRecord | undefined): void {
    let at = this.slotOf(g);
    // A new record is counted against the host's limit first: past it, this throws with nothing changed.
    if (rec !== undefined && (at === NONE || this.slot(at, 0) === undefined)) this.vgpu.host.addRecord();
    if (at === NONE) {
      const key = Math.floor(g / LEAF_SIZE);
      at = this.newLeaf(key) + (g - key * LEAF_SIZE) * SLOTS;
    }
    const was = this.slot(at, 0) as PageTrackRecord | undefined;
    if (was === undefined) {
      if (rec !== undefined) this.count++;
    } else {
      was.takeOut();
      if (rec === undefined) {
        this.count--;
        this.vgpu.host.removeRecord();
      }
    }
    this.setSlot(at, 0, rec);
    this.setSlot(at, HANDLER, rec?.handler);
    this.setSlot(at, HITS, rec === undefined ? undefined : 0);
    rec?.placeIn(this);
  }

  /** The dispatcher's count for gfn g's record (PageTrackRecord.hits reads it). */
  hitsOf(g: number): number {
    const at = this.slotOf(g);
    return at === NONE ? 0 : ((this.slot(at, HITS) as number | undefined) ?? 0);
  }

  setHitsOf(g: number, n: number): void {
    const at = this.slotOf(g);
    if (at !== NONE) this.setSlot(at, HITS, n);
  }

  /** Records in gfn order (the radix tree's order). */
  all(): PageTrackRecord[] {
    const out: PageTrackRecord[] = [];
    const farKeys = [...this.farStart.keys()].sort((a, b) => a - b);
    const keys = [...farKeys.filter((k) => k < 0), ...this.nearStart.keys(), ...farKeys.filter((k) => k >= 0)];
    for (const key of keys) {
      const start = this.leafStart(key);
      if (start === NONE) continue;
      const chunk = this.chunks[start >>> CHUNK_SHIFT];
      const from = start & OFFSET_MASK;
      for (let i = from; i < from + LEAF_SLOTS; i += SLOTS) if (chunk[i] !== undefined) out.push(chunk[i] as PageTrackRecord);
    }
    return out;
  }

  /** intel_vgpu_find_page_track: a lookup, no side effects. */
  find(g: Gfn): PageTrackRecord | undefined {
    return this.get(g);
  }

  /** intel_vgpu_register_page_track: -EEXIST if any record holds the gfn (nothing compared). */
  register(g: Gfn, handler: TrackHandler, priv: unknown): number {
    const t = this.vgpu.tracer;
    t?.enter('intel_vgpu_register_page_track', { gfn: g, handler: handler.name });
    let ret = 0;
    if (this.get(g) !== undefined) {
      ret = -EEXIST;
    } else {
      const rec = new PageTrackRecord(g, handler, priv);
      rec.origin = this.vgpu.origin;
      this.set(g, rec);
      this.touch(g);
      t?.note({ kind: 'record', vgpu: this.vgpu.name, gfn: g, change: 'registered', handler: handler.name });
    }
    t?.leave('intel_vgpu_register_page_track', ret);
    return ret;
  }

  /** intel_vgpu_unregister_page_track: unknown gfn is a silent no-op; the hypervisor result is ignored. */
  unregister(g: Gfn): void {
    const t = this.vgpu.tracer;
    t?.enter('intel_vgpu_unregister_page_track', { gfn: g });
    const rec = this.get(g);
    if (rec) {
      this.set(g, undefined);
      this.touch(g);
      if (rec.tracked) {
        this.trackedCount--;
        this.kvmgt.remove(g);
      }
      t?.note({ kind: 'record', vgpu: this.vgpu.name, gfn: g, change: 'unregistered', handler: rec.handler.name });
    }
    t?.leave('intel_vgpu_unregister_page_track');
  }

  /** intel_vgpu_enable_page_track: -ENXIO without a record; 0 at once if already tracked. */
  enable(g: Gfn): number {
    return this.setTracked(g, true);
  }

  /** intel_vgpu_disable_page_track: the mirror of enable; a failed remove keeps tracked true. */
  disable(g: Gfn): number {
    return this.setTracked(g, false);
  }

  /** enable/disable: `tracked` changes only when the hypervisor's add/remove succeeded. */
  private setTracked(g: Gfn, on: boolean): number {
    const t = this.vgpu.tracer;
    const fn = on ? 'intel_vgpu_enable_page_track' : 'intel_vgpu_disable_page_track';
    t?.enter(fn, { gfn: g });
    const rec = this.get(g);
    let ret = 0;
    if (!rec) {
      ret = -ENXIO;
    } else if (rec.tracked !== on) {
      ret = on ? this.kvmgt.add(g) : this.kvmgt.remove(g);
      if (ret === 0) {
        rec.tracked = on;
        this.trackedCount += on ? 1 : -1;
        this.touch(g);
        t?.note({ kind: 'record', vgpu: this.vgpu.name, gfn: g, change: on ? 'tracked' : 'untracked', handler: rec.handler.name });
      }
    }
    t?.leave(fn, ret);
    return ret;
  }

  /**
   * intel_vgpu_page_track_handler. Newest kernels: the caller (kvmgt) holds vgpu_lock; legacy
   * kernels take it here. Failsafe removes protection without calling the handler; newest kernels
   * call kvmgt's remove directly and so leave `tracked` stale (§6), legacy ones go through disable.
   */
  dispatch(at: Gpa, data: Uint8Array, bytes: number): number {
    const v = this.vgpu;
    const t = v.tracer;
    if (t) enterGpa(t, 'intel_vgpu_page_track_handler', at, bytes);
    if (v.profile === 'legacy') v.setLock(true, 'intel_vgpu_page_track_handler');
    const g = gpaToGfn(at);
    // The record's three slots (record, handler, hits): the record object itself is not read
    // here, and `=== undefined` rather than `!rec`, which would read it too.
    const addr = this.slotOf(g);
    const slots = addr === NONE ? undefined : this.chunks[addr >>> CHUNK_SHIFT];
    const slot = addr & OFFSET_MASK;
    const rec = slots === undefined ? undefined : (slots[slot] as PageTrackRecord | undefined);
    let ret: number;
    if (rec === undefined) {
      ret = -ENXIO;
    } else if (v.failsafe) {
      this.touch(g); // protection removed
      ret = this.failsafeRemove(rec, g);
    } else {
      const l = slots as Slot[];
      l[slot + HITS] = (l[slot + HITS] as number) + 1;
      this.touch(g);
      ret = (l[slot + HANDLER] as TrackHandler).handle(this, rec, at, data, bytes);
      if (ret !== 0 && t) noteWriteError(t, v.name, at);
    }
    if (v.profile === 'legacy') v.setLock(false, 'intel_vgpu_page_track_handler');
    t?.leave('intel_vgpu_page_track_handler', ret);
    return ret;
  }

  /** The failsafe branch of the dispatcher: remove protection, skip the handler, return 0. */
  private failsafeRemove(rec: PageTrackRecord, g: Gfn): number {
    const v = this.vgpu;
    if (v.profile === 'newest') {
      this.kvmgt.remove(g);
      const t = v.tracer;
      if (rec.tracked && t) noteFailsafeStale(t, v.name, g);
    } else {
      this.disable(g);
    }
    return 0;
  }

  /**
   * Copies records into another vGPU's table. priv and the handler are remapped: spts are cloned
   * separately, and the PPGTT handler belongs to each vGPU's shadow PPGTT.
   */
  cloneInto(copy: PageTrackTable, remapPriv: (priv: unknown) => unknown, remapHandler: (h: TrackHandler) => TrackHandler): void {
    for (const [h, n] of this.handlerCalls) copy.handlerCalls.set(h, n);
    for (const r of this.all()) {
      const c = new PageTrackRecord(r.gfn, remapHandler(r.handler), remapPriv(r.priv));
      c.tracked = r.tracked;
      if (r.tracked) copy.trackedCount++;
      c.hits = r.hits;
      c.origin = r.origin;
      copy.set(r.gfn, c);
    }
  }
}
