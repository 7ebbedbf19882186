// The desktop (Node) extension host's Host: scenario files through src/node/regularFile (a regular
// file, never a FIFO or a device, within the size limit), the language server as a Node process
// over IPC (dist/server.js), the debug session and the client library loaded from their own bundle
// files on first use (dist/lazy/, see scripts/build.mjs), the CLI for "Compare Kernel Versions".

import { existsSync } from 'node:fs';
import type * as vscode from 'vscode';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { readRegularFile } from '../node/regularFile';
import { compareKernels } from './compareKernels';
import type { Host } from './host';
import { openScenarioText } from './scenarioFiles';

export function desktopHost(context: vscode.ExtensionContext): Host {
  const defer = (f: () => void): void => void setImmediate(f);
  return {
    kind: 'desktop',
    readFile: async (uri, maxBytes) => readRegularFile(uri.fsPath, maxBytes),
    // The open editor's text (what the user sees, saved or not), else the file's, read when asked.
    inlineAdapter: (Session) => new Session({ readFile: (path, maxBytes) => openScenarioText(path) ?? readRegularFile(path, maxBytes), defer }),
    loadDebugSession: async () => (await import('./lazy/debugSession.js')).GvtDebugSession,
    defer,
    startLanguageClient: async (clientOptions: LanguageClientOptions, log) => {
      const module = context.asAbsolutePath('dist/server.js');
      if (!existsSync(module)) {
        log.warn(`No language server at ${module} (run npm run build): .gvt files get highlighting only.`);
        return undefined;
      }
      // Loaded on first use, from its own bundle file: parsing and initialising vscode-languageclient
      // costs more than all of activation.
      const { LanguageClient, TransportKind } = await import('./lazy/languageClientLib.js');
      const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc },
        debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
      };
      const client = new LanguageClient('gvt', 'GVT Scenario Language Server', serverOptions, clientOptions);
      await client.start();
      return client;
    },
    compareKernels: (uri, options) => compareKernels(context, uri, options),
    terminalIsWindows: process.platform === 'win32',
  };
}
