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
import { checkRequestState } from './requestGates';
import { BreakpointStore, EXCEPTION_FILTERS, StatementLines } from './breakpoints';
import { MAX_LINE_BREAKPOINTS, dataBreakpointInfo, sourceBreakpointSpecs } from './breakpointRequests';
import { DebugRuntime, type StopInfo } from './debugRuntime';
import * as E from './errors';
import { Inspector, type ClientView } from './inspector';
import { GvtEvent, GvtRequest, type GvtLaunchArguments } from './protocol';
import { TrackChanges, stateChangedBody } from './stateViews';
import type { OutputLine } from './traceOutput';
import { capabilities, requireArgs, optNumber } from './requestArgs';

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
export class GvtDebugSession extends DebugSession {
  private scenario: LoadedScenario | undefined;
  private index: StatementLines | undefined;
  private runtime: DebugRuntime | undefined;
  private inspector: Inspector | undefined;
  private launchArgs: GvtLaunchArguments | undefined;
  private readonly breakpoints = new BreakpointStore();
  private readonly changes = new TrackChanges();
  private gfnSpecs: DebugProtocol.FunctionBreakpoint[] = [];
  private lineSpecsPath: string | undefined;
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
      checkRequestState(c, this.runtime);
      const handler = Object.hasOwn(this.handlers, c) ? this.handlers[c] : undefined; // never `constructor` or `toString`
      if (!handler) throw E.unknownCommand(c);
      handler(response, request.arguments ?? {});
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

