// Compares two runs' statement outcomes step by step: a divergence is a step whose outcome digest
// differs (or a step only one side executed); trace-only differences are listed apart. The runs are
// read in lockstep and only the first MAX_LISTED of each list are kept (the rest are counted), so a
// comparison's memory does not grow with the runs' length.

import type { StatementOutcome } from './outcome';

export interface Divergence {
  readonly step: number;
  readonly line: number;
  readonly a: string[] | null; // null: this side did not execute the step
  readonly b: string[] | null;
}

interface TraceOnlyDifference {
  readonly step: number;
  readonly line: number;
  readonly a: string[];
  readonly b: string[];
}

export interface RunComparison {
  /** The first MAX_LISTED divergences, in step order. */
  readonly divergences: Divergence[];
  /** All of them. */
  readonly divergenceCount: number;
  readonly traceOnly: TraceOnlyDifference[];
  readonly traceOnlyCount: number;
}

/** Divergences (and trace-only differences) kept to list; further ones are only counted. */
const MAX_LISTED = 1000;

function same(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export function compareRuns(a: Iterable<StatementOutcome>, b: Iterable<StatementOutcome>, maxListed = MAX_LISTED): RunComparison {
  const divergences: Divergence[] = [];
  const traceOnly: TraceOnlyDifference[] = [];
  let divergenceCount = 0;
  let traceOnlyCount = 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (let step = 1; ; step++) {
    const ra = ia.next();
    const rb = ib.next();
    const x = ra.done ? undefined : ra.value;
    const y = rb.done ? undefined : rb.value;
    if (!x && !y) break;
    if (!x || !y || x.offset !== y.offset) {
      if (divergenceCount++ < maxListed) divergences.push({ step, line: (x ?? y)!.line, a: x ? x.outcome : null, b: y ? y.outcome : null });
      continue;
    }
    if (x.digest !== y.digest || !same(x.outcome, y.outcome)) {
      if (divergenceCount++ < maxListed) divergences.push({ step, line: x.line, a: x.outcome, b: y.outcome });
    } else if (x.traceDigest !== y.traceDigest || !same(x.traceOnly, y.traceOnly)) {
      if (traceOnlyCount++ < maxListed) traceOnly.push({ step, line: x.line, a: x.traceOnly, b: y.traceOnly });
    }
  }
  return { divergences, divergenceCount, traceOnly, traceOnlyCount };
}
