// dist/debugAdapter.js: the standalone debug adapter (stdin/stdout), started from its bundle
// (dist/node/debugAdapter.js, src/debug/main.ts) through the compile cache: most of a cold start
// is parsing and compiling that bundle.

import * as path from 'node:path';
import { requireWithCompileCache } from './compileCache';

requireWithCompileCache(path.join(__dirname, 'node', 'debugAdapter.js'));