  /** Runs after the current response has gone (so `next`'s response precedes its `stopped`). */
  private after(f: () => void): void {
    this.defer(() => {
      try {
        f();
      } catch (e) {
        // A bug of ours while running: reported, and the run stops where it is; the adapter lives on.
        this.log(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        this.runtime?.internalError(e);
      }
    });
  }

  private readonly handlers: Record<string, (r: DebugProtocol.Response, args: Record<string, unknown>) => void> = {
    launch: (r, a) => this.launch(r, a),
    restart: (r, a) => this.restart(r, a),
    configurationDone: (r) => {
      this.configurationDone = true;
      this.sendResponse(r);
      this.onConfigurationDone?.();
    },
    disconnect: (r, a) => {
      this.runtime?.dispose();
      this.disconnectRequest(r as DebugProtocol.DisconnectResponse, a);
    },
    terminate: (r) => {
      this.sendResponse(r);
      if (!this.runtime!.ended || this.runtime!.running) this.runtime!.end();
    },
    threads: (r) => this.ok(r, { threads: [{ id: THREAD_ID, name: this.scenario ? `scenario ${this.scenario.displayName}` : 'scenario' }] }),
    setBreakpoints: (r, a) => this.setBreakpoints(r, a as unknown as DebugProtocol.SetBreakpointsArguments),
    setFunctionBreakpoints: (r, a) => {
      const specs = requireArgs(a, 'setFunctionBreakpoints', { breakpoints: 'array' }).breakpoints as DebugProtocol.FunctionBreakpoint[];
      if (specs.length > MAX_LINE_BREAKPOINTS) throw E.badArguments('setFunctionBreakpoints', `at most ${MAX_LINE_BREAKPOINTS} gfn breakpoints are supported`);
      if (specs.some((b) => typeof b?.name !== 'string')) throw E.badArguments('setFunctionBreakpoints', "every breakpoint needs a 'name'");
      this.gfnSpecs = specs;
      const bps = this.breakpoints.setGfns(specs, this.index);
      this.ok(r, { breakpoints: bps.map((b) => ({ id: b.id, verified: b.verified, message: b.message })) });
    },
    setExceptionBreakpoints: (r, a) => {
      const args = requireArgs(a, 'setExceptionBreakpoints', { filters: 'array' }) as unknown as DebugProtocol.SetExceptionBreakpointsArguments;
      const ids = [...args.filters, ...(args.filterOptions ?? []).map((f) => f.filterId)];
      if (ids.some((f) => typeof f !== 'string')) throw E.badArguments('setExceptionBreakpoints', 'filters are strings');
      const problems = this.breakpoints.setFilters(ids);
      this.ok(r, { breakpoints: problems.map((message) => (message ? { verified: false, message } : { verified: true })) });
    },
    dataBreakpointInfo: (r, a) => this.ok(r, dataBreakpointInfo(a as unknown as DebugProtocol.DataBreakpointInfoArguments, this.inspector?.views, this.index?.vgpuNames ?? [])),
    setDataBreakpoints: (r, a) => {
      const specs = requireArgs(a, 'setDataBreakpoints', { breakpoints: 'array' }).breakpoints as DebugProtocol.DataBreakpoint[];
      if (specs.length > MAX_LINE_BREAKPOINTS) throw E.badArguments('setDataBreakpoints', `at most ${MAX_LINE_BREAKPOINTS} data breakpoints are supported`);
      if (specs.some((b) => typeof b?.dataId !== 'string')) throw E.badArguments('setDataBreakpoints', "every breakpoint needs a 'dataId'");
      const bps = this.breakpoints.setData(specs);
      this.ok(r, { breakpoints: bps.map((b) => ({ id: b.id, verified: b.verified, message: b.message })) });
    },
    breakpointLocations: (r, a) => {
      const args = requireArgs(a, 'breakpointLocations', { line: 'number' }) as unknown as DebugProtocol.BreakpointLocationsArguments;
      const from = this.convertClientLineToDebugger(args.line);
      const to = args.endLine !== undefined ? this.convertClientLineToDebugger(args.endLine) : from;
      const lines = this.index && this.isScenarioPath(args.source?.path) ? this.index.linesIn(from, to) : [];
      this.ok(r, { breakpoints: lines.map((l) => ({ line: this.convertDebuggerLineToClient(l) })) });
    },
    continue: (r) => this.resume(r, () => this.runtime!.continue(), { allThreadsContinued: true }),
    next: (r, a) => this.resume(r, () => this.runtime!.next(a.granularity as string | undefined)),
    stepIn: (r, a) => this.resume(r, () => this.runtime!.stepIn(a.granularity as string | undefined)),
    stepOut: (r) => this.resume(r, () => this.runtime!.stepOut()),
    stepBack: (r, a) => this.resume(r, () => this.runtime!.stepBack(a.granularity as string | undefined)),
    reverseContinue: (r) => this.resume(r, () => this.runtime!.reverseContinue()),
    restartFrame: (r, a) => {
      const id = requireArgs(a, 'restartFrame', { frameId: 'number' }).frameId as number;
      const depth = id === 1 ? 'scenario' : id - 2;
      if (depth !== 'scenario' && !this.runtime!.location().frames[depth]) throw E.unknownReference('frameId', id);
      this.resume(r, () => this.runtime!.restartFrame(depth));
    },
    pause: (r) => {
      this.sendResponse(r);
      this.runtime!.pause();
    },
    stackTrace: (r, a) => this.ok(r, this.inspector!.stackTrace(a as unknown as DebugProtocol.StackTraceArguments)),
    scopes: (r, a) => this.ok(r, { scopes: this.inspector!.scopes(requireArgs(a, 'scopes', { frameId: 'number' }).frameId as number) }),
    variables: (r, a) => {
      const args = requireArgs(a, 'variables', { variablesReference: 'number' }) as unknown as DebugProtocol.VariablesArguments;
      optNumber(a, 'variables', 'start');
      optNumber(a, 'variables', 'count');
      this.ok(r, { variables: this.inspector!.variables(args, args.format?.hex ?? this.hex) });
    },
    setVariable: (r, a) => {
      const args = requireArgs(a, 'setVariable', { variablesReference: 'number', name: 'string', value: 'string' }) as unknown as DebugProtocol.SetVariableArguments;
      this.ok(r, this.inspector!.setVariable(args, args.format?.hex ?? this.hex, () => this.after(() => this.edited())));
    },
    evaluate: (r, a) => {
      const args = requireArgs(a, 'evaluate', { expression: 'string' }) as unknown as DebugProtocol.EvaluateArguments;
      this.ok(r, this.inspector!.evaluate(args, args.format?.hex ?? this.hex, () => this.after(() => this.edited())));
      const pending = this.inspector!.pending;
      this.inspector!.pending = undefined;
      if (pending) this.after(pending);
    },
    completions: (r, a) => {
      const args = requireArgs(a, 'completions', { text: 'string', column: 'number' }) as unknown as DebugProtocol.CompletionsArguments;
      this.ok(r, { targets: this.inspector!.completions(args, this.convertClientColumnToDebugger(args.column)) });
    },
    source: (r, a) => {
      const ref = (a.sourceReference as number | undefined) ?? (a.source as DebugProtocol.Source | undefined)?.sourceReference;
      if (typeof ref === 'number' && ref > 0) return this.ok(r, { content: this.inspector!.source(ref), mimeType: 'text/x-c' });
      const path = (a.source as DebugProtocol.Source | undefined)?.path;
      if (this.isScenarioPath(path)) return this.ok(r, { content: this.scenario!.text, mimeType: 'text/x-gvt' });
      throw E.badArguments('source', 'a sourceReference of a kernel frame, or the scenario\'s path');
    },
    readMemory: (r, a) => this.ok(r, this.inspector!.readMemory(requireArgs(a, 'readMemory', { memoryReference: 'string', count: 'number' }) as unknown as DebugProtocol.ReadMemoryArguments)),
    writeMemory: (r, a) => {
      const args = requireArgs(a, 'writeMemory', { memoryReference: 'string', data: 'string' }) as unknown as DebugProtocol.WriteMemoryArguments;
      const w = this.inspector!.writeMemory(args);
      this.ok(r, w.body);
      this.after(() => {
        this.sendEvent(new Event('memory', { memoryReference: args.memoryReference, offset: args.offset ?? 0, count: w.count }));
        this.edited();
      });
    },
    exceptionInfo: (r) => this.ok(r, this.inspector!.exceptionInfo()),
    [GvtRequest.trackTable]: (r, a) => {
      for (const k of ['start', 'count', 'gfnFrom', 'gfnTo']) optNumber(a, GvtRequest.trackTable, k);
      this.ok(r, this.inspector!.trackTable(a));
    },
    [GvtRequest.shadowTables]: (r, a) => {
      optNumber(a, GvtRequest.shadowTables, 'mfn');
      this.ok(r, this.inspector!.shadowTables(a));
    },
    [GvtRequest.trapLog]: (r, a) => {
      optNumber(a, GvtRequest.trapLog, 'last');
      this.ok(r, this.inspector!.trapLog(a));
    },
  };

  private ok(r: DebugProtocol.Response, body: unknown): void {
    r.body = body;
    this.sendResponse(r);
  }

  private resume(r: DebugProtocol.Response, action: () => void, body?: unknown): void {
    if (body) r.body = body;
    this.sendResponse(r);
    this.after(action);
  }

  // ---- initialize and launch -------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = capabilities(EXCEPTION_FILTERS);
    this.sendResponse(response);
  }

