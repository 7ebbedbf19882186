// The debugger's runtime (vscode-mock-debug's mockRuntime, for a scenario): owns the timeline,
// runs statements with breakpoint and exception detection, and moves the stop location, which is
// either a statement position or a position inside a statement (an event of its recorded run,
// with the kernel frames active there). Long runs go in chunks so requests keep being served.
// Reports through RuntimeHost; knows nothing of DAP.

import { gpaToGfn, type Gpa, type KernelProfile, type TrapObserver } from '../core';
import type { Stmt } from '../dsl/ast';
import { Interpreter, type LoopContext } from '../dsl/interpreter';
import type { LoadedScenario } from '../dsl/scenario';
import type { ScenarioEvent, ScenarioListener } from '../dsl/scenarioEvents';
import { gfnMatches, type BreakpointStore, type LineBreakpoint, type StatementLines } from './breakpoints';
import { evaluate, renderLogMessage } from './expressions';
import { RecordedStatement, recordStep, type KernelFrame } from './kernelFrames';
import { scopeLookup } from './names';
import type { TraceOutputMode } from './protocol';
import { dataHits, isStoreStatement, resolveHits, type ExceptionDetail, type PendingHit, type ResolvedStop } from './stopConditions';
import { Timeline, type Edit } from './timeline';
import { compileStatement } from '../dsl/statements';
import { TracePrinter, type OutputLine } from './traceOutput';
import { TrapLog } from './trapLog';

export interface StopInfo {
  reason: string;
  description?: string;
  text?: string;
  bpIds?: number[];
  exception?: ExceptionDetail;
}

export interface RuntimeHost {
  onStop(stop: StopInfo): void;
  onOutput(line: OutputLine): void;
  /** The scenario finished (or was ended); exit code as the CLI's: 0 ok, 1 an expect failed, 2 a runtime error. */
  onEnd(exitCode: number): void;
}

export interface RuntimeOptions {
  scenario: LoadedScenario;
  index: StatementLines;
  breakpoints: BreakpointStore;
  profile?: KernelProfile;
  output: TraceOutputMode;
  stopAtEnd: boolean;
  /** Yields to the event loop between chunks of a long run (setImmediate in Node). */
  defer: (f: () => void) => void;
}

/** Inside a statement: its recording, the current event, the stops found in it. */
interface Inner {
  rec: RecordedStatement;
  k: number;
  stops: ResolvedStop[];
}

type RunKind = 'continue' | 'next' | 'stepOut' | 'noDebug';
type DetectMode = 'run' | 'present' | 'scan';

/** Statements per chunk of a long run before yielding to the event loop. */
const CHUNK = 10_000;
/** Statements whose trace is printed in full per resume; after that only failures. */
const LIVE_TRACE_LIMIT = 1_000;

export class DebugRuntime {
  readonly timeline: Timeline;
  readonly trapLog = new TrapLog();
  readonly printer: TracePrinter;
  private inner: Inner | undefined;
  private scratch: Interpreter | undefined;
  private scratchKey = '';
  running = false;
  /** The run is over (end of scenario reported, or terminated). */
  ended = false;
  /** Stopped at the end with `stopAtEnd` (continuing from there ends the run). */
  private atEnd = false;
  private disposed = false;
  private pauseRequested = false;
  /** Bumped at every stop: variable references and sources of an older stop are stale. */
  stopEpoch = 0;
  lastStop: StopInfo | undefined;

  // per-statement detection state (the observer and the light listener write here)
  private mode: DetectMode = 'run';
  private trapOrdinal = 0;
  private hits: PendingHit[] = [];
  private light: ScenarioEvent[] = [];
  private executing: Stmt | undefined;

  constructor(
    private readonly o: RuntimeOptions,
    private readonly host: RuntimeHost,
  ) {
    this.timeline = new Timeline(o.scenario.program, o.profile);
    this.printer = new TracePrinter(o.scenario, o.output);
    this.timeline.observer = this.observer;
    this.timeline.reattach();
  }

  get interp(): Interpreter {
    return this.timeline.interp;
  }

  get breakpoints(): BreakpointStore {
    return this.o.breakpoints;
  }

