// The standalone debug adapter over stdin/stdout (contributes.debuggers[0].program, bundled to
// dist/debugAdapter.js). The only file of src/debug that may use Node: it gives the session a
// file reader and a scheduler, and starts it.

import { readFileSync } from 'node:fs';
import { DebugSession } from '@vscode/debugadapter';
import { GvtDebugSession } from './gvtDebugSession';

class StdioGvtDebugSession extends GvtDebugSession {
  constructor() {
    super({ readFile: (path) => readFileSync(path, 'utf8'), defer: (f) => setImmediate(f) });
  }
}

DebugSession.run(StdioGvtDebugSession);
