// One run's outcome, statement by statement: what each executed statement changed or reported
// (ret, trap, expect results, reads, GPU walks, state-change events of the core), as text lines
// with a digest of them (differing digests settle a divergence without comparing the lines).
// Trace-only events (who takes vgpu_lock, which hook function was entered) are kept apart: they
// change no outcome (kvmgt_page_track_add vs intel_gvt_page_track_add is a rename across kernels).
// A run is read one statement at a time and nothing is kept: a comparison holds two statements'
// outcomes at once, however long the runs (it held every step's text, and 3 M steps exhausted the heap).

import type { KernelProfile, Platform } from '../../core';
import { Interpreter } from '../interpreter';
import type { LoadedScenario } from '../scenario';
import type { ScenarioEvent } from '../scenarioEvents';
import { formatEvent } from '../traceFormat';
import type { RunLimits } from '../limits';

export interface StatementOutcome {
  readonly line: number; // 1-based
  readonly offset: number;
  readonly digest: number;
  readonly outcome: string[];
  readonly traceOnly: string[];
}

export interface RunConfig {
  readonly profile: KernelProfile;
  readonly platform?: Platform;
}

/** FNV-1a over the outcome lines: cheap, deterministic, enough to decide "same or look closer". */
function digestOf(lines: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const l of lines) {
    for (let i = 0; i < l.length; i++) h = Math.imul(h ^ l.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 10, 0x01000193);
  }
  return h >>> 0;
}

function isTraceOnly(e: ScenarioEvent): boolean {
  return e.kind === 'enter' || e.kind === 'leave' || (e.kind === 'core' && e.event.kind === 'lock');
}

/** A run of the scenario under one configuration, read statement by statement (each outcome once, then dropped). */
export class OutcomeRun implements Iterable<StatementOutcome> {
  private readonly interp: Interpreter;

  constructor(
    private readonly s: LoadedScenario,
    config: RunConfig,
    limits?: RunLimits,
  ) {
    this.interp = new Interpreter(s.program, { profile: config.profile, platform: config.platform, limits });
  }

  *[Symbol.iterator](): Iterator<StatementOutcome> {
    const interp = this.interp;
    let outcome: string[] = [];
    let traceOnly: string[] = [];
    interp.setListener((e) => (isTraceOnly(e) ? traceOnly : outcome).push(formatEvent(e)), true);
    while (!interp.done) {
      const stmt = interp.current();
      outcome = [];
      traceOnly = [];
      interp.step();
      if (!stmt) continue;
      yield { line: this.s.lines.positionAt(stmt.start).line + 1, offset: stmt.start, digest: digestOf(outcome), outcome, traceOnly };
    }
  }

  /** Where the run stopped at a runtime error (a limit reached included), once it is over. */
  get error(): { readonly message: string; readonly offset: number } | undefined {
    const e = this.interp.error;
    return e ? { message: e.message, offset: e.span.start } : undefined;
  }
}

/** Every statement's outcome of one run, kept (tests and small scenarios). */
export function recordOutcomes(s: LoadedScenario, config: RunConfig, limits?: RunLimits): StatementOutcome[] {
  return [...new OutcomeRun(s, config, limits)];
}
