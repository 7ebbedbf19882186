// The data of the custom requests and of the state-changed event, read from a Machine: page-track
// rows (with what changed since the previous stop), vGPU summaries, shadow tables. Shared with
// the Variables pane so both say the same thing. Reads core state only.

import { isProtected, recordFacts, vgpuCounts, type Gfn, type Machine, type PageTrackRecord, type PageTrackTable, type Vgpu, Spt } from '../core';
import type { ShadowTablesArguments, ShadowTablesBody, StateChangedEventBody, TrackRow, TrackTableArguments, TrackTableBody, VgpuSummary } from './protocol';
import { sptDetail, vgpuShadowTables } from './shadowView';

export function privText(r: PageTrackRecord): string {
  const p = r.priv;
  if (p instanceof Spt) return `spt ${['PT', 'PD', 'PDP', 'PML4'][p.shadowType - 14] ?? 'PT'} mfn 0x${p.mfn.toString(16)}${p.freed ? ' (freed)' : ''}`;
  return typeof p === 'string' ? p : p === undefined || p === null ? '' : String(p);
}

const key = (vgpu: string, gfn: number): string => `${vgpu}\u0000${gfn}`;

/** The 1-based line of a record's origin statement (the interpreter stamps records with it). */
export type OriginLine = (origin: unknown) => number | undefined;

function trackRow(v: Vgpu, r: PageTrackRecord, changed: boolean, originLine?: OriginLine): TrackRow {
  const line = originLine?.(r.origin);
  const f = recordFacts(v, r);
  return {
    vgpu: v.name, gfn: r.gfn, gfnHex: '0x' + r.gfn.toString(16), handler: r.handler.name, tracked: r.tracked,
    protected: f.protected, stale: f.stale, priv: privText(r), hits: r.hits, changed,
    ...(line !== undefined ? { line } : {}),
  };
}

/** What a stop remembers of one record: what its row shows that can change, and when it was seen. */
interface SeenRow {
  handler: string;
  tracked: boolean;
  prot: boolean;
  hits: number;
  priv: string;
  /** The update that saw it last. */
  epoch: number;
}

/**
 * Remembers the page-track table at each stop, to mark what the last step changed. Each stop walks
 * every record once, comparing its fields with what the previous stop saw (numbers and strings in
 * place, no string per record): a stop with 100 k tracked gfns stays cheap when few change.
 */
export class TrackChanges {
  private seen = new Map<string, Map<number, SeenRow>>();
  private epoch = 0;
  private changedKeys = new Set<string>();
  private removedRows: Array<{ vgpu: string; gfn: number }> = [];
  /** What the previous update looked at: the machine, and each vGPU's table with its change stamp. */
  private lastMachine: Machine | undefined;
  private lastTables = new Map<string, { table: PageTrackTable; version: number }>();
  /** The previous update's vGPUs, in order (removed rows are listed in that order, then by gfn). */
  private lastOrder: string[] = [];

  /**
   * Call at every stop with the machine shown. When it is the machine the previous stop showed,
   * only the leaves of gfns whose rows may have changed since are compared (PageTrackTable's
   * change stamps); after a restore (another machine) or a wholesale change, every row.
   */
  update(m: Machine): void {
    const epoch = ++this.epoch;
    const changed = new Set<string>();
    const gone: Array<{ vgpu: string; gfn: number }> = [];
    const ranges = this.changedRanges(m);
    for (const v of m.vgpus.values()) {
      let rows = this.seen.get(v.name);
      if (!rows) {
        rows = new Map();
        this.seen.set(v.name, rows);
      }
      const look = (r: PageTrackRecord): void => this.compare(v, r, rows, epoch, changed);
      const only = ranges?.get(v.name);
      if (only) {
        for (const [from, to] of only) {
          for (let g = from; g <= to; g++) {
            const r = v.pageTrack.find(g as Gfn);
            if (r) look(r);
            else if (rows.delete(g)) gone.push({ vgpu: v.name, gfn: g });
          }
        }
      } else {
        for (const r of v.pageTrack.all()) look(r);
      }
      this.lastTables.set(v.name, { table: v.pageTrack, version: v.pageTrack.changeVersion });
    }
    if (!ranges) {
      // Rows the previous stop listed and this one does not.
      for (const [vgpu, rows] of this.seen) {
        for (const [gfn, s] of rows) {
          if (s.epoch === epoch) continue;
          gone.push({ vgpu, gfn });
          rows.delete(gfn);
        }
      }
    }
    for (const [vgpu, rows] of this.seen) if (rows.size === 0) this.seen.delete(vgpu);
    const rank = (vgpu: string): number => {
      const i = this.lastOrder.indexOf(vgpu);
      return i < 0 ? this.lastOrder.length : i;
    };
    this.removedRows = gone.sort((a, b) => rank(a.vgpu) - rank(b.vgpu) || a.gfn - b.gfn);
    this.changedKeys = changed;
    this.lastMachine = m;
    this.lastOrder = [...m.vgpus.keys()];
  }

