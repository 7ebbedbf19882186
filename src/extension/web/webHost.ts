// The browser's Host (vscode.dev, github.dev, any VS Code for the Web): the extension runs in the
// web worker extension host, with no Node. Scenario files are read through vscode.workspace.fs
// (any file system the workspace has: vscode-vfs://, vscode-remote://, file://), the extension's
// own files over https where it is served from a CDN; the language server is a web worker
// (dist/web/server.js); the debug adapter runs inline, bundled into this entry (a web worker host
// cannot load a second bundle file at run time). There is no terminal and no CLI.

import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions } from 'vscode-languageclient/browser';
import type { Host } from '../host';
import { SCENARIO_MAX_BYTES } from '../common/launchConfig';
import { uriOfProgram } from '../scenarioFiles';
import { ReadAheadAdapter } from './readAheadAdapter';

/**
 * The browser's Worker, as far as the language client uses it (this folder compiles without the DOM
 * library, so it is declared here; an explicit type, so a misplaced argument does not compile).
 */
interface BrowserWorker {
  postMessage(message: unknown): void;
  terminate(): void;
}
declare const Worker: new (url: string, options?: { name?: string }) => BrowserWorker;
/** The browser's MessageChannel, as far as messageDefer() uses it (Node's typings differ). */
declare const MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: unknown): void } };

const fileError = (message: string, code: string): Error => Object.assign(new Error(message), { code });

function sizeProblem(uri: vscode.Uri, size: number, maxBytes: number): Error | undefined {
  return size > maxBytes ? fileError(`${uri.toString(true)} is ${size} bytes, over the limit of ${maxBytes} bytes for a scenario file`, 'EGVTFILE') : undefined;
}

/** The bytes of a file the workspace's file systems (or, for https, the network) serve, at most maxBytes. */
async function readBytes(uri: vscode.Uri, maxBytes: number): Promise<Uint8Array> {
  if (uri.scheme === 'http' || uri.scheme === 'https') {
    const r = await fetch(uri.toString(true));
    if (!r.ok) throw fileError(`${uri.toString(true)}: HTTP ${r.status}`, r.status === 404 ? 'ENOENT' : 'EGVTFILE');
    const bytes = new Uint8Array(await r.arrayBuffer());
    const tooLarge = sizeProblem(uri, bytes.length, maxBytes);
    if (tooLarge) throw tooLarge;
    return bytes;
  }
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (e) {
    throw e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? fileError(e.message, 'ENOENT') : e;
  }
  if (stat.type & vscode.FileType.Directory) throw fileError(`${uri.toString(true)} is a directory, not a scenario file`, 'EISDIR');
  if (!(stat.type & vscode.FileType.File)) throw fileError(`${uri.toString(true)} is not a regular file`, 'EGVTFILE');
  const tooLarge = sizeProblem(uri, stat.size, maxBytes);
  if (tooLarge) throw tooLarge;
  const bytes = await vscode.workspace.fs.readFile(uri);
  const grown = sizeProblem(uri, bytes.length, maxBytes);
  if (grown) throw grown;
  return bytes;
}

/**
 * A web worker running `script`. An https script is loaded by URL; any other (vscode-remote://
 * from a remote server, file://) is read through workspace.fs and started from a blob URL, since the
 * web worker host does not start workers from those schemes itself.
 */
async function startWorker(script: vscode.Uri, name: string): Promise<BrowserWorker> {
  if (script.scheme === 'http' || script.scheme === 'https') return new Worker(script.toString(true), { name });
  const code = await vscode.workspace.fs.readFile(script);
  return new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { name });
}

/** setTimeout(0) is clamped to 4 ms once nested: a message to ourselves yields without that delay. */
function messageDefer(): (f: () => void) => void {
  const queue: Array<() => void> = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (f) => {
    queue.push(f);
    channel.port2.postMessage(undefined);
  };
}

/** The name of the language server's worker (seen in the browser's developer tools). */
const SERVER_WORKER_NAME = 'GVT Scenario Language Server';

const readText = async (uri: vscode.Uri, maxBytes: number): Promise<string> => new TextDecoder().decode(await readBytes(uri, maxBytes));

export function webHost(context: vscode.ExtensionContext): Host {
  const defer = messageDefer();
  return {
    kind: 'web',
    readFile: readText,
    // The open editor's text, else the program's, read through workspace.fs before each launch and restart.
    inlineAdapter: (Session) => new ReadAheadAdapter(Session, (program, maxBytes) => readText(uriOfProgram(program), maxBytes ?? SCENARIO_MAX_BYTES), defer),
    // Bundled into this file (a web worker host loads one file per extension), evaluated on first use.
    loadDebugSession: async () => (await import('../lazy/debugSession.js')).GvtDebugSession,
    defer,
    startLanguageClient: async (clientOptions: LanguageClientOptions) => {
      const worker = await startWorker(vscode.Uri.joinPath(context.extensionUri, 'dist/web/server.js'), SERVER_WORKER_NAME);
      const client = new LanguageClient('gvt', 'GVT Scenario Language Server', worker, clientOptions);
      await client.start();
      return client;
    },
  };
}
