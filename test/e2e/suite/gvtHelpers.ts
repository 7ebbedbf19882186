// Helpers for the GVT extension's in-host tests: the extension's API (what activate() returns,
// typed structurally here: this folder compiles apart from src/), a DAP tracker that records what
// the adapter sends, and waits with timeouts that say what they were waiting for.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'gvt-tools.gvt-page-track-debugger';
export const THREAD_ID = 1;

/** A tree view's provider, as the extension exposes it. */
export interface Tree<N = { kind: string }> {
  getChildren(node?: N): Promise<N[]>;
  getTreeItem(node: N): vscode.TreeItem;
}
export interface GvtApi {
  trackTable: Tree<TrackNode> & { setFilter(f: { from: number; to: number } | undefined): void };
  shadowTables: Tree;
  trapLog: Tree<{ kind: string; entry?: { line: number; gpa: number } }>;
  sessions: { active: { id: string; state?: { step: number; line?: number; vgpus: Array<{ name: string; traps: number }> } } | undefined };
}
export type TrackNode = { kind: string; name?: string; row?: { vgpu: string; gfn: number; handler: string; tracked: boolean; hits: number } };

export async function gvtApi(): Promise<GvtApi> {
  const ext = vscode.extensions.getExtension<GvtApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const ws = process.env.GVT_E2E_WORKSPACE;
  assert.ok(ws, 'GVT_E2E_WORKSPACE is not set');
  return vscode.Uri.file(join(ws, name));
}

export async function openScenario(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** 1-based line of the first line of `doc` starting with `prefix`. */
export function lineOf(doc: vscode.TextDocument, prefix: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.startsWith(prefix)) return i + 1;
  throw new Error(`no line starting with '${prefix}' in ${doc.uri.fsPath}`);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface DapMessage { type: string; event?: string; command?: string; arguments?: unknown; body?: Record<string, unknown>; success?: boolean }

/** Records every message to and from the gvt adapter (requests, responses, events), for the session's life. */
export class DapRecorder implements vscode.Disposable {
  readonly messages: DapMessage[] = [];
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory('gvt', {
      createDebugAdapterTracker: () => ({
        onWillReceiveMessage: (m: DapMessage) => void this.messages.push(m),
        onDidSendMessage: (m: DapMessage) => void this.messages.push(m),
      }),
    });
  }

  mark(): number {
    return this.messages.length;
  }

  /** The first `stopped` event after `from`. */
  stopped(from: number, ms = 15_000): Promise<{ reason: string; description?: string }> {
    return waitFor('a stopped event', () => {
      const m = this.messages.slice(from).find((x) => x.type === 'event' && x.event === 'stopped');
      return m?.body as { reason: string; description?: string } | undefined;
    }, ms);
  }

  /** The first `gvt/stateChanged` event after `from`. */
  stateChanged(from: number, ms = 15_000): Promise<{ step: number; line?: number }> {
    return waitFor('a gvt/stateChanged event', () => {
      const m = this.messages.slice(from).find((x) => x.type === 'event' && x.event === 'gvt/stateChanged');
      return m?.body as { step: number; line?: number } | undefined;
    }, ms);
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** The first event `match` accepts; rejects with "`what` within N ms" when none comes in time. */
function firstEvent<T>(on: vscode.Event<T>, match: (e: T) => boolean, what: string, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${what} within ${ms} ms`));
    }, ms);
    const sub = on((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/** Waits for the next gvt session to start. */
export function nextSession(ms = 15_000): Promise<vscode.DebugSession> {
  return firstEvent(vscode.debug.onDidStartDebugSession, (s) => s.type === 'gvt', 'no gvt debug session started', ms);
}

export async function sessionEnded(session: vscode.DebugSession, ms = 15_000): Promise<void> {
  await firstEvent(vscode.debug.onDidTerminateDebugSession, (s) => s.id === session.id, 'the session did not end', ms);
}

export interface Frame { name: string; line: number; source?: { path?: string; sourceReference?: number } }

export async function stackTrace(session: vscode.DebugSession): Promise<Frame[]> {
  const r = (await session.customRequest('stackTrace', { threadId: THREAD_ID })) as { stackFrames: Frame[] };
  return r.stackFrames;
}

/** The scenario's own frame (the bottom one): its line is the statement's. */
export async function scenarioLine(session: vscode.DebugSession): Promise<number> {
  const frames = await stackTrace(session);
  return frames[frames.length - 1].line;
}

/** Sends a run-control request and waits for the stop it causes (and the views' state event). */
export async function runTo(rec: DapRecorder, session: vscode.DebugSession, command: string): Promise<{ reason: string }> {
  const from = rec.mark();
  await session.customRequest(command, { threadId: THREAD_ID });
  const stop = await rec.stopped(from);
  await rec.stateChanged(from);
  return stop;
}

export async function stopAllSessions(): Promise<void> {
  if (!vscode.debug.activeDebugSession) return;
  await vscode.debug.stopDebugging();
  await waitFor('all debug sessions to end', () => vscode.debug.activeDebugSession === undefined || undefined, 10_000).catch(() => undefined);
}

export function removeAllBreakpoints(): void {
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
}

/** The tree's labels, depth first to `depth` levels (for messages). */
export async function labels<N>(tree: Tree<N>, nodes: N[]): Promise<string[]> {
  return nodes.map((n) => {
    const l = tree.getTreeItem(n).label;
    return typeof l === 'string' ? l : l?.label ?? '';
  });
}

/** A debugging suite's fixture: filled before its tests, cleaned up after them. */
export interface DebugFixture {
  readonly api: GvtApi;
  readonly rec: DapRecorder;
}

/**
 * Registers the suite's setup and teardown: the extension's API and a DAP recorder, with no session,
 * breakpoint or editor left from an earlier suite; afterwards sessions and breakpoints are removed.
 */
export function debugFixture(): DebugFixture {
  const fx = {} as { api: GvtApi; rec: DapRecorder };
  suiteSetup(async () => {
    fx.api = await gvtApi();
    fx.rec = new DapRecorder();
    removeAllBreakpoints();
    await stopAllSessions();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  suiteTeardown(async () => {
    await stopAllSessions();
    fx.rec?.dispose();
    removeAllBreakpoints();
  });
  return fx;
}
