// Document formatting: canonical spacing that never changes meaning. One space between tokens,
// except inside parentheses, after a unary operator and around `..` (`(a + b)`, `-1`, `0x101..0x1ff`);
// `repeat` bodies indented 2 spaces a level; trailing spaces removed; comments kept (a trailing
// comment keeps its column when the code still fits before it, so aligned comments stay aligned).
//
// Safety: the formatter only changes whitespace between tokens, and every changed line is
// scanned again and compared token for token with the original; a line that would differ (or
// that has a scanner error) only has its indentation changed. Formatting is idempotent.

import { ERRNO_BY_NAME } from '../../core/errno';
import { scan, type TokenBuffer, type TokenKind } from '../scanner';
import type { Analysis } from './analysis';
import { MAX_DEPTH } from '../parser';
import { allStatements, exprNodes, slotsOf } from './astQuery';
import type { TextEdit } from './edits';


export interface FormatOptions {
  /** Spaces per `repeat` level (default 2). */
  readonly indent?: number;
}

/** The edits that format the lines from `fromLine` to `toLine` (0-based, inclusive; default: all). */
export function format(a: Analysis, options: FormatOptions = {}, fromLine = 0, toLine = Number.MAX_SAFE_INTEGER): TextEdit[] {
  const text = a.text;
  const unit = ' '.repeat(Math.max(0, Math.min(options.indent ?? 2, 8)));
  const unary = unaryOffsets(a);
  const s = scan(text);
  const t = s.tokens;
  const commentAt = new Map<number, { start: number; end: number }>();
  for (const c of s.comments) commentAt.set(a.lines.positionAt(c.start).line, c);
  const edits: TextEdit[] = [];
  let written = 0;
  const maxWritten = 8 * text.length + 1024 * 1024;
  let depth = 0;
  let i = 0; // token index
  for (let line = 0; line < a.lines.lineCount; line++) {
    const first = i;
    while (t.kind(i) !== 'newline' && t.kind(i) !== 'eof') i++;
    const last = i; // exclusive: the newline or eof
    if (t.kind(i) === 'newline') i++;
    if (first < last && t.kind(first) === '}') depth = Math.max(0, depth - 1);
    const at = depth;
    if (first < last && t.kind(last - 1) === '{') depth++;
    if (line < fromLine || line > toLine) continue;
    // Lines nested deeper than the parser takes (it reports the file too complex there) are left
    // as they are: 10,000 nested braces asked for 100 M characters of edits.
    if (at > MAX_DEPTH) continue;
    const indent = unit.repeat(at);
    const start = a.lines.lineStart(line);
    const end = a.lines.lineEnd(line);
    const old = text.slice(start, end);
    const formatted = formatLine(text, t, first, last, commentAt.get(line), start, indent, unary, s.errorLines.has(line), old);
    if (formatted === old) continue;
    // However the lines are indented, the edits stay within a bound of the document's own size.
    written += formatted.length;
    if (written > maxWritten) throw new Error(`formatting would write more than ${maxWritten} characters (the document has ${text.length}): not formatted`);
    edits.push({ start, end, newText: formatted });
  }
  return edits;
}

/** The formatted text (for tests and the CLI). */
export function formatText(a: Analysis, options?: FormatOptions): string {
  let out = '';
  let at = 0;
  for (const e of format(a, options)) {
    out += a.text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + a.text.slice(at);
}

function formatLine(
  text: string,
  t: TokenBuffer,
  first: number,
  last: number,
  comment: { start: number; end: number } | undefined,
  lineStart: number,
  indent: string,
  unary: ReadonlySet<number>,
  scanError: boolean,
  old: string,
): string {
  if (first === last && !comment) return trim(old) === '' ? '' : indent + trim(old); // blank, or only bad characters
  if (scanError) {
    const body = trimStart(old);
    return indent + (/"[^"]*$/.test(body) ? body : trimEnd(body));
  }
  let code = '';
  for (let k = first; k < last; k++) {
    const raw = text.slice(t.start(k), t.end(k));
    if (k > first && spaced(t, k - 1, k, unary)) code += ' ';
    code += raw;
  }
  if (code !== '' && !sameTokens(code, t, first, last, text)) {
    code = text.slice(t.start(first), t.end(last - 1)); // keep the original spacing
  }
  if (!comment) return indent + code;
  const note = trimEnd(text.slice(comment.start, comment.end));
  if (code === '') return indent + note;
  const column = comment.start - lineStart;
  const width = indent.length + code.length;
  return indent + code + ' '.repeat(width + 1 <= column ? column - width : 1) + note;
}

// Only what the scanner skips as space (String.prototype.trim would also eat characters such as
// U+3000 that the scanner reports as invalid: removing them would hide an error).
const trimStart = (s: string): string => s.replace(/^[ \t\f\v\u00a0\ufeff]+/, '');
const trimEnd = (s: string): string => s.replace(/[ \t\f\v\u00a0\ufeff]+$/, '');
const trim = (s: string): string => trimEnd(trimStart(s));

const OPERAND_END = new Set<TokenKind>(['name', 'number', 'errno', ')', 'string']);

/** Whether a space goes between tokens a and b. */
function spaced(t: TokenBuffer, a: number, b: number, unary: ReadonlySet<number>): boolean {
  const ka = t.kind(a);
  const kb = t.kind(b);
  if (ka === '(' || kb === ')' || ka === '..' || kb === '..') return false;
  const isUnary = (ka === '-' || ka === '~' || ka === '!') && (unary.has(t.start(a)) || (a > 0 && !OPERAND_END.has(t.kind(a - 1)) && t.kind(a - 1) !== 'newline'));
  if (!isUnary) return true;
  // `- EEXIST` (minus and a name) must not become the error code `-EEXIST`.
  return ka === '-' && kb === 'name' && Object.hasOwn(ERRNO_BY_NAME, t.text(b));
}

/** The formatted code scans to the same tokens as the original (kind and text, in order). */
function sameTokens(code: string, t: TokenBuffer, first: number, last: number, text: string): boolean {
  const s = scan(code).tokens;
  if (s.length - 1 !== last - first) return false;
  for (let k = 0; k < last - first; k++) {
    const o = first + k;
    if (s.kind(k) !== t.kind(o) || code.slice(s.start(k), s.end(k)) !== text.slice(t.start(o), t.end(o))) return false;
  }
  return true;
}

/** Offsets of the unary operators in the tree (a `-` the parser read as negation). */
function unaryOffsets(a: Analysis): Set<number> {
  const out = new Set<number>();
  for (const { stmt } of allStatements(a.program.statements)) {
    for (const slot of slotsOf(stmt)) for (const e of exprNodes(slot.expr)) if (e.kind === 'unary') out.add(e.span.start);
  }
  return out;
}
