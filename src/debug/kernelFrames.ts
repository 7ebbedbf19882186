// One statement's run recorded event by event (kernel enter/leave, core notes, results), and what
// the debugger derives from it: each event is a position inside the statement; the kernel call
// stack at a position is the frames entered and not yet left; the live state at a position is
// re-created by re-running the statement from its pre-statement snapshot in a scratch interpreter
// that stops (a private abort) right after that event. Knows nothing of DAP.

import type { FrameArgs, KernelFn } from '../core';
import type { Stmt } from '../dsl/ast';
import { Interpreter, type InterpreterSnapshot } from '../dsl/interpreter';
import type { ScenarioEvent } from '../dsl/scenarioEvents';

export interface KernelFrame {
  readonly fn: KernelFn;
  readonly args: FrameArgs;
  /** Index of its `enter` event. */
  readonly enterIndex: number;
  /** 0 = outermost kernel frame. */
  readonly depth: number;
}

/** Thrown by the scratch listener to freeze the scratch state at an event; never escapes this file. */
class StopReplay {}

/** Depth of the kernel stack right after an event. */
function depthAfter(e: ScenarioEvent): number {
  switch (e.kind) {
    case 'enter':
      return e.depth + 1;
    case 'leave':
    case 'core':
      return e.depth;
    default:
      return 0;
  }
}

export class RecordedStatement {
  /** Stack depth after each event. */
  private readonly depths: number[];

  constructor(
    /** Timeline position before the statement ran. */
    readonly pos: number,
    readonly stmt: Stmt,
    /** The state before the statement ran. */
    readonly pre: InterpreterSnapshot,
    readonly events: readonly ScenarioEvent[],
  ) {
    this.depths = events.map(depthAfter);
  }

  get hasKernelCalls(): boolean {
    return this.events.some((e) => e.kind === 'enter');
  }

  depthAt(k: number): number {
    return this.depths[k] ?? 0;
  }

  /** A position where stepping may stop: inside at least one kernel frame. */
  isKernelPosition(k: number): boolean {
    return this.depthAt(k) > 0;
  }

  /** Kernel frames active right after event k, outermost first. */
  stackAt(k: number): KernelFrame[] {
    const n = this.depthAt(k);
    const frames: KernelFrame[] = new Array(n);
    let want = n - 1;
    for (let i = k; i >= 0 && want >= 0; i--) {
      const e = this.events[i];
      if (e.kind === 'enter' && e.depth === want) {
        frames[want] = { fn: e.fn, args: e.args, enterIndex: i, depth: want };
        want--;
      }
    }
    return frames;
  }

  firstKernelPosition(): number | undefined {
    return this.nextPosition(-1);
  }

  /** The next kernel position after k; with maxDepth, only positions at that depth or shallower. */
  nextPosition(k: number, maxDepth = Infinity): number | undefined {
    for (let i = k + 1; i < this.events.length; i++) {
      const d = this.depths[i];
      if (d > 0 && d <= maxDepth) return i;
    }
    return undefined;
  }

  prevPosition(k: number): number | undefined {
    for (let i = k - 1; i >= 0; i--) if (this.depths[i] > 0) return i;
    return undefined;
  }

  lastKernelPosition(): number | undefined {
    return this.prevPosition(this.events.length);
  }

  /** Where the frame entered at `enterIndex` is left (its `leave` event), or undefined. */
  leaveOf(enterIndex: number): number | undefined {
    const d = this.depths[enterIndex];
    for (let i = enterIndex + 1; i < this.events.length; i++) if (this.depths[i] < d) return i;
    return undefined;
  }

  /** The events a call produced itself (its notes, its callees' enters and leaves), in order, with their indexes. */
  callEvents(enterIndex: number): number[] {
    const d = this.depths[enterIndex];
    const end = this.leaveOf(enterIndex) ?? this.events.length - 1;
    const out: number[] = [];
    for (let i = enterIndex; i <= end; i++) {
      const e = this.events[i];
      const own = i === enterIndex || i === end || (e.kind === 'core' && e.depth === d) || (e.kind === 'enter' && e.depth === d) || (e.kind === 'leave' && e.depth === d);
      if (own) out.push(i);
    }
    return out;
  }

  /**
   * The live state right after event k: the pre-statement state re-run up to that event in
   * `scratch` (which is left frozen mid-statement; its state is thrown away at the next call).
   */
  replayTo(scratch: Interpreter, k: number): Interpreter {
    scratch.restore(this.pre);
    let n = 0;
    scratch.setListener(() => {
      if (n++ === k) throw new StopReplay();
    }, true);
    try {
      scratch.step();
    } catch (e) {
      if (!(e instanceof StopReplay)) throw e;
    } finally {
      scratch.setListener(null, false);
    }
    return scratch;
  }
}

/**
 * Kernel events (frames entered and left, core notes) kept of one statement: a `shadow` that
 * splits 32,768 2M entries makes tens of millions, and keeping them all ran the adapter out of
 * memory. Past the cap they are counted, not kept; a statement's own results (expects, errors,
 * GPU walks, prints) always are.
 */
export const MAX_RECORDED_KERNEL_EVENTS = 200_000;

/** Records the events of one statement run by the interpreter (`dropped`: kernel events past the cap). */
export function recordStep(interp: Interpreter): { stmt: Stmt | undefined; events: ScenarioEvent[]; dropped: number } {
  const events: ScenarioEvent[] = [];
  let kernel = 0;
  let dropped = 0;
  interp.setListener((e) => {
    if (e.kind === 'core' || e.kind === 'enter' || e.kind === 'leave') {
      if (kernel >= MAX_RECORDED_KERNEL_EVENTS) {
        dropped++;
        return;
      }
      kernel++;
    }
    events.push(e);
  }, true);
  try {
    const stmt = interp.step();
    return { stmt, events, dropped };
  } finally {
    interp.setListener(null, false);
  }
}
