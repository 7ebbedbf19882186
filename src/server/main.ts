// Entry of the language server process (bundled to dist/server.js): the connection over the
// transport named on the command line (`--stdio`, `--node-ipc`, `--socket=PORT`, `--pipe=NAME`),
// as `node dist/server.js --stdio` or `gvt-scenario lsp --stdio`. The only file of src/server that
// may touch Node: a last-resort handler logs what escaped every guard instead of dying.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);

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
