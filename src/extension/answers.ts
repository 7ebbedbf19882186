// The questions over the recorded run from the views: "Show History" and "Why?" on rows of the
// Page Track Table and the Shadow Page Tables (gvt/history, gvt/why), printed into the Debug
// Console and offered as a quick pick that travels to the chosen step (the console's `goto`,
// which stops the session there so every view follows); "GVT: Save Trace" (gvt/exportTrace) and
// "GVT: Export Scenario at Stop" (gvt/exportScenario), written where the user chooses.

import * as vscode from 'vscode';
import type { HistoryBody, WhyBody } from '../debug/protocol';
import { change, historyQuestion, where, whyQuestion, type AnyRow } from './common/answersModel';
import type { GvtSession } from './sessions';

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

/** The adapter's answer, or undefined after telling the user why there is none. */
async function ask<B>(what: string, send: () => Promise<B>): Promise<B | undefined> {
  try {
    return await send();
  } catch (e) {
    void vscode.window.showErrorMessage(`GVT: ${what}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** Prints the answer in the Debug Console, then offers its steps to travel to (or says `empty`). */
async function present(session: GvtSession, text: string, items: StepItem[], title: string, empty: string): Promise<number | undefined> {
  vscode.debug.activeDebugConsole.appendLine(text);
  if (items.length === 0) {
    void vscode.window.showInformationMessage(empty);
    return undefined;
  }
  return travelPick(session, title, items);
}

export async function showHistory(node?: AnyRow): Promise<number | undefined> {
  const q = historyQuestion<GvtSession>(node);
  const b = q && (await ask<HistoryBody>('history', () => q.session.request('gvt/history', q.args)));
  if (!q || !b) return undefined;
  const file = q.session.fileName;
  const items = b.entries.map((r): StepItem => ({ step: r.step, label: `step ${r.step}  ${where(r, file)}${r.later ? '  (later)' : ''}`, description: r.fn ?? '', detail: `${r.what}  ${change(r)}` }));
  return present(q.session, b.text, items, `History of ${b.title}`, `Nothing changed ${b.title} or trapped on it so far.`);
}

export async function showWhy(node?: AnyRow): Promise<number | undefined> {
  const q = whyQuestion<GvtSession>(node);
  const b = q && (await ask<WhyBody>('why', () => q.session.request('gvt/why', q.args)));
  if (!q || !b) return undefined;
  const file = q.session.fileName;
  const items = b.chain.filter((l) => l.step !== undefined).map((l): StepItem => ({ step: l.step!, label: `step ${l.step}  ${l.line ? `${file}:${l.line}` : 'console'}`, description: l.fn ?? '', detail: l.text }));
  return present(q.session, b.text, items, `Why: ${b.state}`, b.state);
}
