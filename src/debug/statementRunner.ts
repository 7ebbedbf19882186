// Runs the timeline's current statement with stop detection: the trap observer (gfn breakpoints,
// the untracked-trap filter; off when neither is set), counters and a light listener (failed expects,
// handler errors, GPU faults, runtime errors), recorded events (data breakpoints, traces),
// logpoints and line-breakpoint conditions. Three modes: `run` (counts hits), `present` (re-runs a
// statement to show it; finds nothing new), `scan` (reverse search; hit counts not applied).

import type { TrapObserver } from '../core';
import type { Stmt } from '../dsl/ast';
import type { Interpreter, LoopContext } from '../dsl/interpreter';
import type { ScenarioEvent, ScenarioListener } from '../dsl/scenarioEvents';
import { gfnMatches, type BreakpointStore, type LineBreakpoint, type StatementLines } from './breakpoints';
import { evaluate, renderLogMessage } from './expressions';
import { RecordedStatement, recordStep } from './kernelFrames';
import { scopeLookup } from './names';
import { isStoreStatement } from '../dsl/statementSpec';
import { dataHits, type PendingHit } from './stopConditions';
import type { Timeline } from './timeline';
import type { OutputLine } from './traceOutput';

export type DetectMode = 'run' | 'present' | 'scan';

/** Logpoint messages one run sends at most. */
const LOGPOINT_LIMIT = 1000;
/** Characters of one logpoint message sent; the rest is counted. */
const LOGPOINT_MESSAGE_MAX = 65_536;

export interface Executed {
  /** Timeline position before the statement ran. */
  pos: number;
  stmt: Stmt;
  /** Loops around it (for the trace header), when recorded in `run` mode. */
  loops?: LoopContext[];
  hits: PendingHit[];
  /** Every event, when recorded. */
  events?: ScenarioEvent[];
  /** Failed expects, errors and GPU faults, when not recorded. */
  light: ScenarioEvent[];
  /** With a pre-statement snapshot: the statement as a RecordedStatement. */
  rec?: RecordedStatement;
  /** Kernel events not kept past the recording's cap (kernelFrames.ts). */
  dropped: number;
}

export class StatementRunner {
  private mode: DetectMode = 'run';
  private trapOrdinal = 0;
  private hits: PendingHit[] = [];
  private light: ScenarioEvent[] = [];
  private executing: Stmt | undefined;
  private observerVersion = -1;
  /** Set by runFast when an expect failed (unless shown at a stop, its message needs a recorded re-run). */
  failedExpect = false;

  constructor(
    private readonly timeline: Timeline,
    private readonly breakpoints: BreakpointStore,
    private readonly index: StatementLines,
    private readonly output: (o: OutputLine) => void,
  ) {
    this.ip = timeline.interp;
  }

  /** The observer costs a lookup per trap: installed only while a gfn breakpoint or untracked-trap needs it. */
  private syncObserver(): void {
    const v = this.breakpoints.version;
    if (v === this.observerVersion) return;
    this.observerVersion = v;
    this.untrackedTraps = this.breakpoints.filters.has('untracked-trap');
    const need = this.breakpoints.hasGfn || this.untrackedTraps;
    let lo = Infinity;
    let hi = -1;
    for (const bp of this.breakpoints.gfns) {
      if (!bp.verified) continue;
      lo = Math.min(lo, bp.from);
      hi = Math.max(hi, bp.to);
    }
    this.gfnLo = lo;
    this.gfnHi = hi;
    this.timeline.observer = need ? this.observer : null;
    this.timeline.reattach();
  }

  /** The timeline's interpreter (the same object for the timeline's life). */
  private readonly ip: Interpreter;

  private get interp(): Interpreter {
    return this.ip;
  }

  /** Union of the gfn breakpoints' ranges: most traps are rejected with two comparisons. */
  private gfnLo = 0;
  private gfnHi = -1;

