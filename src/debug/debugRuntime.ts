// The debugger's runtime (vscode-mock-debug's mockRuntime, for a scenario): the run-control
// commands over RuntimeCore. Statements run with breakpoint and exception detection; long runs go
// in chunks so requests keep being served; stepping inside a statement moves over the events of
// its recorded run; going back is restore-a-checkpoint-and-replay. Knows nothing of DAP.

import { resolveHits, type PendingHit } from './stopConditions';
import { RuntimeCore } from './runtimeCore';

export type { StopInfo } from './runtimeCore';

type RunKind = 'continue' | 'next' | 'stepOut' | 'noDebug';

/** Statements per chunk of a long run before yielding to the event loop. */
const CHUNK = 10_000;
/** Statements whose trace is printed in full per resume; after that only failures. */
const LIVE_TRACE_LIMIT = 200;

export class DebugRuntime extends RuntimeCore {
  // ---- run control -------------------------------------------------------------------------------

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
      this.exitInner();
      return this.run('continue', false);
    }
    this.run('continue', true);
  }

  next(granularity?: string): void {
    const inner = this.inner;
    if (!inner) return this.run('next', true);
    if (granularity === 'instruction') {
      const j = inner.rec.nextPosition(inner.k, inner.rec.depthAt(inner.k));
      if (j !== undefined) return this.moveInside(j, 'step');
    }
    const s = inner.stops.find((x) => x.index > inner.k);
    if (s) return this.stopAtStop(s);
    this.leaveStatement();
  }

  stepIn(granularity?: string): void {
    const inner = this.inner;
    if (inner) {
      const j = inner.rec.nextPosition(inner.k);
      return j === undefined ? this.leaveStatement() : this.moveInside(j, 'step');
    }
    if (this.interp.done) return this.finish();
    const ex = this.runner.execute('run', true, true);
    const rec = ex.rec!;
    const stops = resolveHits(rec.events, ex.hits);
    let k = rec.firstKernelPosition();
    if (k === undefined && granularity === 'instruction' && rec.events.length > 0) k = 0;
    const trace = this.traceOf(ex, true);
    if (stops.length && (k === undefined || stops[0].index < k)) {
      this.inner = { rec, k: 0, stops, trace };
      return this.stopAtStop(stops[0]);
    }
    if (k === undefined) {
      this.emit(trace);
      return this.interp.done && !this.interp.error ? this.finish() : this.stop({ reason: 'step' });
    }
    this.inner = { rec, k, stops, trace };
    this.stop({ reason: 'step' });
  }

  stepOut(): void {
    const inner = this.inner;
    if (!inner) return this.run(this.interp.loops().length > 0 ? 'stepOut' : 'continue', true);
    const n = inner.rec.depthAt(inner.k);
    let j = inner.k + 1;
    while (j < inner.rec.events.length && inner.rec.depthAt(j) >= n) j++;
    const s = inner.stops.find((x) => x.index > inner.k && x.index < j);
    if (s) return this.stopAtStop(s);
    if (j < inner.rec.events.length && inner.rec.depthAt(j) > 0) return this.moveInside(j, 'step');
    this.leaveStatement();
  }

  stepBack(granularity?: string): void {
    const inner = this.inner;
    this.atEnd = false;
    if (inner) {
      const j = inner.rec.prevPosition(inner.k);
      if (j !== undefined) return this.moveInside(j, 'step');
      this.seekTo(inner.rec.pos);
      return this.stop({ reason: 'step' });
    }
    const pos = this.timeline.position;
    if (pos === 0) return this.stop({ reason: 'entry', description: 'At the beginning of the scenario' });
    this.seekTo(pos - 1);
    if (granularity === 'instruction') {
      const ex = this.runner.execute('present', true, true);
      const k = ex.rec!.lastKernelPosition();
      if (k !== undefined) {
        this.inner = { rec: ex.rec!, k, stops: [], trace: [] };
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
      // Stops earlier in the statement being shown, then a line breakpoint on the statement itself.
      const k = inner.k;
      this.seekTo(pos);
      const lineIds = this.runner.lineStops(this.interp.current()!, false);
      const ex = this.runner.execute('scan', this.o.breakpoints.hasData);
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
    const store = this.o.breakpoints;
    while (interp.stepCount < to && !interp.done) {
      const p = interp.stepCount;
      const stmt = interp.current()!;
      const lineIds = store.byStmt.has(stmt) ? this.runner.lineStops(stmt, false) : [];
      if (lineIds.length) last = { pos: p, lineIds, hits: [] };
      const ex = this.runner.execute('scan', store.hasData);
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
    this.seekTo(inner ? inner.rec.pos : this.timeline.position);
    this.stop({ reason: 'restart' });
  }

  /** Travels to statement position `pos` (console `goto`): back by replay, forward by running without stopping. */
  goto(pos: number): void {
    this.atEnd = false;
    const target = Math.max(0, pos);
    if (target <= this.timeline.furthest) this.seekTo(target);
    else {
      this.seekTo(this.timeline.furthest);
      while (this.timeline.position < target && !this.interp.done) this.runner.execute('present', false);
    }
    this.stop({ reason: 'goto', description: `Went to step ${this.timeline.position}` });
  }

  private run(kind: RunKind, skipFirst: boolean): void {
    this.running = true;
    this.pauseRequested = false;
    const interp = this.interp;
    const store = this.o.breakpoints;
    const loopDepth = kind === 'stepOut' ? interp.loops().length : 0;
    const lineStops = kind !== 'noDebug' && kind !== 'next';
    const live = kind === 'next' || this.printer.mode !== 'quiet';
    let first = skipFirst;
    let traced = 0;
    const chunk = (): void => {
      if (this.disposed || this.ended) return;
      if (this.pauseRequested) {
        this.pauseRequested = false;
        return this.stop({ reason: 'pause' });
      }
      // Breakpoints change only between chunks (requests are served there).
      const byStmt = store.byStmt;
      const recordData = store.hasData;
      for (let n = 0; n < CHUNK; n++) {
        if (interp.done) return this.finish(); // a runtime error was presented when it happened
        if (lineStops && !first && byStmt.has(interp.current()!)) {
          const ids = this.runner.lineStops(interp.current()!, true);
          if (ids.length) return this.stop({ reason: 'breakpoint', bpIds: ids });
        }
        first = false;
        const full = live && (kind === 'next' || traced < LIVE_TRACE_LIMIT);
        if (!full && !recordData) {
          // The hot path: nothing recorded or allocated unless something happened.
          const pos = interp.stepCount;
          if (this.runner.runFast()) {
            const hits = this.runner.lastHits;
            if (hits.length && kind !== 'noDebug' && this.present(pos, hits, 'first', Infinity, false)) return;
            if (this.runner.failedExpect || interp.error) this.showFailures(pos);
          }
          if (kind === 'stepOut' && interp.loops().length < loopDepth) return this.stop({ reason: 'step' });
          continue;
        }
        const ex = this.runner.execute('run', true);
        if (full && ++traced === LIVE_TRACE_LIMIT && kind !== 'next') {
          this.host.onOutput({ category: 'console', text: `… trace paused after ${LIVE_TRACE_LIMIT} statements of this run (failed expects and errors are still shown)\n` });
        }
        if (ex.hits.length && kind !== 'noDebug' && this.present(ex.pos, ex.hits, 'first', Infinity, full)) return;
        this.emit(this.traceOf(ex, full));
        if (kind === 'next') return interp.done && !interp.error ? this.finish() : this.stop({ reason: 'step' });
        if (kind === 'stepOut' && interp.loops().length < loopDepth) return this.stop({ reason: 'step' });
      }
      this.o.defer(chunk);
    };
    chunk();
  }
}
