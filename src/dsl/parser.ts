// The parser: `.gvt` text to a Program and diagnostics. Never throws, always returns a best-effort
// tree (node-jsonc-parser's model): a statement with an error is reported once, the rest of its
// line is skipped, and parsing resumes on the next line, so independent mistakes on three lines
// are three diagnostics and every valid statement around them is kept. Every loop consumes a
// token or stops (TypeScript's list-recovery rule): one stray token never wipes out the file.
//
// Blocks: `repeat COUNT [as NAME] {` ends its line with `{`; `}` stands alone on its line. An
// unclosed `repeat` is one diagnostic at its keyword, and its body is kept.

import type { Ident, Program, Span, Stmt } from './ast';
import { PHASE_DIAGNOSTICS, compareDiagnostics, diagnostic, type Diagnostic } from './diagnostic';
import { missingExpr, parseExpression } from './parseExpression';
import { STATEMENT_PARSERS } from './parseStatement';
import { STATEMENT_KEYWORDS } from './statementSpec';
import { scan, type ScanResult, type TokenKind } from './scanner';
import { closest } from './suggest';
import { TokenCursor } from './tokenCursor';

export interface ParseResult {
  readonly program: Program;
  /** Scanner and parser diagnostics, in source order. */
  readonly diagnostics: Diagnostic[];
  /** The spans of `#` comments (for folding and highlighting). */
  readonly comments: readonly Span[];
  /** A phase kept only its first PHASE_DIAGNOSTICS (capDiagnostics says so at the end). */
  readonly capped: boolean;
}

/** Deeper `repeat` nesting than this is reported rather than recursed into. */
export const MAX_DEPTH = 64;

export const parse = (text: string): ParseResult => parseScanned(text, scan(text));

/** parse, from the text's tokens (the language server rescans only what an edit changed). */
export function parseScanned(text: string, scanned: ScanResult): ParseResult {
  return parseFrom(text, scanned, 0, [], []);
}

/**
 * parseScanned, resuming at token `pos`, the first token of a line where the parser is at the top
 * level: `statements` and `diagnostics` are what parsing the tokens before it gave (reparse reuses
 * the unchanged start of a document).
 */
export function parseFrom(text: string, scanned: ScanResult, pos: number, statements: Stmt[], diagnostics: readonly Diagnostic[]): ParseResult {
  const c = new TokenCursor(text, scanned);
  c.pos = pos;
  for (const d of diagnostics) c.diagnostics.push(d);
  for (const s of parseBlock(c, 0).body) statements.push(s);
  return finish(scanned, c, statements);
}

function finish(scanned: ScanResult, c: TokenCursor, statements: Stmt[]): ParseResult {
  const capped = scanned.diagnostics.length >= PHASE_DIAGNOSTICS || c.diagnostics.length >= PHASE_DIAGNOSTICS;
  const diagnostics = scanned.diagnostics.concat(c.diagnostics).sort(compareDiagnostics);
  return { program: { statements }, diagnostics, comments: scanned.comments, capped };
}

interface Block {
  body: Stmt[];
  /** The closing `}` (absent at top level, and for a block still open at the end of the file). */
  close?: Span;
}

function parseBlock(c: TokenCursor, depth: number): Block {
  const body: Stmt[] = [];
  for (;;) {
    const k = c.kind;
    if (k === 'newline') {
      c.next();
      continue;
    }
    if (k === 'eof') return { body };
    if (k === '}') {
      const brace = c.span();
      c.next();
      if (depth > 0) {
        finishLine(c, depth);
        return { body, close: brace };
      }
      c.error('unmatched-brace', "'}' without an open 'repeat' block", brace);
      finishLine(c, depth);
      continue;
    }
    const before = c.pos;
    const s = parseStatement(c, depth);
    if (s) body.push(s);
    finishLine(c, depth);
    if (c.pos === before) c.next(); // cannot happen (a statement consumes its first token); kept as the progress guarantee
  }
}

/**
 * After a statement: the line must end here. Trailing tokens are one error and are skipped (the
 * statement itself is kept). A `}` is left for the enclosing block: inside a block it closes it
 * (an error, since `}` stands alone); at top level the block loop reports it as unmatched.
 */
function finishLine(c: TokenCursor, depth: number): void {
  const k = c.kind;
  if (k === 'newline' || k === 'eof') return;
  if (k === '}') {
    if (depth > 0) c.error('brace-not-alone', "'}' must stand alone on its line");
    return;
  }
  c.error('expected-end-of-line', `expected the end of the line, found ${c.describe()}`);
  c.skipLine();
}

function parseStatement(c: TokenCursor, depth: number): Stmt | undefined {
  if (c.kind !== 'name') {
    c.error('unexpected-token', `expected a statement, found ${c.describe()}`);
    c.skipLine();
    return undefined;
  }
  const word = c.tokenText;
  const kw = c.span();
  if (word === 'repeat') return parseRepeat(c, kw, depth);
  const parser = Object.hasOwn(STATEMENT_PARSERS, word) ? STATEMENT_PARSERS[word as keyof typeof STATEMENT_PARSERS] : undefined; // not `constructor`
  if (!parser) {
    const guess = c.diagnostics.length < PHASE_DIAGNOSTICS ? closest(word, STATEMENT_KEYWORDS) : undefined;
    c.error('unknown-statement', `unknown statement '${word}'${guess ? ` (did you mean '${guess}'?)` : ''}`, kw, guess);
    c.skipLine();
    return undefined;
  }
  c.next();
  const s = parser(c, kw, word);
  if (!s || c.lineHasError()) c.skipLine();
  return s;
}

/** `repeat COUNT [as NAME] {` NEWLINE body `}`. */
function parseRepeat(c: TokenCursor, kw: Span, depth: number): Stmt | undefined {
  c.next();
  if (depth >= MAX_DEPTH) {
    c.error('too-complex', `'repeat' blocks nested more than ${MAX_DEPTH} deep`, kw);
    c.skipLine();
    return undefined;
  }
  const count = parseExpression(c);
  let as: Ident | undefined;
  let headerOk = count !== undefined;
  if (headerOk && c.eatWord('as')) {
    as = c.ident('a loop variable name');
    headerOk = as !== undefined;
  }
  const open = headerOk ? c.punct('{') : undefined;
  if (!open) {
    // A broken header: if the line still ends with `{`, the block is there; keep its body.
    while (!c.atLineEnd() && !(c.at('{') && isLineEnd(c.peekKind(1)))) c.next();
    if (!c.at('{')) {
      if (!c.lineHasError()) c.error('unexpected-token', "expected '{' at the end of the 'repeat' line");
      return undefined;
    }
    c.next();
  }
  if (!isLineEnd(c.kind)) {
    c.error('expected-end-of-line', `'{' must end its line; found ${c.describe()} after it`);
    c.skipLine();
  }
  const block = parseBlock(c, depth + 1);
  if (!block.close) {
    c.report(diagnostic('error', 'unclosed-block', "'repeat' block is never closed (expected '}' on a line of its own)", kw.start, kw.end));
  }
  return {
    kind: 'repeat',
    count: count ?? missingExpr(kw.end),
    as,
    body: block.body,
    close: block.close,
    start: kw.start,
    end: block.close?.end ?? c.lastEnd,
    keyword: kw,
  };
}

const isLineEnd = (k: TokenKind): boolean => k === 'newline' || k === 'eof';
