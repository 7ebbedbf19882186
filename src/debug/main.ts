// The standalone debug adapter over stdin/stdout (contributes.debuggers[0].program, bundled to
// dist/debugAdapter.js). The only file of src/debug that may use Node: it gives the session a
// file reader and a scheduler, reads the client's messages through a framer that resynchronises
// after a bad header (the base class's reader goes deaf), and starts it.

import { DebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ContentLengthFramer } from '../common/contentLengthFramer';
import { readRegularFile } from '../node/regularFile';
import { GvtDebugSession } from './gvtDebugSession';

class StdioGvtDebugSession extends GvtDebugSession {
  constructor() {
    super({ readFile: readRegularFile, defer: (f) => setImmediate(f) });
  }

  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    const framer = new ContentLengthFramer({
      message: (body) => {
        let msg: unknown;
        try {
          msg = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
        } catch (e) {
          process.stderr.write(`gvt-debug: a message that is not JSON was skipped (${e instanceof Error ? e.message : String(e)})\n`);
          return;
        }
        if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
          process.stderr.write('gvt-debug: a message that is not a JSON object was skipped\n');
          return;
        }
        this.handleMessage(msg as DebugProtocol.ProtocolMessage);
      },
      problem: (text) => process.stderr.write(`gvt-debug: ${text}\n`),
    });
    // The base class reads `data` through this method; ours frames with resynchronisation instead.
    Object.defineProperty(this, '_handleData', { value: (data: Buffer) => framer.push(data) });
    super.start(inStream, outStream);
  }
}

DebugSession.run(StdioGvtDebugSession);
