// What differs between the desktop extension host (Node: dist/extension.js) and the browser's web
// worker host (vscode.dev, github.dev: dist/web/extension.js). Each entry builds one Host and hands
// it to activateGvt(); everything else is shared and never touches Node or the browser directly.

import type * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import type { KernelProfileName } from '../debug/protocol';

/** The debug adapter's class, as src/debug exports it (loaded on first use). */
export type GvtDebugSessionClass = (typeof import('./lazy/debugSession.js'))['GvtDebugSession'];

export interface Host {
  /** 'web': the web worker extension host (no Node, no processes, no terminal backend). */
  readonly kind: 'desktop' | 'web';
  /**
   * A scenario file's text as stored (not an open editor's), at most maxBytes. Throws an Error
   * saying why (its `code` is 'ENOENT' for a missing file, as Node's).
   */
  readFile(uri: vscode.Uri, maxBytes: number): Promise<string>;
  /** The inline debug adapter: a session of `Session` given this host's way to read scenarios. */
  inlineAdapter(Session: GvtDebugSessionClass): vscode.DebugAdapter;
  /** The debug session class, loaded when the first session starts. */
  loadDebugSession(): Promise<GvtDebugSessionClass>;
  /** Yields to the event loop between chunks of a long run: the scheduler this host's inline adapter is given. */
  defer(f: () => void): void;
  /** Starts the language server and its client; undefined (after logging why) when there is none. */
  startLanguageClient(options: LanguageClientOptions, log: vscode.LogOutputChannel): Promise<BaseLanguageClient | undefined>;
  /** "Compare Kernel Versions" (runs the CLI): undefined where processes cannot be spawned. */
  readonly compareKernels?: (uri: unknown, options?: { debug?: KernelProfileName }) => Promise<void>;
  /** The terminal's platform quoting for "Run Scenario in Terminal"; undefined where there is no terminal. */
  readonly terminalIsWindows?: boolean;
}
