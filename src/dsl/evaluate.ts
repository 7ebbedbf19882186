// Expression evaluation over U64 values. compileExpression turns an Expr into a closure once
// (names already resolved to slot indices, constant subtrees folded), so a statement in a
// million-iteration `repeat` evaluates without walking the tree. foldExpression is the checker's
// tree walk over what is statically known. Failures are values, never exceptions.
//
// Semantics: every operator wraps modulo 2^64 (value.ts); `/` and `%` by 0 fail; a shift count of
// 64 or more gives 0 (BigInt.asUintN(64, a << n) semantics, not C's undefined behaviour);
// comparisons are unsigned and, like `&& || !`, yield 1 or 0; `&&` and `||` short-circuit.

import type { BinaryOp, Expr, Span, UnaryOp } from './ast';
import * as V from './value';
import { TWO_53, type U64 } from './value';

export interface EvalFailure {
  readonly failure: string;
  readonly span: Span;
}

export type CompiledExpr = (slots: readonly U64[]) => U64 | EvalFailure;

export const isFailure = (v: U64 | EvalFailure | undefined): v is EvalFailure => typeof v === 'object';

type Op2 = (a: U64, b: U64) => U64;

const BINARY: Readonly<Record<Exclude<BinaryOp, '/' | '%' | '&&' | '||'>, Op2>> = {
  '+': V.add,
  '-': V.sub,
  '*': V.mul,
  '<<': V.shl,
  '>>': V.shr,
  '&': V.and,
  '|': V.or,
  '==': (a, b) => V.bool(a === b),
  '!=': (a, b) => V.bool(a !== b),
  '<': (a, b) => V.bool(V.cmp(a, b) < 0),
  '<=': (a, b) => V.bool(V.cmp(a, b) <= 0),
  '>': (a, b) => V.bool(V.cmp(a, b) > 0),
  '>=': (a, b) => V.bool(V.cmp(a, b) >= 0),
};

const UNARY: Readonly<Record<UnaryOp, (a: U64) => U64>> = {
  '-': V.neg,
  '~': V.not,
  '!': (a) => V.bool(a === 0),
};


/** One binary operation on known operands (division by zero is a failure at `span`). */
export function applyBinary(op: BinaryOp, a: U64, b: U64, span: Span): U64 | EvalFailure {
  switch (op) {
    case '/':
      return b === 0 ? { failure: 'division by zero', span } : V.div(a, b);
    case '%':
      return b === 0 ? { failure: 'modulo by zero', span } : V.mod(a, b);
    case '&&':
      return V.bool(a !== 0 && b !== 0);
    case '||':
      return V.bool(a !== 0 || b !== 0);
    default:
      return BINARY[op](a, b);
  }
}

export const applyUnary = (op: UnaryOp, a: U64): U64 => UNARY[op](a);

/**
 * Compile an expression. `resolve` maps a name to its slot; a name it does not know compiles to
 * the failure "unknown name X" (the checker has reported it already). A slot still undefined when
 * evaluated (its `let` has not run) fails with "X has no value yet".
 */
export function compileExpression(expr: Expr, resolve: (name: string) => number | undefined): CompiledExpr {
  const c = compile(expr, resolve);
  if (c.constant !== undefined) {
    const k = c.constant;
    return () => k;
  }
  return c.fn;
}

/** The value of an expression without names, or a failure (a name is "not a constant"). */
export function evaluateConstant(expr: Expr): U64 | EvalFailure {
  const r = foldExpression(expr, () => undefined);
  return r ?? { failure: 'not a constant expression', span: expr.span };
}

/**
 * Evaluate what is statically known: `lookup` gives a name's constant value or undefined when it
 * is not known. Returns undefined when the result depends on an unknown name (except where it
 * cannot: `0 && x` is 0), or a failure for a certain division by zero.
 */
export function foldExpression(expr: Expr, lookup: (name: string, span: Span) => U64 | undefined): U64 | EvalFailure | undefined {
  switch (expr.kind) {
    case 'number':
    case 'errno':
      return V.fromBigInt(expr.value);
    case 'name':
      return lookup(expr.ident.name, expr.ident);
    case 'unary': {
      const a = foldExpression(expr.operand, lookup);
      return a === undefined || isFailure(a) ? a : UNARY[expr.op](a);
    }
    case 'binary': {
      const a = foldExpression(expr.left, lookup);
      if (isFailure(a)) return a;
      if (expr.op === '&&' && a === 0) return 0;
      if (expr.op === '||' && a !== undefined && a !== 0) return 1;
      const b = foldExpression(expr.right, lookup);
      if (isFailure(b)) return b;
      if (a === undefined || b === undefined) return undefined;
      return applyBinary(expr.op, a, b, expr.span);
    }
  }
}

interface Compiled {
  fn: CompiledExpr;
  /** Set when the expression has no names: its value (or failure), folded at compile time. */
  constant?: U64 | EvalFailure;
}

const constant = (v: U64 | EvalFailure): Compiled => ({ fn: () => v, constant: v });

