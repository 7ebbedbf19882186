// The Page Track Table as the user reads it: one node per vGPU, one row per gfn (handler,
// tracked/untracked, priv, hits), rows the last step changed marked, records removed since the
// previous stop shown greyed, a "Load more…" row for large tables, and the gfn-range filter.
// Turns gvt/trackTable rows into ItemModels and decides which pages to ask for. Pure.

import type { TrackRow, TrackTableArguments, VgpuSummary } from '../../debug/protocol';
import { Color, type ItemModel } from './itemModel';
import { PAGE_SIZE, formatGfnRange, hex, plural, type GfnRange } from './numbers';
import { ItemContext } from './ids';

/** Rows per "Load more…" (the `gvt.trackTable.pageSize` setting's default). */
export const DEFAULT_PAGE_SIZE = 200;
/** The adapter's largest page (gvt/trackTable `count`). */
export const MAX_REQUEST_ROWS = 10_000;

/**
 * A row as the view receives it. `line` is the 1-based scenario line that registered the record;
 * a record made by a console statement has none, and then the scenario text is searched.
 */
export type TrackRowView = TrackRow;

/** How a record's protection reads: the flag the kernel keeps and what KVMGT really does. */
export function protectionOf(row: Pick<TrackRow, 'tracked' | 'protected'>): { text: string; icon: string; note?: string } {
  if (row.tracked && row.protected) return { text: 'tracked', icon: 'lock' };
  if (row.tracked) return { text: 'tracked (not protected)', icon: 'warning', note: 'stale: the record says tracked, but KVMGT does not write-protect the gfn (failsafe on newest kernels, a memslot removal, or a detach): stores do not trap, and enable returns 0 without protecting' };
  if (row.protected) return { text: 'untracked (protected)', icon: 'shield', note: 'the record is untracked, but KVMGT still write-protects the gfn: stores trap' };
  return { text: 'untracked', icon: 'unlock' };
}

