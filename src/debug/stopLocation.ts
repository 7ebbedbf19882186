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
export interface Inner {
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
  /** Set while a statement is shown from inside. */
  inner: Inner | undefined;
  private scratch: Interpreter | undefined;
  private scratchKey = '';

  constructor(
    private readonly timeline: Timeline,
    private readonly newInterpreter: () => Interpreter,
  ) {}

  /** The statement shown from inside (callers check `inner` first: a bug otherwise). */
  inside(): Inner {
    if (!this.inner) throw new Error('not inside a statement');
    return this.inner;
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