function compile(expr: Expr, resolve: (name: string) => number | undefined): Compiled {
  switch (expr.kind) {
    case 'number':
    case 'errno':
      return constant(V.fromBigInt(expr.value));
    case 'name': {
      const name = expr.ident.name;
      const slot = resolve(name);
      if (slot === undefined) return { fn: () => ({ failure: `unknown name '${name}'`, span: expr.span }) };
      const unset: EvalFailure = { failure: `'${name}' has no value yet`, span: expr.span };
      return { fn: (s) => s[slot] ?? unset };
    }
    case 'unary': {
      const f = compile(expr.operand, resolve);
      const op = UNARY[expr.op];
      if (f.constant !== undefined) return constant(isFailure(f.constant) ? f.constant : op(f.constant));
      const g = f.fn;
      return {
        fn: (s) => {
          const a = g(s);
          return typeof a === 'object' ? a : op(a);
        },
      };
    }
    case 'binary':
      return compileBinary(expr.op, compile(expr.left, resolve), compile(expr.right, resolve), expr.span);
  }
}

function compileBinary(op: BinaryOp, l: Compiled, r: Compiled, span: Span): Compiled {
  if (l.constant !== undefined && r.constant !== undefined) {
    if (isFailure(l.constant)) return constant(l.constant);
    if ((op === '&&' && l.constant === 0) || (op === '||' && l.constant !== 0)) return constant(V.bool(op === '||'));
    return constant(isFailure(r.constant) ? r.constant : applyBinary(op, l.constant, r.constant, span));
  }
  const f = l.fn;
  const g = r.fn;
  // One operand a known number (`i % 512`, `x << 12`, `0x800 + i`): no call for it, and the
  // common number cases inline (the statements of a long `repeat` spend their time here).
  const k = r.constant ?? l.constant;
  if (typeof k === 'number' && op !== '&&' && op !== '||' && !((op === '/' || op === '%') && (r.constant === undefined || k === 0))) {
    return { fn: withConstant(op, r.constant === undefined ? g : f, k, r.constant !== undefined) };
  }
  switch (op) {
    case '&&':
    case '||': {
      const stop = op === '||'; // the left truth value that decides the result alone
      return {
        fn: (s) => {
          const a = f(s);
          if (typeof a === 'object') return a;
          if ((a !== 0) === stop) return V.bool(stop);
          const b = g(s);
          return typeof b === 'object' ? b : V.bool(b !== 0);
        },
      };
    }
    case '/':
    case '%': {
      const fail: EvalFailure = { failure: op === '/' ? 'division by zero' : 'modulo by zero', span };
      const h = op === '/' ? V.div : V.mod;
      return {
        fn: (s) => {
          const a = f(s);
          if (typeof a === 'object') return a;
          const b = g(s);
          if (typeof b === 'object') return b;
          return b === 0 ? fail : h(a, b);
        },
      };
    }
    default: {
      const h = BINARY[op];
      return {
        fn: (s) => {
          const a = f(s);
          if (typeof a === 'object') return a;
          const b = g(s);
          return typeof b === 'object' ? b : h(a, b);
        },
      };
    }
  }
}

const TWO_31 = 0x8000_0000;

/**
 * `x OP k` (kOnRight) or `k OP x` with k a known number, x compiled: the same values as the
 * general case (V's functions), with the number-only results computed inline.
 */
function withConstant(op: Exclude<BinaryOp, '&&' | '||'>, x: CompiledExpr, k: number, kOnRight: boolean): CompiledExpr {
  switch (op) {
    case '+':
      return (s) => {
        const a = x(s);
        if (typeof a === 'number') {
          const sum = a + k;
          if (sum < TWO_53) return sum;
        } else if (typeof a === 'object') return a;
        return V.add(a, k);
      };
    case '*':
      return (s) => {
        const a = x(s);
        if (typeof a === 'number') {
          const p = a * k;
          if (p < TWO_53) return p;
        } else if (typeof a === 'object') return a;
        return V.mul(a, k);
      };
    case '|':
    case '&':
      if (k < TWO_31) {
        const or = op === '|';
        const h = or ? V.or : V.and;
        return (s) => {
          const a = x(s);
          if (typeof a === 'number') {
            if (a < TWO_31) return or ? a | k : a & k;
          } else if (typeof a === 'object') return a;
          return h(a, k);
        };
      }
      break;
    case '%':
      // kOnRight here, and k ≠ 0 (compileBinary keeps the division-by-zero cases general).
      return (s) => {
        const a = x(s);
        if (typeof a === 'number') return a % k;
        if (typeof a === 'object') return a;
        return V.mod(a, k);
      };
    case '/':
      return (s) => {
        const a = x(s);
        return typeof a === 'object' ? a : V.div(a, k);
      };
  }
  const h = BINARY[op as keyof typeof BINARY];
  return kOnRight
    ? (s) => {
        const a = x(s);
        return typeof a === 'object' ? a : h(a, k);
      }
    : (s) => {
        const b = x(s);
        return typeof b === 'object' ? b : h(k, b);
      };
}
