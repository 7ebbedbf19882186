// The GVT debug adapter: translates DAP to the runtime and back, nothing more (the runtime knows
// no DAP). Every request is validated and answered; a client's mistake or a scenario's content is
// an error response (errors.ts), never a crash. Runtime events are sent after the response of the
// request that caused them. Reads files only through the injected reader (Node stays in main.ts),
// so the extension can host this class inline.

import { DebugSession, Event, Response } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RunLimits } from '../dsl/limits';
import { formatDiagnostic, type LoadedScenario } from '../dsl/scenario';
import { loadProgram } from './launchProgram';
import { EXCEPTION_FILTERS, StatementLines } from './breakpoints';
import { dataBreakpointInfo } from './breakpointRequests';
import { SessionBreakpoints, samePath } from './sessionBreakpoints';
import { DebugRuntime } from './debugRuntime';
import type { StopInfo } from './runtimeHost';
import * as E from './errors';
import { Inspector, type ClientView } from './inspector';
import { GvtEvent, GvtRequest, type GvtLaunchArguments } from './protocol';
import { TrackChanges, stateChangedBody } from './stateViews';
import type { OutputLine } from './traceOutput';
import { capabilities, optCount, optKind, readMemoryArgs, stackTraceArgs, validArgs, writeMemoryArgs } from './requestArgs';
import { exportTraceArgs, historyArgs, whyArgs } from './answerArgs';

export interface GvtSessionHost {
  /**
   * Reads a scenario file: a regular file of at most maxBytes, never blocking (the entry passes its
   * own; the extension prefers the open editor). Throws an Error saying why on failure.
   */
  readFile(path: string, maxBytes: number): string;
  /** Yields to the event loop between chunks of a long run. */
  defer?(f: () => void): void;
}

const THREAD_ID = 1;

/** What a launch makes: everything a request after it needs, never optional. */
interface Run {
  readonly args: GvtLaunchArguments;
  readonly scenario: LoadedScenario;
  readonly index: StatementLines;
  readonly runtime: DebugRuntime;
  readonly inspector: Inspector;
}

type Args = Record<string, unknown>;
type Respond = DebugProtocol.Response;

/**
 * A request handler with its gate, declared together (as vscode-js-debug's `_withThread`): `any`
 * runs in every state; `launched` needs a run and receives it; `stopped` also needs it stopped
 * (not running, not ended). The gate's refusal is the DAP error that says why.
 */
type Route =
  | { readonly gate: 'any'; readonly handle: (r: Respond, a: Args) => void }
  | { readonly gate: 'launched' | 'stopped'; readonly handle: (r: Respond, a: Args, run: Run) => void };

const any = (handle: (r: Respond, a: Args) => void): Route => ({ gate: 'any', handle });
const launched = (handle: (r: Respond, a: Args, run: Run) => void): Route => ({ gate: 'launched', handle });
const stopped = (handle: (r: Respond, a: Args, run: Run) => void): Route => ({ gate: 'stopped', handle });
/** How long a launch waits for configurationDone before it runs anyway. */
const CONFIGURATION_WAIT_MS = 5000;

export class GvtDebugSession extends DebugSession {
  private run: Run | undefined;
  private readonly breakpoints = new SessionBreakpoints({ toClient: (l) => this.convertDebuggerLineToClient(l), toDebugger: (l) => this.convertClientLineToDebugger(l) });
  private readonly changes = new TrackChanges();
  private configurationDone = false;
  private onConfigurationDone: (() => void) | undefined;
  private traceDap = false;
  private logging = false;
  private hex = true;
  private readonly defer: (f: () => void) => void;

  constructor(private readonly host: GvtSessionHost) {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.defer = host.defer ?? ((f) => setTimeout(f, 0));
    // The base class shuts down on any 'error' event, including a malformed message: answer instead.
    this.removeAllListeners('error');
    this.on('error', (e: DebugProtocol.Event) => {
      const text = String(e?.body ?? '');
      if (text.startsWith('Error handling data')) this.log(`ignored a malformed message: ${text}`);
      else this.shutdown();
    });
  }

  // ---- dispatch: validation, state gates, errors as responses ---------------------------------

