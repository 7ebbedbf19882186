// The extension's entry (bundled to dist/extension.js): registers the language client, the inline
// debug adapter and configuration providers, the tree views, the status bar, the memory documents
// and the commands. Activation only registers; the language server starts with the first gvt
// document, and the views fetch only while a gvt session is stopped and they are expanded.

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Setting } from './common/ids';
import { config } from './config';
import type { Ctx } from './ctx';
import { registerDebugging } from './debugAdapter';
import { GvtLanguageClient } from './languageClient';
import { MemoryDocuments } from './memoryView';
import { GvtSessions } from './sessions';
import { GvtStatusBar } from './statusBar';
import { ShadowTablesView } from './views/shadowTablesView';
import { TrackTableView } from './views/trackTableView';
import { TrapLogView } from './views/trapLogView';

/** What activate() returns: the extension's parts, for the extension-host tests. */
export type GvtExtensionApi = Ctx;

let client: GvtLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): GvtExtensionApi {
  const log = vscode.window.createOutputChannel('GVT', { log: true });
  const sessions = new GvtSessions();
  client = new GvtLanguageClient(context, log);
  const ctx: Ctx = {
    extension: context,
    log,
    sessions,
    client,
    trackTable: new TrackTableView(sessions, config.trackTablePageSize()),
    shadowTables: new ShadowTablesView(sessions),
    trapLog: new TrapLogView(sessions),
    memory: new MemoryDocuments(sessions),
  };
  context.subscriptions.push(
    log,
    sessions,
    ctx.trackTable,
    ctx.shadowTables,
    ctx.trapLog,
    ctx.memory,
    new GvtStatusBar(sessions),
    ...registerDebugging(),
    ...registerCommands(ctx),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Setting.trackTablePageSize)) ctx.trackTable.setPageSize(config.trackTablePageSize());
    }),
  );
  return ctx;
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  await c?.dispose();
}
