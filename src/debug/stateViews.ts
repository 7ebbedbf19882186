// The data of the custom requests and of the state-changed event, read from a Machine: page-track
// rows (with what changed since the previous stop), vGPU summaries, shadow tables. Shared with
// the Variables pane so both say the same thing. Reads core state only.

import { isProtected, recordFacts, vgpuCounts, type Machine, type PageTrackRecord, type Vgpu, Spt } from '../core';
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
  return {
    vgpu: v.name, gfn: r.gfn, gfnHex: '0x' + r.gfn.toString(16), handler: r.handler.name, tracked: r.tracked,
    protected: isProtected(v, r.gfn), stale: recordFacts(v, r).stale, priv: privText(r), hits: r.hits, changed,
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
  /** The update that saw it last, and where in that update's walk (the order rows are listed in). */
  epoch: number;
  order: number;
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

  /** Call at every stop with the machine shown. */
  update(m: Machine): void {
    const epoch = ++this.epoch;
    const changed = new Set<string>();
    let order = 0;
    for (const v of m.vgpus.values()) {
      let rows = this.seen.get(v.name);
      if (!rows) {
        rows = new Map();
        this.seen.set(v.name, rows);
      }
      for (const r of v.pageTrack.all()) {
        const handler = r.handler.name;
        const prot = isProtected(v, r.gfn);
        const priv = privText(r);
        const s = rows.get(r.gfn);
        if (!s) {
          changed.add(key(v.name, r.gfn));
          rows.set(r.gfn, { handler, tracked: r.tracked, prot, hits: r.hits, priv, epoch, order: order++ });
          continue;
        }
        if (s.handler !== handler || s.tracked !== r.tracked || s.prot !== prot || s.hits !== r.hits || s.priv !== priv) changed.add(key(v.name, r.gfn));
        s.handler = handler;
        s.tracked = r.tracked;
        s.prot = prot;
        s.hits = r.hits;
        s.priv = priv;
        s.epoch = epoch;
        s.order = order++;
      }
    }
    // Rows the previous stop listed and this one does not, in the previous stop's order.
    const gone: Array<{ vgpu: string; gfn: number; order: number }> = [];
    for (const [vgpu, rows] of this.seen) {
      for (const [gfn, s] of rows) {
        if (s.epoch === epoch) continue;
        gone.push({ vgpu, gfn, order: s.order });
        rows.delete(gfn);
      }
      if (rows.size === 0) this.seen.delete(vgpu);
    }
    this.removedRows = gone.sort((a, b) => a.order - b.order).map(({ vgpu, gfn }) => ({ vgpu, gfn }));
    this.changedKeys = changed;
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
