// The gvt debug sessions as the views see them: which one is active, the state each last reported
// (`gvt/stateChanged`), typed custom requests (`gvt/*`, readMemory). The views get state only
// from here, so they work the same with the adapter inline or in a separate process. Sets the
// `gvt.debugging` / `gvt.hasState` context keys.

import * as vscode from 'vscode';
import type { GvtEvent, GvtRequests, StateChangedEventBody } from '../debug/protocol';
import { ContextKey, DEBUG_TYPE } from './common/ids';
import { baseName } from './common/launchConfig';
import { fromBase64 } from './common/hexDump';

export class GvtSession {
  state: StateChangedEventBody | undefined;
  /** Bumped at every state change: data fetched under an older epoch is stale. */
  epoch = 0;

  constructor(readonly raw: vscode.DebugSession) {}

  get id(): string {
    return this.raw.id;
  }

  /** The scenario's path (launch `program`, variables substituted). */
  get program(): string | undefined {
    const p: unknown = this.raw.configuration.program;
    return typeof p === 'string' ? p : undefined;
  }

  /** The scenario's file name (for what is printed and saved), or `scenario`. */
  get fileName(): string {
    return this.program ? baseName(this.program) : 'scenario';
  }

  get noDebug(): boolean {
    return this.raw.configuration.noDebug === true;
  }

  request<K extends keyof GvtRequests>(command: K, args: GvtRequests[K]['arguments']): Promise<GvtRequests[K]['body']> {
    return Promise.resolve(this.raw.customRequest(command, args) as Thenable<GvtRequests[K]['body']>);
  }

  /** DAP readMemory, decoded. */
  async readMemory(memoryReference: string, offset: number, count: number): Promise<{ address: number; data: Uint8Array; unreadable: number }> {
    const r = (await this.raw.customRequest('readMemory', { memoryReference, offset, count })) as { address: string; data?: string; unreadableBytes?: number };
    return { address: Number(r.address), data: r.data ? fromBase64(r.data) : new Uint8Array(), unreadable: r.unreadableBytes ?? 0 };
  }
}

// protocol.ts is imported for types only: the literal is checked against its declaration.
const STATE_CHANGED: (typeof GvtEvent)['stateChanged'] = 'gvt/stateChanged';

export class GvtSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, GvtSession>();
  private activeSession: GvtSession | undefined;
  private readonly emitter = new vscode.EventEmitter<GvtSession | undefined>();
  private readonly disposables: vscode.Disposable[] = [];

  /** The active gvt session changed, reported new state, or ended (undefined: none now). */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.disposables.push(
      this.emitter,
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== DEBUG_TYPE) return;
        this.sessions.set(s.id, new GvtSession(s));
        this.updateActive();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (!this.sessions.delete(s.id)) return;
        this.updateActive();
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.updateActive()),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event !== STATE_CHANGED) return;
        const s = this.sessions.get(e.session.id) ?? this.adopt(e.session);
        if (!s) return;
        s.state = e.body as StateChangedEventBody;
        s.epoch++;
        if (s === this.activeSession) {
          void setContext(ContextKey.hasState, true);
          this.emitter.fire(s);
        }
      }),
    );
    // Sessions that started before activation (activation on onDebugResolve comes first, but be safe).
    const current = vscode.debug.activeDebugSession;
    if (current) this.adopt(current);
    this.updateActive();
  }

  get active(): GvtSession | undefined {
    return this.activeSession;
  }

  get(id: string): GvtSession | undefined {
    return this.sessions.get(id);
  }

  private adopt(raw: vscode.DebugSession): GvtSession | undefined {
    if (raw.type !== DEBUG_TYPE) return undefined;
    const s = new GvtSession(raw);
    this.sessions.set(raw.id, s);
    return s;
  }

  private updateActive(): void {
    const raw = vscode.debug.activeDebugSession;
    let next = raw ? this.sessions.get(raw.id) : undefined;
    if (next?.noDebug) next = undefined;
    // Another debugger's session became active while ours still runs: keep showing ours.
    if (!next && raw && raw.type !== DEBUG_TYPE && this.activeSession && this.sessions.has(this.activeSession.id)) return;
    if (next === this.activeSession) return;
    this.activeSession = next;
    void setContext(ContextKey.debugging, next !== undefined);
    void setContext(ContextKey.hasState, next?.state !== undefined);
    this.emitter.fire(next);
  }

  dispose(): void {
    void setContext(ContextKey.debugging, false);
    for (const d of this.disposables) d.dispose();
  }
}

export const setContext = (key: string, value: unknown): Thenable<unknown> => vscode.commands.executeCommand('setContext', key, value);
