// Prints a scenario run as the CLI's trace: a header per statement (FILE:LINE and its source),
// then one line per event, indented by kernel call depth; or JSON lines; or, quiet, only failures.

import type { Stmt } from '../dsl/ast';
import type { Interpreter } from '../dsl/interpreter';
import { locationOf, type LoadedScenario } from '../dsl/scenario';
import type { ScenarioEvent } from '../dsl/scenarioEvents';
import { limitMessage } from '../dsl/limits';
import { isExpect, isSilent } from '../dsl/statementSpec';
import { formatEvent, formatEventJson, formatRunSummary } from '../dsl/traceFormat';

export interface TraceOptions {
  json: boolean;
  quiet: boolean;
  frames: boolean;
  color: boolean;
  /** Stop the run with an error once this many lines are printed (the outputLines limit). */
  maxLines?: number;
}

export interface RunSummary {
  statements: number;
  passed: number;
  failed: number;
  error: boolean;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/** Control characters from the scenario (a comment, a name, a `priv` string) shown as \xNN: raw, they would drive the terminal. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const visible = (text: string): string => text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export function printTrace(interp: Interpreter, s: LoadedScenario, o: TraceOptions, print: (line: string) => void): RunSummary {
  const maxLines = o.maxLines ?? Infinity;
  let lines = 0;
  const out = (line: string): void => {
    if (++lines <= maxLines) print(line);
  };
  const where = (offset: number): string => locationOf(s, offset);
  const sourceLine = (stmt: Stmt): string => {
    const p = s.lines.positionAt(stmt.start);
    // A repeat's header is its first line (the line map's: a lone CR ends a line too, as the scanner says).
    const text = s.text.slice(stmt.start, stmt.kind === 'repeat' ? s.lines.lineEnd(p.line) : stmt.end);
    return visible(`${s.displayName}:${p.line + 1}  ${text.trim()}`);
  };
  let lastStmt: Stmt | undefined;
  let lastStep = -1;
  /** While a statement whose header was printed before it ran is running: the step it counts as. */
  let aheadStep = -1;

  const header = (stmt: Stmt): void => {
    if (stmt === lastStmt && (interp.stepCount === lastStep || interp.stepCount === aheadStep)) return;
    lastStmt = stmt;
    lastStep = interp.stepCount;
    const loops = interp.loops().filter((l) => l.name).map((l) => `${l.name}=${l.iteration}`);
    out(paint(o.color, '1', sourceLine(stmt)) + (loops.length ? paint(o.color, '2', `   [${loops.join(' ')}]`) : ''));
  };

  let listener: (e: ScenarioEvent) => void;
  if (o.json) {
    listener = (e) => {
      if (o.quiet && !(e.kind === 'expect' && !e.ok) && e.kind !== 'error') return;
      if (!o.frames && (e.kind === 'enter' || e.kind === 'leave')) return;
      out(formatEventJson(s, e));
    };
  } else if (o.quiet) {
    listener = (e) => {
      if (e.kind === 'expect' && !e.ok) out(`${where(e.stmt.start)}: ${paint(o.color, '31', 'expect failed')}: ${visible(e.message)}`);
      else if (e.kind === 'error') out(`${where(e.span.start)}: ${paint(o.color, '31', 'error')}: ${visible(e.message)}`);
    };
  } else {
    listener = (e) => {
      if (!o.frames && (e.kind === 'enter' || e.kind === 'leave')) return;
      header(e.stmt);
      const depth = e.kind === 'enter' || e.kind === 'leave' || e.kind === 'core' ? e.depth : 0;
      const indent = '    ' + '  '.repeat(o.frames ? depth : 0);
      let line = visible(formatEvent(e));
      if (e.kind === 'core' && e.fn && !o.frames) line = paint(o.color, '2', `[${e.fn}] `) + line;
      if (e.kind === 'expect' && !e.ok) line = `${where(e.stmt.start)}: ${paint(o.color, '31', 'expect failed')}: ${visible(e.message)}`;
      else if (e.kind === 'error') line = `${where(e.span.start)}: ${paint(o.color, '31', 'error')}: ${visible(e.message)}`;
      else if (e.kind === 'core' && e.event.kind === 'trap') line = paint(o.color, '36', line);
      else if (e.kind === 'core' && e.event.kind === 'surprise') line = paint(o.color, '33', line);
      else if (e.kind === 'expect') line = paint(o.color, '32', line);
      out(indent + line);
    };
  }

  // Quiet, only failed expects and errors are printed: the listener is attached only while an
  // `expect` runs (a listener costs an event object per statement), and a runtime error is
  // reported from interp.error right after the step that raised it, as the listener would have.
  const onlyAtExpects = o.quiet;
  let listening = !onlyAtExpects;
  interp.setListener(listening ? listener : null, !o.quiet);
  let overflow = false;
  while (!interp.done) {
    const before = interp.current();
    if (onlyAtExpects) {
      const wants = before !== undefined && isExpect(before.kind);
      if (wants !== listening) {
        interp.setListener(wants ? listener : null, false);
        listening = wants;
      }
    }
    if (!o.quiet && !o.json && before && (before.kind === 'repeat' || isSilent(before.kind))) {
      header(before);
      aheadStep = interp.stepCount + 1; // its own events (a runtime error) come once it has counted
    }
    interp.step();
    aheadStep = -1;
    const err = interp.error;
    if (err && !listening) listener({ kind: 'error', stmt: err.stmt, span: err.span, message: err.message });
    if (lines > maxLines) {
      overflow = true;
      stopped(before);
      break;
    }
  }
  const st = interp.state;
  const summary: RunSummary = { statements: interp.stepCount, passed: st.expectsPassed, failed: st.expectsFailed, error: interp.error !== undefined || overflow };
  if (!o.quiet && !o.json && !overflow) {
    // The summary is two lines (a blank one, then the counts): it too must fit, or the run says it was cut.
    if (lines + 2 > maxLines) {
      summary.error = true;
      stopped(undefined);
    } else {
      lines += 2;
      print(`\n${formatRunSummary(interp, summary.error, (v, ok) => paint(o.color, ok ? '32' : '31', v))}`);
    }
  }
  return summary;

  /** The output limit is reached: said once, in the output's own form (a JSON line with --json). */
  function stopped(at: Stmt | undefined): void {
    const message = limitMessage('outputLines', maxLines, 'output stopped');
    if (o.json) print(JSON.stringify({ file: s.displayName, ...(at ? { line: s.lines.positionAt(at.start).line + 1, col: s.lines.positionAt(at.start).character + 1, statement: at.kind } : {}), kind: 'error', text: `error: ${message}`, message }));
    else print(`${at ? where(at.start) : s.displayName}: ${paint(o.color, '31', 'error')}: ${message}`);
  }
}
