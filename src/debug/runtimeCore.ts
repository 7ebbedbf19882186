// The state of the debugger's runtime: the timeline, the stop location (a statement position, or
// a position inside a statement: an event of its recorded run, with the kernel frames active
// there), stops and what is shown at them, the end of the run, and edits made while stopped.
// debugRuntime.ts adds the run-control commands. Reports through RuntimeHost; knows no DAP.

import type { KernelProfile, Platform } from '../core';
import type { RunLimits } from '../dsl/limits';
import type { Stmt } from '../dsl/ast';
import { Interpreter, type LoopContext } from '../dsl/interpreter';
import type { LoadedScenario } from '../dsl/scenario';
import type { ScenarioEvent } from '../dsl/scenarioEvents';
import { statementEdit } from './edits';
import type { BreakpointStore, StatementLines } from './breakpoints';
import type { RecordedStatement, KernelFrame } from './kernelFrames';
import type { TraceOutputMode, TrapLogEntry } from './protocol';
import { resolveHits, type ExceptionDetail, type PendingHit, type ResolvedStop } from './stopConditions';
import { StatementRunner, type Executed } from './statementRunner';
import { Timeline, type Edit } from './timeline';
import { TracePrinter, type OutputLine } from './traceOutput';
import { TRAP_LOG_SIZE, collectTraps } from './trapLog';

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
  platform?: Platform;
  limits?: RunLimits;
  /** The history's memory budget in MiB (checkpoints thinned past it). */
  historyMiB?: number;
  output: TraceOutputMode;
  stopAtEnd: boolean;
  /** Yields to the event loop between chunks of a long run (setImmediate in Node). */
  defer: (f: () => void) => void;
}

/** Inside a statement: its recording, the current event, the stops found in it, its trace (printed when it is left forward). */
export interface Inner {
  rec: RecordedStatement;
  k: number;
  stops: ResolvedStop[];
  trace: OutputLine[];
}

/** Failed expects printed past the live trace before the rest are only counted. */
const MAX_FAILURES_SHOWN = 100;

export class RuntimeCore {
  readonly timeline: Timeline;
  readonly printer: TracePrinter;
  readonly runner: StatementRunner;
  protected inner: Inner | undefined;
  protected scratch: Interpreter | undefined;
  protected scratchKey = '';
  running = false;
  /** The run is over (end of scenario reported, or terminated). */
  ended = false;
  /** Stopped at the end with `stopAtEnd` (continuing from there ends the run). */
  protected atEnd = false;
  protected disposed = false;
  protected pauseRequested = false;
  /** Bumped at every stop and edit: what the views computed before is stale. */
  stopEpoch = 0;
  lastStop: StopInfo | undefined;
  private failuresShown = 0;

  constructor(
    protected readonly o: RuntimeOptions,
    protected readonly host: RuntimeHost,
  ) {
    this.timeline = new Timeline(o.scenario.program, { profile: o.profile, platform: o.platform, limits: o.limits }, o.historyMiB);
    this.timeline.onThinned = (text) => host.onOutput({ category: 'console', text: text + '\n' });
    this.printer = new TracePrinter(o.scenario, o.output);
    this.runner = new StatementRunner(this.timeline, o.breakpoints, o.index, (l) => host.onOutput(l));
  }

  get interp(): Interpreter {
    return this.timeline.interp;
  }

