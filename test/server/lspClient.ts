// A real LSP client for the tests: spawns `node dist/server.js --stdio` (or any command line that
// starts the server), speaks JSON-RPC through vscode-languageserver-protocol, records every
// publishDiagnostics and log message, and can wait for the next diagnostics of a document.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const ROOT = join(__dirname, '../../..');
export const SERVER = join(ROOT, 'dist/server.js');

/** What a modern client (VS Code) announces, for the parts the server reads. */
const FULL_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true } },
    definition: { linkSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    rename: { prepareSupport: true },
  },
};

interface Waiter {
  readonly uri: string;
  readonly accept: (p: PublishDiagnosticsParams) => boolean;
  readonly resolve: (p: PublishDiagnosticsParams) => void;
}

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  stderr = '';
  exitCode: number | null | undefined;
  private readonly waiters: Waiter[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    process.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => process.on('exit', (code) => resolve((this.exitCode = code))));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      const i = this.waiters.findIndex((w) => w.uri === p.uri && w.accept(p));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(p);
    });
    connection.onNotification('window/logMessage', (p: unknown) => {
      this.logs.push(String((p as { message?: unknown }).message));
    });
    connection.listen();
  }

  /** Spawn the server (default: dist/server.js --stdio); does not initialize. */
  static spawn(args: string[] = [SERVER, '--stdio']): LspClient {
    if (args[0] === SERVER && !existsSync(SERVER)) throw new Error(`${SERVER} is missing: run 'node scripts/build.mjs' first`);
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.onError(() => undefined);
    return new LspClient(child, connection);
  }

  /** Spawn and initialize. */
  static async start(options: { capabilities?: ClientCapabilities; initializationOptions?: unknown; args?: string[] } = {}): Promise<{ client: LspClient; init: InitializeResult }> {
    const client = LspClient.spawn(options.args);
    const init = await client.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: options.initializationOptions ?? { diagnosticsDelay: 20 },
    });
    client.notify('initialized', {});
    return { client, init };
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params?: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  /** The next diagnostics for uri that satisfy accept (default: any), or a timeout error. */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, accept, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, (p) => p.version === version);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'gvt', version, text } });
    return next;
  }

  change(uri: string, version: number, contentChanges: unknown[]): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, (p) => p.version === version);
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    return next;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** shutdown + exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.alive) {
      await Promise.race([this.request('shutdown').catch(() => undefined), this.exited]);
      this.notify('exit');
    }
    return this.waitForExit();
  }

  /** The exit code once the process ends (null if it had to be killed after 5 s). */
  async waitForExit(): Promise<number | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const code = await Promise.race([this.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 5000)))]);
    clearTimeout(timer);
    if (code === 'timeout') this.process.kill();
    this.connection.dispose();
    return code === 'timeout' ? null : code;
  }

  /** Ends the child without the protocol (for after-hooks of failed tests). */
  kill(): void {
    if (this.alive) this.process.kill();
    this.connection.dispose();
  }
}
