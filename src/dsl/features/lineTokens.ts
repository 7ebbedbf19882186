// The tokens of one line, for features that look at what is typed around the cursor (completion,
// hover on words the parser did not keep, quick fixes). Statements never span lines, so scanning a
// line alone gives the same tokens as scanning the file. Offsets are absolute.

import type { Span } from '../ast';
import { scan, type Token } from '../scanner';

export interface LineTokens {
  /** The line's tokens from its start up to `end`, without newline and eof. */
  readonly tokens: Token[];
  /** `#` comments on the scanned part. */
  readonly comments: Span[];
  /** The scanned part ends inside a string (the cursor is in it). */
  readonly inString: boolean;
  readonly lineStart: number;
}

/** The start of the line holding `offset` (after a `\n` or `\r`). */
export function lineStartOf(text: string, offset: number): number {
  let i = Math.max(0, Math.min(offset, text.length));
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

/** The end of the line holding `offset` (before its line break). */
function lineEndOf(text: string, offset: number): number {
  let i = Math.max(0, Math.min(offset, text.length));
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** Scan the line holding `offset`, from its start to `end` (default: the end of the line). */
export function lineTokens(text: string, offset: number, end?: number): LineTokens {
  const lineStart = lineStartOf(text, offset);
  const stop = end ?? lineEndOf(text, offset);
  const s = scan(text.slice(lineStart, stop));
  const tokens: Token[] = [];
  for (let i = 0; i < s.tokens.length; i++) {
    const k = s.tokens.kind(i);
    if (k === 'newline' || k === 'eof') continue;
    const t = s.tokens.at(i);
    tokens.push({ ...t, start: t.start + lineStart, end: t.end + lineStart });
  }
  const comments = s.comments.map((c) => ({ start: c.start + lineStart, end: c.end + lineStart }));
  const inString = s.diagnostics.some((d) => d.code === 'unterminated-string');
  return { tokens, comments, inString, lineStart };
}

/** The token under offset, else the one that ends there (the cursor just after a word). */
export function tokenAt(tokens: readonly Token[], offset: number): Token | undefined {
  let touching: Token | undefined;
  for (const t of tokens) {
    if (t.start <= offset && offset < t.end) return t;
    if (t.end === offset) touching = t;
  }
  return touching;
}

/** The same word rules as the scanner: what a name may look like (for rename). */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;
