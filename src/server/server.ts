// The language server for `.gvt` scenarios: thin wiring of LSP messages onto the pure features of
// src/dsl/features. Transport-free (the connection is given), so tests and other hosts can run it
// over any stream; src/server/main.ts is the Node entry.
//
// Documents: full text on open, incremental changes, diagnostics pushed per document after a short
// debounce (initializationOptions.diagnosticsDelay, default 100 ms) with the document version.

import { ErrorCodes, ResponseError, type ClientCapabilities, type Connection, type InitializeError, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { SERVER_CAPABILITIES, SERVER_INFO } from './capabilities';
import { DEFAULT_CONFIG, readConfig, type ServerConfig } from './config';
import type { ServerContext } from './context';
import { DiagnosticsPublisher } from './diagnostics';
import { DocumentStore } from './documentStore';
import { onCodeAction, onCompletion, onFormatting, onPrepareRename, onRangeFormatting, onRename } from './editingHandlers';
import { guarded, guardedNotification, type ServerState } from './guard';
import { onDefinition, onDocumentHighlight, onHover, onReferences } from './navigationHandlers';
import { documentUri, field } from './params';
import { onDocumentSymbol } from './symbolHandlers';

export interface StartedServer {
  readonly context: ServerContext;
  readonly diagnostics: DiagnosticsPublisher;
}

/** Wire every handler onto the connection and start listening; `onConfig` hears the settings `initialize` chose. */
export function startServer(connection: Connection, onConfig?: (config: ServerConfig) => void): StartedServer {
  let config: ServerConfig = DEFAULT_CONFIG;
  let client: ClientCapabilities = {};
  const store = new DocumentStore(() => config.maxDocumentLength, () => config.maxAnalysedLength);
  const cx: ServerContext = { connection, store, config: () => config, client: () => client };
  const diagnostics = new DiagnosticsPublisher(connection, store, () => config);
  let state: ServerState = 'new';
  const now = (): ServerState => state;

  connection.onInitialize((params: InitializeParams): InitializeResult | ResponseError<InitializeError> => {
    // After `shutdown` only `exit` is taken (a second initialize before it reads the settings again).
    if (state === 'down') return new ResponseError(ErrorCodes.InvalidRequest, 'initialize: the server is shut down (only \'exit\' is taken now)', { retry: false });
    try {
      config = readConfig(field(params, 'initializationOptions'));
      const caps = field(params, 'capabilities');
      client = typeof caps === 'object' && caps !== null ? (caps as ClientCapabilities) : {};
    } catch {
      // keep the defaults: a malformed initialize still gets an answer
    }
    state = 'ready';
    onConfig?.(config);
    return { capabilities: SERVER_CAPABILITIES, serverInfo: SERVER_INFO };
  });

  connection.onDidOpenTextDocument(
    guardedNotification(connection, now, 'didOpen', (params: unknown) => {
      const uri = documentUri(params);
      const td = field(params, 'textDocument') as Record<string, unknown> | undefined;
      if (uri === undefined || typeof td?.text !== 'string') return connection.console.warn('gvt: didOpen with malformed params ignored');
      const version = Number.isInteger(td.version) ? (td.version as number) : 0;
      store.open(uri, typeof td.languageId === 'string' ? td.languageId : 'gvt', version, td.text);
      diagnostics.schedule(uri, 0);
    }),
  );
  connection.onDidChangeTextDocument(
    guardedNotification(connection, now, 'didChange', (params: unknown) => {
      const uri = documentUri(params);
      const version = field(field(params, 'textDocument'), 'version');
      const changes = field(params, 'contentChanges');
      if (uri === undefined || !Number.isInteger(version) || !Array.isArray(changes)) return connection.console.warn('gvt: didChange with malformed params ignored');
      if (!store.has(uri)) return connection.console.warn(`gvt: didChange for a document that is not open: ${uri}`);
      if (!store.change(uri, version as number, changes)) return connection.console.warn(`gvt: malformed changes to ${uri} ignored`);
      diagnostics.schedule(uri);
    }),
  );
  connection.onDidCloseTextDocument(
    guardedNotification(connection, now, 'didClose', (params: unknown) => {
      const uri = documentUri(params);
      if (uri === undefined || !store.close(uri)) return;
      diagnostics.clear(uri);
    }),
  );

  connection.onCompletion(guarded(connection, now, 'completion', { isIncomplete: false, items: [] }, (p) => onCompletion(cx, p)));
  connection.onHover(guarded(connection, now, 'hover', null, (p) => onHover(cx, p)));
  connection.onDefinition(guarded(connection, now, 'definition', [], (p) => onDefinition(cx, p)));
  connection.onReferences(guarded(connection, now, 'references', [], (p) => onReferences(cx, p)));
  connection.onDocumentHighlight(guarded(connection, now, 'documentHighlight', [], (p) => onDocumentHighlight(cx, p)));
  connection.onPrepareRename(guarded(connection, now, 'prepareRename', null, (p) => onPrepareRename(cx, p)));
  connection.onRenameRequest(guarded(connection, now, 'rename', null, (p) => onRename(cx, p)));
  connection.onDocumentSymbol(guarded(connection, now, 'documentSymbol', [], (p) => onDocumentSymbol(cx, p)));
  connection.onDocumentFormatting(guarded(connection, now, 'formatting', [], (p) => onFormatting(cx, p)));
  connection.onDocumentRangeFormatting(guarded(connection, now, 'rangeFormatting', [], (p) => onRangeFormatting(cx, p)));
  connection.onCodeAction(guarded(connection, now, 'codeAction', [], (p) => onCodeAction(cx, p)));
  connection.onShutdown(() => {
    // LSP: after shutdown every request but exit is an InvalidRequest (guarded says so), shutdown too.
    if (state === 'down') return new ResponseError(ErrorCodes.InvalidRequest, 'shutdown: the server is already shut down (only \'exit\' is taken now)');
    state = 'down';
    diagnostics.dispose();
  });

  connection.listen();
  return { context: cx, diagnostics };
}
