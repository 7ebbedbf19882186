// Activation, shared by both entries (extension.ts on the desktop, web/extension.ts in the
// browser): registers the language client, the inline debug adapter and configuration providers,
// the tree views, the status bar, the memory documents and the commands. Activation only
// registers; the language server starts with the first gvt document, and the views fetch only
// while a gvt session is stopped and they are expanded.

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ContextKey, Setting } from './common/ids';
import { config } from './config';
import type { Ctx } from './ctx';
import { registerDebugging } from './debugAdapter';
import type { Host } from './host';
import { GvtLanguageClient } from './languageClient';
import { MemoryDocuments } from './memoryView';
import { GvtSessions } from './sessions';
import { GvtStatusBar } from './statusBar';
import { ShadowTablesView } from './views/shadowTablesView';
import { TrackTableView } from './views/trackTableView';
import { TrapLogView } from './views/trapLogView';

/** What activate() returns: the extension's parts, for the extension-host tests. */
export type GvtExtensionApi = Ctx;

function activateGvt(context: vscode.ExtensionContext, host: Host): GvtExtensionApi {
  const log = vscode.window.createOutputChannel('GVT', { log: true });
  const sessions = new GvtSessions();
  const client = new GvtLanguageClient(host, log);
  const ctx: Ctx = {
    extension: context,
    host,
    log,
    sessions,
    client,
    trackTable: new TrackTableView(sessions, config.trackTablePageSize()),
    shadowTables: new ShadowTablesView(sessions),
    trapLog: new TrapLogView(sessions),
    memory: new MemoryDocuments(sessions),
  };
  // The menus hide what needs Node (a terminal, the CLI) and show debugging in virtual workspaces.
  void vscode.commands.executeCommand('setContext', ContextKey.webHost, host.kind === 'web');
  log.info(`GVT ${host.kind === 'web' ? 'in the web worker extension host: the language server runs in a web worker, the debug adapter inline' : 'in the desktop extension host'}`);
  context.subscriptions.push(
    log,
    sessions,
    ctx.trackTable,
    ctx.shadowTables,
    ctx.trapLog,
    ctx.memory,
    new GvtStatusBar(sessions),
    ...registerDebugging(host),
    ...registerCommands(ctx),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Setting.trackTablePageSize)) ctx.trackTable.setPageSize(config.trackTablePageSize());
    }),
  );
  return ctx;
}

/** What an entry module exports: activate over the host it was built for, and deactivate. */
export interface ExtensionEntry {
  activate(context: vscode.ExtensionContext): GvtExtensionApi;
  deactivate(): Promise<void>;
}

/** The entry's two functions for a host (desktopHost, webHost); deactivate stops the language client. */
export function extensionEntry(makeHost: (context: vscode.ExtensionContext) => Host): ExtensionEntry {
  let api: GvtExtensionApi | undefined;
  return {
    activate(context) {
      api = activateGvt(context, makeHost(context));
      return api;
    },
    async deactivate() {
      const c = api?.client;
      api = undefined;
      await c?.dispose();
    },
  };
}
