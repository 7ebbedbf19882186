// Entry of the language server as a web worker (bundled to dist/web/server.js; the browser
// extension starts it, see src/extension/web/webHost.ts): the same server (server.ts) over the
// worker's messages instead of a process's stdio or IPC. No Node here: messages are already framed.

import { BrowserMessageReader, BrowserMessageWriter, ProposedFeatures, createConnection } from 'vscode-languageserver/browser';
import { startServer } from './server';

/** The worker's global scope (this folder compiles without the WebWorker library). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection);
