// Incremental scanning for the language server: after an edit, only the changed lines are scanned
// again and their tokens spliced into the previous TokenBuffer; later tokens, comments, scanner
// diagnostics and error lines are shifted by the change in length and in line count. Scanning is
// line-local (no token, comment or string crosses a line break), so the result is exactly what
// scan(text) gives; when that cannot be guaranteed (the diagnostic cap is near, or the shared
// payload tables have grown too much) it falls back to a full scan.

import type { Span } from './ast';
import { PHASE_DIAGNOSTICS, type Diagnostic } from './diagnostic';
import { lowerBound } from './lowerBound';
import { scan, type ScanResult } from './scanner';

/** The first index at which a and b differ (their common prefix's length). */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Chunks first: slices share the parent's storage, and === on them is a fast memory compare.
  for (const step of [65536, 4096, 256, 16]) {
    while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of a and b's common suffix, not reaching back before `floor` in either. */
function commonSuffix(a: string, b: string, floor: number): number {
  const n = Math.min(a.length, b.length) - floor;
  let s = 0;
  for (const step of [65536, 4096, 256, 16]) {
    while (s + step <= n && a.slice(a.length - s - step, a.length - s) === b.slice(b.length - s - step, b.length - s)) s += step;
  }
  while (s < n && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return s;
}

/** The index of the first token starting at or after `offset` (tokens are sorted by start). */
export function firstTokenFrom(scanned: ScanResult, offset: number): number {
  const t = scanned.tokens;
  // The eof token starts at the text's end, so it always qualifies: search the tokens before it.
  return lowerBound(t.length - 1, (i) => t.start(i) < offset);
}

function firstSpanFrom(spans: readonly Span[], offset: number): number {
  return lowerBound(spans.length, (i) => spans[i].start < offset);
}

export interface Rescan {
  /** What scan(text) gives. */
  readonly scanned: ScanResult;
  /** The start of the first changed line: text and tokens before it are as they were. */
  readonly from: number;
}

/** scan(text), reusing the tokens of prevText's scan `prev` outside the changed lines. */
export function rescan(prev: ScanResult, prevText: string, text: string): Rescan {
  const p = commonPrefix(prevText, text);
  if (p === prevText.length && p === text.length) return { scanned: prev, from: text.length };
  // The changed lines: from the start of p's line to the end of the line where the change ends,
  // its line break included (so the scan of the region ends where a line does).
  const from = p === 0 ? 0 : prevText.lastIndexOf('\n', p - 1) + 1;
  return { scanned: splice(prev, prevText, text, p, from) ?? scan(text), from };
}

/** The spliced scan, or undefined where only a full scan is sure to be exact. */
function splice(prev: ScanResult, prevText: string, text: string, p: number, from: number): ScanResult | undefined {
  if (prev.diagnostics.length >= PHASE_DIAGNOSTICS) return undefined;
  const s = commonSuffix(prevText, text, p);
  const nl = prevText.indexOf('\n', Math.max(from, prevText.length - s));
  const oldTo = nl < 0 ? prevText.length : nl + 1;
  const delta = text.length - prevText.length;
  const newTo = oldTo + delta;
  const atEnd = oldTo === prevText.length;

  const region = scan(text.slice(from, newTo));
  const t = prev.tokens;
  const first = firstTokenFrom(prev, from);
  const after = atEnd ? t.length : firstTokenFrom(prev, oldTo); // the eof token is rescanned only when the region reaches it
  const line0 = t.line(first);
  const regionCount = atEnd ? region.tokens.length : region.tokens.length - 1; // drop the region's own eof
  const oldLines = (atEnd ? t.line(t.length - 1) + 1 : t.line(after)) - line0;
  const newLines = atEnd ? region.tokens.line(region.tokens.length - 1) + 1 : region.tokens.line(regionCount);
  const tokens = t.splice(first, after, region.tokens, regionCount, from, line0, delta, newLines - oldLines);
  if (!tokens) return undefined;

  const diagnostics: Diagnostic[] = [];
  for (const d of prev.diagnostics) if (d.start < from) diagnostics.push(d);
  for (const d of region.diagnostics) diagnostics.push({ ...d, start: d.start + from, end: d.end + from });
  for (const d of prev.diagnostics) if (d.start >= oldTo) diagnostics.push({ ...d, start: d.start + delta, end: d.end + delta });
  if (diagnostics.length >= PHASE_DIAGNOSTICS) return undefined;

  const c0 = firstSpanFrom(prev.comments, from);
  const c1 = firstSpanFrom(prev.comments, oldTo);
  const comments = prev.comments.slice(0, c0);
  for (const c of region.comments) comments.push({ start: c.start + from, end: c.end + from });
  for (let i = c1; i < prev.comments.length; i++) comments.push({ start: prev.comments[i].start + delta, end: prev.comments[i].end + delta });

  const errorLines = new Set<number>();
  const lineShift = newLines - oldLines;
  for (const l of prev.errorLines) {
    if (l < line0) errorLines.add(l);
    else if (l >= line0 + oldLines) errorLines.add(l + lineShift);
  }
  for (const l of region.errorLines) errorLines.add(l + line0);
  return { tokens, diagnostics, comments, errorLines };
}
