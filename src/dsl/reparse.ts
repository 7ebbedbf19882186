// Incremental parsing for the language server: the top-level statements that end on lines before
// the first changed line are kept (with their diagnostics), and parsing resumes at the start of the
// line after the last of them, where the parser is at the top level (one statement a line; a
// `repeat` ends with its `}` line). What follows is parsed again, so the result is what a full
// parse of the same tokens gives. Later statements are not reused: their offsets would all move.

import type { Stmt } from './ast';
import type { Diagnostic } from './diagnostic';
import { parseFrom, parseScanned, type ParseResult } from './parser';
import { lowerBound } from './lowerBound';
import { firstTokenFrom } from './rescan';
import type { ScanResult } from './scanner';

/** The scanner's codes: the rest of a ParseResult's diagnostics are the parser's. */
const SCANNER_CODES: ReadonlySet<string> = new Set(['invalid-character', 'unterminated-string', 'invalid-escape']);

/** parseScanned(text, scanned), reusing `prev` (the previous text's parse) before `changedFrom`. */
export function reparse(text: string, scanned: ScanResult, prev: ParseResult, changedFrom: number): ParseResult {
  if (prev.capped) return parseScanned(text, scanned);
  const stmts = prev.program.statements;
  // How many top-level statements end before the change (they do not overlap, so ends are sorted).
  let lo = lowerBound(stmts.length, (i) => stmts[i].end < changedFrom);
  const t = scanned.tokens;
  // An unclosed `repeat` (only ever the last statement) reaches the end of the file: never reused,
  // since a `}` typed after it closes it.
  const last = stmts[lo - 1];
  if (last?.kind === 'repeat' && !last.close) lo--;
  for (let k = lo; k > 0; k--) {
    // The line break ending statement k-1's last line: it and every token before it are unchanged
    // only if it ends at or before the first changed line.
    let j = firstTokenFrom(scanned, stmts[k - 1].end);
    while (t.kind(j) !== 'newline' && t.kind(j) !== 'eof') j++;
    if (t.kind(j) === 'eof' || t.end(j) > changedFrom) continue;
    const resume = t.end(j);
    const diagnostics: Diagnostic[] = [];
    for (const d of prev.diagnostics) if (d.start < resume && !SCANNER_CODES.has(d.code)) diagnostics.push(d);
    return parseFrom(text, scanned, j + 1, stmts.slice(0, k) as Stmt[], diagnostics);
  }
  return parseScanned(text, scanned);
}