  /** The interpreter whose state is shown: the real one, or a scratch replay inside a statement. */
  viewInterp(): Interpreter {
    const inner = this.inner;
    if (!inner) return this.timeline.interp;
    const key = `${this.stopEpoch}:${inner.rec.pos}:${inner.k}`;
    this.scratch ??= new Interpreter(this.o.scenario.program, { profile: this.o.profile });
    if (this.scratchKey !== key) {
      inner.rec.replayTo(this.scratch, inner.k);
      this.scratchKey = key;
    }
    return this.scratch;
  }

  /** Where we are: the statement (undefined at the end), and the kernel frames inside it. */
  location(): { pos: number; stmt: Stmt | undefined; frames: KernelFrame[]; rec?: RecordedStatement; k?: number } {
    const inner = this.inner;
    if (inner) return { pos: inner.rec.pos, stmt: inner.rec.stmt, frames: inner.rec.stackAt(inner.k), rec: inner.rec, k: inner.k };
    return { pos: this.timeline.position, stmt: this.interp.current(), frames: [] };
  }

  get inKernel(): boolean {
    return this.inner !== undefined;
  }

  /** Loops around the statement shown (for Locals and the trace header). */
  loops(): LoopContext[] {
    return this.inner ? this.viewLoops() : this.interp.loops();
  }

  private viewLoops(): LoopContext[] {
    // The scratch interpreter stepped into the statement, so its loops() already describe the next one.
    const s = this.scratch;
    return s && this.inner ? s.loops() : [];
  }

  // ---- the trap observer: cheap, always on during real runs ---------------------------------

  private readonly observer: TrapObserver = (v, at, bytes, record) => {
    const ordinal = ++this.trapOrdinal;
    const mode = this.mode;
    const stmt = this.executing;
    if (mode !== 'scan' && stmt) this.trapLog.push(this.timeline.position - 1, this.o.index.lineOf.get(stmt) ?? 0, v.name, at, bytes, record);
    if (mode === 'present') return;
    const store = this.o.breakpoints;
    if (store.gfns.length) {
      const gfn = gpaToGfn(at as Gpa);
      for (const bp of store.gfns) {
        if (!gfnMatches(bp, v.name, gfn)) continue;
        if (bp.condition) {
          const r = evaluate(bp.condition, scopeLookup(this.interp, stmt, { gfn, gpa: at, bytes }, this.timeline.position - 1));
          if (typeof r === 'string' || r === 0) continue;
        }
        if (mode === 'run') {
          bp.hits++;
          if (bp.hitTest && !bp.hitTest(bp.hits)) continue;
        }
        this.hits.push({ kind: 'trap', ordinal, reason: 'function breakpoint', bpId: bp.id });
      }
    }
    if (record !== 'tracked' && store.filters.has('untracked-trap')) this.hits.push({ kind: 'trap', ordinal, reason: 'exception', filter: 'untracked-trap' });
  };

  private readonly lightListener: ScenarioListener = (e) => {
    if ((e.kind === 'expect' && !e.ok) || e.kind === 'error' || (e.kind === 'gpu' && e.walk.outcome.kind === 'fault')) this.light.push(e);
  };

  // ---- running one statement ----------------------------------------------------------------

