// Test support for the debug adapter suites: a DebugClient over stdio against the built
// dist/debugAdapter.js, scenario files written to a temp folder, and small waits that read well
// in a test ("launch stopped on entry", "step and wait for the stop").

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const ADAPTER = join(ROOT, 'dist', 'debugAdapter.js');
export const sample = (name: string): string => join(ROOT, 'samples', name);

async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient(process.execPath, ADAPTER, 'gvt', undefined, true);
  dc.defaultTimeout = 10_000;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'gvt', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  return dc;
}

/**
 * The suite's mocha hooks: a fresh DebugClient for every test (handed to `set`), stopped after it,
 * and a temp folder of scenario files for the suite, removed at its end.
 */
export function useDebugClient(set: (dc: DebugClient) => void): Scenarios {
  let dc: DebugClient | undefined;
  const files = new Scenarios();
  beforeEach(async () => {
    dc = await startClient();
    set(dc);
  });
  afterEach(async () => {
    await dc?.stop();
  });
  after(() => files.dispose());
  return files;
}

/** A temp folder of scenario files, removed by `dispose`. */
export class Scenarios {
  readonly dir = mkdtempSync(join(tmpdir(), 'gvt-debug-test-'));
  write(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface LaunchOptions {
  stopOnEntry?: boolean;
  kernel?: string;
  noDebug?: boolean;
  /** The run is not expected to stop (do not wait for a stopped event). */
  noStop?: boolean;
  stopAtEnd?: boolean;
  output?: string;
  /** Set before configurationDone. */
  lines?: DebugProtocol.SourceBreakpoint[];
  functions?: DebugProtocol.FunctionBreakpoint[];
  filters?: string[];
}

/** launch with breakpoints set in the configuration phase; resolves with the first stop (if any). */
export async function launch(dc: DebugClient, program: string, o: LaunchOptions = {}): Promise<DebugProtocol.StoppedEvent | undefined> {
  const config = dc.waitForEvent('initialized').then(async () => {
    if (o.lines) await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: o.lines });
    if (o.functions) await dc.setFunctionBreakpointsRequest({ breakpoints: o.functions });
    if (o.filters) await dc.setExceptionBreakpointsRequest({ filters: o.filters });
    await dc.configurationDoneRequest();
  });
  const stopped = o.noDebug || o.noStop ? Promise.resolve(undefined) : (dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>);
  const { stopOnEntry, kernel, noDebug, stopAtEnd, output } = o;
  await Promise.all([config, dc.launchRequest({ program, stopOnEntry, kernel, noDebug, stopAtEnd, output } as DebugProtocol.LaunchRequestArguments)]);
  return stopped;
}

type StepCommand = 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue';

/** Sends a run-control request and waits for the stop it causes. */
export async function step(dc: DebugClient, command: StepCommand, args: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await dc.send(command, { threadId: 1, ...args });
  return stopped;
}

export async function frames(dc: DebugClient): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
}

/** Frame names without their arguments, top first: `ppgtt_... < kvmgt_... < <line>`. */
export async function stackShape(dc: DebugClient): Promise<string[]> {
  return (await frames(dc)).map((f) => (f.source?.sourceReference ? f.name.replace(/\(.*$/, '') : `line ${f.line}`));
}

export async function topLine(dc: DebugClient): Promise<number> {
  const f = await frames(dc);
  return f[f.length - 1].line;
}

export async function variables(dc: DebugClient, ref: number): Promise<Record<string, string>> {
  const vs = (await dc.variablesRequest({ variablesReference: ref })).body.variables;
  return Object.fromEntries(vs.map((v) => [v.name, v.value]));
}

export async function scope(dc: DebugClient, name: string, frameId?: number): Promise<number> {
  const id = frameId ?? (await frames(dc))[0].id;
  const s = (await dc.scopesRequest({ frameId: id })).body.scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name}`);
  return s.variablesReference;
}

export async function evaluate(dc: DebugClient, expression: string, context = 'repl'): Promise<DebugProtocol.EvaluateResponse['body']> {
  return (await dc.evaluateRequest({ expression, context, frameId: (await frames(dc))[0].id })).body;
}

/** The error message of a request that must fail. */
export async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  assert.fail('the request succeeded, but it should have failed');
}

/** Collects output events from now on. */
export function collectOutput(dc: DebugClient): DebugProtocol.OutputEvent[] {
  const out: DebugProtocol.OutputEvent[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e));
  return out;
}

export const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/**
 * A session stopped two statements after a console edit: launched on line 3 of a small scenario,
 * `enable vm1 gfn 0x40` typed in the Debug Console, then two `next`s. Histories and exports must
 * show the edit at its position, named as the console statement.
 */
export async function stoppedAfterConsoleEdit(dc: DebugClient, files: Scenarios): Promise<void> {
  const p = files.write('edit.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nlet a = 1\nwrite vm1 gpa 0x40000 u64 1\nlet b = 2\n');
  await launch(dc, p, { lines: [{ line: 3 }] });
  await evaluate(dc, 'enable vm1 gfn 0x40');
  await step(dc, 'next');
  await step(dc, 'next');
}
