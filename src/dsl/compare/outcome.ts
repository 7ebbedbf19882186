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
  /** The trace-only lines' own digest (over all of them, as `digest` over the outcome). */
  readonly traceDigest: number;
}

export interface RunConfig {
  readonly profile: KernelProfile;
  readonly platform?: Platform;
}

const FNV_START = 0x811c9dc5;

/** FNV-1a of one more outcome line: cheap, deterministic, enough to decide "same or look closer". */
function digestLine(h: number, l: string): number {
  for (let i = 0; i < l.length; i++) h = Math.imul(h ^ l.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ 10, 0x01000193);
}

/**
 * Lines kept per statement and kind: one `shadow` that splits 8,192 2M entries reports four
 * million events, whose text alone passed V8's longest string. The digest still covers them all.
 */
const MAX_STATEMENT_LINES = 1000;

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
    let digest = FNV_START;
    let traceDigest = FNV_START;
    let more = 0;
    let moreTrace = 0;
    interp.setListener((e) => {
      const text = formatEvent(e);
      if (isTraceOnly(e)) {
        traceDigest = digestLine(traceDigest, text);
        if (traceOnly.length < MAX_STATEMENT_LINES) traceOnly.push(text);
        else moreTrace++;
        return;
      }
      digest = digestLine(digest, text);
      if (outcome.length < MAX_STATEMENT_LINES) outcome.push(text);
      else more++;
    }, true);
    while (!interp.done) {
      const stmt = interp.current();
      outcome = [];
      traceOnly = [];
      digest = FNV_START;
      traceDigest = FNV_START;
      more = 0;
      moreTrace = 0;
      interp.step();
      if (!stmt) continue;
      if (more > 0) outcome.push(`… ${more} more events of this statement (not shown; compared by digest)`);
      if (moreTrace > 0) traceOnly.push(`… ${moreTrace} more trace-only events of this statement`);
      yield { line: this.s.lines.positionAt(stmt.start).line + 1, offset: stmt.start, digest: digest >>> 0, outcome, traceOnly, traceDigest: traceDigest >>> 0 };
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