  private readonly observer: TrapObserver = (v, at, bytes) => {
    const ordinal = ++this.trapOrdinal;
    const mode = this.mode;
    if (mode === 'present') return;
    const gfn = Math.floor(at / 4096);
    if (gfn >= this.gfnLo && gfn <= this.gfnHi) this.gfnTrap(v.name, gfn, at, bytes, ordinal, mode);
    if (this.untrackedTraps && v.trapRecordState(gfn) !== 'tracked') this.hits.push({ kind: 'trap', ordinal, reason: 'exception', filter: 'untracked-trap' });
  };

  /** The untracked-trap filter is on (set by syncObserver, read by the observer at every trap). */
  private untrackedTraps = false;

  private gfnTrap(vgpu: string, gfn: number, at: number, bytes: number, ordinal: number, mode: DetectMode): void {
    const gfns = this.breakpoints.gfns;
    for (let i = 0; i < gfns.length; i++) {
      const bp = gfns[i];
      if (!gfnMatches(bp, vgpu, gfn)) continue;
      if (bp.condition) {
        const pos = this.timeline.position - 1; // step() counts the statement before running it
        const r = evaluate(bp.condition, scopeLookup(this.interp, this.executing, { gfn, gpa: at, bytes }, pos));
        if (typeof r === 'string' || r === 0) continue;
      }
      if (mode === 'run') {
        bp.hits++;
        if (bp.hitTest && !bp.hitTest(bp.hits)) continue;
      }
      this.hits.push({ kind: 'trap', ordinal, reason: 'function breakpoint', bpId: bp.id });
    }
  }

  private readonly lightListener: ScenarioListener = (e) => {
    if ((e.kind === 'expect' && !e.ok) || e.kind === 'error' || (e.kind === 'gpu' && e.walk.outcome.kind === 'fault')) this.light.push(e);
  };

