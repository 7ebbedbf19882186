// The parser's view of the token stream: the current token's fields, lookahead, "expect this
// word" helpers and the error policy. Errors are reported at most once per line (and not at all
// on a line where the scanner already complained), so a broken statement is one diagnostic;
// recovery then skips to the end of the line or to a `}` (the sync set, as in jsonc-parser's
// model). Never throws; next() never moves past `eof`. Reads the TokenBuffer's arrays directly:
// no object per token.

import type { Ident, Span } from './ast';
import { diagnostic, type Diagnostic, type DiagnosticCode, PHASE_DIAGNOSTICS } from './diagnostic';
import { excerpt, type ScanResult, type Token, type TokenBuffer, type TokenKind } from './scanner';

export class TokenCursor {
  pos = 0;
  /** Nodes of the expression being parsed (parseExpression's complexity budget). */
  exprNodes = 0;
  /** End offset of the last consumed token other than a newline: where a statement ends. */
  lastEnd = 0;
  readonly diagnostics: Diagnostic[] = [];
  private readonly t: TokenBuffer;
  private readonly last: number;
  private readonly lexicalErrorLines: ReadonlySet<number>;
  private errorLine = -1;

  constructor(
    readonly text: string,
    scanned: ScanResult,
  ) {
    this.t = scanned.tokens;
    this.last = scanned.tokens.length - 1;
    this.lexicalErrorLines = scanned.errorLines;
  }

  // ---- the current token -------------------------------------------------------------------

  get kind(): TokenKind {
    return this.t.kind(this.pos);
  }
  get start(): number {
    return this.t.start(this.pos);
  }
  get end(): number {
    return this.t.end(this.pos);
  }
  /** A name's text, a string's value, an errno's name; '' otherwise. */
  get tokenText(): string {
    return this.t.text(this.pos);
  }
  /** A number's value (undefined if malformed), an errno's negative value. */
  get value(): bigint | undefined {
    return this.t.value(this.pos);
  }
  /** The current token's span, as a new object (for the tree). */
  span(): Span {
    return { start: this.t.start(this.pos), end: this.t.end(this.pos) };
  }
  /** The current token's span; at a line break or the end of the file, the empty span where it starts. */
  here(): Span {
    const k = this.kind;
    return k === 'newline' || k === 'eof' ? { start: this.start, end: this.start } : this.span();
  }
  raw(): string {
    return this.text.slice(this.start, this.end);
  }

  /** The current token as an object (for callers outside the parser's hot path). */
  get token(): Token {
    return this.t.at(this.pos);
  }

  /** The token k ahead as an object (clamped to `eof`). */
  peek(k: number): Token {
    return this.t.at(Math.min(this.pos + k, this.last));
  }

  peekKind(k: number): TokenKind {
    return this.t.kind(Math.min(this.pos + k, this.last));
  }

  peekIsWord(k: number, word: string): boolean {
    const i = Math.min(this.pos + k, this.last);
    return this.t.kind(i) === 'name' && this.t.text(i) === word;
  }

  next(): void {
    if (this.pos < this.last) {
      if (this.t.kind(this.pos) !== 'newline') this.lastEnd = this.t.end(this.pos);
      this.pos++;
    }
  }

  at(kind: TokenKind): boolean {
    return this.t.kind(this.pos) === kind;
  }

  atWord(word: string): boolean {
    return this.t.kind(this.pos) === 'name' && this.t.text(this.pos) === word;
  }

  /** At a newline, `}` or the end of the file: where a statement may end. */
  atLineEnd(): boolean {
    const k = this.t.kind(this.pos);
    return k === 'newline' || k === 'eof' || k === '}';
  }

  eatWord(word: string): boolean {
    if (!this.atWord(word)) return false;
    this.next();
    return true;
  }

  // ---- errors ---------------------------------------------------------------------------------

  /** Whether the current line already has an error (the parser's or the scanner's). */
  lineHasError(): boolean {
    const line = this.t.line(this.pos);
    return this.errorLine === line || this.lexicalErrorLines.has(line);
  }

  /** Report an error on the current token's line, unless that line has one already. Returns undefined. */
  error(code: DiagnosticCode, message: string, span: Span = this.here(), suggestion?: string): undefined {
    if (!this.lineHasError() && this.diagnostics.length < PHASE_DIAGNOSTICS) this.diagnostics.push(diagnostic('error', code, message, span.start, span.end, suggestion));
    this.errorLine = this.t.line(this.pos);
    return undefined;
  }

  /** Report regardless of the line policy (e.g. an unclosed block, found at the end of the file). */
  report(d: Diagnostic): void {
    if (this.diagnostics.length < PHASE_DIAGNOSTICS) this.diagnostics.push(d);
  }

  /** Skip to the end of the line or to a `}`, whichever comes first. */
  skipLine(): void {
    while (!this.atLineEnd()) this.next();
  }

  // ---- expectations ---------------------------------------------------------------------------

  /** Expect the word `word` (a keyword in this position). */
  word(word: string): true | undefined {
    if (this.eatWord(word)) return true;
    return this.error('unexpected-token', `expected '${word}', found ${this.describe()}`);
  }

  /** Expect a token of this kind (punctuation); after it, lastEnd is its end. */
  punct(kind: TokenKind): true | undefined {
    if (!this.at(kind)) return this.error('unexpected-token', `expected '${kind}', found ${this.describe()}`);
    this.next();
    return true;
  }

  /** Expect one of `words`; `what` names the choice in the message. */
  oneOf<W extends string>(words: readonly W[], what: string): W | undefined {
    const w = this.tokenText;
    if (this.kind === 'name' && (words as readonly string[]).includes(w)) {
      this.next();
      return w as W;
    }
    return this.error('unexpected-token', `expected ${what} (${words.join(', ')}), found ${this.describe()}`);
  }

  /** Expect a name; `what` says which ("a vGPU name"). */
  ident(what: string): Ident | undefined {
    if (this.kind !== 'name') return this.error('unexpected-token', `expected ${what}, found ${this.describe()}`);
    const id = { name: this.tokenText, start: this.start, end: this.end };
    this.next();
    return id;
  }

  /** The current token for a message: `'foo'`, `the end of the line`; a huge token is cut to 40 characters. */
  describe(): string {
    switch (this.kind) {
      case 'newline':
        return 'the end of the line';
      case 'eof':
        return 'the end of the file';
      case 'string':
        return 'a string';
      default:
        return `'${excerpt(this.text, this.start, this.end)}'`;
    }
  }
}