  /**
   * Runs the current statement with detection. `record` keeps every event (kernel frames
   * included); `pre` snapshots the state before it (for stepping inside). Hits land in the result.
   */
  private execute(mode: DetectMode, record: boolean, pre = false): { pos: number; stmt: Stmt; loops?: LoopContext[]; hits: PendingHit[]; events?: ScenarioEvent[]; rec?: RecordedStatement } {
    const interp = this.interp;
    const store = this.o.breakpoints;
    const pos = interp.stepCount;
    const stmt = interp.current()!;
    const st = interp.state;
    const failedBefore = st.expectsFailed;
    this.mode = mode;
    this.trapOrdinal = 0;
    this.hits = [];
    this.executing = stmt;
    if (mode === 'run') this.logpoints(stmt);
    const loops = record && mode === 'run' ? interp.loops() : undefined;
    const snap = pre ? interp.snapshot() : undefined;
    let events: ScenarioEvent[] | undefined;
    this.light = [];
    if (record) {
      events = recordStep(interp).events;
    } else {
      interp.setListener(this.lightListener, false);
      interp.step();
      interp.setListener(null, false);
    }
    this.timeline.afterStep();
    this.executing = undefined;
    const hits = this.hits;
    if (mode !== 'present') {
      const f = store.filters;
      const seen = events ?? this.light;
      if (interp.error) hits.push({ kind: 'error' });
      if (f.has('expect-failed') && interp.state.expectsFailed > failedBefore) hits.push({ kind: 'expect-failed' });
      if (f.has('handler-error') && isStoreStatement(stmt.kind) && interp.state.lastStoreTrapped && interp.state.ret !== 0) hits.push({ kind: 'handler-error' });
      if (f.has('gpu-fault') && stmt.kind === 'gpuRead' && seen.some((e) => e.kind === 'gpu' && e.walk.outcome.kind === 'fault')) hits.push({ kind: 'gpu-fault' });
      if (events && store.hasData) {
        for (const { index, bp } of dataHits(events, store.data)) {
          if (mode === 'run') {
            bp.hits++;
            if (bp.hitTest && !bp.hitTest(bp.hits)) continue;
          }
          hits.push({ kind: 'event', index, reason: 'data breakpoint', bpId: bp.id });
        }
      }
    }
    const rec = snap && events ? new RecordedStatement(pos, stmt, snap, events) : undefined;
    return { pos, stmt, loops, hits, events, rec };
  }

  private logpoints(stmt: Stmt): void {
    const bps = this.o.breakpoints.byStmt.get(stmt);
    if (!bps) return;
    for (const bp of bps) {
      if (!bp.log || !this.conditionHolds(bp, stmt)) continue;
      const line = this.o.index.lineOf.get(stmt);
      this.host.onOutput({ category: 'console', text: renderLogMessage(bp.log, scopeLookup(this.interp, stmt)) + '\n', line });
    }
  }

  private conditionHolds(bp: LineBreakpoint, stmt: Stmt): boolean {
    if (!bp.condition) return true;
    const r = evaluate(bp.condition, scopeLookup(this.interp, stmt));
    if (typeof r === 'string') {
      if (!bp.warned) this.host.onOutput({ category: 'console', text: `breakpoint condition at line ${bp.line + 1} cannot be evaluated here: ${r} (treated as false)\n`, line: bp.line });
      bp.warned = true;
      return false;
    }
    return r !== 0;
  }

  /** Line breakpoints that stop at `stmt` (conditions; hit counts only when counting). */
  private lineStops(stmt: Stmt, count: boolean): number[] {
    const bps = this.o.breakpoints.byStmt.get(stmt);
    if (!bps) return [];
    const ids: number[] = [];
    for (const bp of bps) {
      if (bp.log || !this.conditionHolds(bp, stmt)) continue;
      if (count) {
        bp.hits++;
        if (bp.hitTest && !bp.hitTest(bp.hits)) continue;
      }
      ids.push(bp.id);
    }
    return ids;
  }

  // ---- stops ---------------------------------------------------------------------------------

  /** Stops everything silently (disconnect, restart): no more events from this runtime. */
  dispose(): void {
    this.disposed = true;
    this.running = false;
  }

  private stop(info: StopInfo): void {
    if (this.disposed) return;
    this.running = false;
    this.stopEpoch++;
    this.lastStop = info;
    this.host.onStop(info);
  }

  private stopAtStop(s: ResolvedStop): void {
    this.atEnd = false;
    this.inner!.k = s.index;
    const ex = s.exception;
    this.stop({ reason: s.reason, bpIds: s.bpIds, exception: ex, description: ex ? ex.description : undefined, text: ex?.description });
  }

  /** Re-runs statement `pos` recorded, from its pre-state, and stops at the first (or last) of its stops. */
  private present(pos: number, hits: PendingHit[], pick: 'first' | 'last' = 'first', before = Infinity): boolean {
    this.seekTo(pos);
    const ex = this.execute('present', true, true);
    const stops = resolveHits(ex.events!, hits).filter((s) => s.index < before);
    if (stops.length === 0) return false;
    this.inner = { rec: ex.rec!, k: 0, stops };
    this.stopAtStop(pick === 'first' ? stops[0] : stops[stops.length - 1]);
    return true;
  }

