// Keeps the history index (historyIndex.ts) up with the recorded run. It follows the timeline in
// an interpreter of its own with the HistoryRecorder as its tracer, statement by statement,
// applying the edits made while stopped at their positions, up to the furthest position the run
// reached. It works while the debugger is stopped and idle, in short slices, and catches up at
// once when a question needs it: the forward run itself stays on its untraced hot path (a tracer
// on the trap path doubles its cost, see docs/answers.md). An edit that changes the past drops the
// index from there and re-indexes from the checkpoint before it.

import type { Gpa } from '../core';
import { Interpreter, type InterpreterOptions } from '../dsl/interpreter';
import type { StatementLines } from './breakpoints';
import { HistoryIndex, orderOfStep } from './historyIndex';
import { HistoryRecorder, type RecordingAt } from './historyRecorder';
import type { Timeline } from './timeline';

/** A background slice's length (the time is checked every 256 statements). */
const SLICE_MS = 4;
/** The background indexer starts only after this long without a request or a stop. */
const QUIET_MS = 150;

export class HistoryIndexer {
  readonly index: HistoryIndex;
  private interp: Interpreter;
  private readonly at: RecordingAt = { step: 0, edit: false };
  private readonly recorder: HistoryRecorder;
  /** The edits at the indexer's current position were applied (and indexed). */
  private editsApplied = false;
  private scheduled = false;

  constructor(
    private readonly timeline: Timeline,
    private readonly options: InterpreterOptions,
    private readonly lines: StatementLines,
    budgetMiB?: number,
  ) {
    this.index = new HistoryIndex(budgetMiB);
    this.recorder = new HistoryRecorder(this.index, this.at, (vgpu, gpa, out) => {
      const v = this.interp.machine.vgpu(vgpu);
      const inside = v !== undefined && gpa + 8 <= v.memory.sizeBytes;
      out[0] = inside ? v.memory.readEntryLo(gpa as Gpa) : 0;
      out[1] = inside ? v.memory.readEntryHi(gpa as Gpa) : 0;
    });
    this.interp = this.fresh();
  }

  private fresh(): Interpreter {
    const i = new Interpreter(this.timeline.program, this.options);
    i.machine.tracer = this.recorder;
    this.editsApplied = false;
    return i;
  }

  /** Statements indexed so far (the indexer's position). */
  get frontier(): number {
    return this.interp.stepCount;
  }

  /** Everything the run reached is indexed. */
  get caughtUp(): boolean {
    // An interpreter that stopped (a runtime error) has indexed all there is.
    return (this.frontier >= this.timeline.furthest || this.interp.done) && this.editsApplied;
  }

  /** Indexes up to the furthest position, or until `deadline` (performance.now-like ms). */
  advance(deadline = Infinity, now: () => number = Date.now): void {
    const interp = this.interp;
    const target = this.timeline.furthest;
    let n = 0;
    if (!this.editsApplied) this.applyEdits();
    while (interp.stepCount < target && !interp.done) {
      const pos = interp.stepCount;
      const stmt = interp.current()!;
      this.at.step = pos;
      this.at.edit = false;
      this.index.setLine(pos, this.lines.lineOf.get(stmt) ?? -1);
      interp.step(); // the recorder is the machine's tracer: set by fresh() and after each restore
      this.recorder.reset();
      this.applyEdits();
      if ((++n & 255) === 0 && now() >= deadline) return;
    }
  }

  private applyEdits(): void {
    const interp = this.interp;
    const edits = this.timeline.editsAt(interp.stepCount);
    this.editsApplied = true;
    if (!edits) return;
    this.at.step = interp.stepCount;
    this.at.edit = true;
    for (const e of edits) {
      e.apply(interp);
      this.recorder.reset();
    }
  }

  /** An edit was made at `pos`: what was indexed from there on is another future now. */
  editedAt(pos: number): void {
    if (this.frontier < pos) return;
    const cp = this.timeline.checkpointBefore(pos);
    if (cp) {
      this.interp.restore(cp.snap);
      this.interp.machine.tracer = this.recorder;
      // The checkpoint holds the state after the edits at its own position.
      this.editsApplied = true;
      this.index.truncate(orderOfStep(cp.pos, false));
    } else {
      this.interp = this.fresh();
      this.index.truncate(0);
    }
  }

  /**
   * Indexes in the background until caught up: short slices, and only once the session has been
   * quiet for a while (`quietSince()`: when the last request or stop was), so stepping and
   * requests never wait behind it. `active()` is false while the run goes or after it ended.
   */
  schedule(active: () => boolean, quietSince: () => number): void {
    if (this.scheduled || this.caughtUp) return;
    this.scheduled = true;
    const tick = (): void => {
      this.scheduled = false;
      if (!active() || this.caughtUp) return;
      const quiet = Date.now() - quietSince();
      if (quiet >= QUIET_MS) this.advance(Date.now() + SLICE_MS);
      if (this.caughtUp) return;
      this.scheduled = true;
      setTimeout(tick, quiet >= QUIET_MS ? 0 : QUIET_MS - quiet);
    };
    setTimeout(tick, QUIET_MS);
  }
}
