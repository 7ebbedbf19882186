// The debugger's runtime (vscode-mock-debug's mockRuntime, for a scenario): the timeline, the stop
// location (stopLocation.ts), stops (what a run's statements show is stopPresenter.ts), the end of
// the run, edits made while stopped, and the run-control commands. Statements run with breakpoint
// and exception detection; long runs go in chunks so requests keep being served; stepping inside a
// statement moves over the events of its recorded run; going back is restore-a-checkpoint-and-
// replay. Reports through RuntimeHost; knows no DAP.

import type { Stmt } from '../dsl/ast';
import { Interpreter, type LoopContext } from '../dsl/interpreter';
import type { ScenarioEvent } from '../dsl/scenarioEvents';
import { formatRunSummary } from '../dsl/traceFormat';
import { statementEdit } from './edits';
import type { TrapLogEntry } from './protocol';
import { resolveHits, type PendingHit, type ResolvedStop } from './stopConditions';
import { StatementRunner } from './statementRunner';
import { Timeline, type Edit } from './timeline';
import { HistoryIndexer } from './historyIndexer';
import { TracePrinter } from './traceOutput';
import { TRAP_LOG_SIZE, collectTraps } from './trapLog';
import { StopLocation, type Location } from './stopLocation';
import { StopPresenter } from './stopPresenter';
import type { RuntimeHost, RuntimeOptions, StopInfo } from './runtimeHost';


type RunKind = 'continue' | 'next' | 'stepOut' | 'noDebug';

/** Statements per chunk of a long run before yielding to the event loop. */
const CHUNK = 10_000;
/** ... and at most this long (ms): a chunk of heavy statements, or of breakpoint conditions, yields when its time is up. */
const CHUNK_MS = 50;
/** Statements whose trace is printed in full per resume; after that only failures. */
const LIVE_TRACE_LIMIT = 200;


export class DebugRuntime {
  readonly timeline: Timeline;
  readonly runner: StatementRunner;
  /** The history index of the recorded run (history, why), filled while stopped. */
  readonly history: HistoryIndexer;
  /** Where the run is shown: a statement position, or inside a statement's recorded run. */
  private readonly at: StopLocation;
  running = false;
  /** The run is over (end of scenario reported, or terminated). */
  ended = false;
  /** Stopped at the end with `stopAtEnd` (continuing from there ends the run). */
  private atEnd = false;
  private disposed = false;
  private pauseRequested = false;
  /** Bumped at every stop and edit: what the views computed before is stale. */
  stopEpoch = 0;
  lastStop: StopInfo | undefined;
  /** When the last request or stop was (the history indexer waits for quiet). */
  private lastActivity = 0;
  /** The Debug Console's trace of the run, and stops shown from inside a statement. */
  private readonly shown: StopPresenter;

  constructor(
    private readonly o: RuntimeOptions,
    private readonly host: RuntimeHost,
  ) {
    const config = { profile: o.profile, platform: o.platform, limits: o.limits };
    this.timeline = new Timeline(o.scenario.program, config, o.historyMiB);
    const note = (text: string): void => host.onOutput({ category: 'console', text: text + '\n' });
    this.timeline.onThinned = note;
    this.runner = new StatementRunner(this.timeline, o.breakpoints, o.index, (l) => host.onOutput(l));
    this.history = new HistoryIndexer(this.timeline, config, o.index, o.historyMiB === undefined ? undefined : o.historyMiB / 2);
    this.history.index.onThinned = note;
    this.timeline.onEdit = (pos) => this.history.editedAt(pos);
    this.at = new StopLocation(this.timeline, () => new Interpreter(o.scenario.program, config)); // the same machine, for scratch replays
    this.shown = new StopPresenter(this.timeline, this.at, this.runner, new TracePrinter(o.scenario, o.output), (l) => host.onOutput(l));
  }

  get printer(): TracePrinter {
    return this.shown.printer;
  }

  get interp(): Interpreter {
    return this.timeline.interp;
  }