  override handleMessage(msg: DebugProtocol.ProtocolMessage): void {
    const m = msg as Partial<DebugProtocol.Request> | null;
    if (m === null || typeof m !== 'object') return this.log('ignored a message that is not an object');
    if (m.type === 'request' && (typeof m.command !== 'string' || typeof m.seq !== 'number')) {
      const r = new Response({ seq: typeof m.seq === 'number' ? m.seq : 0, command: String(m.command ?? ''), type: 'request' } as DebugProtocol.Request);
      return this.fail(r, E.badArguments(String(m.command ?? '?'), 'a request needs a numeric seq and a command'));
    }
    super.handleMessage(msg);
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    if (this.traceDap) this.log(`⇢ ${JSON.stringify(request)}`);
    const response = new Response(request);
    try {
      const c = request.command;
      if (request.arguments !== undefined && (typeof request.arguments !== 'object' || request.arguments === null || Array.isArray(request.arguments))) throw E.badArguments(c, 'arguments must be an object');
      if (c === 'initialize') return super.dispatchRequest(request);
      const route = Object.hasOwn(this.routes, c) ? this.routes[c] : undefined; // never `constructor` or `toString`
      const args: Args = request.arguments ?? {};
      if (!route) throw E.unknownCommand(c);
      if (route.gate === 'any') return route.handle(response, args);
      const run = this.run;
      if (!run) throw E.notLaunched(c);
      run.runtime.touch();
      if (route.gate === 'stopped' && run.runtime.running) throw E.running(c);
      if (route.gate === 'stopped' && run.runtime.ended) throw E.terminated(c);
      route.handle(response, args, run);
    } catch (e) {
      this.fail(response, e instanceof E.DapError ? e : E.internalError(request.command, e));
    }
  }

  private fail(response: DebugProtocol.Response, e: E.DapError): void {
    this.sendErrorResponse(response, e.toMessage());
  }

  override sendResponse(response: DebugProtocol.Response): void {
    if (this.traceDap) this.log(`⇠ ${JSON.stringify(response)}`);
    super.sendResponse(response);
  }

  override sendEvent(event: DebugProtocol.Event): void {
    if (this.traceDap && !this.logging) this.log(`⇠ ${JSON.stringify(event)}`);
    super.sendEvent(event);
  }

  private log(text: string): void {
    this.logging = true;
    try {
      super.sendEvent(new Event('output', { category: 'console', output: text + '\n' }));
    } finally {
      this.logging = false;
    }
  }

  /** Runs on a later turn of the event loop (a run's next chunk, a launch's start), guarded. */
  private after(f: () => void): void {
    this.defer(() => this.guarded(f));
  }