  private launch(response: DebugProtocol.Response, a: Record<string, unknown>): void {
    if (this.runtime) throw E.alreadyLaunched();
    const { args, scenario, limits } = loadProgram((path, max) => this.host.readFile(path, max), a, 'launch');
    this.traceDap = args.trace === true;
    this.startRun(args, scenario, limits);
    this.sendEvent(new Event('initialized'));
    let answered = false;
    const go = (): void => {
      if (answered) return;
      answered = true;
      this.onConfigurationDone = undefined;
      this.sendResponse(response);
      this.after(() => this.runtime?.start(args.stopOnEntry === true, args.noDebug === true));
    };
    if (this.configurationDone) go();
    else {
      this.onConfigurationDone = go;
      setTimeout(go, 1000); // a client that never sends configurationDone still gets its run
    }
  }

  private restart(response: DebugProtocol.Response, a: Record<string, unknown>): void {
    const given = (a.arguments as Record<string, unknown> | undefined) ?? (this.launchArgs as unknown as Record<string, unknown>);
    const { args, scenario, limits } = loadProgram((path, max) => this.host.readFile(path, max), given, 'restart');
    this.runtime!.dispose(); // the old run must not report anything more
    this.startRun(args, scenario, limits);
    this.sendResponse(response);
    this.after(() => this.runtime?.start(args.stopOnEntry === true, args.noDebug === true));
  }

