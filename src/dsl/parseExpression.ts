// Expressions and ranges. Precedence is C's, loosest first: `||`, `&&`, `== !=`, `< <= > >=`,
// `|`, `&`, `<< >>`, `+ -`, `* / %`, then unary `- ~ !`; binary operators associate left. A name
// directly after a complete operand ends the expression (`gpa base u64 ...`), which is what lets
// expressions sit between a statement's words without separators.
// An expression has at most MAX_NODES nodes, so the checker's and evaluator's recursion is bounded.

import type { BinaryOp, Expr, RangeExpr } from './ast';
import { excerpt, type TokenKind } from './scanner';
import type { TokenCursor } from './tokenCursor';

const PRECEDENCE: Partial<Record<TokenKind, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '|': 5,
  '&': 6,
  '<<': 7,
  '>>': 7,
  '+': 8,
  '-': 8,
  '*': 9,
  '/': 9,
  '%': 9,
};

const MAX_NODES = 500;
const U64_LIMIT = 1n << 64n;

/** A placeholder for an expression that failed to parse in a statement kept for recovery: a name ''. */
export function missingExpr(at: number): Expr {
  return { kind: 'name', ident: { name: '', start: at, end: at }, span: { start: at, end: at } };
}

/** True for the placeholder of missingExpr: the checker and evaluator skip it silently. */
export const isMissing = (e: Expr): boolean => e.kind === 'name' && e.ident.name === '';

export function parseExpression(c: TokenCursor): Expr | undefined {
  c.exprNodes = 0;
  return binary(c, 1);
}

/** `A..B` (inclusive), where the grammar takes a range. */
export function parseRange(c: TokenCursor): RangeExpr | undefined {
  const from = parseExpression(c);
  if (!from) return undefined;
  if (!c.punct('..')) return undefined;
  const to = parseExpression(c);
  if (!to) return undefined;
  return { start: from.span.start, end: to.span.end, from, to };
}

function binary(c: TokenCursor, minPrecedence: number): Expr | undefined {
  let left = unary(c);
  while (left) {
    const op = c.kind;
    const p = PRECEDENCE[op];
    if (p === undefined || p < minPrecedence) break;
    c.next();
    const right = binary(c, p + 1);
    if (!right || !count(c)) return undefined;
    left = { kind: 'binary', op: op as BinaryOp, left, right, span: { start: left.span.start, end: right.span.end } };
  }
  return left;
}

function unary(c: TokenCursor): Expr | undefined {
  const op = c.kind;
  if (op === '-' || op === '~' || op === '!') {
    const start = c.start;
    c.next();
    if (!count(c)) return undefined;
    const operand = unary(c);
    if (!operand) return undefined;
    return { kind: 'unary', op, operand, span: { start, end: operand.span.end } };
  }
  return primary(c);
}

function primary(c: TokenCursor): Expr | undefined {
  if (!count(c)) return undefined;
  switch (c.kind) {
    case 'number': {
      const value = c.value;
      if (value === undefined) {
        const raw = c.raw();
        const hint = /^[0-9]+[kmg]$/.test(raw) ? ' (size suffixes are upper case: K, M, G)' : '';
        return c.error('invalid-number', `invalid number '${raw}'${hint}`);
      }
      if (value >= U64_LIMIT) return c.error('number-too-large', `number '${excerpt(c.raw(), 0, c.raw().length)}' does not fit in 64 bits`);
      const span = c.span();
      c.next();
      return { kind: 'number', value, span };
    }
    case 'errno': {
      const e: Expr = { kind: 'errno', name: c.tokenText, value: c.value ?? 0n, span: c.span() };
      c.next();
      return e;
    }
    case 'name': {
      const ident = { name: c.tokenText, start: c.start, end: c.end };
      c.next();
      return { kind: 'name', ident, span: ident }; // an Ident is a Span: one object for both
    }
    case '(': {
      const start = c.start;
      c.next();
      const inner = binary(c, 1);
      if (!inner) return undefined;
      if (!c.punct(')')) return undefined;
      return { ...inner, span: { start, end: c.lastEnd } };
    }
    default:
      return c.error('expected-expression', `expected an expression, found ${c.describe()}`);
  }
}

/** Count one more node against the expression's budget (reported once when exceeded). */
function count(c: TokenCursor): boolean {
  if (++c.exprNodes <= MAX_NODES) return true;
  c.error('too-complex', `expression too complex (more than ${MAX_NODES} parts)`);
  return false;
}