  /** Runs f now; a bug of ours in it stops the run where it is instead of ending the adapter. */
  private guarded(f: () => void): void {
    try {
      f();
    } catch (e) {
      // A bug of ours while running: reported, and the run stops where it is; the adapter lives on.
      this.log(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      this.run?.runtime.internalError(e);
    }
  }

  private readonly routes: Readonly<Record<string, Route>> = {
    launch: any((r, a) => this.launch(r, a)),
    restart: launched((r, a, run) => this.restart(r, a, run)),
    configurationDone: any((r) => {
      this.configurationDone = true;
      this.sendResponse(r);
      this.onConfigurationDone?.();
    }),
    disconnect: any((r, a) => {
      this.run?.runtime.dispose();
      this.disconnectRequest(r, validArgs<DebugProtocol.DisconnectArguments>(a, 'disconnect', {}));
    }),
    terminate: launched((r, _a, { runtime }) => {
      this.sendResponse(r);
      if (!runtime.ended || runtime.running) runtime.end();
    }),
    threads: any((r) => this.ok(r, { threads: [{ id: THREAD_ID, name: this.run ? `scenario ${this.run.scenario.displayName}` : 'scenario' }] })),
    setBreakpoints: any((r, a) => {
      const args = validArgs<DebugProtocol.SetBreakpointsArguments>(a, 'setBreakpoints', {});
      const run = this.run;
      this.ok(r, this.breakpoints.setLines(args, run && { program: run.args.program, index: run.index }, run ? sourceOf(run.args) : args.source));
    }),
    setFunctionBreakpoints: any((r, a) => this.ok(r, this.breakpoints.setGfns(a, this.run?.index))),
    setExceptionBreakpoints: any((r, a) => this.ok(r, this.breakpoints.setFilters(a))),
    dataBreakpointInfo: any((r, a) => this.ok(r, dataBreakpointInfo(validArgs<DebugProtocol.DataBreakpointInfoArguments>(a, 'dataBreakpointInfo', {}), this.run?.inspector.views, this.run?.index.vgpuNames ?? []))),
    setDataBreakpoints: any((r, a) => this.ok(r, this.breakpoints.setData(a))),
    breakpointLocations: any((r, a) => {
      const args = validArgs<DebugProtocol.BreakpointLocationsArguments>(a, 'breakpointLocations', { line: 'number' });
      const from = this.convertClientLineToDebugger(args.line);
      const to = args.endLine !== undefined ? this.convertClientLineToDebugger(args.endLine) : from;
      const run = this.run;
      const lines = run && samePath(args.source?.path, run.args.program) ? run.index.linesIn(from, to) : [];
      this.ok(r, { breakpoints: lines.map((l) => ({ line: this.convertDebuggerLineToClient(l) })) });
    }),
    continue: stopped((r, _a, { runtime }) => this.resume(r, () => runtime.continue(), { allThreadsContinued: true })),
    next: stopped((r, a, { runtime }) => this.resume(r, () => runtime.next(granularity(a)))),
    stepIn: stopped((r, _a, { runtime }) => this.resume(r, () => runtime.stepIn())),
    stepOut: stopped((r, _a, { runtime }) => this.resume(r, () => runtime.stepOut())),
    stepBack: stopped((r, a, { runtime }) => this.resume(r, () => runtime.stepBack(granularity(a)))),
    reverseContinue: stopped((r, _a, { runtime }) => this.resume(r, () => runtime.reverseContinue())),
    restartFrame: stopped((r, a, { runtime }) => {
      const id = validArgs<DebugProtocol.RestartFrameArguments>(a, 'restartFrame', { frameId: 'number' }).frameId;
      const depth = id === 1 ? 'scenario' : id - 2;
      if (depth !== 'scenario' && !runtime.location().frames[depth]) throw E.unknownReference('frameId', id);
      this.resume(r, () => runtime.restartFrame(depth));
    }),
    pause: launched((r, _a, { runtime }) => {
      this.sendResponse(r);
      runtime.pause();
    }),
    stackTrace: stopped((r, a, { inspector }) => this.ok(r, inspector.stackTrace(stackTraceArgs(a)))),
    scopes: stopped((r, a, { inspector }) => this.ok(r, { scopes: inspector.scopes(validArgs<DebugProtocol.ScopesArguments>(a, 'scopes', { frameId: 'number' }).frameId) })),
    variables: stopped((r, a, { inspector }) => {
      const args = validArgs<DebugProtocol.VariablesArguments>(a, 'variables', { variablesReference: 'number' });
      optCount(a, 'variables', 'start');
      optCount(a, 'variables', 'count');
      this.ok(r, { variables: inspector.variables(args, args.format?.hex ?? this.hex) });
    }),
    setVariable: stopped((r, a, run) => {
      const args = validArgs<DebugProtocol.SetVariableArguments>(a, 'setVariable', { variablesReference: 'number', name: 'string', value: 'string' });
      this.ok(r, run.inspector.setVariable(args, args.format?.hex ?? this.hex, () => this.after(() => this.edited(run))));
    }),
    evaluate: stopped((r, a, run) => {
      const args = validArgs<DebugProtocol.EvaluateArguments>(a, 'evaluate', { expression: 'string' });
      this.ok(r, run.inspector.evaluate(args, args.format?.hex ?? this.hex, () => this.after(() => this.edited(run)), (f) => this.after(f)));
    }),
    completions: stopped((r, a, { inspector }) => {
      const args = validArgs<DebugProtocol.CompletionsArguments>(a, 'completions', { text: 'string', column: 'number' });
      this.ok(r, { targets: inspector.completions(args, this.convertClientColumnToDebugger(args.column)) });
    }),
    source: launched((r, a, run) => {
      const args = validArgs<DebugProtocol.SourceArguments>(a, 'source', {});
      const ref = args.sourceReference ?? args.source?.sourceReference;
      if (typeof ref === 'number' && ref > 0) return this.ok(r, { content: run.inspector.source(ref), mimeType: 'text/x-c' });
      if (samePath(args.source?.path, run.args.program)) return this.ok(r, { content: run.scenario.text, mimeType: 'text/x-gvt' });
      throw E.badArguments('source', 'a sourceReference of a kernel frame, or the scenario\'s path');
    }),
    readMemory: stopped((r, a, { inspector }) => this.ok(r, inspector.readMemory(readMemoryArgs(a)))),
    writeMemory: stopped((r, a, run) => {
      const args = writeMemoryArgs(a);
      const w = run.inspector.writeMemory(args);
      this.ok(r, w.body);
      this.after(() => {
        this.sendEvent(new Event('memory', { memoryReference: args.memoryReference, offset: args.offset ?? 0, count: w.count }));
        this.edited(run);
      });
    }),
    exceptionInfo: stopped((r, _a, { inspector }) => this.ok(r, inspector.exceptionInfo())),
    [GvtRequest.trackTable]: stopped((r, a, { inspector }) => {
      for (const k of ['start', 'count', 'gfnFrom', 'gfnTo']) optCount(a, GvtRequest.trackTable, k);
      optKind(a, GvtRequest.trackTable, 'vgpu', 'string');
      this.ok(r, inspector.trackTable(a));
    }),
    [GvtRequest.shadowTables]: stopped((r, a, { inspector }) => {
      optCount(a, GvtRequest.shadowTables, 'mfn');
      optKind(a, GvtRequest.shadowTables, 'vgpu', 'string');
      this.ok(r, inspector.shadowTables(a));
    }),
    [GvtRequest.trapLog]: stopped((r, a, { inspector }) => {
      optCount(a, GvtRequest.trapLog, 'last');
      optKind(a, GvtRequest.trapLog, 'vgpu', 'string');
      this.ok(r, inspector.trapLog(a));
    }),
    [GvtRequest.history]: stopped((r, a, { inspector }) => this.ok(r, inspector.history(historyArgs(a)))),
    [GvtRequest.why]: stopped((r, a, { inspector }) => this.ok(r, inspector.why(whyArgs(a)))),
    [GvtRequest.exportTrace]: stopped((r, a, { inspector, scenario }) => this.ok(r, inspector.exportTrace(exportTraceArgs(a), scenario))),
    [GvtRequest.exportScenario]: stopped((r, _a, { inspector, scenario }) => this.ok(r, inspector.exportScenario(scenario))),
  };

  private ok(r: DebugProtocol.Response, body: unknown): void {
    r.body = body;
    this.sendResponse(r);
  }

  private resume(r: DebugProtocol.Response, action: () => void, body?: unknown): void {
    if (body) r.body = body;
    this.sendResponse(r);
    // At once, not on the next turn: the response has been written, so it still precedes the
    // stop, and a step's `stopped` follows it without a trip through the event loop.
    this.guarded(action);
  }

  // ---- initialize and launch -------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = capabilities(EXCEPTION_FILTERS);
    this.sendResponse(response);
  }

