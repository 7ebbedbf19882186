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
/** Characters of an exported trace (V8's longest string is about 2^29). */
const MAX_TRACE_CHARS = 256 * 1024 * 1024;

export function exportTrace(timeline: Timeline, s: LoadedScenario, to: number, maxLines: number, maxChars = MAX_TRACE_CHARS): ExportedTrace | string {
  const interp = new Interpreter(timeline.program, timeline.options);
  const out: string[] = [];
  let chars = 0;
  let edit: string | undefined;
  let tooLong = false;
  let tooBig = false;
  interp.setListener((e) => {
    if (e.kind === 'enter' || e.kind === 'leave') return;
    if (out.length >= maxLines) {
      tooLong = true;
      return;
    }
    const line = formatEventJson(s, e, edit);
    // The file is one string: past V8's longest it could not be made (long lines, few of them).
    if ((chars += line.length + 1) > maxChars) {
      tooBig = true;
      return;
    }
    out.push(line);
  }, true);
  const applyEdits = (): void => {
    for (const e of timeline.editsAt(interp.stepCount) ?? []) {
      edit = e.description;
      e.apply(interp);
    }
    edit = undefined;
  };
  applyEdits();
  while (interp.stepCount < to && !interp.done && !tooLong && !tooBig) {
    interp.step();
    applyEdits();
  }
  if (tooLong) return `the trace up to step ${to} is longer than ${maxLines} lines (limits.outputLines): save it from an earlier stop, or raise the limit`;
  if (tooBig) return `the trace up to step ${to} is longer than ${maxChars} characters, more than one file can be made of here: save it from an earlier stop`;
  return { text: out.length ? out.join('\n') + '\n' : '', lines: out.length, steps: interp.stepCount };
}
