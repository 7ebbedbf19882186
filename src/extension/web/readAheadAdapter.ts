// The inline debug adapter as the browser hosts it. The adapter reads a scenario synchronously when
// a `launch` or `restart` request arrives; the web's file systems (vscode.workspace.fs) answer only
// asynchronously. So this adapter reads the request's program first (unless an editor has it open:
// then its text is what is debugged, as on the desktop) and passes the request on once the text is
// there; the session's reader answers from it. Every message keeps its order.

import type * as vscode from 'vscode';
import type { GvtDebugSessionClass } from '../host';
import { openScenarioText } from '../scenarioFiles';

/** What a scenario read ended with: its text, or the error the adapter reports. */
type ReadResult = { text: string } | { error: unknown };

/** The program a launch or restart request runs (a restart without arguments runs the last one's). */
function launchTarget(message: unknown, last: { program: string; maxBytes?: number } | undefined): { program: string; maxBytes?: number } | undefined {
  const m = message as { type?: unknown; command?: unknown; arguments?: Record<string, unknown> };
  if (m.type !== 'request') return undefined;
  const args = m.command === 'launch' ? m.arguments : m.command === 'restart' ? (m.arguments?.arguments as Record<string, unknown> | undefined) : undefined;
  if (m.command === 'restart' && !args) return last;
  if (typeof args?.program !== 'string') return undefined;
  const limits = args.limits as { fileBytes?: unknown } | undefined;
  return { program: args.program, maxBytes: typeof limits?.fileBytes === 'number' ? limits.fileBytes : undefined };
}

export class ReadAheadAdapter implements vscode.DebugAdapter {
  private readonly reads = new Map<string, ReadResult>();
  private readonly session: InstanceType<GvtDebugSessionClass>;
  private pending: Promise<void> = Promise.resolve();
  private last: { program: string; maxBytes?: number } | undefined;
  readonly onDidSendMessage: vscode.Event<vscode.DebugProtocolMessage>;

  constructor(
    Session: GvtDebugSessionClass,
    private readonly read: (program: string, maxBytes: number | undefined) => Promise<string>,
    defer: (f: () => void) => void,
  ) {
    this.session = new Session({
      readFile: (path) => {
        const open = openScenarioText(path);
        if (open !== undefined) return open;
        const r = this.reads.get(path);
        if (!r) throw Object.assign(new Error(`${path} was not read`), { code: 'ENOENT' });
        if ('error' in r) throw r.error;
        return r.text;
      },
      defer,
    });
    this.onDidSendMessage = this.session.onDidSendMessage;
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    const target = launchTarget(message, this.last);
    if (target) {
      this.last = target;
      this.enqueue(() =>
        openScenarioText(target.program) !== undefined
          ? undefined
          : this.read(target.program, target.maxBytes).then(
              (text) => void this.reads.set(target.program, { text }),
              (error: unknown) => void this.reads.set(target.program, { error }),
            ),
      );
    }
    this.enqueue(() => this.session.handleMessage(message as Parameters<typeof this.session.handleMessage>[0]));
  }

  /** Runs `step` after the ones before it; one that fails does not stop the rest (the adapter answers errors itself). */
  private enqueue(step: () => void | Promise<void>): void {
    this.pending = this.pending.then(step).catch((e: unknown) => console.error(`gvt: the inline debug adapter: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  }

  dispose(): void {
    this.session.dispose();
  }
}