  /** The interpreter whose state is shown: the real one, or a scratch replay inside a statement. */
  viewInterp(): Interpreter {
    return this.at.view(this.stopEpoch);
  }

  /** Where we are: the statement (undefined at the end), and the kernel frames inside it. */
  location(): Location {
    return this.at.where();
  }

  get inKernel(): boolean {
    return this.at.inner !== undefined;
  }

  /** The last `last` traps before the position shown (replayed from checkpoints into a scratch interpreter). */
  traps(last: number, vgpu?: string): TrapLogEntry[] {
    return collectTraps(this.timeline, this.at.scratchInterp(), this.o.index, this.location().pos, Math.min(last, TRAP_LOG_SIZE), vgpu);
  }

  /** Loops around the statement shown (the scratch interpreter has stepped into it, so it knows). */
  loops(): LoopContext[] {
    return this.at.loops(this.stopEpoch);
  }

  // ---- stops -------------------------------------------------------------------------------------

  /** A request came: background work (the history index) waits until things are quiet. */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Stops everything silently (disconnect, restart): no more events from this runtime. */
  dispose(): void {
    this.disposed = true;
    this.running = false;
  }

  /** A bug of ours surfaced while running: stop where we are, saying so (never exit). */
  internalError(e: unknown): void {
    if (this.disposed || this.ended) return;
    const message = `internal error of the debugger: ${e instanceof Error ? e.message : String(e)}`;
    this.at.leave();
    this.stop({ reason: 'exception', description: message, text: message, exception: { id: 'runtime-error', description: message } });
  }

  private stop(info: StopInfo): void {
    if (this.disposed || this.ended) return;
    this.running = false;
    this.timeline.idle();
    this.stopEpoch++;
    this.lastStop = info;
    this.host.onStop(info);
    this.touch();
    this.history.schedule(() => !this.running && !this.disposed && !this.ended, () => this.lastActivity);
  }

  private stopAtStop(s: ResolvedStop): void {
    this.atEnd = false;
    this.at.moveTo(s.index);
    const ex = s.exception;
    this.stop({ reason: s.reason, bpIds: s.bpIds, exception: ex, description: ex?.description, text: ex?.description });
  }

  /** A stop found while statement `pos` ran, shown from inside it (see StopPresenter.present); false if there is none. */
  private present(pos: number, hits: PendingHit[], pick: 'first' | 'last' = 'first', before = Infinity, full = true): boolean {
    const s = this.shown.present(pos, hits, pick, before, full);
    if (s) this.stopAtStop(s);
    return s !== undefined;
  }

