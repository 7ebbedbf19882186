// The questions over the recorded run from the views: "Show History" and "Why?" on rows of the
// Page Track Table and the Shadow Page Tables (gvt/history, gvt/why), printed into the Debug
// Console and offered as a quick pick that travels to the chosen step (the console's `goto`,
// which stops the session there so every view follows); "GVT: Save Trace" (gvt/exportTrace) and
// "GVT: Export Scenario at Stop" (gvt/exportScenario), written where the user chooses.

import * as vscode from 'vscode';
import type { HistoryArguments, HistoryBody, HistoryEntryRow, WhyArguments, WhyBody } from '../debug/protocol';
import type { GvtSession } from './sessions';
import type { ShadowNode } from './views/shadowTablesView';
import type { TrackNode } from './views/trackTableView';

type RowNode = TrackNode | ShadowNode;

/** What a view row is about, as a history question (undefined: a row with no history). */
function historyQuestion(node: RowNode | undefined): { session: GvtSession; args: HistoryArguments } | undefined {
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

/** The same row as a why question. */
function whyQuestion(node: RowNode | undefined): { session: GvtSession; args: WhyArguments } | undefined {
  if (!node || !('session' in node)) return undefined;
  switch (node.kind) {
    case 'row':
      return { session: node.session, args: { vgpu: node.row.vgpu, subject: { kind: 'gfn', gfn: node.row.gfn } } };
    case 'entry':
      return node.table.gfn === 0 ? undefined : { session: node.session, args: { vgpu: node.table.vgpu, subject: { kind: 'spt', gfn: node.table.gfn, index: node.entry.index } } };
    case 'spt':
      return node.spt.gfn === 0 ? undefined : { session: node.session, args: { vgpu: node.spt.vgpu, subject: { kind: 'gfn', gfn: node.spt.gfn } } };
    default:
      return undefined;
  }
}

function where(r: { line: number; edit?: string }, file: string): string {
  return r.edit ? `console: ${r.edit}` : `${file}:${r.line}`;
}

function change(r: HistoryEntryRow): string {
  if (!r.before && !r.after) return '';
  return r.before === r.after ? `[${r.before}]` : `[${r.before || '-'} → ${r.after || '-'}]`;
}

function historyText(b: HistoryBody, file: string): string {
  const lines = [`history of ${b.title}: ${b.total} entr${b.total === 1 ? 'y' : 'ies'}; at step ${b.step}`];
  for (const r of b.entries) lines.push(`  step ${r.step}  ${where(r, file)}  ${r.fn ? `${r.fn}: ` : ''}${r.what}  ${change(r)}`);
  if (b.omitted) lines.push(`  (${b.omitted.count} more between steps ${b.omitted.fromStep} and ${b.omitted.toStep}: ask \`history ... from STEP to STEP\` in the Debug Console)`);
  return lines.join('\n');
}

function whyText(b: WhyBody, file: string): string {
  return [`why (${b.vgpu}, step ${b.step}): ${b.state}`, ...b.chain.map((l) => `  ${l.step === undefined ? 'now' : `step ${l.step}  ${l.line ? `${file}:${l.line}` : 'console'}`}  ${l.fn ? `${l.fn}: ` : ''}${l.text}`)].join('\n');
}

interface StepItem extends vscode.QuickPickItem {
  step: number;
}

/** Offers the rows; the chosen one's step is travelled to (resolves with it, undefined if none). */
async function travelPick(session: GvtSession, title: string, items: StepItem[]): Promise<number | undefined> {
  if (items.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Choose a step to travel to it (the session stops there)', matchOnDescription: true, matchOnDetail: true });
  if (!picked) return undefined;
  await session.raw.customRequest('evaluate', { expression: `goto ${picked.step}`, context: 'repl' });
  return picked.step;
}

function fileOf(session: GvtSession): string {
  return session.program?.split(/[\\/]/).pop() ?? 'scenario';
}

export async function showHistory(node?: RowNode): Promise<number | undefined> {
  const q = historyQuestion(node);
  if (!q) return undefined;
  let b: HistoryBody;
  try {
    b = await q.session.request('gvt/history', q.args);
  } catch (e) {
    void vscode.window.showErrorMessage(`GVT: history: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const file = fileOf(q.session);
  vscode.debug.activeDebugConsole.appendLine(historyText(b, file));
  if (b.entries.length === 0) {
    void vscode.window.showInformationMessage(`Nothing changed ${b.title} or trapped on it so far.`);
    return undefined;
  }
  const items = b.entries.map((r): StepItem => ({ step: r.step, label: `step ${r.step}  ${where(r, file)}${r.later ? '  (later)' : ''}`, description: r.fn ?? '', detail: `${r.what}  ${change(r)}` }));
  return travelPick(q.session, `History of ${b.title}`, items);
}

export async function showWhy(node?: RowNode): Promise<number | undefined> {
  const q = whyQuestion(node);
  if (!q) return undefined;
  let b: WhyBody;
  try {
    b = await q.session.request('gvt/why', q.args);
  } catch (e) {
    void vscode.window.showErrorMessage(`GVT: why: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const file = fileOf(q.session);
  vscode.debug.activeDebugConsole.appendLine(whyText(b, file));
  const items = b.chain.filter((l) => l.step !== undefined).map((l): StepItem => ({ step: l.step!, label: `step ${l.step}  ${l.line ? `${file}:${l.line}` : 'console'}`, description: l.fn ?? '', detail: l.text }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(b.state);
    return undefined;
  }
  return travelPick(q.session, `Why: ${b.state}`, items);
}
