// Where a stopped run is shown: a statement position of the timeline, or a position inside one
// statement, an event of its recorded run with the kernel frames active there. Inside, the state
// shown is a scratch interpreter replayed to that event (cached per stop and event). Knows no DAP.

import type { Stmt } from '../dsl/ast';
import type { Interpreter, LoopContext } from '../dsl/interpreter';
import type { KernelFrame, RecordedStatement } from './kernelFrames';
import type { ResolvedStop } from './stopConditions';
import type { Timeline } from './timeline';
import type { OutputLine } from './traceOutput';

/** Inside a statement: its recording, the current event, the stops found in it, its trace (printed when it is left forward). */
interface Inner {
  rec: RecordedStatement;
  k: number;
  stops: ResolvedStop[];
  trace: OutputLine[];
}

export interface Location {
  pos: number;
  stmt: Stmt | undefined;
  frames: KernelFrame[];
  rec?: RecordedStatement;
  k?: number;
}

export class StopLocation {
  /** Set while a statement is shown from inside (enter, leave and moveTo change it). */
  private current: Inner | undefined;
  private scratch: Interpreter | undefined;
  private scratchKey = '';

  constructor(
    private readonly timeline: Timeline,
    private readonly newInterpreter: () => Interpreter,
  ) {}

  /** The statement shown from inside, if one is. */
  get inner(): Readonly<Inner> | undefined {
    return this.current;
  }

  /** Shows statement `rec` from inside, at event k. */
  enter(rec: RecordedStatement, k: number, stops: ResolvedStop[], trace: OutputLine[]): void {
    this.current = { rec, k, stops, trace };
  }

  /** Back to statement level; what was shown inside, if anything (its trace is still to print). */
  leave(): Readonly<Inner> | undefined {
    const inner = this.current;
    this.current = undefined;
    return inner;
  }

  /** Goes to statement position `pos` (statement level); a statement being shown is dropped. */
  seekTo(pos: number): void {
    this.leave();
    this.timeline.seek(pos);
  }

  /** To event k of the statement shown (callers check `inner` first: a bug otherwise). */
  moveTo(k: number): void {
    if (!this.current) throw new Error('not inside a statement');
    this.current.k = k;
  }

  /** The first stop found in the statement after the event shown (before event `before`). */
  nextStop(before = Infinity): ResolvedStop | undefined {
    const inner = this.current;
    return inner?.stops.find((x) => x.index > inner.k && x.index < before);
  }

  /** Where step out of the kernel frame shown goes: the first event that leaves it (its depth or less). */
  frameExit(): number | undefined {
    const inner = this.current;
    if (!inner) return undefined;
    const n = inner.rec.depthAt(inner.k);
    let j = inner.k + 1;
    while (j < inner.rec.events.length && inner.rec.depthAt(j) >= n) j++;
    return j;
  }

  /** A scratch interpreter for replays that must not touch the real one. */
  scratchInterp(): Interpreter {
    this.scratchKey = '';
    return (this.scratch ??= this.newInterpreter());
  }

  /** The interpreter whose state is shown: the real one, or the scratch one replayed to the event shown. */
  view(epoch: number): Interpreter {
    const inner = this.inner;
    if (!inner) return this.timeline.interp;
    const key = `${epoch}:${inner.rec.pos}:${inner.k}`;
    const scratch = (this.scratch ??= this.newInterpreter());
    if (this.scratchKey !== key) {
      inner.rec.replayTo(scratch, inner.k);
      this.scratchKey = key;
    }
    return scratch;
  }

  where(): Location {
    const inner = this.inner;
    if (inner) return { pos: inner.rec.pos, stmt: inner.rec.stmt, frames: inner.rec.stackAt(inner.k), rec: inner.rec, k: inner.k };
    return { pos: this.timeline.position, stmt: this.timeline.interp.current(), frames: [] };
  }

  /** Loops around the statement shown. */
  loops(epoch: number): LoopContext[] {
    return this.inner ? this.view(epoch).loops() : this.timeline.interp.loops();
  }
}
