// Questions about the syntax tree by offset: which statement holds it, which of the statement's
// parts (its gfn, gpa, value, ...) and which expression leaf. For hovers and quick fixes.

import type { Expr, Program, Span, Stmt } from '../ast';
import { operandsOf, type OperandSlot } from '../operands';

const holds = (s: Span, offset: number): boolean => s.start <= offset && offset <= s.end;

/** The innermost statement whose span holds offset (a `repeat`'s body before the repeat itself). */
export function statementAt(program: Program, offset: number): Stmt | undefined {
  let list = program.statements;
  let found: Stmt | undefined;
  for (;;) {
    const s = search(list, offset);
    if (!s) return found;
    found = s;
    if (s.kind !== 'repeat') return s;
    list = s.body;
  }
}

/** Binary search over statements in source order. */
function search(list: readonly Stmt[], offset: number): Stmt | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = list[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** Every statement, depth first in source order, with its depth of `repeat` nesting. */
export function* allStatements(list: readonly Stmt[], depth = 0): Generator<{ stmt: Stmt; depth: number }> {
  for (const s of list) {
    yield { stmt: s, depth };
    if (s.kind === 'repeat') yield* allStatements(s.body, depth + 1);
  }
}

export type Slot = OperandSlot;

/** A statement's expression parts with their roles (src/dsl/operands.ts defines them). */
export function slotsOf(s: Stmt): readonly Slot[] {
  return operandsOf(s).slots;
}

export const slotAt = (s: Stmt, offset: number): Slot | undefined => slotsOf(s).find((x) => holds(x.expr.span, offset));

/** The leaf (number, errno or name) of an expression at offset. */
export function leafAt(e: Expr, offset: number): Expr | undefined {
  if (!holds(e.span, offset)) return undefined;
  switch (e.kind) {
    case 'number':
    case 'errno':
    case 'name':
      return e;
    case 'unary':
      return leafAt(e.operand, offset);
    case 'binary':
      return leafAt(e.left, offset) ?? leafAt(e.right, offset);
  }
}

/** Every expression node, outermost first (for collecting unary operators and the like). */
export function* exprNodes(e: Expr): Generator<Expr> {
  yield e;
  if (e.kind === 'unary') yield* exprNodes(e.operand);
  else if (e.kind === 'binary') {
    yield* exprNodes(e.left);
    yield* exprNodes(e.right);
  }
}