  /** Goes to statement position `pos` (statement level). */
  private seekTo(pos: number): void {
    this.inner = undefined;
    this.trapLog.truncate(pos);
    this.timeline.seek(pos);
  }

  private emitTrace(ex: { stmt: Stmt; loops?: LoopContext[]; events?: ScenarioEvent[] }): void {
    if (ex.events && ex.loops) for (const l of this.printer.statement(ex.stmt, ex.loops, ex.events)) this.host.onOutput(l);
    else for (const l of this.printer.failures(ex.events ?? this.light)) this.host.onOutput(l);
  }

  private finish(): void {
    const st = this.interp.state;
    const machine = this.interp.machine;
    const traps = [...machine.vgpus.values()].map((v) => `${v.name} ${v.traps} trap${v.traps === 1 ? '' : 's'}`).join(', ');
    const err = this.interp.error !== undefined;
    const verdict = err ? 'stopped by an error' : st.expectsFailed > 0 ? `${st.expectsFailed} expect(s) failed` : 'all expects held';
    this.host.onOutput({ category: 'console', text: `\n${this.interp.stepCount} statements, ${st.expectsPassed} expects passed, ${st.expectsFailed} failed${traps ? `; ${traps}` : ''}: ${verdict}\n` });
    if (this.o.stopAtEnd && !this.atEnd) {
      this.inner = undefined;
      this.atEnd = true;
      return this.stop({ reason: 'end', description: 'End of the scenario (step back to rewind, continue to finish)' });
    }
    this.end();
  }

  /** Ends the run (terminate, or the end of the scenario): reports the exit code once. */
  end(): void {
    if (this.ended || this.disposed) return;
    this.running = false;
    this.ended = true;
    const st = this.interp.state;
    this.host.onEnd(this.interp.error ? 2 : st.expectsFailed > 0 ? 1 : 0);
  }

  // ---- run control ---------------------------------------------------------------------------

  /** Starts: stop on entry, or run (to a breakpoint, or to the end). */
  start(stopOnEntry: boolean, noDebug: boolean): void {
    if (noDebug) this.run('noDebug', true);
    else if (stopOnEntry) this.stop({ reason: 'entry' });
    else this.run('continue', false);
  }

  continue(): void {
    const inner = this.inner;
    if (inner) {
      const s = inner.stops.find((x) => x.index > inner.k);
      if (s) return this.stopAtStop(s);
      this.inner = undefined;
      return this.run('continue', false);
    }
    this.run('continue', true);
  }

  next(granularity?: string): void {
    const inner = this.inner;
    if (inner) {
      if (granularity === 'instruction') {
        const j = inner.rec.nextPosition(inner.k, inner.rec.depthAt(inner.k));
        if (j !== undefined) return this.moveInside(j, 'step');
      }
      const s = inner.stops.find((x) => x.index > inner.k);
      if (s) return this.stopAtStop(s);
      return this.leaveStatement();
    }
    this.run('next', true);
  }

  stepIn(granularity?: string): void {
    const inner = this.inner;
    if (inner) {
      const j = inner.rec.nextPosition(inner.k);
      return j === undefined ? this.leaveStatement() : this.moveInside(j, 'step');
    }
    if (this.interp.done) return this.finish();
    const ex = this.execute('run', true, true);
    this.emitTrace(ex);
    const rec = ex.rec!;
    const stops = resolveHits(rec.events, ex.hits);
    let k = rec.firstKernelPosition();
    if (k === undefined && granularity === 'instruction' && rec.events.length > 0) k = 0;
    if (stops.length && (k === undefined || stops[0].index < k)) {
      this.inner = { rec, k: 0, stops };
      return this.stopAtStop(stops[0]);
    }
    if (k === undefined) return this.stop({ reason: 'step' });
    this.inner = { rec, k, stops };
    this.stop({ reason: 'step' });
  }