  private launch(response: Respond, a: Args): void {
    if (this.run) throw E.alreadyLaunched();
    const { args, scenario, limits } = loadProgram((path, max) => this.host.readFile(path, max), a, 'launch');
    this.traceDap = args.trace === true;
    const run = this.startRun(args, scenario, limits);
    this.sendEvent(new Event('initialized'));
    let answered = false;
    const go = (): void => {
      if (answered) return;
      answered = true;
      this.onConfigurationDone = undefined;
      this.sendResponse(response);
      this.after(() => run.runtime.start(args.stopOnEntry === true, args.noDebug === true));
    };
    if (this.configurationDone) go();
    else {
      this.onConfigurationDone = go;
      // A client that never sends configurationDone still gets its run, after a wait long enough
      // for a slow one to set its breakpoints first (1 s ran past a slow client's breakpoints).
      setTimeout(go, CONFIGURATION_WAIT_MS);
    }
  }

  private restart(response: Respond, a: Args, old: Run): void {
    const given = typeof a.arguments === 'object' && a.arguments !== null && !Array.isArray(a.arguments) ? (a.arguments as Args) : { ...old.args };
    const { args, scenario, limits } = loadProgram((path, max) => this.host.readFile(path, max), given, 'restart');
    old.runtime.dispose(); // the old run must not report anything more
    const run = this.startRun(args, scenario, limits);
    this.sendResponse(response);
    this.after(() => run.runtime.start(args.stopOnEntry === true, args.noDebug === true));
  }

