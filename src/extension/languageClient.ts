// The language client for `.gvt` files: the language server (src/server) as the host starts it, a
// Node process over IPC on the desktop (dist/server.js), a web worker in the browser
// (dist/web/server.js). Started when the first gvt document is open (not at activation, which may
// come from a debug or command event), restarted by a command. Its trace setting is
// `gvt.trace.server` (the client reads `<id>.trace.server` itself). The client library is imported
// when the server starts, so activation does not pay for it.

import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import { LANGUAGE_ID } from './common/ids';
import type { Host } from './host';

export class GvtLanguageClient implements vscode.Disposable {
  private client: BaseLanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly host: Host,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const startFor = (d: vscode.TextDocument): void => {
      if (d.languageId === LANGUAGE_ID) void this.start();
    };
    this.disposables.push(vscode.workspace.onDidOpenTextDocument(startFor));
    for (const d of vscode.workspace.textDocuments) startFor(d);
  }

  get running(): BaseLanguageClient | undefined {
    return this.client;
  }

  start(): Promise<void> {
    this.starting ??= this.doStart().catch((e: unknown) => {
      this.log.error(`The GVT language server did not start: ${e instanceof Error ? e.message : String(e)}`);
      this.client = undefined;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: LANGUAGE_ID }],
      outputChannel: this.log,
    };
    this.client = await this.host.startLanguageClient(clientOptions, this.log);
  }

  async restart(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (old) await old.stop().catch(() => undefined);
    await this.start();
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop().catch(() => undefined);
  }
}
