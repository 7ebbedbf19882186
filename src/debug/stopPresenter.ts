// What is shown of the statements a run went through: their trace in the Debug Console (in full,
// or only failures), and a stop found while a statement ran, shown from inside it by re-running
// it recorded from its pre-state. Moves the timeline only to do so (StopLocation.seekTo); stopping
// is the runtime's.

import { MAX_RECORDED_KERNEL_EVENTS } from './kernelFrames';
import { resolveHits, type PendingHit, type ResolvedStop } from './stopConditions';
import type { Executed, StatementRunner } from './statementRunner';
import type { StopLocation } from './stopLocation';
import type { Timeline } from './timeline';
import type { OutputLine, TracePrinter } from './traceOutput';

/** Failed expects printed past the live trace before the rest are only counted. */
const MAX_FAILURES_SHOWN = 100;

export class StopPresenter {
  private failuresShown = 0;

  constructor(
    private readonly timeline: Timeline,
    private readonly at: StopLocation,
    private readonly runner: StatementRunner,
    readonly printer: TracePrinter,
    private readonly output: (line: OutputLine) => void,
  ) {}

  emit(lines: readonly OutputLine[]): void {
    for (const l of lines) this.output(l);
  }

  /** The trace of a statement run: in full, or only its failures (past the live-trace limit, or quiet). */
  traceOf(ex: Executed, full: boolean): OutputLine[] {
    const lines = full && ex.events && ex.loops ? this.printer.statement(ex.stmt, ex.loops, ex.events) : this.printer.failures(ex.events ?? ex.light);
    if (ex.dropped > 0) lines.push({ category: 'console', text: `… ${ex.dropped} more kernel events of this statement were not recorded (the first ${MAX_RECORDED_KERNEL_EVENTS} were): stepping into it ends there\n` });
    return lines;
  }

  /** Leaves the statement being shown, forward: its trace is printed now. */
  exitInner(): void {
    const inner = this.at.leave();
    if (inner) this.emit(inner.trace);
  }

  /**
   * Re-runs statement `pos` from its pre-state, recorded, and enters it at the first (or last
   * before `before`) of its stops, which it returns; undefined (and nothing entered) when the
   * hits resolve to none. The statement's trace waits until it is left forward.
   */
  present(pos: number, hits: PendingHit[], pick: 'first' | 'last', before: number, full: boolean): ResolvedStop | undefined {
    this.at.seekTo(pos);
    const loops = this.timeline.interp.loops();
    const ex = this.runner.execute('present', true, true);
    let stops = resolveHits(ex.events!, hits).filter((s) => s.index < before);
    // A hit among the kernel events past the recording's cap: shown at the end of what was kept.
    if (stops.length === 0 && ex.dropped > 0 && hits.length > 0 && before === Infinity) stops = [pastTheRecording(ex.events!.length - 1, hits)];
    if (stops.length === 0) return undefined;
    this.at.enter(ex.rec!, 0, stops, this.traceOf({ ...ex, loops }, full));
    return pick === 'first' ? stops[0] : stops[stops.length - 1];
  }

  /** Shows the failed expects (or the error) of statement `pos`, already run: recorded again to get their words. */
  showFailures(pos: number): void {
    if (this.failuresShown++ >= MAX_FAILURES_SHOWN) {
      if (this.failuresShown === MAX_FAILURES_SHOWN + 1) this.output({ category: 'stderr', text: `… more failed expects are not shown (the run goes on)\n` });
      return;
    }
    const after = this.timeline.position;
    this.at.seekTo(pos);
    const ex = this.runner.execute('present', true);
    this.emit(this.printer.failures(ex.events!));
    if (this.timeline.position !== after) this.at.seekTo(after);
  }
}

/** The stop for hits the recording could not place (they came past its cap). */
function pastTheRecording(index: number, hits: readonly PendingHit[]): ResolvedStop {
  const bp = hits.find((h): h is Extract<PendingHit, { kind: 'trap' }> => h.kind === 'trap' && h.reason === 'function breakpoint');
  if (bp?.bpId !== undefined) return { index, reason: 'function breakpoint', bpIds: [bp.bpId] };
  const description = `stopped where this statement's recording ends: the hit came among its kernel events past the first ${MAX_RECORDED_KERNEL_EVENTS}, which are not recorded`;
  return { index, reason: 'exception', bpIds: [], exception: { id: 'runtime-error', description } };
}
