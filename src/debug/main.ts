// The standalone debug adapter over stdin/stdout (contributes.debuggers[0].program, bundled to
// dist/debugAdapter.js). The only file of src/debug that may use Node: it gives the session a
// file reader and a scheduler, writes a turn's messages at once (CoalescingWriter), reads the
// client's messages through a framer that resynchronises after a bad header (the base class's
// reader goes deaf), and starts it.

import { DebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { jsonMessageFramer } from '../common/contentLengthFramer';
import { readRegularFile } from '../node/regularFile';
import { CoalescingWriter } from './coalescingWriter';
import { GvtDebugSession } from './gvtDebugSession';

class StdioGvtDebugSession extends GvtDebugSession {
  constructor() {
    super({ readFile: readRegularFile, defer: (f) => setImmediate(f) });
  }

  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    const framer = jsonMessageFramer(
      (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'),
      (msg) => this.handleMessage(msg as DebugProtocol.ProtocolMessage),
      (text) => process.stderr.write(`gvt-debug: ${text}\n`),
    );
    // The base class reads `data` through this method; ours frames with resynchronisation instead.
    Object.defineProperty(this, '_handleData', { value: (data: Buffer) => framer.push(data) });
    this.writer = new CoalescingWriter(outStream, (f) => process.nextTick(f));
    super.start(inStream, this.writer.stream as unknown as NodeJS.WritableStream);
  }

  private writer: CoalescingWriter | undefined;

  /** A stop leaves at once (the client waits on it); the rest of a turn's messages at its end. */
  override sendEvent(event: DebugProtocol.Event): void {
    super.sendEvent(event);
    if (event.event === 'stopped') this.writer?.flush();
  }
}

DebugSession.run(StdioGvtDebugSession);