  private startRun(args: GvtLaunchArguments, scenario: LoadedScenario, limits: RunLimits): Run {
    const index = new StatementLines(scenario);
    this.changes.reset();
    const source = sourceOf(args);
    for (const d of scenario.diagnostics) {
      const p = scenario.lines.positionAt(d.start);
      this.emitOutput({ category: 'console', text: formatDiagnostic(scenario, d) + '\n', line: p.line, column: p.character }, source);
    }
    for (const breakpoint of this.breakpoints.onLaunch(args.program, index)) this.sendEvent(new Event('breakpoint', { reason: 'changed', breakpoint }));
    const runtime = new DebugRuntime(
      { scenario, index, breakpoints: this.breakpoints.store, profile: args.kernel, platform: args.platform, limits, historyMiB: args.limits?.historyMiB, output: args.output ?? 'trace', stopAtEnd: args.stopAtEnd === true, defer: (f) => this.after(f) },
      {
        onStop: (s) => this.stopped(run, s),
        onContinue: () => this.sendEvent(new Event('continued', { threadId: THREAD_ID, allThreadsContinued: true })),
        onOutput: (o) => this.emitOutput(o, source),
        onEnd: (code) => this.ended(code),
      },
    );
    const run: Run = { args, scenario, index, runtime, inspector: new Inspector(runtime, this.clientView(scenario, index, source), this.changes) };
    this.run = run;
    return run;
  }

  private clientView(scenario: LoadedScenario, index: StatementLines, source: DebugProtocol.Source): ClientView {
    return {
      line: (l) => this.convertDebuggerLineToClient(l),
      column: (c) => this.convertDebuggerColumnToClient(c),
      scenarioSource: () => source,
      lineOf: (offset) => scenario.lines.positionAt(offset),
      statementLine: (stmt) => (index.lineOf as ReadonlyMap<unknown, number>).get(stmt), // records keep their origin untyped
      lastLine: () => Math.max(0, scenario.lines.lineCount - 1),
      vgpuNames: () => [...index.vgpuNames],
    };
  }

  // ---- runtime events → DAP events --------------------------------------------------------------

  private stopped(run: Run, s: StopInfo): void {
    run.inspector.views.reset();
    const body: DebugProtocol.StoppedEvent['body'] = { reason: s.reason, threadId: THREAD_ID, allThreadsStopped: true };
    if (s.description) body.description = s.description;
    if (s.text) body.text = s.text;
    if (s.bpIds?.length) body.hitBreakpointIds = s.bpIds;
    this.sendEvent(new Event('stopped', body));
    // What changed is known before any request about this stop is read; the views' event follows
    // on a later turn, so the client's first requests (threads, stack trace: what shows the stop)
    // are served before it. A newer stop supersedes it.
    this.changes.update(run.runtime.viewInterp().machine);
    const stop = ++this.stops;
    this.after(() => {
      if (stop === this.stops && this.run === run) this.sendStateChanged(run, s.reason);
    });
  }

  /** Stops so far: a deferred gvt/stateChanged is sent only for the newest. */
  private stops = 0;

  private edited(run: Run): void {
    this.sendEvent(new Event('invalidated', { areas: ['variables'], threadId: THREAD_ID }));
    this.stateChanged(run, 'edit');
  }

  private stateChanged(run: Run, reason: string): void {
    this.changes.update(run.runtime.viewInterp().machine);
    this.sendStateChanged(run, reason);
  }

  private sendStateChanged({ runtime, scenario }: Run, reason: string): void {
    const m = runtime.viewInterp().machine;
    const loc = runtime.location();
    const line = loc.stmt ? scenario.lines.positionAt(loc.stmt.start).line + 1 : undefined;
    this.sendEvent(new Event(GvtEvent.stateChanged, stateChangedBody(reason, m, loc.pos, line, runtime.inKernel, this.changes)));
  }


  private emitOutput(o: OutputLine, source: DebugProtocol.Source): void {
    const body: DebugProtocol.OutputEvent['body'] = { category: o.category, output: o.text };
    if (o.line !== undefined) {
      body.source = source;
      body.line = this.convertDebuggerLineToClient(o.line);
      body.column = this.convertDebuggerColumnToClient(o.column ?? 0);
    }
    this.sendEvent(new Event('output', body));
  }

  private ended(exitCode: number): void {
    this.sendEvent(new Event('exited', { exitCode }));
    this.sendEvent(new Event('terminated'));
  }
}

/** The scenario as a DAP source. */
function sourceOf(args: GvtLaunchArguments): DebugProtocol.Source {
  const path = args.program;
  return { name: path.split(/[\\/]/).pop() ?? path, path };
}

/** `granularity` of a stepping request, if it is one DAP knows. */
function granularity(a: Args): string | undefined {
  return typeof a.granularity === 'string' ? a.granularity : undefined;
}
