// The scanner: `.gvt` text to tokens, hand-written and total (as node-jsonc-parser's scanner: it
// never throws; a bad character is one diagnostic and is skipped). Keywords are ordinary names here:
// the parser decides by position, so `gpu` or `ret` can still name a vGPU.
//
// Decisions that the grammar leaves open:
// - Names are `[A-Za-z_][A-Za-z0-9_-]*` (docs/language.md), but a `-` belongs to a name only when the
//   character after it is a letter, digit or `_`: `vm-1` and `a-b` are one name, `a - b`, `a -1`
//   (name, minus, 1) and `a->` (name, arrow) are not. Subtraction of two names needs spaces.
// - `-` directly followed by a known errno name (`-EEXIST`, ..., `-EBADRQC`) is one errno token;
//   `-X` for any other name is minus and a name.
// - A run starting with a digit, `[0-9][A-Za-z0-9_]*`, is one number token. Its value is undefined
//   when the run is not a valid number (`0a`, `1c`, `4k`): `bytes 0a 1c` needs the raw text, and the
//   parser reports `invalid-number` only where a number was meant.
// - Sizes: a number with suffix K, M or G has its value multiplied by 1024^n (`4K`, `0x10K`).
// - Newlines are tokens (statements are line based); comments are not, but their spans are kept.

import { ERRNO_BY_NAME } from '../core/errno';
import type { Span } from './ast';
import { PHASE_DIAGNOSTICS, diagnostic, type Diagnostic } from './diagnostic';
import { EOF, ERRNO, KINDS, NAME, NEWLINE, STRING, TokenBuffer } from './tokenBuffer';

export type { Token, TokenKind } from './tokenBuffer';
export { TokenBuffer } from './tokenBuffer';

export interface ScanResult {
  readonly tokens: TokenBuffer;
  readonly diagnostics: Diagnostic[];
  /** `#` comments, from `#` to the end of the line. */
  readonly comments: Span[];
  /** The 0-based lines that have a scanner diagnostic (the parser reports nothing more there). */
  readonly errorLines: ReadonlySet<number>;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** Letters, digits and `_`: what may follow a `-` inside a name. */
const isNameChar = (c: number): boolean => isLetter(c) || isDigit(c);

/** The end of a name that starts at `i` (the language rule plus the `-` rule above). */
function nameEnd(text: string, i: number): number {
  const n = text.length;
  for (;;) {
    const c = text.charCodeAt(i);
    if (isNameChar(c)) i++;
    else if (c === 45 /* - */ && i + 1 < n && isNameChar(text.charCodeAt(i + 1))) i += 2;
    else return i;
  }
}

/** Each code's text length (punctuation's text is its kind). */
const LENGTH: readonly number[] = KINDS.map((k) => k.length);

/** Punctuation and operators by character code: one-character tokens, and two-character ones by both codes (ASCII only). */
const ONE = new Int16Array(128).fill(-1);
const TWO = new Int16Array(128 * 128).fill(-1);
for (let code = EOF + 1; code < KINDS.length; code++) {
  const k = KINDS[code];
  if (k.length === 1) ONE[k.charCodeAt(0)] = code;
  else TWO[(k.charCodeAt(0) << 7) | k.charCodeAt(1)] = code;
}

/** The code of the punctuation or operator token starting with c (then d), or -1; the longest wins (`<<` before `<`). */
function punctuation(c: number, d: number): number {
  if (!(c < 128)) return -1;
  const two = d < 128 ? TWO[(c << 7) | d] : -1;
  return two >= 0 ? two : ONE[c];
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;

/**
 * Names repeat (keywords, vGPU and handler names): the scanner returns one string per distinct
 * name instead of a new slice per occurrence, so a large file's tree holds far fewer strings.
 */
class NameTable {
  private readonly byHash = new Map<number, string>();

  /** The name text[start..end), whose hash (see nameAt) is h. */
  get(text: string, start: number, end: number, h: number): string {
    const known = this.byHash.get(h);
    if (known !== undefined && known.length === end - start && text.startsWith(known, start)) return known;
    const name = text.slice(start, end);
    this.byHash.set(h, name);
    return name;
  }
}

/** Source text for a message: at most 40 characters, control characters shown as \u escapes. */
export function excerpt(text: string, start: number, end: number): string {
  let s = '';
  for (let i = start; i < Math.min(end, start + 40); i++) {
    const c = text.charCodeAt(i);
    s += c < 32 || c === 127 ? `\\u${c.toString(16).padStart(4, '0')}` : text[i];
  }
  return end - start > 40 ? `${s}… (${end - start} characters)` : s;
}

export function scan(text: string): ScanResult {
  const tokens = new TokenBuffer((text.length >> 2) + 16);
  const diagnostics: Diagnostic[] = [];
  const comments: Span[] = [];
  const errorLines = new Set<number>();
  const names = new NameTable();
  const n = text.length;
  let line = 0;
  let i = 0;

  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    if (isLetter(c)) {
      // nameEnd's loop, hashing as it goes (one pass over the name's characters).
      let h = c;
      for (i++; ; ) {
        const d = text.charCodeAt(i);
        if (isNameChar(d)) {
          h = (Math.imul(h, 31) + d) | 0;
          i++;
        } else if (d === 45 && isNameChar(text.charCodeAt(i + 1))) {
          h = (Math.imul(Math.imul(h, 31) + 45, 31) + text.charCodeAt(i + 1)) | 0;
          i += 2;
        } else break;
      }
      tokens.pushText(NAME, start, i, line, names.get(text, start, i, h));
    } else if (isSpace(c)) {
      i++;
    } else if (isDigit(c)) {
      i++;
      while (i < n && isNameChar(text.charCodeAt(i))) i++;
      tokens.pushNumber(start, i, line, numberValue(text, start, i));
    } else if (c === 10 || c === 13) {
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      tokens.push(NEWLINE, start, i, line);
      line++;
    } else if (c === 35 /* # */) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      comments.push({ start, end: i });
    } else if (c === 34 /* " */) {
      const before = diagnostics.length;
      i = scanString(text, i, line, tokens, diagnostics);
      if (diagnostics.length > before) errorLines.add(line);
    } else if (c === 45 /* - */ && isUpper(text.charCodeAt(i + 1)) && errnoAt(text, i + 1) !== undefined) {
      const end = nameEnd(text, i + 1);
      const name = text.slice(i + 1, end);
      tokens.pushText(ERRNO, start, end, line, name);
      i = end;
    } else {
      const kind = punctuation(c, text.charCodeAt(i + 1));
      if (kind >= 0) {
        i += LENGTH[kind];
        tokens.push(kind, start, i, line);
      } else {
        // A run of characters that start nothing is one diagnostic.
        i++;
        while (i < n && isBadChar(text.charCodeAt(i))) i++;
        if (diagnostics.length < PHASE_DIAGNOSTICS) diagnostics.push(diagnostic('error', 'invalid-character', `invalid character${i - start > 1 ? 's' : ''} '${excerpt(text, start, i)}'`, start, i));
        errorLines.add(line);
      }
    }
  }
  tokens.push(EOF, n, n, line);
  return { tokens, diagnostics, comments, errorLines };
}