  stepOut(): void {
    const inner = this.inner;
    if (inner) {
      const n = inner.rec.depthAt(inner.k);
      let j = inner.k + 1;
      while (j < inner.rec.events.length && inner.rec.depthAt(j) >= n) j++;
      const s = inner.stops.find((x) => x.index > inner.k && x.index < j);
      if (s) return this.stopAtStop(s);
      if (j < inner.rec.events.length && inner.rec.depthAt(j) > 0) return this.moveInside(j, 'step');
      return this.leaveStatement();
    }
    this.run(this.interp.loops().length > 0 ? 'stepOut' : 'continue', true);
  }

  stepBack(granularity?: string): void {
    const inner = this.inner;
    if (inner) {
      const j = inner.rec.prevPosition(inner.k);
      if (j !== undefined) return this.moveInside(j, 'step');
      this.seekTo(inner.rec.pos);
      return this.stop({ reason: 'step' });
    }
    const pos = this.timeline.position;
    if (pos === 0) return this.stop({ reason: 'entry', description: 'At the beginning of the scenario' });
    this.atEnd = false;
    this.seekTo(pos - 1);
    if (granularity === 'instruction') {
      const ex = this.execute('present', true, true);
      const k = ex.rec!.lastKernelPosition();
      if (k !== undefined) {
        this.inner = { rec: ex.rec!, k, stops: [] };
        return this.stop({ reason: 'step' });
      }
      this.seekTo(pos - 1);
    }
    this.stop({ reason: 'step' });
  }

  /** Back to the most recent breakpoint or exception before here (hit counts are not applied backwards). */
  reverseContinue(): void {
    this.running = true;
    this.atEnd = false;
    const inner = this.inner;
    const pos = inner ? inner.rec.pos : this.timeline.position;
    if (inner) {
      const k = inner.k;
      this.seekTo(pos);
      const lineIds = this.lineStops(this.interp.current()!, false);
      const ex = this.execute('scan', this.o.breakpoints.hasData);
      if (ex.hits.length && this.present(pos, ex.hits, 'last', k)) return;
      if (lineIds.length) {
        this.seekTo(pos);
        return this.stop({ reason: 'breakpoint', bpIds: lineIds });
      }
    }
    const cps = this.timeline.checkpointPositions().filter((c) => c < pos);
    let i = cps.length - 1;
    const segment = (): void => {
      if (this.disposed || this.ended) return;
      if (this.pauseRequested) {
        this.pauseRequested = false;
        this.seekTo(cps[i + 1] ?? pos);
        return this.stop({ reason: 'pause' });
      }
      if (i < 0) {
        this.seekTo(0);
        return this.stop({ reason: 'entry', description: 'Reached the beginning of the scenario' });
      }
      const hit = this.scanRange(cps[i], Math.min(cps[i + 1] ?? pos, pos));
      if (hit) {
        if (hit.hits.length && this.present(hit.pos, hit.hits, 'last')) return;
        this.seekTo(hit.pos);
        return this.stop({ reason: 'breakpoint', bpIds: hit.lineIds });
      }
      i--;
      this.o.defer(segment);
    };
    segment();
  }

  /** The last stop in [from, to): a line breakpoint before a statement, or hits while it ran. */
  private scanRange(from: number, to: number): { pos: number; lineIds: number[]; hits: PendingHit[] } | undefined {
    this.inner = undefined;
    this.timeline.restoreCheckpoint(from);
    let last: { pos: number; lineIds: number[]; hits: PendingHit[] } | undefined;
    const interp = this.interp;
    const record = this.o.breakpoints.hasData;
    while (interp.stepCount < to && !interp.done) {
      const p = interp.stepCount;
      const stmt = interp.current()!;
      const lineIds = this.o.breakpoints.byStmt.has(stmt) ? this.lineStops(stmt, false) : [];
      if (lineIds.length) last = { pos: p, lineIds, hits: [] };
      const ex = this.execute('scan', record);
      if (ex.hits.length) last = { pos: p, lineIds: [], hits: ex.hits };
    }
    return last;
  }

  pause(): boolean {
    if (!this.running) return false;
    this.pauseRequested = true;
    return true;
  }

  /** Restarts a frame: a kernel frame from its entry, the scenario frame from its statement. */
  restartFrame(depth: number | 'scenario'): void {
    const inner = this.inner;
    if (inner && depth !== 'scenario') {
      const f = inner.rec.stackAt(inner.k)[depth];
      if (f) return this.moveInside(f.enterIndex, 'restart');
    }
    const pos = inner ? inner.rec.pos : this.timeline.position;
    this.seekTo(pos);
    this.stop({ reason: 'restart' });
  }

