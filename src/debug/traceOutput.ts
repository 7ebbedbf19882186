// The scenario's trace as Debug Console output: one output event per statement (its header, as
// the CLI prints it, then one line per event in the CLI's words), linked to the statement's line
// so it is clickable; failed expects and runtime errors as separate error lines. Knows nothing of
// DAP beyond the shape of what it returns.

import type { Stmt } from '../dsl/ast';
import type { LoopContext } from '../dsl/interpreter';
import { locationOf, type LoadedScenario } from '../dsl/scenario';
import type { ScenarioEvent } from '../dsl/scenarioEvents';
import { formatEvent } from '../dsl/traceFormat';
import type { TraceOutputMode } from './protocol';

export interface OutputLine {
  category: 'stdout' | 'stderr' | 'console' | 'important';
  text: string;
  /** 0-based line of the statement, for a clickable location. */
  line?: number;
  column?: number;
}

export class TracePrinter {
  constructor(
    private readonly scenario: LoadedScenario,
    readonly mode: TraceOutputMode,
  ) {}

  private where(offset: number): string {
    return locationOf(this.scenario, offset);
  }

  /** `FILE:LINE  source   [i=3]`, as the CLI's header. */
  header(stmt: Stmt, loops: readonly LoopContext[]): string {
    const s = this.scenario;
    const p = s.lines.positionAt(stmt.start);
    const end = stmt.kind === 'repeat' ? s.lines.lineEnd(p.line) : stmt.end;
    const names = loops.filter((l) => l.name).map((l) => `${l.name}=${l.iteration}`);
    return `${s.displayName}:${p.line + 1}  ${s.text.slice(stmt.start, end).trim()}${names.length ? `   [${names.join(' ')}]` : ''}`;
  }

  /** Output for one statement run with its events recorded. */
  statement(stmt: Stmt, loops: readonly LoopContext[], events: readonly ScenarioEvent[]): OutputLine[] {
    const out: OutputLine[] = [];
    const line = this.scenario.lines.positionAt(stmt.start).line;
    if (this.mode !== 'quiet') {
      const body: string[] = [this.header(stmt, loops)];
      const frames = this.mode === 'frames';
      for (const e of events) {
        if (!frames && (e.kind === 'enter' || e.kind === 'leave')) continue;
        if ((e.kind === 'expect' && !e.ok) || e.kind === 'error') continue;
        const depth = e.kind === 'enter' || e.kind === 'leave' || e.kind === 'core' ? e.depth : 0;
        const prefix = e.kind === 'core' && e.fn && !frames ? `[${e.fn}] ` : '';
        body.push('    ' + '  '.repeat(frames ? depth : 0) + prefix + formatEvent(e));
      }
      out.push({ category: 'stdout', text: body.join('\n') + '\n', line });
    }
    out.push(...this.failures(events));
    return out;
  }

  /** Failed expects and runtime errors among the events (always shown, even when quiet). */
  failures(events: readonly ScenarioEvent[]): OutputLine[] {
    const out: OutputLine[] = [];
    for (const e of events) {
      if (e.kind === 'expect' && !e.ok) {
        const p = this.scenario.lines.positionAt(e.stmt.start);
        out.push({ category: 'stderr', text: `${this.where(e.stmt.start)}: expect failed: ${e.message}\n`, line: p.line, column: p.character });
      } else if (e.kind === 'error') {
        const p = this.scenario.lines.positionAt(e.span.start);
        out.push({ category: 'stderr', text: `${this.where(e.span.start)}: error: ${e.message}\n`, line: p.line, column: p.character });
      }
    }
    return out;
  }
}