const isUpper = (c: number): boolean => c >= 65 && c <= 90;

/** Characters that start nothing (control characters included, so a run of NULs is one diagnostic). */
function isBadChar(c: number): boolean {
  return !(isNameChar(c) || c === 32 || c === 10 || c === 13 || isSpace(c) || c === 35 || c === 34 || c === 46 || punctuation(c, 0) >= 0);
}

/** The errno name at `i` if the name there is one (ESRCH, ENXIO, ...). */
function errnoAt(text: string, i: number): string | undefined {
  const name = text.slice(i, nameEnd(text, i));
  return Object.prototype.hasOwnProperty.call(ERRNO_BY_NAME, name) ? name : undefined;
}

function scanString(text: string, start: number, line: number, tokens: TokenBuffer, diagnostics: Diagnostic[]): number {
  const n = text.length;
  let i = start + 1;
  let value = '';
  let chunk = i;
  for (;;) {
    if (i >= n || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13) {
      value += text.slice(chunk, i);
      if (diagnostics.length < PHASE_DIAGNOSTICS) diagnostics.push(diagnostic('error', 'unterminated-string', 'unterminated string (a string ends on its line with `"`)', start, i));
      tokens.pushText(STRING, start, i, line, value);
      return i;
    }
    const c = text.charCodeAt(i);
    if (c === 34) {
      value += text.slice(chunk, i);
      tokens.pushText(STRING, start, i + 1, line, value);
      return i + 1;
    }
    if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 34 || next === 92) {
        value += text.slice(chunk, i) + text[i + 1];
        i += 2;
        chunk = i;
        continue;
      }
      if (i + 1 < n && next !== 10 && next !== 13) {
        if (diagnostics.length < PHASE_DIAGNOSTICS) diagnostics.push(diagnostic('error', 'invalid-escape', `invalid escape '\\${text[i + 1]}' (strings allow \\" and \\\\)`, i, i + 2));
        i += 2;
        continue;
      }
    }
    i++;
  }
}

const SUFFIX: Readonly<Record<number, number>> = { 75: 10, 77: 20, 71: 30 }; // K, M, G: shift
/** Any value from here on is reported as not fitting in 64 bits, whatever its digits. */
const TOO_LARGE = 1n << 66n;

/** The value of a number run (`42`, `0x4000_0000`, `64M`, `0x10K`), or undefined if malformed. */
function numberValue(text: string, start: number, end: number): bigint | undefined {
  let i = start;
  let base = 10;
  if (text.charCodeAt(i) === 48 && (text.charCodeAt(i + 1) | 32) === 120) {
    base = 16;
    i += 2;
  }
  let last = end;
  const shift = SUFFIX[text.charCodeAt(end - 1)];
  if (shift !== undefined) last--;
  if (i >= last) return undefined;
  let small = 0;
  let big: bigint | undefined;
  let afterDigit = false;
  for (; i < last; i++) {
    const c = text.charCodeAt(i);
    if (c === 95 /* _ */) {
      if (!afterDigit) return undefined;
      afterDigit = false;
      continue;
    }
    const d = digitValue(c);
    if (d < 0 || d >= base) return undefined;
    afterDigit = true;
    if (big === undefined && small < 0x1_0000_0000_0000 /* 2^48: small * 16 + 15 stays exact */) small = small * base + d;
    else if (big === undefined || big < TOO_LARGE) big = (big ?? BigInt(small)) * BigInt(base) + BigInt(d);
    // Past 2^66 the value only has to stay "too large": growing a BigInt per digit is quadratic.
  }
  if (!afterDigit) return undefined;
  const v = big ?? smallBigInt(small);
  return shift === undefined ? v : v << BigInt(shift);
}

/** BigInts are immutable: small literals (most of a file's numbers) share one object per value. */
const SMALL_BIGINTS: bigint[] = [];
function smallBigInt(v: number): bigint {
  if (v >= 0x10000) return BigInt(v);
  return (SMALL_BIGINTS[v] ??= BigInt(v));
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}
