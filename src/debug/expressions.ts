// DSL expressions typed by the user (breakpoint conditions, logpoint `{expr}` parts, watch and
// REPL expressions, REPL command arguments): parsed with the language's own scanner and
// expression parser, evaluated over a lookup of names. Names are the scenario's `let`/`repeat`
// names plus pseudo-names the debugger supplies (`ret`, `gfn`, `bytes`, ...). Failures are values.

import type { Expr } from '../dsl/ast';
import { applyBinary, applyUnary, isFailure } from '../dsl/evaluate';
import { parseExpression } from '../dsl/parseExpression';
import { scan } from '../dsl/scanner';
import { TokenCursor } from '../dsl/tokenCursor';
import { fromBigInt, type U64 } from '../dsl/value';

export type Lookup = (name: string) => U64 | undefined;

interface ParsedExpressions {
  exprs: Expr[];
  /** Where parsing stopped (text.length when everything was consumed). */
  end: number;
  error?: string;
}

/**
 * Parses up to `max` expressions separated by white space (`0x40000 16`), as statement operands
 * are. Text after the last one is an error unless `allowRest`.
 */
function parseExpressions(text: string, max = 1, allowRest = false): ParsedExpressions {
  const scanned = scan(text);
  if (scanned.diagnostics.length > 0) return { exprs: [], end: 0, error: scanned.diagnostics[0].message };
  const c = new TokenCursor(text, scanned);
  const exprs: Expr[] = [];
  while (exprs.length < max && !c.atLineEnd()) {
    const e = parseExpression(c);
    if (!e || c.diagnostics.length > 0) return { exprs, end: c.token.start, error: c.diagnostics[0]?.message ?? 'expected an expression' };
    const sign = max > 1 ? signLikeOperand(text, e) : undefined;
    if (sign) return { exprs, end: sign.start, error: `'${text.slice(sign.start, sign.end)}' reads as one operand, a ${sign.op === '-' ? 'difference' : 'sum'}: write it with a space after '${sign.op}' for that, or '(${sign.op}…)' for an operand of its own` };
    exprs.push(e);
  }
  const end = c.atLineEnd() ? text.length : c.token.start;
  if (!allowRest && end < text.length) return { exprs, end, error: `unexpected '${text.slice(end).trim()}' after the expression` };
  if (exprs.length === 0) return { exprs, end, error: 'expected an expression' };
  return { exprs, end };
}

/**
 * Where operands are separated by white space, `0x1 -1` is one operand (0x1 - 1), though it looks
 * like two: a `+` or `-` outside parentheses with a space before it and none after is refused.
 */
function signLikeOperand(text: string, e: Expr): { start: number; end: number; op: string } | undefined {
  const todo: Expr[] = [e];
  for (let x = todo.pop(); x; x = todo.pop()) {
    // A parenthesised sub-expression's span includes its parentheses: inside them nothing is ambiguous.
    if (x.kind === 'unary' && text[x.span.start] !== '(') todo.push(x.operand);
    if (x.kind !== 'binary' || x.span.start < x.left.span.start) continue;
    todo.push(x.left, x.right);
    if (x.op !== '-' && x.op !== '+') continue;
    const between = text.slice(x.left.span.end, x.right.span.start);
    if (/^\s+[-+]$/.test(between)) return { start: x.span.start, end: x.span.end, op: x.op };
  }
  return undefined;
}

/** One expression, the whole text. */
export function parseOne(text: string): Expr | string {
  const r = parseExpressions(text.trim(), 1);
  return r.error ?? r.exprs[0];
}


/** Evaluates with the language's semantics (64-bit unsigned, wrapping). Returns the value or a message. */
export function evaluate(e: Expr, lookup: Lookup): U64 | string {
  switch (e.kind) {
    case 'number':
    case 'errno':
      return fromBigInt(e.value);
    case 'name': {
      const v = lookup(e.ident.name);
      return v === undefined ? `'${e.ident.name}' is not known here` : v;
    }
    case 'unary': {
      const a = evaluate(e.operand, lookup);
      return typeof a === 'string' ? a : applyUnary(e.op, a);
    }
    case 'binary': {
      const a = evaluate(e.left, lookup);
      if (typeof a === 'string') return a;
      if (e.op === '&&' && a === 0) return 0;
      if (e.op === '||' && a !== 0) return 1;
      const b = evaluate(e.right, lookup);
      if (typeof b === 'string') return b;
      const r = applyBinary(e.op, a, b, e.span);
      return isFailure(r) ? r.failure : r;
    }
  }
}

/** A logpoint message: text with `{expr}` parts (`{{` and `}}` are literal braces). */
export type LogTemplate = Array<string | Expr>;

export function parseLogMessage(message: string): LogTemplate | string {
  const out: LogTemplate = [];
  let text = '';
  for (let i = 0; i < message.length; i++) {
    const ch = message[i];
    if ((ch === '{' || ch === '}') && message[i + 1] === ch) {
      text += ch;
      i++;
    } else if (ch === '{') {
      const close = message.indexOf('}', i + 1);
      if (close < 0) return `unclosed '{' in the log message`;
      const e = parseOne(message.slice(i + 1, close));
      if (typeof e === 'string') return `in {${message.slice(i + 1, close)}}: ${e}`;
      if (text) out.push(text);
      text = '';
      out.push(e);
      i = close;
    } else {
      text += ch;
    }
  }
  if (text) out.push(text);
  return out;
}

export function renderLogMessage(t: LogTemplate, lookup: Lookup): string {
  return t.map((p) => (typeof p === 'string' ? p : formatValue(evaluate(p, lookup)))).join('');
}

/** `0x2a` for a value, `<message>` for a failure. */
function formatValue(v: U64 | string): string {
  return typeof v === 'string' ? `<${v}>` : '0x' + v.toString(16);
}

/** A JS number for small values (gfns, addresses, lengths), else undefined. */
export const asNumber = (v: U64): number | undefined => (typeof v === 'number' ? v : undefined);

/** A kernel return code (a small negative number) as a scenario value, so `ret == -EEXIST` holds. */
export const signedValue = (n: number): U64 => fromBigInt(BigInt(n));

/** The name `text` starts with when `is(name)` (a console command's vGPU, named first), and the rest. */
export function leadingName(text: string, is: (name: string) => boolean): { name?: string; rest: string } {
  const w = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text)?.[0];
  return w && is(w) ? { name: w, rest: text.slice(w.length).trim() } : { rest: text };
}

/** A console command's operands: `min` to `max` expressions evaluated to numbers, or what is wrong (the usage, or why). */
export function numbersOf(text: string, min: number, max: number, lookup: Lookup, usage: string): number[] | string {
  const p: { exprs: Expr[]; error?: string } = text.trim() === '' && min === 0 ? { exprs: [] } : parseExpressions(text, max);
  if (p.error || p.exprs.length < min) return `usage: ${usage}${p.error ? ` (${p.error})` : ''}`;
  const out: number[] = [];
  for (const e of p.exprs) {
    const r = evaluate(e, lookup);
    if (typeof r === 'string') return r;
    const n = asNumber(r);
    if (n === undefined) return `0x${r.toString(16)} is too large here`;
    out.push(n);
  }
  return out;
}

