// Tokens: their kinds, and TokenBuffer, the struct-of-arrays store the scanner fills and the
// parser reads. Kept apart from the scanner so that what a token *is* can be read on its own.

import { ERRNO_BY_NAME } from '../core/errno';

type Operator = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '~' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '!';

export type TokenKind = 'name' | 'number' | 'errno' | 'string' | 'newline' | 'eof' | '{' | '}' | '(' | ')' | '..' | '->' | '=' | Operator;

/** One token, as `TokenBuffer.at` materialises it (the buffer itself stores no per-token objects). */
export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** 0-based line of the token's start. */
  readonly line: number;
  /** name: the name; errno: the name without `-` (`EEXIST`); string: the unescaped value; else ''. */
  readonly text: string;
  /** number: the value (undefined if the run is malformed); errno: the negative errno; else undefined. */
  readonly value: bigint | undefined;
}

/** Token kinds by their numeric code in TokenBuffer (the scanner pushes codes). */
export const KINDS: readonly TokenKind[] = ['name', 'number', 'errno', 'string', 'newline', 'eof', '{', '}', '(', ')', '..', '->', '=',
  '+', '-', '*', '/', '%', '<<', '>>', '&', '|', '~', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '!'];
export const NAME = 0;
const NUMBER = 1;
export const ERRNO = 2;
export const STRING = 3;
export const NEWLINE = 4;
export const EOF = 5;

/**
 * The tokens of a text as parallel typed arrays (struct of arrays): a 50,000-line file has some
 * 300,000 tokens, and an object (or six array pushes) each would make allocation the scanner's
 * main cost. Always ends with one `eof` token.
 */
export class TokenBuffer {
  length = 0;
  private codes: Uint8Array;
  private startAt: Int32Array;
  private endAt: Int32Array;
  private lineAt: Int32Array;
  /** For a name, string or errno: its index in texts; for a number: in values; else -1. */
  private payloadAt: Int32Array;
  private texts: string[] = [];
  private values: (bigint | undefined)[] = [];

  constructor(capacity: number) {
    this.codes = new Uint8Array(capacity);
    this.startAt = new Int32Array(capacity);
    this.endAt = new Int32Array(capacity);
    this.lineAt = new Int32Array(capacity);
    this.payloadAt = new Int32Array(capacity);
  }

  /** Append a token of kind KINDS[code]; returns its index. */
  push(code: number, start: number, end: number, line: number): number {
    const i = this.length;
    if (i === this.codes.length) this.grow();
    this.codes[i] = code;
    this.startAt[i] = start;
    this.endAt[i] = end;
    this.lineAt[i] = line;
    this.payloadAt[i] = -1;
    this.length = i + 1;
    return i;
  }

  /** push for a token with text: a name, a string (its value) or an errno (its name). */
  pushText(code: number, start: number, end: number, line: number, text: string): void {
    const i = this.push(code, start, end, line);
    this.payloadAt[i] = this.texts.length;
    this.texts.push(text);
  }

  /** push for a number token and its value (undefined when the number is malformed). */
  pushNumber(start: number, end: number, line: number, value: bigint | undefined): void {
    const i = this.push(NUMBER, start, end, line);
    this.payloadAt[i] = this.values.length;
    this.values.push(value);
  }

  kind(i: number): TokenKind {
    return KINDS[this.codes[i]];
  }
  start(i: number): number {
    return this.startAt[i];
  }
  end(i: number): number {
    return this.endAt[i];
  }
  line(i: number): number {
    return this.lineAt[i];
  }
  text(i: number): string {
    const p = this.payloadAt[i];
    return p < 0 || this.codes[i] === NUMBER ? '' : this.texts[p];
  }
  value(i: number): bigint | undefined {
    const c = this.codes[i];
    if (c === NUMBER) return this.values[this.payloadAt[i]];
    return c === ERRNO ? -BigInt(ERRNO_BY_NAME[this.texts[this.payloadAt[i]]]) : undefined;
  }

  /** Every kind, as an array (built once on first use; for small inputs such as one line). */
  get kinds(): readonly TokenKind[] {
    if (!this.kindList) {
      this.kindList = [];
      for (let i = 0; i < this.length; i++) this.kindList.push(KINDS[this.codes[i]]);
    }
    return this.kindList;
  }
  private kindList: TokenKind[] | undefined;

  at(i: number): Token {
    return { kind: this.kind(i), start: this.start(i), end: this.end(i), line: this.line(i), text: this.text(i), value: this.value(i) };
  }

  toArray(): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.at(i));
    return out;
  }

  /**
   * A new buffer: this one's tokens with [first, after) replaced by region's first `count` tokens
   * (moved by `offset` characters and `line` lines), and the tokens from `after` on moved by
   * `delta` characters and `lineDelta` lines (rescan's splice). The payload tables are shared and
   * only appended to, so this buffer stays valid; undefined when they have grown past twice what
   * is in use (a full scan then starts them afresh).
   */
  splice(first: number, after: number, region: TokenBuffer, count: number, offset: number, line: number, delta: number, lineDelta: number): TokenBuffer | undefined {
    if (this.texts.length + this.values.length > 2 * this.length + 4096) return undefined;
    const n = first + count + (this.length - after);
    const out = new TokenBuffer(n + 16);
    out.texts = this.texts;
    out.values = this.values;
    const textBase = this.texts.length;
    const valueBase = this.values.length;
    // The region's names and strings are slices of this version's whole text: copied, so the
    // shared table (kept across many edits) does not keep every version of the document alive.
    for (let i = 0; i < region.texts.length; i++) this.texts.push(ownCopy(region.texts[i]));
    for (let i = 0; i < region.values.length; i++) this.values.push(region.values[i]);
    for (const key of ['codes', 'startAt', 'endAt', 'lineAt', 'payloadAt'] as const) {
      out[key].set(this[key].subarray(0, first));
      out[key].set(this[key].subarray(after, this.length), first + count);
    }
    for (let i = 0; i < count; i++) {
      const j = first + i;
      const code = region.codes[i];
      out.codes[j] = code;
      out.startAt[j] = region.startAt[i] + offset;
      out.endAt[j] = region.endAt[i] + offset;
      out.lineAt[j] = region.lineAt[i] + line;
      const pay = region.payloadAt[i];
      out.payloadAt[j] = pay < 0 ? -1 : pay + (code === NUMBER ? valueBase : textBase);
    }
    if (delta !== 0 || lineDelta !== 0) {
      for (let j = first + count; j < n; j++) {
        out.startAt[j] += delta;
        out.endAt[j] += delta;
        out.lineAt[j] += lineDelta;
      }
    }
    out.length = n;
    return out;
  }

  private grow(): void {
    const n = this.codes.length * 2 + 16;
    const codes = new Uint8Array(n);
    codes.set(this.codes);
    this.codes = codes;
    for (const key of ['startAt', 'endAt', 'lineAt', 'payloadAt'] as const) {
      const a = new Int32Array(n);
      a.set(this[key]);
      this[key] = a;
    }
  }
}

/**
 * A copy of s that does not share its characters with the string it was cut from (V8 keeps a
 * slice of 13 characters or more as a view into its parent; a concatenation flattened by slice is
 * a fresh string).
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
