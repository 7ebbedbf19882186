// Entry of the language server process (bundled to dist/server.js): the connection over the
// transport named on the command line (`--stdio`, `--node-ipc`, `--socket=PORT`, `--pipe=NAME`),
// as `node dist/server.js --stdio` or `gvt-scenario lsp --stdio`. The only file of src/server that
// may touch Node: over stdio it reads through a framer that resynchronises after a bad header
// (the stock reader goes deaf after one), and a last-resort handler logs what escaped every guard.

import {
  AbstractMessageReader, Disposable, ProposedFeatures, StreamMessageWriter, createConnection,
  type DataCallback, type Message, type MessageReader,
} from 'vscode-languageserver/node';
import { jsonMessageFramer } from '../common/contentLengthFramer';
import { startServer } from './server';

/** Messages from a stream of `Content-Length` frames; what cannot be read is logged and skipped. */
class ResyncingReader extends AbstractMessageReader implements MessageReader {
  constructor(private readonly input: NodeJS.ReadableStream) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const framer = jsonMessageFramer(
      (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'),
      (msg) => callback(msg as Message),
      (text) => process.stderr.write(`gvt-lsp: ${text}\n`),
    );
    const onData = (d: Buffer): void => framer.push(d);
    this.input.on('data', onData);
    this.input.on('close', () => this.fireClose());
    this.input.on('error', (e: Error) => this.fireError(e));
    return Disposable.create(() => this.input.removeListener('data', onData));
  }
}

const connection = process.argv.includes('--stdio')
  ? createConnection(ProposedFeatures.all, new ResyncingReader(process.stdin), new StreamMessageWriter(process.stdout))
  : createConnection(ProposedFeatures.all);

const report = (what: string) => (e: unknown) => {
  try {
    connection.console.error(`gvt: ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } catch {
    process.stderr.write(`gvt: ${what}: ${String(e)}\n`);
  }
};
process.on('uncaughtException', report('uncaught exception'));
process.on('unhandledRejection', report('unhandled rejection'));

startServer(connection);
