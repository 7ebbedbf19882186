// The language client for `.gvt` files: the language server (src/server, bundled to dist/server.js)
// over node IPC. Started when the first gvt document is open (not at activation, which may come
// from a debug or command event), restarted by a command. Its trace setting is `gvt.trace.server`
// (the client reads `<id>.trace.server` itself). The client library is imported when the server
// starts, so activation does not pay for it.

import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGE_ID } from './common/ids';

export class GvtLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const startFor = (d: vscode.TextDocument): void => {
      if (d.languageId === LANGUAGE_ID) void this.start();
    };
    this.disposables.push(vscode.workspace.onDidOpenTextDocument(startFor));
    for (const d of vscode.workspace.textDocuments) startFor(d);
  }

  get running(): LanguageClient | undefined {
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
    const module = this.context.asAbsolutePath('dist/server.js');
    if (!existsSync(module)) {
      this.log.warn(`No language server at ${module} (run npm run build): .gvt files get highlighting only.`);
      return;
    }
    // Loaded on first use, from its own bundle file: parsing and initialising vscode-languageclient
    // costs more than all of activation.
    const { LanguageClient, TransportKind } = await import('./lazy/languageClientLib.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: LANGUAGE_ID }],
      outputChannel: this.log,
    };
    const client = new LanguageClient('gvt', 'GVT Scenario Language Server', serverOptions, clientOptions);
    this.client = client;
    await client.start();
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