  /** The interpreter whose state is shown: the real one, or a scratch replay inside a statement. */
  viewInterp(): Interpreter {
    const inner = this.inner;
    if (!inner) return this.timeline.interp;
    const key = `${this.stopEpoch}:${inner.rec.pos}:${inner.k}`;
    this.scratch ??= new Interpreter(this.o.scenario.program, { profile: this.o.profile, platform: this.o.platform, limits: this.o.limits });
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

  /** The last `last` traps before the position shown (replayed from checkpoints into a scratch interpreter). */
  traps(last: number, vgpu?: string): TrapLogEntry[] {
    this.scratchKey = '';
    this.scratch ??= new Interpreter(this.o.scenario.program, { profile: this.o.profile, platform: this.o.platform, limits: this.o.limits });
    return collectTraps(this.timeline, this.scratch, this.o.index, this.location().pos, Math.min(last, TRAP_LOG_SIZE), vgpu);
  }

  /** Loops around the statement shown (the scratch interpreter has stepped into it, so it knows). */
  loops(): LoopContext[] {
    if (!this.inner) return this.interp.loops();
    this.viewInterp();
    return this.scratch!.loops();
  }

  // ---- stops -------------------------------------------------------------------------------------

  /** Stops everything silently (disconnect, restart): no more events from this runtime. */
  dispose(): void {
    this.disposed = true;
    this.running = false;
  }

  /** A bug of ours surfaced while running: stop where we are, saying so (never exit). */
  internalError(e: unknown): void {
    if (this.disposed || this.ended) return;
    const message = `internal error of the debugger: ${e instanceof Error ? e.message : String(e)}`;
    this.inner = undefined;
    this.stop({ reason: 'exception', description: message, text: message, exception: { id: 'runtime-error', description: message } });
  }

  protected stop(info: StopInfo): void {
    if (this.disposed) return;
    this.running = false;
    this.stopEpoch++;
    this.lastStop = info;
    this.host.onStop(info);
  }

  protected stopAtStop(s: ResolvedStop): void {
    this.atEnd = false;
    this.inner!.k = s.index;
    const ex = s.exception;
    this.stop({ reason: s.reason, bpIds: s.bpIds, exception: ex, description: ex?.description, text: ex?.description });
  }

  /** The trace of a statement run: in full, or only its failures (past the live-trace limit, or quiet). */
  protected traceOf(ex: Executed, full: boolean): OutputLine[] {
    if (full && ex.events && ex.loops) return this.printer.statement(ex.stmt, ex.loops, ex.events);
    return this.printer.failures(ex.events ?? ex.light);
  }

  protected emit(lines: readonly OutputLine[]): void {
    for (const l of lines) this.host.onOutput(l);
  }

  /**
   * Re-runs statement `pos` from its pre-state, recorded, and stops at the first (or last before
   * `before`) of its stops. Its trace waits until the statement is left forward.
   */
  protected present(pos: number, hits: PendingHit[], pick: 'first' | 'last' = 'first', before = Infinity, full = true): boolean {
    this.seekTo(pos);
    const loops = this.interp.loops();
    const ex = this.runner.execute('present', true, true);
    const stops = resolveHits(ex.events!, hits).filter((s) => s.index < before);
    if (stops.length === 0) return false;
    this.inner = { rec: ex.rec!, k: 0, stops, trace: this.traceOf({ ...ex, loops }, full) };
    this.stopAtStop(pick === 'first' ? stops[0] : stops[stops.length - 1]);
    return true;
  }

  /** Goes to statement position `pos` (statement level); a statement being shown is dropped. */
  protected seekTo(pos: number): void {
    this.inner = undefined;
    this.timeline.seek(pos);
  }

  /** Leaves the statement being shown, forward: its trace is printed now. */
  protected exitInner(): void {
    const inner = this.inner;
    this.inner = undefined;
    if (inner) this.emit(inner.trace);
  }

  /** Shows the failed expects (or the error) of statement `pos`, already run: recorded again to get their words. */
  protected showFailures(pos: number): void {
    if (this.failuresShown++ >= MAX_FAILURES_SHOWN) {
      if (this.failuresShown === MAX_FAILURES_SHOWN + 1) this.host.onOutput({ category: 'stderr', text: `… more failed expects are not shown (the run goes on)\n` });
      return;
    }
    const after = this.timeline.position;
    this.seekTo(pos);
    const ex = this.runner.execute('present', true);
    this.emit(this.printer.failures(ex.events!));
    if (this.timeline.position !== after) this.seekTo(after);
  }

  protected finish(): void {
    const st = this.interp.state;
    const traps = [...this.interp.machine.vgpus.values()].map((v) => `${v.name} ${v.traps} trap${v.traps === 1 ? '' : 's'}`).join(', ');
    const verdict = this.interp.error ? 'stopped by an error' : st.expectsFailed > 0 ? `${st.expectsFailed} expect(s) failed` : 'all expects held';
    this.host.onOutput({ category: 'console', text: `\n${this.interp.stepCount} statements, ${st.expectsPassed} expects passed, ${st.expectsFailed} failed${traps ? `; ${traps}` : ''}: ${verdict}\n` });
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

  /** Runs a statement typed in the console at the current position; step-back replays it. */
  runStatement(stmt: Stmt, text: string): { events: ScenarioEvent[]; error?: string } {
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
  addEdit(edit: Edit): void {
    if (this.inner) throw new Error('addEdit inside a statement');
    this.timeline.addEdit(edit);
    this.stopEpoch++;
  }

  protected moveInside(k: number, reason: string): void {
    this.inner!.k = k;
    this.stop({ reason });
  }

  protected leaveStatement(): void {
    this.exitInner();
    if (this.interp.done && !this.interp.error) return this.finish();
    this.stop({ reason: 'step' });
  }
}
