// The views' questions, decided without VS Code: which history or why question a tree row asks
// (a Page Track Table row: its gfn; a Shadow Page Tables table: its spt; an entry: that entry),
// and the answers as Debug Console text and quick-pick rows.

import type { HistoryArguments, HistoryEntryRow, WhyArguments, WhySubject } from '../../debug/protocol';

/** The tree rows that ask questions, as the views make them (views/trackTableView.ts, shadowTablesView.ts). */
type QuestionRow<S> =
  | { kind: 'row'; session: S; row: { vgpu: string; gfn: number } }
  | { kind: 'removed'; session: S; vgpu: string; gfn: number }
  | { kind: 'spt'; session: S; spt: { vgpu: string; gfn: number } }
  | { kind: 'entry'; session: S; table: { vgpu: string; gfn: number }; entry: { index: number } };

/** Any tree row (other kinds ask nothing). */
export interface AnyRow {
  kind: string;
}

/** What a view row is about, as a history question (undefined: a row with no history). */
export function historyQuestion<S>(row: AnyRow | undefined): { session: S; args: HistoryArguments } | undefined {
  const node = row as QuestionRow<S> | undefined;
  if (!node || !('session' in node)) return undefined;
  switch (node.kind) {
    case 'row':
      return { session: node.session, args: { vgpu: node.row.vgpu, subject: { kind: 'gfn', gfn: node.row.gfn } } };
    case 'spt':
      return node.spt.gfn === 0 ? undefined : { session: node.session, args: { vgpu: node.spt.vgpu, subject: { kind: 'spt', gfn: node.spt.gfn } } };
    case 'entry':
      return node.table.gfn === 0 ? undefined : { session: node.session, args: { vgpu: node.table.vgpu, subject: { kind: 'spt', gfn: node.table.gfn, index: node.entry.index } } };
    case 'removed':
      return { session: node.session, args: { vgpu: node.vgpu, subject: { kind: 'gfn', gfn: node.gfn } } };
    default:
      return undefined;
  }
}

/** The same row as a why question: a table asks about its guest page; a removed record has no present state. */
export function whyQuestion<S>(row: AnyRow | undefined): { session: S; args: WhyArguments } | undefined {
  const q = row?.kind === 'removed' ? undefined : historyQuestion<S>(row);
  if (!q) return undefined;
  const s = q.args.subject;
  const subject: WhySubject | undefined = s.kind === 'gfn' ? s : s.kind === 'spt' ? (s.index === undefined ? { kind: 'gfn', gfn: s.gfn } : { kind: 'spt', gfn: s.gfn, index: s.index }) : undefined;
  return subject && { session: q.session, args: { vgpu: q.args.vgpu, subject } };
}

export function where(r: { line: number; edit?: string }, file: string): string {
  return r.edit ? `console: ${r.edit}` : `${file}:${r.line}`;
}

export function change(r: HistoryEntryRow): string {
  if (!r.before && !r.after) return '';
  return r.before === r.after ? `[${r.before}]` : `[${r.before || '-'} → ${r.after || '-'}]`;
}
