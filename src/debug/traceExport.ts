// gvt/exportTrace: the recorded run as JSON lines in the CLI's format (`gvt-scenario run --json`,
// docs/compare.md), made by replaying the timeline from its start in a scratch interpreter with a
// listener, up to a position. Changes made while stopped are part of the run: their events come at
// their positions with `statement: "console"` and `edit` (the change, in words). Bounded by the
// run's outputLines limit: a longer trace is an error that says so, never a truncated file.

import { Interpreter } from '../dsl/interpreter';
import type { LoadedScenario } from '../dsl/scenario';
import { formatEventJson } from '../dsl/traceFormat';
import type { Timeline } from './timeline';

export interface ExportedTrace {
  text: string;
  lines: number;
  steps: number;
}

/** The trace of positions [0, to) (edits at `to` included), or a message when it is longer than `maxLines`. */
export function exportTrace(timeline: Timeline, s: LoadedScenario, to: number, maxLines: number): ExportedTrace | string {
  const interp = new Interpreter(timeline.program, timeline.options);
  const out: string[] = [];
  let edit: string | undefined;
  let tooLong = false;
  interp.setListener((e) => {
    if (e.kind === 'enter' || e.kind === 'leave') return;
    if (out.length >= maxLines) {
      tooLong = true;
      return;
    }
    out.push(formatEventJson(s, e, edit));
  }, true);
  const applyEdits = (): void => {
    for (const e of timeline.editsAt(interp.stepCount) ?? []) {
      edit = e.description;
      e.apply(interp);
    }
    edit = undefined;
  };
  applyEdits();
  while (interp.stepCount < to && !interp.done && !tooLong) {
    interp.step();
    applyEdits();
  }
  if (tooLong) return `the trace up to step ${to} is longer than ${maxLines} lines (limits.outputLines): save it from an earlier stop, or raise the limit`;
  return { text: out.length ? out.join('\n') + '\n' : '', lines: out.length, steps: interp.stepCount };
}
