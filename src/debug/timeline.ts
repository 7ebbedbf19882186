// The scenario's history as a timeline of statement positions (0 = before the first statement),
// and deterministic time travel over it: the real Interpreter, checkpoints (interpreter snapshots)
// every `interval` statements, and the edits made while stopped (REPL statements, writeMemory,
// setVariable), which are part of the history and re-applied whenever replay passes their
// position. Going to any position = restore the nearest checkpoint at or before it + replay
// silently. Knows nothing of DAP.

import type { KernelProfile, TrapObserver } from '../core';
import type { Program } from '../dsl/ast';
import { Interpreter, type InterpreterSnapshot } from '../dsl/interpreter';

/** A change made while stopped at a position; applied again by every replay through it. */
export interface Edit {
  readonly description: string;
  apply(interp: Interpreter): void;
}

interface Checkpoint {
  readonly pos: number;
  readonly snap: InterpreterSnapshot;
}

/** Statements between checkpoints at first; doubled each time the count is thinned. */
const FIRST_INTERVAL = 1024;
/** More than this many checkpoints: keep every other one. */
const MAX_CHECKPOINTS = 256;
/** A checkpoint is taken sooner when the statements since the last one took this long (ms). */
const SLOW_MS = 4;

export class Timeline {
  readonly interp: Interpreter;
  /** The observer the real run uses (breakpoints, trap log); off during silent replay. */
  observer: TrapObserver | null = null;
  private checkpoints: Checkpoint[] = [];
  private readonly edits = new Map<number, Edit[]>();
  private interval = FIRST_INTERVAL;
  private checkpointTime = 0;
  /** The furthest position ever reached (how far a replay can be trusted to go without surprises). */
  furthest = 0;

  constructor(readonly program: Program, readonly profile: KernelProfile | undefined) {
    this.interp = new Interpreter(program, { profile });
    this.checkpoint();
  }

  get position(): number {
    return this.interp.stepCount;
  }

  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  get checkpointInterval(): number {
    return this.interval;
  }

  /** Call after the real interpreter ran one statement: edits at the new position, then maybe a checkpoint. */
  afterStep(): void {
    const pos = this.position;
    if (this.edits.size > 0) {
      const edits = this.edits.get(pos);
      if (edits) for (const e of edits) e.apply(this.interp);
    }
    if (pos > this.furthest) this.furthest = pos;
    // Every `interval` statements, or sooner when statements are slow (a replay stays short).
    const since = pos - this.checkpoints[this.checkpoints.length - 1].pos;
    if (since >= this.interval || (since > 0 && (since & 63) === 0 && Date.now() - this.checkpointTime >= SLOW_MS)) this.checkpoint();
  }

  /** Restores the real interpreter to `pos` (≤ the end of the run): nearest checkpoint, then silent replay. */
  seek(pos: number): void {
    if (pos === this.position) return;
    const cp = this.checkpointAtOrBefore(pos);
    const cur = this.position;
    const interp = this.interp;
    interp.setListener(null, false);
    // Replaying forward from where we are is cheaper when the target is ahead and no checkpoint is closer.
    if (!(pos > cur && cp.pos <= cur)) interp.restore(cp.snap);
    interp.machine.trapObserver = null;
    while (interp.stepCount < pos && !interp.done) {
      interp.step();
      this.afterStepSilently();
    }
    interp.machine.trapObserver = this.observer;
  }

  /** Applies an edit now and records it at the current position; later checkpoints are stale. */
  addEdit(edit: Edit): void {
    const pos = this.position;
    edit.apply(this.interp);
    const list = this.edits.get(pos) ?? [];
    list.push(edit);
    this.edits.set(pos, list);
    this.checkpoints = this.checkpoints.filter((c) => c.pos < pos);
    this.checkpoint();
  }

  /** Every edit, in timeline order (the console's `history`). */
  allEdits(): Array<{ pos: number; edit: Edit }> {
    return [...this.edits.entries()].sort((a, b) => a[0] - b[0]).flatMap(([pos, list]) => list.map((edit) => ({ pos, edit })));
  }

  /** A snapshot of the current state (for stepping into the next statement). */
  snapshot(): InterpreterSnapshot {
    return this.interp.snapshot();
  }

  /** Re-installs the observer after something replaced the machine (restore). */
  reattach(): void {
    this.interp.machine.trapObserver = this.observer;
  }

  /**
   * Replays [from, to) into another interpreter (from must be a checkpoint position) with an
   * observer, applying edits: the real interpreter is not touched.
   */
  replayRange(into: Interpreter, from: number, to: number, observer: TrapObserver): void {
    into.restore(this.checkpointAtOrBefore(from).snap);
    into.setListener(null, false);
    into.machine.trapObserver = observer;
    while (into.stepCount < to && !into.done) {
      into.step();
      const edits = this.edits.get(into.stepCount);
      if (edits) for (const e of edits) e.apply(into);
    }
    into.machine.trapObserver = null;
  }

  /** Checkpoint positions (for reverse scans): segment starts, ascending. */
  checkpointPositions(): number[] {
    return this.checkpoints.map((c) => c.pos);
  }

  /** Restores exactly a checkpoint (reverse scans start segments here). */
  restoreCheckpoint(pos: number): void {
    const cp = this.checkpointAtOrBefore(pos);
    this.interp.setListener(null, false);
    this.interp.restore(cp.snap);
    this.reattach();
    if (cp.pos !== pos) this.seek(pos);
  }

  private afterStepSilently(): void {
    const edits = this.edits.get(this.position);
    if (edits) for (const e of edits) e.apply(this.interp);
  }

  private checkpointAtOrBefore(pos: number): Checkpoint {
    const cps = this.checkpoints;
    let lo = 0;
    let hi = cps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cps[mid].pos <= pos) lo = mid;
      else hi = mid - 1;
    }
    return cps[lo];
  }

  private checkpoint(): void {
    const pos = this.position;
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (last && last.pos === pos) return;
    this.checkpoints.push({ pos, snap: this.interp.snapshot() });
    this.checkpointTime = Date.now();
    if (this.checkpoints.length > MAX_CHECKPOINTS) {
      // Thin out: keep every other one (and the first), double the spacing of future ones.
      this.checkpoints = this.checkpoints.filter((_, i) => i % 2 === 0);
      this.interval *= 2;
    }
  }
}
