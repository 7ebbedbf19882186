// The scenario's history as a timeline of statement positions (0 = before the first statement),
// and deterministic time travel over it: the real Interpreter, checkpoints (interpreter
// snapshots) a few ms of statements apart, and the edits made while stopped (REPL statements,
// writeMemory, setVariable), which are part of the history and re-applied whenever replay passes
// their position. Going to any position = restore the nearest checkpoint at or before it + replay
// silently. Knows nothing of DAP.

import type { TrapObserver } from '../core';
import type { Program } from '../dsl/ast';
import { Interpreter, type InterpreterOptions, type InterpreterSnapshot } from '../dsl/interpreter';

/** A change made while stopped at a position; applied again by every replay through it. */
export interface Edit {
  readonly description: string;
  apply(interp: Interpreter): void;
  /** What the edit is as scenario text, for Export Scenario at Stop (scenarioExport.ts). */
  readonly as?: EditAsScenario;
}

/** An edit in scenario terms: a statement typed in the console, a `let` value, `ret`, or raw bytes written. */
type EditAsScenario =
  /**
   * failed: the statement's runtime error when it was typed; changed: whether it did anything
   * before the error (a `map` that filled the pool after linking a table). A failed statement that
   * changed nothing is exported as a comment; one that changed something cannot be exported.
   */
  | { kind: 'statement'; text: string; failed?: string; changed?: boolean }
  | { kind: 'let'; name: string; value: bigint }
  | { kind: 'ret'; value: number }
  | { kind: 'memory'; vgpu: string; space: 'gpa' | 'spt'; at: number; bytes: Uint8Array };

interface Checkpoint {
  readonly pos: number;
  readonly snap: InterpreterSnapshot;
  /** Estimated bytes this checkpoint keeps alive (its copied host tables, guest pages copied since the last one). */
  readonly bytes: number;
}

/** The history's default memory budget (the launch configuration's `limits.historyMiB`). */
export const DEFAULT_HISTORY_MIB = 256;
const PAGE_BYTES = 4096;
/** Per vGPU and per guest page a snapshot holds in maps (an estimate, not a measurement). */
const VGPU_BYTES = 64 * 1024;
const PAGE_ENTRY_BYTES = 64;

/**
 * Checkpoints are spaced by time, not by count: one when the statements since the last one took
 * `spacingMs` (checked every 64 statements), so a replay to any position costs at most about
 * that much whatever the statements are. More than MAX_CHECKPOINTS: every other one is dropped
 * and the spacing doubles (a long run keeps uniform, coarser checkpoints, bounded in memory).
 */
const FIRST_SPACING_MS = 5;
const MAX_CHECKPOINTS = 1024;
/**
 * A replay to a position (seek) also keeps a snapshot about every FINE_SPACING_MS of it, so the
 * next step back, and the ones after, restore one of those and replay little: at most
 * MAX_FINE of them, holding at most a sixteenth of the history's budget.
 */
const FINE_SPACING_MS = 1;
const NEAR = 64;
const MAX_FINE = 64;
/** However fast the statements, no more than this many between checkpoints. */
const MAX_INTERVAL = 1 << 16;

export class Timeline {
  readonly interp: Interpreter;
  /** The observer the real run uses (breakpoints, trap log); off during silent replay. */
  observer: TrapObserver | null = null;
  private checkpoints: Checkpoint[] = [];
  /** Snapshots left by the last replays (ascending positions), finer than the checkpoints. */
  private fine: Array<{ readonly pos: number; readonly snap: InterpreterSnapshot }> = [];
  private readonly edits = new Map<number, Edit[]>();
  private spacingMs = FIRST_SPACING_MS;
  /**
   * Statement time since the last checkpoint: the clock runs only while statements run. A stop's
   * idle time is not statement time; counting it (wall clock) made an interactive `next` take a
   * checkpoint every 64 statements, for replays that would cost microseconds.
   */
  private activeMs = 0;
  private activeFrom = 0;
  private idling = false;
  /** The furthest position ever reached (how far a replay can be trusted to go without surprises). */
  furthest = 0;
  /** Estimated bytes the checkpoints keep alive; thinned to stay under `budgetBytes`. */
  private historyBytes = 0;
  private copiedAtLastCheckpoint = 0;
  readonly budgetBytes: number;
  /** Told once when the budget first thins the history (the Debug Console says so). */
  onThinned: ((text: string) => void) | null = null;
  private thinnedForBudget = false;

  /** `spacingMs`: time between checkpoints at first (0: every 64 statements, for deterministic tests). */
  constructor(readonly program: Program, readonly options: InterpreterOptions = {}, historyMiB = DEFAULT_HISTORY_MIB, spacingMs = FIRST_SPACING_MS) {
    this.interp = new Interpreter(program, options);
    this.spacingMs = spacingMs;
    this.budgetBytes = historyMiB * 1024 * 1024;
    this.checkpoint();
  }

