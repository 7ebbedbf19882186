// Compares two runs' statement outcomes step by step: a divergence is a step whose outcome digest
// differs (or a step only one side executed); trace-only differences are listed apart.

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
  readonly divergences: Divergence[];
  readonly traceOnly: TraceOnlyDifference[];
}

function same(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export function compareRuns(a: readonly StatementOutcome[], b: readonly StatementOutcome[]): RunComparison {
  const divergences: Divergence[] = [];
  const traceOnly: TraceOnlyDifference[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y || x.offset !== y.offset) {
      divergences.push({ step: i + 1, line: (x ?? y).line, a: x ? x.outcome : null, b: y ? y.outcome : null });
      continue;
    }
    if (x.digest !== y.digest || !same(x.outcome, y.outcome)) divergences.push({ step: i + 1, line: x.line, a: x.outcome, b: y.outcome });
    else if (!same(x.traceOnly, y.traceOnly)) traceOnly.push({ step: i + 1, line: x.line, a: x.traceOnly, b: y.traceOnly });
  }
  return { divergences, traceOnly };
}