  /** Runs the current statement. `record` keeps every event; `pre` snapshots the state before it. */
  execute(mode: DetectMode, record: boolean, pre = false): Executed {
    const interp = this.interp;
    const store = this.breakpoints;
    const pos = interp.stepCount;
    const stmt = interp.current()!;
    const failedBefore = interp.state.expectsFailed;
    const hazardsBefore = interp.state.machine.hazards.total;
    this.mode = mode;
    this.trapOrdinal = 0;
    this.hits = [];
    this.light = [];
    this.executing = stmt;
    this.syncObserver();
    if (mode === 'run') this.logpoints(stmt);
    const loops = record && mode === 'run' ? interp.loops() : undefined;
    const snap = pre ? interp.snapshot() : undefined;
    let events: ScenarioEvent[] | undefined;
    let dropped = 0;
    if (record) {
      ({ events, dropped } = recordStep(interp));
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
      const st = interp.state;
      const seen = events ?? this.light;
      if (interp.error) hits.push({ kind: 'error' });
      if (f.has('expect-failed') && st.expectsFailed > failedBefore) hits.push({ kind: 'expect-failed' });
      if (f.has('handler-error') && isStoreStatement(stmt.kind) && st.lastStoreTrapped && st.ret !== 0) hits.push({ kind: 'handler-error' });
      if (f.has('gpu-fault') && stmt.kind === 'gpuRead' && seen.some((e) => e.kind === 'gpu' && e.walk.outcome.kind === 'fault')) hits.push({ kind: 'gpu-fault' });
      if (f.has('kernel-hazard') && interp.state.machine.hazards.total > hazardsBefore) hits.push({ kind: 'kernel-hazard' });
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
    if (snap) this.timeline.keepSnapshot(pos, snap);
    return { pos, stmt, loops, hits, events, light: this.light, rec, dropped };
  }

  /**
   * The hot path of a long run: the current statement with no recording and nothing allocated
   * unless something happened, then (up to `max` statements in all) the next ones, as long as
   * none has a line breakpoint (the caller checks the first statement's; this the rest) and the
   * run is not over, or `deadline` (Date.now()) has passed (the clock is read every few
   * statements: a run's chunks are bounded in time too, so requests and pause are served). True
   * when the last statement run has hits (in `lastHits`, at position `lastPos`) or a failed expect
   * to show; `ran` says how many statements ran.
   */
  runFast(max = 1, deadline = Infinity): boolean {
    const interp = this.ip;
    const store = this.breakpoints;
    const timeline = this.timeline;
    if (store.version !== this.observerVersion) this.syncObserver();
    const byStmt = store.byStmt;
    const filters = store.filters;
    const gpuFaults = filters.has('gpu-fault');
    const expectFailed = filters.has('expect-failed');
    const handlerError = filters.has('handler-error');
    const kernelHazard = filters.has('kernel-hazard');
    this.mode = 'run';
    if (this.hits.length) this.hits = [];
    this.failedExpect = false;
    if (byStmt.size === 0 && !gpuFaults && !handlerError && !kernelHazard) return this.runLean(max, expectFailed, deadline);
    // The state and machine are replaced only by a restore, never while statements run here.
    const st = interp.state;
    const hazards = st.machine.hazards;
    let n = 0;
    this.quiet = timeline.quietSteps();
    for (;;) {
      const failedBefore = st.expectsFailed;
      const hazardsBefore = hazards.total;
      const stmt = interp.current()!;
      const pos = interp.stepCount;
      this.trapOrdinal = 0;
      this.executing = stmt;
      if (n === 0 && byStmt.size > 0 && byStmt.has(stmt)) this.logpoints(stmt);
      const gpu = gpuFaults && stmt.kind === 'gpuRead';
      if (gpu) {
        this.light = [];
        interp.setListener(this.lightListener, false);
      }
      interp.step();
      if (gpu) interp.setListener(null, false);
      n++;
      this.afterStatement(failedBefore, expectFailed);
      if (st.ret !== 0 && handlerError && st.lastStoreTrapped && isStoreStatement(stmt.kind)) this.hits.push({ kind: 'handler-error' });
      if (gpu && this.light.some((e) => e.kind === 'gpu')) this.hits.push({ kind: 'gpu-fault' });
      if (kernelHazard && hazards.total > hazardsBefore) this.hits.push({ kind: 'kernel-hazard' });
      const found = this.hits.length > 0 || this.failedExpect;
      if (found || n >= max || interp.done || (byStmt.size > 0 && byStmt.has(interp.current()!)) || ((n & 15) === 0 && Date.now() > deadline)) {
        this.ran = n;
        this.lastPos = pos;
        timeline.reached(interp.stepCount);
        return found;
      }
    }
  }

  /** Statements a batch may run before the timeline's afterStep is due (Timeline.quietSteps). */
  private quiet = 0;

  /**
   * After a batch's statement: the timeline's bookkeeping when due; an error is a hit, and a
   * failed expect always ends the batch (a hit with its filter on).
   */
  private afterStatement(failedBefore: number, expectFailed: boolean): void {
    if (this.quiet > 0) this.quiet--;
    else {
      this.timeline.afterStep();
      this.quiet = this.timeline.quietSteps();
    }
    this.executing = undefined;
    if (this.ip.error) this.hits.push({ kind: 'error' });
    if (this.ip.state.expectsFailed > failedBefore) {
      this.failedExpect = true;
      if (expectFailed) this.hits.push({ kind: 'expect-failed' });
    }
  }

  /**
   * runFast's loop when nothing but an error, a failed expect or a trap hit (the observer's) can
   * end a batch early: no line breakpoint or logpoint, and no filter that compares state around a
   * statement (gpu-fault, handler-error, kernel-hazard). The common `continue` over a long loop;
   * about a twentieth of its time was the checks this loop leaves out. Ends as runFast does.
   */
  private runLean(max: number, expectFailed: boolean, deadline: number): boolean {
    const interp = this.ip;
    const timeline = this.timeline;
    const st = interp.state;
    this.quiet = timeline.quietSteps();
    let n = 0;
    for (;;) {
      const failedBefore = st.expectsFailed;
      const pos = interp.stepCount;
      this.trapOrdinal = 0;
      this.executing = interp.current();
      interp.step();
      n++;
      this.afterStatement(failedBefore, expectFailed);
      const found = this.hits.length > 0 || this.failedExpect;
      // Every 64 statements, the clock: a batch of heavy statements yields once its time is up.
      if (found || n >= max || interp.done || ((n & 63) === 0 && Date.now() > deadline)) {
        this.ran = n;
        this.lastPos = pos;
        timeline.reached(interp.stepCount);
        return found;
      }
    }
  }

  /**
   * The last stop in positions [from, to) (reverse continue looks back one checkpoint interval at a
   * time): a line breakpoint before a statement, or hits while it ran. Leaves the timeline at `to`.
   */
  lastStopIn(from: number, to: number): { pos: number; lineIds: number[]; hits: PendingHit[] } | undefined {
    this.timeline.restoreCheckpoint(from);
    let last: { pos: number; lineIds: number[]; hits: PendingHit[] } | undefined;
    const interp = this.ip;
    const store = this.breakpoints;
    while (interp.stepCount < to && !interp.done) {
      const p = interp.stepCount;
      const stmt = interp.current()!;
      const lineIds = store.byStmt.has(stmt) ? this.lineStops(stmt, false) : [];
      if (lineIds.length) last = { pos: p, lineIds, hits: [] };
      const ex = this.execute('scan', store.hasData);
      if (ex.hits.length) last = { pos: p, lineIds: [], hits: ex.hits };
    }
    return last;
  }

  /** Statements run by the last runFast. */
  ran = 0;
  /** Timeline position before the last statement runFast ran (where its hits are). */
  lastPos = 0;

  /** Hits found by the last runFast. */
  get lastHits(): PendingHit[] {
    return this.hits;
  }

  /** A run (continue, next, step in or out) starts: its logpoint messages are counted afresh. */
  newRun(): void {
    this.logged = 0;
  }

  /** Logpoint messages of this run so far (past LOGPOINT_LIMIT they are counted, not sent). */
  private logged = 0;

  private logpoints(stmt: Stmt): void {
    const bps = this.breakpoints.byStmt.get(stmt);
    if (!bps) return;
    for (const bp of bps) {
      if (!bp.log || !this.conditionHolds(bp, stmt)) continue;
      // A logpoint in a loop of millions would send millions of messages (the client and the
      // adapter's memory pay for each): as with the live trace, a run sends the first ones.
      if (++this.logged > LOGPOINT_LIMIT) {
        if (this.logged === LOGPOINT_LIMIT + 1) this.output({ category: 'console', text: `… logpoint output paused after ${LOGPOINT_LIMIT} messages of this run (it resumes with the next run)\n` });
        continue;
      }
      const text = renderLogMessage(bp.log, scopeLookup(this.interp, stmt));
      // A message is cut past 64 KiB (a template of 25,000 `{x}` made 75 KB of output per hit).
      const shown = text.length > LOGPOINT_MESSAGE_MAX ? `${text.slice(0, LOGPOINT_MESSAGE_MAX)}… (${text.length} characters)` : text;
      this.output({ category: 'console', text: shown + '\n', line: this.index.lineOf.get(stmt) });
    }
  }

  private conditionHolds(bp: LineBreakpoint, stmt: Stmt): boolean {
    if (!bp.condition) return true;
    const r = evaluate(bp.condition, scopeLookup(this.interp, stmt));
    if (typeof r === 'string') {
      if (!bp.warned) this.output({ category: 'console', text: `breakpoint condition at line ${bp.line + 1} cannot be evaluated here: ${r} (treated as false)\n`, line: bp.line });
      bp.warned = true;
      return false;
    }
    return r !== 0;
  }

  /** Ids of the line breakpoints that stop before `stmt` (conditions; hit counts only when counting). */
  lineStops(stmt: Stmt, count: boolean): number[] {
    const bps = this.breakpoints.byStmt.get(stmt);
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
}