  /** Travels to statement position `pos` (REPL `goto`): back by replay, forward by running without stopping. */
  goto(pos: number): void {
    this.atEnd = false;
    const target = Math.max(0, pos);
    if (target <= this.timeline.furthest) this.seekTo(Math.min(target, this.timeline.furthest));
    else {
      this.seekTo(this.timeline.furthest);
      while (this.timeline.position < target && !this.interp.done) this.execute('present', false);
    }
    this.stop({ reason: 'goto', description: `Went to step ${this.timeline.position}` });
  }

  // ---- edits made while stopped (part of the history) -------------------------------------------

  /** Runs a statement typed in the console at the current position; step-back replays it. */
  runStatement(stmt: Stmt, text: string): { events: ScenarioEvent[]; error?: string } {
    if (this.inner) throw new Error('runStatement inside a statement');
    const exec = compileStatement(stmt, this.interp.slotMap());
    const events: ScenarioEvent[] = [];
    let first: ScenarioListener | null = (e) => events.push(e);
    let error: string | undefined;
    const edit: Edit = {
      description: text,
      apply: (interp) => {
        const err = exec({ state: interp.state, listener: first, stmt });
        if (first && err) error = err.message;
        first = null;
      },
    };
    this.interp.setListener(first, true);
    try {
      this.addEdit(edit);
    } finally {
      this.interp.setListener(null, false);
    }
    return { events, error };
  }

  /** Applies and records an edit at the current (statement-level) position. */
  addEdit(edit: Edit): void {
    if (this.inner) throw new Error('addEdit inside a statement');
    this.trapLog.truncate(this.timeline.position + 1);
    this.timeline.addEdit(edit);
    this.stopEpoch++;
  }

  private moveInside(k: number, reason: string): void {
    this.inner!.k = k;
    this.stop({ reason });
  }

  private leaveStatement(): void {
    this.inner = undefined;
    if (this.interp.done && !this.interp.error) return this.finish();
    this.stop({ reason: 'step' });
  }

  private run(kind: RunKind, skipFirst: boolean): void {
    this.running = true;
    this.pauseRequested = false;
    const interp = this.interp;
    const store = this.o.breakpoints;
    const loopDepth = kind === 'stepOut' ? interp.loops().length : 0;
    let first = skipFirst;
    let traced = 0;
    let quietNoted = false;
    const chunk = (): void => {
      if (this.disposed || this.ended) return;
      if (this.pauseRequested) {
        this.pauseRequested = false;
        return this.stop({ reason: 'pause' });
      }
      for (let n = 0; n < CHUNK; n++) {
        if (interp.done) return this.finish(); // a runtime error was presented when it happened
        const stmt = interp.current()!;
        if (!first && kind !== 'noDebug' && kind !== 'next' && store.byStmt.has(stmt)) {
          const ids = this.lineStops(stmt, true);
          if (ids.length) return this.stop({ reason: 'breakpoint', bpIds: ids });
        }
        first = false;
        const live = this.printer.mode !== 'quiet' && traced < LIVE_TRACE_LIMIT;
        const ex = this.execute('run', kind === 'next' || live || store.hasData);
        if (ex.events) traced++;
        if (live || kind === 'next') this.emitTrace(ex);
        else {
          if (!quietNoted && this.printer.mode !== 'quiet') {
            quietNoted = true;
            this.host.onOutput({ category: 'console', text: `… trace paused after ${LIVE_TRACE_LIMIT} statements of this run (failed expects and errors are still shown)\n` });
          }
          for (const l of this.printer.failures(ex.events ?? this.light)) this.host.onOutput(l);
        }
        if (ex.hits.length && kind !== 'noDebug') {
          if (this.present(ex.pos, ex.hits)) return;
        }
        if (kind === 'next') return this.interp.done && !this.interp.error ? this.finish() : this.stop({ reason: 'step' });
        if (kind === 'stepOut' && interp.loops().length < loopDepth) return this.stop({ reason: 'step' });
      }
      this.o.defer(chunk);
    };
    chunk();
  }
}
