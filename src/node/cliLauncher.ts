// dist/cli.js: gvt-scenario (bin/gvt-scenario.js calls runMain), loaded from its bundle
// (dist/node/cli.js, src/cli/main.ts) through the compile cache, as the debug adapter is.

import * as path from 'node:path';
import { requireWithCompileCache } from './compileCache';

const cli = requireWithCompileCache(path.join(__dirname, 'node', 'cli.js')) as { runMain(): void };

/** Runs the CLI on process.argv (the bundle's runMain). */
export const runMain = (): void => cli.runMain();

// `node dist/cli.js ...` runs it too, as the bundle alone did.
if (require.main === module) runMain();
