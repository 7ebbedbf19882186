// "GVT: Save Trace" and "GVT: Export Scenario at Stop": what a debug session found, as files for a
// bug report. The adapter makes the text (gvt/exportTrace: the CLI's JSON lines; gvt/exportScenario:
// a self-contained .gvt reproducing the state at the stop); here the user picks where it goes
// (a save dialog) and it is written through workspace.fs, so remote and virtual folders work too.

import * as vscode from 'vscode';
import { uriOfProgram } from './scenarioFiles';
import type { GvtSession } from './sessions';

/** The scenario's file name without `.gvt`, to name what is saved. */
function stem(session: GvtSession): string {
  return session.fileName.replace(/\.gvt$/, '');
}

function near(session: GvtSession, name: string): vscode.Uri | undefined {
  const p = session.program;
  if (!p) return vscode.workspace.workspaceFolders?.[0] ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name) : undefined;
  return vscode.Uri.joinPath(uriOfProgram(p), '..', name);
}

async function save(content: string, defaultUri: vscode.Uri | undefined, filters: Record<string, string[]>, title: string): Promise<vscode.Uri | undefined> {
  const uri = await vscode.window.showSaveDialog({ defaultUri, filters, title });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  return uri;
}

function noSession(): undefined {
  void vscode.window.showInformationMessage('GVT: start debugging a scenario and stop in it first.');
  return undefined;
}

export async function saveTrace(session: GvtSession | undefined): Promise<vscode.Uri | undefined> {
  if (!session) return noSession();
  try {
    const b = await session.request('gvt/exportTrace', { upTo: 'here' });
    const uri = await save(b.text, near(session, `${stem(session)}.trace.jsonl`), { 'JSON lines': ['jsonl', 'json'] }, 'Save the recorded trace (JSON lines)');
    if (uri) void vscode.window.setStatusBarMessage(`GVT: saved ${b.lines} trace lines (${b.steps} steps) to ${vscode.workspace.asRelativePath(uri)}`, 5000);
    return uri;
  } catch (e) {
    void vscode.window.showErrorMessage(`GVT: Save Trace: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

export async function exportScenario(session: GvtSession | undefined): Promise<vscode.Uri | undefined> {
  if (!session) return noSession();
  try {
    const b = await session.request('gvt/exportScenario', {});
    const uri = await save(b.text, near(session, `${stem(session)}-at-step-${b.step}.gvt`), { 'GVT scenario': ['gvt'] }, 'Export a scenario that reproduces the state at this stop');
    if (uri) await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  } catch (e) {
    void vscode.window.showErrorMessage(`GVT: Export Scenario at Stop: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