  /** Estimated memory the history holds (checkpoints), in bytes. */
  get estimatedBytes(): number {
    return this.historyBytes;
  }

  get position(): number {
    return this.interp.stepCount;
  }

  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** Current time between checkpoints (ms of statements). */
  get checkpointSpacing(): number {
    return this.spacingMs;
  }

  /** Call after the real interpreter ran one statement: edits at the new position, then maybe a checkpoint. */
  afterStep(): void {
    const pos = this.interp.stepCount;
    if (this.edits.size > 0) {
      const edits = this.edits.get(pos);
      if (edits) for (const e of edits) e.apply(this.interp);
    }
    if (pos > this.furthest) this.furthest = pos;
    if (this.idling) {
      // The first statement after a stop: the clock starts again (that statement's own time is lost).
      this.idling = false;
      this.activeFrom = Date.now();
    }
    // Every 64 statements past the last checkpoint: is it time for the next one?
    if (pos >= this.nextCheck) {
      const since = pos - this.checkpoints[this.checkpoints.length - 1].pos;
      if ((since & 63) === 0 && since > 0 && (since >= MAX_INTERVAL || this.activeMs + Date.now() - this.activeFrom >= this.spacingMs)) this.checkpoint();
      else this.nextCheck = pos + (64 - (since & 63));
    }
  }

  /**
   * Statements that can run from here before afterStep has more to do than move `furthest` (no
   * look at the clock due, the clock not paused, and no console edit recorded anywhere: after one,
   * every statement goes through afterStep): a hot loop calls afterStep only after that many, and
   * `reached` when it stops.
   */
  quietSteps(): number {
    if (this.edits.size > 0 || this.idling) return 0;
    return Math.max(0, this.nextCheck - this.interp.stepCount - 1);
  }

  /** A hot loop that skipped afterStep got here. */
  reached(pos: number): void {
    if (pos > this.furthest) this.furthest = pos;
  }

  /** The run stopped: the statement clock pauses until the next statement runs. */
  idle(): void {
    if (this.idling) return;
    this.activeMs += Date.now() - this.activeFrom;
    this.idling = true;
  }

  /** The position afterStep next looks at the clock (a multiple of 64 past the last checkpoint). */
  private nextCheck = 0;

  /** Restores the real interpreter to `pos` (≤ the end of the run): nearest checkpoint, then silent replay. */
  seek(pos: number): void {
    if (pos === this.position) return;
    const cp = this.checkpointAtOrBefore(pos);
    const fine = this.fineAtOrBefore(pos);
    const from = fine && fine.pos > cp.pos ? fine : cp;
    const cur = this.position;
    const interp = this.interp;
    interp.setListener(null, false);
    // Replaying forward from where we are is cheaper when the target is ahead and no snapshot is closer.
    if (!(pos > cur && from.pos <= cur)) {
      interp.restore(from.snap);
      // The fine snapshots past the one restored belong to an older replay: this one takes its own.
      if (from !== fine) this.fine = [];
      else while (this.fine.length && this.fine[this.fine.length - 1].pos > from.pos) this.fine.pop();
    } else {
      while (this.fine.length && this.fine[this.fine.length - 1].pos > cur) this.fine.pop();
    }
    interp.machine.trapObserver = null;
    const fineOk = this.fineFits();
    let last = Date.now();
    let since = 0;
    // Also one snapshot NEAR statements before the target: the steps back that usually follow
    // replay at most that many (whatever just slowed the code down: a restore, a recorded run).
    const near = pos - NEAR;
    while (interp.stepCount < pos && !interp.done) {
      interp.step();
      this.afterStepSilently();
      const at = interp.stepCount;
      if (fineOk && (at === near || ((++since & 63) === 0 && at < pos && Date.now() - last >= FINE_SPACING_MS))) {
        if (this.fine.length >= MAX_FINE) this.fine.shift();
        this.fine.push({ pos: at, snap: interp.snapshot() });
        last = Date.now();
      }
    }
    interp.machine.trapObserver = this.observer;
  }

  /** Statements a seek to pos replays (from the nearest checkpoint or fine snapshot at or before it). */
  replayDistance(pos: number): number {
    const near = this.fineAtOrBefore(pos);
    return pos - Math.max(this.checkpointAtOrBefore(pos).pos, near?.pos ?? 0);
  }

  /**
   * Replays the statements before the current position from their checkpoint (the state stays
   * the same: replay is exact), leaving fine snapshots behind: a step back from here then
   * restores one of them instead of replaying the whole segment.
   */
  prepareStepBack(): void {
    const pos = this.position;
    if (pos === 0) return;
    this.seek(pos - 1);
    this.seek(pos);
  }