  private startRun(args: GvtLaunchArguments, scenario: LoadedScenario, limits: RunLimits): void {
    this.launchArgs = args;
    this.scenario = scenario;
    this.index = new StatementLines(scenario);
    this.changes.reset();
    for (const d of scenario.diagnostics) {
      const p = scenario.lines.positionAt(d.start);
      this.emitOutput({ category: 'console', text: formatDiagnostic(scenario, d) + '\n', line: p.line, column: p.character });
    }
    const pendingLines = this.lineSpecsPath === undefined || this.isScenarioPath(this.lineSpecsPath);
    const lines = pendingLines ? this.breakpoints.reverifyLines(this.index) : this.breakpoints.setLines([], this.index);
    const gfns = this.breakpoints.setGfns(this.gfnSpecs, this.index);
    for (const b of [...lines, ...gfns]) {
      this.sendEvent(new Event('breakpoint', { reason: 'changed', breakpoint: { id: b.id, verified: b.verified, message: b.message, line: 'line' in b ? this.convertDebuggerLineToClient(b.line) : undefined } }));
    }
    this.runtime = new DebugRuntime(
      { scenario, index: this.index, breakpoints: this.breakpoints, profile: args.kernel, platform: args.platform, limits, historyMiB: args.limits?.historyMiB, output: args.output ?? 'trace', stopAtEnd: args.stopAtEnd === true, defer: (f) => this.after(f) },
      { onStop: (s) => this.stopped(s), onOutput: (o) => this.emitOutput(o), onEnd: (code) => this.ended(code) },
    );
    this.inspector = new Inspector(this.runtime, this.clientView(), this.changes);
  }

  private clientView(): ClientView {
    return {
      line: (l) => this.convertDebuggerLineToClient(l),
      column: (c) => this.convertDebuggerColumnToClient(c),
      scenarioSource: () => this.scenarioSource(),
      lineOf: (offset) => this.scenario!.lines.positionAt(offset),
      statementLine: (stmt) => this.index?.lineOf.get(stmt as never),
      lastLine: () => Math.max(0, this.scenario!.lines.lineCount - 1),
    };
  }

  private scenarioSource(): DebugProtocol.Source {
    const path = this.launchArgs!.program;
    return { name: path.split(/[\\/]/).pop() ?? path, path };
  }

  private isScenarioPath(path: string | undefined): boolean {
    if (!path || !this.launchArgs) return false;
    const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+/g, '/');
    return norm(path) === norm(this.launchArgs.program);
  }

  // ---- breakpoints -----------------------------------------------------------------------------

  private setBreakpoints(r: DebugProtocol.Response, a: DebugProtocol.SetBreakpointsArguments): void {
    const specs = sourceBreakpointSpecs(a, (l) => this.convertClientLineToDebugger(l));
    if (this.scenario && !this.isScenarioPath(a.source.path)) {
      const message = `only the launched scenario (${this.launchArgs!.program}) can have breakpoints`;
      return this.ok(r, { breakpoints: specs.map((s) => ({ verified: false, line: this.convertDebuggerLineToClient(s.line), message })) });
    }
    this.lineSpecsPath = a.source.path;
    const bps = this.breakpoints.setLines(specs, this.index);
    const source = this.scenario ? this.scenarioSource() : a.source;
    this.ok(r, { breakpoints: bps.map((b) => ({ id: b.id, verified: b.verified, line: this.convertDebuggerLineToClient(b.line), message: b.message, source })) });
  }

  // ---- runtime events → DAP events --------------------------------------------------------------

  private stopped(s: StopInfo): void {
    this.inspector?.views.reset();
    const body: DebugProtocol.StoppedEvent['body'] = { reason: s.reason, threadId: THREAD_ID, allThreadsStopped: true };
    if (s.description) body.description = s.description;
    if (s.text) body.text = s.text;
    if (s.bpIds?.length) body.hitBreakpointIds = s.bpIds;
    this.sendEvent(new Event('stopped', body));
    this.stateChanged(s.reason);
  }

  private edited(): void {
    this.sendEvent(new Event('invalidated', { areas: ['variables'], threadId: THREAD_ID }));
    this.stateChanged('edit');
  }

  private stateChanged(reason: string): void {
    const rt = this.runtime!;
    const m = rt.viewInterp().machine;
    this.changes.update(m);
    const loc = rt.location();
    const line = loc.stmt ? this.scenario!.lines.positionAt(loc.stmt.start).line + 1 : undefined;
    this.sendEvent(new Event(GvtEvent.stateChanged, stateChangedBody(reason, m, loc.pos, line, rt.inKernel, this.changes)));
  }


  private emitOutput(o: OutputLine): void {
    const body: DebugProtocol.OutputEvent['body'] = { category: o.category, output: o.text };
    if (o.line !== undefined && this.launchArgs) {
      body.source = this.scenarioSource();
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