  private finish(): void {
    this.host.onOutput({ category: 'console', text: `\n${formatRunSummary(this.interp, this.interp.error !== undefined)}\n` });
    if (this.o.stopAtEnd && !this.atEnd) {
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

  // ---- edits made while stopped (part of the history) -------------------------------------------

  /**
   * Runs a statement typed in the console at the current position; step-back replays it. A
   * statement that would pass a host-memory limit is refused with nothing changed: tried first on
   * a scratch copy, since the limit stops it mid-way through the kernel path, before the kernel's
   * own clean-up (a half-made mm, a table with no record), which the history must not keep.
   */
  runStatement(stmt: Stmt, text: string): { events: ScenarioEvent[]; error?: string; refused?: string } {
    const probe = statementEdit(this.interp.slotMap(), stmt, text);
    const scratch = this.at.scratchInterp();
    scratch.restore(this.interp.snapshot());
    probe.edit.apply(scratch);
    if (probe.limitReached()) return { events: [], refused: probe.error() };
    const e = statementEdit(this.interp.slotMap(), stmt, text);
    this.interp.setListener(e.listener, true);
    try {
      this.addEdit(e.edit);
    } finally {
      this.interp.setListener(null, false);
    }
    return { events: e.events, error: e.error() };
  }

  /** Applies and records an edit at the current (statement-level) position. */
  /** Whether a memory edit of n bytes may still be kept (Timeline.editFits). */
  editFits(n: number): boolean {
    return this.timeline.editFits(n);
  }

  addEdit(edit: Edit): void {
    if (this.at.inner) throw new Error('addEdit inside a statement');
    this.timeline.addEdit(edit);
    this.stopEpoch++;
  }

  private moveInside(k: number, reason: string): void {
    this.at.moveTo(k);
    this.stop({ reason });
  }

  private leaveStatement(): void {
    this.shown.exitInner();
    this.stepped();
  }

  /** A step ended: the run is over (without an error, which stops to be shown), or a step stop. */
  private stepped(): void {
    if (this.interp.done && !this.interp.error) return this.finish();
    this.stop({ reason: 'step' });
  }

  // ---- run control -------------------------------------------------------------------------------

  /** Starts: stop on entry, or run (to a breakpoint, or to the end). */
  start(stopOnEntry: boolean, noDebug: boolean): void {
    if (noDebug) this.run('noDebug', true);
    else if (stopOnEntry) this.stop({ reason: 'entry' });
    else this.run('continue', false);
  }

  continue(): void {
    if (this.at.inner) {
      const s = this.at.nextStop();
      if (s) return this.stopAtStop(s);
      this.shown.exitInner();
      return this.run('continue', false);
    }
    this.run('continue', true);
  }

  next(granularity?: string): void {
    const inner = this.at.inner;
    if (!inner) return this.run('next', true);
    if (granularity === 'instruction') {
      const j = inner.rec.nextPosition(inner.k, inner.rec.depthAt(inner.k));
      if (j !== undefined) return this.moveInside(j, 'step');
    }
    const s = this.at.nextStop();
    if (s) return this.stopAtStop(s);
    this.leaveStatement();
  }

  stepIn(): void {
    this.runner.newRun();
    const inner = this.at.inner;
    if (inner) {
      const j = inner.rec.nextPosition(inner.k);
      if (j !== undefined) return this.moveInside(j, 'step');
      // No position left inside: a stop still ahead in the statement (its error) comes first, as for next.
      const s = this.at.nextStop();
      return s ? this.stopAtStop(s) : this.leaveStatement();
    }
    if (this.interp.done) return this.finish();
    const ex = this.runner.execute('run', true, true);
    const rec = ex.rec!;
    const stops = resolveHits(rec.events, ex.hits);
    // No kernel call: nothing to step into (a position inside the statement would show no frame).
    const k = rec.firstKernelPosition();
    const trace = this.shown.traceOf(ex, true);
    if (stops.length && (k === undefined || stops[0].index < k)) {
      this.at.enter(rec, 0, stops, trace);
      return this.stopAtStop(stops[0]);
    }
    if (k === undefined) {
      this.shown.emit(trace);
      return this.stepped();
    }
    this.at.enter(rec, k, stops, trace);
    this.stop({ reason: 'step' });
  }

  stepOut(): void {
    const inner = this.at.inner;
    if (!inner) return this.run(this.interp.loops().length > 0 ? 'stepOut' : 'continue', true);
    const j = this.at.frameExit()!;
    // A stop on the exit event itself counts: a run stopped by a limit inside a kernel call leaves
    // the frame by its error event, which is where the exception stop is.
    const s = this.at.nextStop(j + 1);
    if (s) return this.stopAtStop(s);
    if (j < inner.rec.events.length && inner.rec.depthAt(j) > 0) return this.moveInside(j, 'step');
    this.leaveStatement();
  }

  stepBack(granularity?: string): void {
    const inner = this.at.inner;
    this.atEnd = false;
    if (inner) {
      const j = inner.rec.prevPosition(inner.k);
      if (j !== undefined) return this.moveInside(j, 'step');
      this.at.seekTo(inner.rec.pos);
      return this.stop({ reason: 'step' });
    }
    const pos = this.timeline.position;
    if (pos === 0) return this.stop({ reason: 'entry', description: 'At the beginning of the scenario' });
    this.at.seekTo(pos - 1);
    if (granularity === 'instruction') {
      const ex = this.runner.execute('present', true, true);
      const k = ex.rec!.lastKernelPosition();
      if (k !== undefined) {
        this.at.enter(ex.rec!, k, [], []);
        return this.stop({ reason: 'step' });
      }
      this.at.seekTo(pos - 1);
    }
    this.stop({ reason: 'step' });
  }

  /** Back to the most recent breakpoint or exception before here (hit counts are not applied backwards). */
  reverseContinue(): void {
    this.atEnd = false;
    const inner = this.at.inner;
    const pos = inner ? inner.rec.pos : this.timeline.position;
    if (inner) {
      // Stops earlier in the statement being shown, then a line breakpoint on the statement itself.
      const k = inner.k;
      this.at.seekTo(pos);
      const lineIds = this.runner.lineStops(this.interp.current()!, false);
      const ex = this.runner.execute('scan', this.o.breakpoints.hasData);
      if (ex.hits.length && this.present(pos, ex.hits, 'last', k)) return;
      if (lineIds.length) {
        this.at.seekTo(pos);
        return this.stop({ reason: 'breakpoint', bpIds: lineIds });
      }
    }
    const cps = this.timeline.checkpointPositions().filter((c) => c < pos);
    let i = cps.length - 1;
    const segment = (): boolean => {
      if (i < 0) {
        this.at.seekTo(0);
        this.stop({ reason: 'entry', description: 'Reached the beginning of the scenario' });
        return false;
      }
      this.at.leave();
      const hit = this.runner.lastStopIn(cps[i], Math.min(cps[i + 1] ?? pos, pos));
      if (hit) {
        if (hit.hits.length && this.present(hit.pos, hit.hits, 'last')) return false;
        this.at.seekTo(hit.pos);
        this.stop({ reason: 'breakpoint', bpIds: hit.lineIds });
        return false;
      }
      i--;
      return true;
    };
    this.chunked(segment, () => {
      this.at.seekTo(cps[i + 1] ?? pos);
      this.stop({ reason: 'pause' });
    });
  }

  /**
   * A long operation in chunks (a run, a far goto, a reverse scan): `chunk` runs now, then again on
   * later turns while it returns true (it stops the run itself otherwise); requests are served
   * between chunks, and `pause` ends it at the next one through `paused`.
   */
  private chunked(chunk: () => boolean | void, paused: () => void): void {
    if (this.disposed || this.ended) return;
    this.running = true;
    this.pauseRequested = false;
    const go = (): void => {
      if (this.disposed || this.ended) return;
      if (this.pauseRequested) {
        this.pauseRequested = false;
        return paused();
      }
      if (chunk() === true) this.o.defer(go);
    };
    go();
  }

  pause(): boolean {
    if (!this.running) return false;
    this.pauseRequested = true;
    return true;
  }

  /** Restarts a frame: a kernel frame from its entry, the scenario frame from its statement. */
  restartFrame(depth: number | 'scenario'): void {
    const inner = this.at.inner;
    if (inner && depth !== 'scenario') {
      const f = inner.rec.stackAt(inner.k)[depth];
      if (f) return this.moveInside(f.enterIndex, 'restart');
    }
    this.at.seekTo(inner ? inner.rec.pos : this.timeline.position);
    this.stop({ reason: 'restart' });
  }

  /**
   * Travels to statement position `pos` (console `goto`): back by replay, forward by running without
   * stopping, in chunks like any run (requests are served between them and `pause` stops it; a
   * goto 180 M steps ahead held the adapter for 42 s). `epoch`: the stop the console's goto was
   * typed at; it runs after its response, and does nothing (saying so) when a request pipelined
   * behind it has moved the run since: two runs at once would report stops while the state moves.
   */
  goto(pos: number, epoch = this.stopEpoch): void {
    if (this.ended || this.disposed) return; // a terminate pipelined behind it came first: nothing to travel
    if (this.running || epoch !== this.stopEpoch) {
      this.host.onOutput({ category: 'console', text: `goto ${pos} not done: the run moved on before it started\n` });
      return;
    }
    this.atEnd = false;
    const target = Math.max(0, pos);
    if (target <= this.timeline.furthest) {
      this.at.seekTo(target);
      return this.stop({ reason: 'goto', description: `Went to step ${this.timeline.position}` });
    }
    this.at.seekTo(this.timeline.furthest);
    this.host.onContinue();
    const start = this.interp.stepCount;
    const chunk = (): boolean => {
      for (let n = 0; n < CHUNK && this.timeline.position < target && !this.interp.done; n++) this.runner.execute('present', false);
      if (this.timeline.position < target && !this.interp.done) return true;
      // Arrived: as after any long run, the first step back is made as quick as the next ones.
      this.stopAfterRun({ reason: 'goto', description: `Went to step ${this.timeline.position}` }, start);
      return false;
    };
    this.chunked(chunk, () => this.stopAfterRun({ reason: 'pause' }, start));
  }

  /**
   * A stop where a run (from position `start`) reached, nothing replayed yet: when the run was
   * long against the replay from the last checkpoint (at most about an eighth of it), that replay
   * is done now, leaving fine snapshots, so the first step back is as quick as the next ones.
   */
  private stopAfterRun(info: StopInfo, start: number): void {
    const pos = this.timeline.position;
    if (pos - start >= 8 * this.timeline.replayDistance(pos - 1)) this.timeline.prepareStepBack();
    this.stop(info);
  }

  private run(kind: RunKind, skipFirst: boolean): void {
    this.runner.newRun();
    const interp = this.interp;
    const store = this.o.breakpoints;
    const loopDepth = kind === 'stepOut' ? interp.loops().length : 0;
    const lineStops = kind !== 'noDebug' && kind !== 'next';
    // Quiet, a step's trace would print only its failures, which the fast path shows too.
    const live = this.printer.mode !== 'quiet';
    let first = skipFirst;
    let traced = 0;
    const start = interp.stepCount;
    const chunk = (): boolean | void => {
      // Breakpoints change only between chunks (requests are served there).
      const byStmt = store.byStmt;
      const recordData = store.hasData;
      const deadline = Date.now() + CHUNK_MS;
      for (let n = 0; n < CHUNK; n++) {
        if (interp.done) return this.finish(); // a runtime error was presented when it happened
        if (lineStops && !first && byStmt.size > 0 && byStmt.has(interp.current()!)) {
          const ids = this.runner.lineStops(interp.current()!, true);
          if (ids.length) return this.stopAfterRun({ reason: 'breakpoint', bpIds: ids }, start);
        }
        first = false;
        const full = live && (kind === 'next' || traced < LIVE_TRACE_LIMIT);
        if (!full && !recordData) {
          // The hot path: nothing recorded or allocated unless something happened; the statements
          // after this one run in the same call until one reports, has a line breakpoint, or the
          // chunk ends (`next` and stepOut run one statement: stepOut looks at the loops after each).
          const found = this.runner.runFast(kind === 'stepOut' || kind === 'next' ? 1 : CHUNK - n, deadline);
          n += this.runner.ran - 1;
          if (found) {
            const pos = this.runner.lastPos;
            const hits = this.runner.lastHits;
            if (hits.length && kind !== 'noDebug' && this.present(pos, hits, 'first', Infinity, false)) return;
            if (this.runner.failedExpect || interp.error) this.shown.showFailures(pos);
          }
        } else {
          const ex = this.runner.execute('run', true);
          if (full && ++traced === LIVE_TRACE_LIMIT && kind !== 'next') {
            this.host.onOutput({ category: 'console', text: `… trace paused after ${LIVE_TRACE_LIMIT} statements of this run (failed expects and errors are still shown)\n` });
          }
          if (ex.hits.length && kind !== 'noDebug' && this.present(ex.pos, ex.hits, 'first', Infinity, full)) return;
          this.shown.emit(this.shown.traceOf(ex, full));
        }
        if (kind === 'next') return this.stepped();
        if (kind === 'stepOut' && interp.loops().length < loopDepth) return this.stop({ reason: 'step' });
        if (Date.now() > deadline) return true; // the chunk's time is up (a batch may have ended on it)
      }
      return true;
    };
    this.chunked(chunk, () => this.stopAfterRun({ reason: 'pause' }, start));
  }
}
