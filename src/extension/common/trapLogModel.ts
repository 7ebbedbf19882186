// The Trap Log as the user reads it: each trapped store (gpa, bytes, the page-track record it
// hit, handler and result when the adapter reports them), newest first; a click reveals the
// statement's line. Turns gvt/trapLog entries into ItemModels. Pure.

import type { TrapLogBody, TrapLogEntry } from '../../debug/protocol';
import { ItemContext } from './ids';
import { Color, type ItemModel } from './itemModel';
import { hex, plural } from './numbers';

/** Entries the view asks for (the adapter keeps up to 2000). */
export const TRAP_LOG_LAST = 500;

/** An entry as the view receives it (`handler` is absent when the store found no record). */
export type TrapEntryView = TrapLogEntry;

const RECORD_TEXT: Record<TrapLogEntry['record'], string> = {
  tracked: 'tracked record',
  untracked: 'untracked record',
  none: 'no record',
};

export function trapItem(e: TrapEntryView, currentStep: number): ItemModel {
  const parts = [e.vgpu, plural(e.bytes, 'byte')];
  if (e.handler !== undefined) parts.push(`→ ${e.handler}`);
  if (e.result !== undefined) parts.push(`ret ${e.resultText ?? e.result}`);
  parts.push(RECORD_TEXT[e.record], `line ${e.line}`);
  const latest = e.step === currentStep - 1;
  const failed = e.result !== undefined && e.result !== 0;
  const icon = failed || e.record === 'none'
    ? { id: 'warning', color: Color.warning }
    : e.record === 'untracked'
      ? { id: 'circle-slash', color: Color.warning }
      : { id: 'debug-breakpoint-data', color: latest ? Color.changed : undefined };
  return {
    label: `gpa ${hex(e.gpa)}`,
    description: parts.join(' · '),
    tooltip: [
      `**Trapped store** of ${e.vgpu}, line ${e.line} (statement ${e.step + 1})`,
      '',
      `| | |`,
      `|---|---|`,
      `| gpa | \`${hex(e.gpa)}\` (gfn \`${hex(e.gfn)}\`, offset \`${hex(e.gpa % 4096)}\`) |`,
      `| bytes | ${e.bytes} |`,
      `| record | ${RECORD_TEXT[e.record]} |`,
      ...(e.handler !== undefined ? [`| handler | \`${e.handler}\` |`] : []),
      ...(e.result !== undefined ? [`| result | ${e.resultText ?? e.result} |`] : []),
      '',
      'Click to reveal the statement.',
    ].join('\n'),
    icon,
    contextValue: ItemContext.trap,
    collapsible: 'none',
  };
}

/** Newest first. */
export const trapsNewestFirst = (body: TrapLogBody): TrapEntryView[] => body.entries.slice().reverse();

/** The view's description: how many traps, how many shown. */
export function trapLogDescription(body: TrapLogBody): string {
  if (body.total === 0) return '';
  return body.entries.length < body.total ? `last ${body.entries.length} of ${body.total}` : plural(body.total, 'trap');
}
