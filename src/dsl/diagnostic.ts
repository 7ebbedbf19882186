// A problem found in a scenario's text, by the scanner, the parser or the checker: a value, never
// an exception (as node-jsonc-parser's ParseError). Positions are character offsets; line and
// column are computed only at the edge (LineMap), by the CLI and the language server.

import type { Span } from './ast';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly severity: Severity;
  /** A stable id (one of DIAGNOSTIC_CODES), for tests, filters and quick fixes. */
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** For "did you mean" problems: the text that would fix the span (a quick fix replaces start..end). */
  readonly suggestion?: string;
}

/** Every code the scanner, parser and checker produce. Add codes; never rename one. */
export const DIAGNOSTIC_CODES = [
  // scanner
  'invalid-character',
  'unterminated-string',
  'invalid-escape',
  // parser
  'unexpected-token',
  'expected-expression',
  'expected-end-of-line',
  'invalid-number',
  'number-too-large',
  'invalid-hex-byte',
  'invalid-page-size',
  'unknown-statement',
  'unmatched-brace',
  'unclosed-block',
  'brace-not-alone',
  'too-complex',
  // checker: names
  'unknown-vgpu',
  'unknown-handler',
  'unknown-name',
  'use-before-definition',
  'duplicate-vgpu',
  'duplicate-handler',
  'duplicate-name',
  'name-too-long',
  'assign-to-loop-variable',
  'ppgtt-in-register',
  'kernel-not-first',
  // checker: constants
  'division-by-zero',
  'invalid-memory-size',
  'gfn-out-of-range',
  'gpa-out-of-range',
  'value-out-of-range',
  'va-out-of-range',
  'misaligned-map',
  'empty-range',
  'repeat-count-out-of-range',
  // checker: warnings
  'enable-unregistered',
  'unshadow-not-shadowed',
  'vgpu-in-repeat',
  'dispatch-bytes',
  'too-many-problems',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/** A quoted name or token of 200 characters or more is cut to 40 in a message (a 4 MB name is not printed whole). */
const MAX_QUOTED = 40;

export function shortenQuoted(message: string): string {
  if (message.length < 200) return message;
  return message.replace(/'([^'\n]{200,})'/g, (_m, q: string) => `'${q.slice(0, MAX_QUOTED)}… (${q.length} characters)'`);
}

export function diagnostic(severity: Severity, code: DiagnosticCode, message: string, start: number, end: number, suggestion?: string): Diagnostic {
  message = shortenQuoted(message);
  return suggestion === undefined ? { severity, code, message, start, end } : { severity, code, message, start, end, suggestion };
}

export const errorAt = (code: DiagnosticCode, message: string, span: Span, suggestion?: string): Diagnostic =>
  diagnostic('error', code, message, span.start, span.end, suggestion);

export const warningAt = (code: DiagnosticCode, message: string, span: Span, suggestion?: string): Diagnostic =>
  diagnostic('warning', code, message, span.start, span.end, suggestion);


/** Each phase (scanner, parser, checker) keeps at most this many: memory stays in proportion. */
export const PHASE_DIAGNOSTICS = 10_000;
/** What is listed in the end: the first ones in file order, then one line saying how many more. */
const MAX_DIAGNOSTICS = 1_000;

/**
 * Sorted diagnostics capped to MAX_DIAGNOSTICS, with a final one counting the rest (`capped`: a phase
 * dropped some). That one is an error when an error is among those not listed: whether a file has
 * errors (so may run, and how the CLI exits) never depends on where the list was cut.
 */
export function capDiagnostics(sorted: Diagnostic[], capped: boolean): Diagnostic[] {
  if (sorted.length <= MAX_DIAGNOSTICS && !capped) return sorted;
  if (sorted.length <= MAX_DIAGNOSTICS) {
    const last = sorted[sorted.length - 1];
    return [...sorted, diagnostic('warning', 'too-many-problems', `more than ${PHASE_DIAGNOSTICS} problems of one kind: the ones after this point are not listed`, last?.end ?? 0, last?.end ?? 0)];
  }
  const next = sorted[MAX_DIAGNOSTICS];
  const more = sorted.length - MAX_DIAGNOSTICS;
  let errors = 0;
  for (let i = MAX_DIAGNOSTICS; i < sorted.length; i++) if (sorted[i].severity === 'error') errors++;
  const kept = sorted.slice(0, MAX_DIAGNOSTICS);
  const which = errors === 0 ? '' : errors === more ? ', all errors' : `; ${errors} of them ${errors === 1 ? 'is an error' : 'are errors'}`;
  kept.push(diagnostic(errors > 0 ? 'error' : 'warning', 'too-many-problems', `${capped ? 'more than ' : ''}${more} more problem(s) from here on are not listed (the first ${MAX_DIAGNOSTICS} are)${which}`, next.start, next.end));
  return kept;
}

/** Source order, errors first among equals (what the CLI and the language server show). */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.start - b.start || a.end - b.end || rank(a) - rank(b);
}

const rank = (d: Diagnostic): number => (d.severity === 'error' ? 0 : d.severity === 'warning' ? 1 : 2);