  /** Per vGPU, the gfn ranges to compare; undefined: compare every row. */
  private changedRanges(m: Machine): Map<string, Array<readonly [number, number]>> | undefined {
    if (m !== this.lastMachine || m.vgpus.size !== this.lastTables.size) return undefined;
    const out = new Map<string, Array<readonly [number, number]>>();
    for (const v of m.vgpus.values()) {
      const last = this.lastTables.get(v.name);
      if (!last || last.table !== v.pageTrack) return undefined;
      const r = v.pageTrack.changedSince(last.version);
      if (!r) return undefined;
      out.set(v.name, r);
    }
    return out;
  }

  private compare(v: Vgpu, r: PageTrackRecord, rows: Map<number, SeenRow>, epoch: number, changed: Set<string>): void {
    const handler = r.handler.name;
    const prot = isProtected(v, r.gfn);
    const priv = privText(r);
    const s = rows.get(r.gfn);
    if (!s) {
      changed.add(key(v.name, r.gfn));
      rows.set(r.gfn, { handler, tracked: r.tracked, prot, hits: r.hits, priv, epoch });
      return;
    }
    if (s.handler !== handler || s.tracked !== r.tracked || s.prot !== prot || s.hits !== r.hits || s.priv !== priv) changed.add(key(v.name, r.gfn));
    s.handler = handler;
    s.tracked = r.tracked;
    s.prot = prot;
    s.hits = r.hits;
    s.priv = priv;
    s.epoch = epoch;
  }

  isChanged(vgpu: string, gfn: number): boolean {
    return this.changedKeys.has(key(vgpu, gfn));
  }

  changed(): Array<{ vgpu: string; gfn: number }> {
    return [...this.changedKeys].map((k) => {
      const [vgpu, gfn] = k.split('\u0000');
      return { vgpu, gfn: Number(gfn) };
    });
  }

  removed(): Array<{ vgpu: string; gfn: number }> {
    return this.removedRows;
  }

  reset(): void {
    this.seen = new Map();
    this.lastMachine = undefined;
    this.lastTables = new Map();
    this.lastOrder = [];
    this.changedKeys = new Set();
    this.removedRows = [];
  }
}

const MAX_TRACK_ROWS = 10_000;

/** gvt/trackTable. Throws nothing: bad arguments are the caller's to check. */
export function trackTable(m: Machine, a: TrackTableArguments, changes: TrackChanges, step: number, originLine?: OriginLine): TrackTableBody {
  const vgpus = [...m.vgpus.values()];
  const rows: TrackRow[] = [];
  let total = 0;
  const start = a.start ?? 0;
  const count = Math.min(a.count ?? 500, MAX_TRACK_ROWS);
  for (const v of vgpus) {
    if (a.vgpu !== undefined && v.name !== a.vgpu) continue;
    for (const r of v.pageTrack.all()) {
      if (a.gfnFrom !== undefined && r.gfn < a.gfnFrom) continue;
      if (a.gfnTo !== undefined && r.gfn > a.gfnTo) continue;
      if (total >= start && rows.length < count) rows.push(trackRow(v, r, changes.isChanged(v.name, r.gfn), originLine));
      total++;
    }
  }
  return { step, vgpus: vgpus.map((v) => v.name), total, start, rows, removed: changes.removed().filter((r) => a.vgpu === undefined || r.vgpu === a.vgpu) };
}

function vgpuSummary(v: Vgpu): VgpuSummary {
  const f = vgpuCounts(v);
  return { name: f.name, traps: f.traps, failsafe: f.failsafe, oos: f.oosEnabled, registered: f.records, tracked: f.tracked, spts: f.spts, mms: f.mms };
}

/** gvt/shadowTables; undefined `table` when no spt has that mfn. */
export function shadowTables(m: Machine, a: ShadowTablesArguments, step: number): ShadowTablesBody | string {
  const vgpus = [...m.vgpus.values()].filter((v) => a.vgpu === undefined || v.name === a.vgpu);
  if (a.vgpu !== undefined && vgpus.length === 0) return `no vGPU named '${a.vgpu}' at this point of the scenario`;
  const body: ShadowTablesBody = { step, vgpus: vgpus.map(vgpuShadowTables) };
  if (a.mfn !== undefined) {
    for (const v of vgpus) {
      const s = v.ppgtt.findSptByMfn(a.mfn);
      if (s) body.table = sptDetail(v, s);
    }
    if (!body.table) return `no shadow page table with mfn 0x${a.mfn.toString(16)}${a.vgpu ? ` in ${a.vgpu}` : ''}`;
  }
  return body;
}

/** gvt/stateChanged, after a stop or an edit (call `changes.update` first). */
export function stateChangedBody(reason: string, m: Machine, step: number, line: number | undefined, inKernel: boolean, changes: TrackChanges): StateChangedEventBody {
  return { reason, step, line, inKernel, vgpus: [...m.vgpus.values()].map(vgpuSummary), changed: changes.changed() };
}