export function trackRowItem(row: TrackRowView): ItemModel {
  const p = protectionOf(row);
  const parts = [row.handler, p.text, plural(row.hits, 'hit')];
  if (row.priv) parts.push(row.priv);
  const label = row.gfnHex || hex(row.gfn);
  const gpa = row.gfn * PAGE_SIZE;
  const tooltip = [
    `**${row.vgpu} gfn ${label}**${row.changed ? ' — changed by the last step' : ''}`,
    '',
    `| | |`,
    `|---|---|`,
    `| gpa | \`${hex(gpa)}..${hex(gpa + PAGE_SIZE - 1)}\` |`,
    `| handler | \`${row.handler}\` |`,
    `| tracked flag | ${row.tracked ? 'set' : 'clear'} |`,
    `| write-protected | ${row.protected ? 'yes' : 'no'} |`,
    `| priv | ${row.priv ? `\`${row.priv}\`` : '—'} |`,
    `| handler calls | ${row.hits} |`,
    ...(p.note ? ['', p.note] : []),
  ].join('\n');
  return {
    label,
    highlights: row.changed ? [[0, label.length]] : undefined,
    description: (row.changed ? '● ' : '') + parts.join(' · '),
    tooltip,
    icon: { id: p.icon, color: row.changed ? Color.changed : p.icon === 'warning' ? Color.warning : undefined },
    contextValue: ItemContext.trackRow,
    collapsible: 'none',
  };
}

export function removedRowItem(gfn: number): ItemModel {
  return {
    label: hex(gfn),
    description: 'removed since the last stop',
    tooltip: `gfn ${hex(gfn)} had a page-track record at the previous stop; it has been unregistered since.`,
    icon: { id: 'trash', color: Color.muted },
    contextValue: ItemContext.removedRow,
    collapsible: 'none',
  };
}

export function vgpuItem(name: string, summary: VgpuSummary | undefined, changedRows: number, filter: GfnRange | undefined): ItemModel {
  const parts: string[] = [];
  if (summary) {
    parts.push(plural(summary.registered, 'record'), `${summary.tracked} tracked`, plural(summary.traps, 'trap'));
    if (summary.failsafe) parts.push('FAILSAFE');
    if (summary.oos) parts.push('oos on');
  }
  if (changedRows > 0) parts.push(`${changedRows} changed`);
  if (filter) parts.push(formatGfnRange(filter));
  return {
    label: name,
    description: parts.join(' · '),
    icon: { id: 'vm', color: summary?.failsafe ? Color.error : changedRows > 0 ? Color.changed : undefined },
    collapsible: 'expanded',
  };
}

export function loadMoreItem(shown: number, total: number, pageSize: number): ItemModel {
  const next = Math.min(pageSize, total - shown);
  return {
    label: 'Load more…',
    description: `${shown} of ${total} rows shown; next ${next}`,
    icon: { id: 'ellipsis' },
    collapsible: 'none',
  };
}

/** Whether a gfn passes the filter. */
const inRange = (gfn: number, filter: GfnRange | undefined): boolean => !filter || (gfn >= filter.from && gfn <= filter.to);

/**
 * Which rows of each vGPU are loaded: the first page, plus a page per "Load more…". A refresh asks
 * again for every loaded row (in requests of at most MAX_REQUEST_ROWS), so the view never shows rows
 * of two different stops.
 */
export class TrackPager {
  private readonly loaded = new Map<string, number>();
  private filterRange: GfnRange | undefined;

  constructor(public pageSize = DEFAULT_PAGE_SIZE) {}

  get filter(): GfnRange | undefined {
    return this.filterRange;
  }

  /** A new filter starts every vGPU over at its first page. */
  setFilter(filter: GfnRange | undefined): void {
    this.filterRange = filter;
    this.loaded.clear();
  }

  rowsWanted(vgpu: string): number {
    return this.loaded.get(vgpu) ?? this.pageSize;
  }

  loadMore(vgpu: string): void {
    this.loaded.set(vgpu, this.rowsWanted(vgpu) + this.pageSize);
  }

  /** A new session: first pages only, the filter kept (it is the user's). */
  reset(): void {
    this.loaded.clear();
  }

  /** The gvt/trackTable requests that fetch the loaded rows of a vGPU. */
  requests(vgpu: string): TrackTableArguments[] {
    const wanted = this.rowsWanted(vgpu);
    const out: TrackTableArguments[] = [];
    for (let start = 0; start < wanted; start += MAX_REQUEST_ROWS) {
      const a: TrackTableArguments = { vgpu, start, count: Math.min(MAX_REQUEST_ROWS, wanted - start) };
      if (this.filterRange) {
        a.gfnFrom = this.filterRange.from;
        if (this.filterRange.to !== Number.MAX_SAFE_INTEGER) a.gfnTo = this.filterRange.to;
      }
      out.push(a);
    }
    return out;
  }
}

export interface VgpuRows {
  rows: TrackRowView[];
  total: number;
  removed: number[];
}

/** The children of a vGPU node, in order: rows, removed rows (on the first page only), Load more. */
export function vgpuChildren(data: VgpuRows, pager: TrackPager): Array<{ kind: 'row'; row: TrackRowView } | { kind: 'removed'; gfn: number } | { kind: 'more' } | { kind: 'empty'; text: string }> {
  const out: Array<{ kind: 'row'; row: TrackRowView } | { kind: 'removed'; gfn: number } | { kind: 'more' } | { kind: 'empty'; text: string }> = [];
  for (const row of data.rows) out.push({ kind: 'row', row });
  for (const gfn of data.removed) if (inRange(gfn, pager.filter)) out.push({ kind: 'removed', gfn });
  if (data.rows.length < data.total) out.push({ kind: 'more' });
  if (out.length === 0) out.push({ kind: 'empty', text: pager.filter ? `No records in ${formatGfnRange(pager.filter)}` : 'No page-track records' });
  return out;
}
