// Entry of the language server process (bundled to dist/server.js): the connection over the
// transport named on the command line (`--stdio`, `--node-ipc`, `--socket=PORT`, `--pipe=NAME`),
// as `node dist/server.js --stdio` or `gvt-scenario lsp --stdio`. The only file of src/server that
// may touch Node: over stdio it reads through a framer that resynchronises after a bad header
// (the stock reader goes deaf after one), and a last-resort handler logs what escaped every guard.

import {
  AbstractMessageReader, Disposable, ProposedFeatures, StreamMessageWriter, createConnection,
  type DataCallback, type Message, type MessageReader,
} from 'vscode-languageserver/node';
import { jsonMessageFramer, type ContentLengthFramer } from '../common/contentLengthFramer';
import { DEFAULT_CONFIG, type ServerConfig } from './config';
import { startServer } from './server';

/**
 * The largest message body for documents of up to `maxDocumentLength` UTF-16 units: JSON may write
 * a unit as `\u0001` (6 bytes), plus the rest of the message; never below 64 MiB, so a document
 * over a lowered limit still arrives and gets its "too large to check" diagnostic. A smaller body
 * limit dropped a didOpen the server would have taken, silently.
 */
const bodyBytesFor = (maxDocumentLength: number): number => Math.max(64 * 1024 * 1024, 6 * maxDocumentLength + 1024 * 1024);

/** Messages from a stream of `Content-Length` frames; what cannot be read is logged and skipped. */
class ResyncingReader extends AbstractMessageReader implements MessageReader {
  private framer: ContentLengthFramer | undefined;
  private maxBodyBytes = bodyBytesFor(DEFAULT_CONFIG.maxDocumentLength);

  constructor(private readonly input: NodeJS.ReadableStream) {
    super();
  }

  /** The settings `initialize` chose: the body limit follows the document limit. */
  configure(config: ServerConfig): void {
    this.maxBodyBytes = bodyBytesFor(config.maxDocumentLength);
    if (this.framer) this.framer.maxBodyBytes = this.maxBodyBytes;
  }

  listen(callback: DataCallback): Disposable {
    const framer = jsonMessageFramer(
      (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'),
      (msg) => callback(wellFormedInitialize(msg as Message)),
      (text) => process.stderr.write(`gvt-lsp: ${text}\n`),
      this.maxBodyBytes,
    );
    this.framer = framer;
    const onData = (d: Buffer): void => framer.push(d);
    this.input.on('data', onData);
    this.input.on('close', () => this.fireClose());
    this.input.on('error', (e: Error) => this.fireError(e));
    return Disposable.create(() => this.input.removeListener('data', onData));
  }
}

/**
 * An `initialize` whose params (or their capabilities) are not objects gets empty ones: the library
 * reads `params.capabilities` before our handler can keep the defaults, and answered an internal
 * error, leaving the server uninitialised. Over stdio only (this reader): VS Code's own client
 * sends a well-formed initialize over IPC, and the browser server is ours too.
 *
 * The library also watches `processId` (every 3 s, process.kill(pid, 0), exiting when that
 * throws): a pid that is not a positive whole number below 2^31 made the server exit 3 s after
 * answering, and each further initialize added another watch. Such a pid, and any pid after the
 * first, is dropped (the client's exit, or stdin closing, still ends the server).
 */
let watchingPid = false;
function wellFormedInitialize(msg: Message): Message {
  const m = msg as Message & { method?: unknown; params?: unknown };
  if (m.method !== 'initialize') return msg;
  const params = typeof m.params === 'object' && m.params !== null && !Array.isArray(m.params) ? (m.params as Record<string, unknown>) : {};
  const caps = params.capabilities;
  const pid = params.processId;
  const watch = !watchingPid && typeof pid === 'number' && Number.isInteger(pid) && pid > 0 && pid < 2 ** 31;
  if (watch) watchingPid = true;
  return { ...m, params: { ...params, processId: watch ? pid : null, capabilities: typeof caps === 'object' && caps !== null && !Array.isArray(caps) ? caps : {} } } as Message;
}

const reader = process.argv.includes('--stdio') ? new ResyncingReader(process.stdin) : undefined;
const connection = reader ? createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout)) : createConnection(ProposedFeatures.all);

const report = (what: string) => (e: unknown) => {
  try {
    connection.console.error(`gvt: ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } catch {
    process.stderr.write(`gvt: ${what}: ${String(e)}\n`);
  }
};
process.on('uncaughtException', report('uncaught exception'));
process.on('unhandledRejection', report('unhandled rejection'));

startServer(connection, (config) => reader?.configure(config));