  /**
   * Keeps a snapshot taken elsewhere at `pos` (a statement's pre-state, recorded to step into it)
   * as a fine one: stepping back out of that statement then restores it, replaying nothing.
   */
  keepSnapshot(pos: number, snap: InterpreterSnapshot): void {
    if (pos > this.furthest || !this.fineFits()) return;
    const f = this.fine;
    let i = f.length;
    while (i > 0 && f[i - 1].pos >= pos) i--;
    if (i < f.length && f[i].pos === pos) f[i] = { pos, snap };
    else f.splice(i, 0, { pos, snap });
    if (f.length > MAX_FINE) f.shift();
  }

  /** Fine snapshots of this machine's size, MAX_FINE of them, stay within a sixteenth of the history budget. */
  private fineFits(): boolean {
    return this.fineSnapshotBytes() * MAX_FINE <= this.budgetBytes / 16;
  }

  /** The latest fine snapshot at or before pos. */
  private fineAtOrBefore(pos: number): { readonly pos: number; readonly snap: InterpreterSnapshot } | undefined {
    const f = this.fine;
    for (let i = f.length - 1; i >= 0; i--) if (f[i].pos <= pos) return f[i];
    return undefined;
  }

  /** Estimated bytes of one snapshot now (its copied host tables and per-vGPU maps). */
  private fineSnapshotBytes(): number {
    const m = this.interp.machine;
    return m.host.tableCount * PAGE_BYTES + m.vgpus.size * VGPU_BYTES;
  }

  /** Applies an edit now and records it at the current position; later checkpoints are stale. */
  /**
   * Bytes the edits made while stopped hold (each memory write keeps its bytes for every replay):
   * at most a quarter of the history's budget (2,000 writes of 1 MiB grew the adapter to 2.4 GB).
   */
  private editBytes = 0;

  /** Whether an edit holding `n` more bytes fits. */
  editFits(n: number): boolean {
    return this.editBytes + n <= this.budgetBytes / 4;
  }

  addEdit(edit: Edit): void {
    const pos = this.position;
    if (edit.as?.kind === 'memory') this.editBytes += edit.as.bytes.length;
    edit.apply(this.interp);
    const list = this.edits.get(pos) ?? [];
    list.push(edit);
    this.edits.set(pos, list);
    this.checkpoints = this.checkpoints.filter((c) => c.pos < pos);
    this.fine = this.fine.filter((c) => c.pos < pos);
    this.checkpoint();
    this.onEdit?.(pos);
  }

  /** Told after an edit was recorded at a position (the history index re-indexes from there). */
  onEdit: ((pos: number) => void) | null = null;

  /** The edits recorded at a position (applied when a replay reaches it). */
  editsAt(pos: number): readonly Edit[] | undefined {
    return this.edits.get(pos);
  }

  /** The newest checkpoint strictly before `pos`, if any. */
  checkpointBefore(pos: number): { pos: number; snap: InterpreterSnapshot } | undefined {
    const cp = pos > 0 ? this.checkpointAtOrBefore(pos - 1) : undefined;
    return cp && cp.pos < pos ? cp : undefined;
  }

  /** Every edit, in timeline order (the console's `edits`). */
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
    const m = this.interp.machine;
    const copied = m.guestPagesCopied + m.guestPagesWritten;
    const bytes = m.host.tableCount * PAGE_BYTES + (copied - this.copiedAtLastCheckpoint) * PAGE_BYTES + m.vgpus.size * VGPU_BYTES + m.guestPagesWritten * PAGE_ENTRY_BYTES;
    this.copiedAtLastCheckpoint = copied;
    this.checkpoints.push({ pos, snap: this.interp.snapshot(), bytes });
    this.nextCheck = 0;
    this.historyBytes += bytes;
    this.activeMs = 0;
    this.activeFrom = Date.now();
    if (this.checkpoints.length > MAX_CHECKPOINTS) this.thin();
    while (this.historyBytes > this.budgetBytes && this.checkpoints.length > 2) {
      if (!this.thinnedForBudget) {
        this.thinnedForBudget = true;
        this.onThinned?.(`history: the checkpoints of this run would hold more than ${Math.round(this.budgetBytes / 1048576)} MiB (limits.historyMiB); older ones are thinned, so stepping back far replays longer`);
      }
      this.thin();
    }
  }

  /** Keep every other checkpoint (the first and the newest always), double the spacing of future ones. */
  private thin(): void {
    const cps = this.checkpoints;
    this.checkpoints = cps.filter((_, i) => i % 2 === 0 || i === cps.length - 1);
    this.historyBytes = this.checkpoints.reduce((n, c) => n + c.bytes, 0);
    this.spacingMs *= 2;
  }
}
