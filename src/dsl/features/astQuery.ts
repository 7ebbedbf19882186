// Questions about the syntax tree by offset: which statement holds it, which of the statement's
// parts (its gfn, gpa, value, ...) and which expression leaf. For hovers and quick fixes.

import type { Expr, Program, Span, Stmt } from '../ast';
import type { ExprRole } from './grammar';

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

export interface Slot {
  readonly role: ExprRole;
  readonly expr: Expr;
  /** The width of a stored or expected value (`u64`), when the slot is one. */
  readonly width?: string;
}

/** A statement's expression parts with their roles. */
export function slotsOf(s: Stmt): Slot[] {
  switch (s.kind) {
    case 'vgpu':
      return s.memory ? [{ role: 'memory', expr: s.memory }] : [];
    case 'handler':
      return [{ role: 'code', expr: s.returns }];
    case 'let':
      return [{ role: 'value', expr: s.value }];
    case 'repeat':
      return [{ role: 'count', expr: s.count }];
    case 'register':
    case 'unregister':
    case 'enable':
    case 'disable':
    case 'find':
    case 'expectTrack':
      return [{ role: 'gfn', expr: s.gfn }];
    case 'write':
      return s.data.kind === 'value'
        ? [{ role: 'gpa', expr: s.gpa }, { role: 'value', expr: s.data.value, width: s.data.width }]
        : [{ role: 'gpa', expr: s.gpa }];
    case 'read':
      return [{ role: 'gpa', expr: s.gpa }];
    case 'dispatch':
      return [{ role: 'gpa', expr: s.gpa }, { role: 'count', expr: s.bytes }];
    case 'expectMem':
      return [{ role: 'gpa', expr: s.gpa }, { role: 'value', expr: s.value, width: s.width }];
    case 'pagetable':
      return [...(s.pdps ?? [s.root]).map((expr) => ({ role: 'gfn' as const, expr })), { role: 'gfn', expr: s.pool.from }, { role: 'gfn', expr: s.pool.to }];
    case 'memslotRemove':
    case 'backing':
      return [{ role: 'gfn', expr: s.range.from }, { role: 'gfn', expr: s.range.to }];
    case 'map':
      return [{ role: 'va', expr: s.va }, { role: 'gfn', expr: s.gfn }];
    case 'unmap':
    case 'gpuRead':
      return [{ role: 'va', expr: s.va }];
    case 'expectGpu':
      return s.outcome.kind === 'gfn' ? [{ role: 'va', expr: s.va }, { role: 'gfn', expr: s.outcome.gfn }] : [{ role: 'va', expr: s.va }];
    case 'shadow':
    case 'unshadow':
      return (s.pdps ?? [s.root]).map((expr) => ({ role: 'gfn' as const, expr }));
    case 'expectMm':
      return [{ role: 'gfn', expr: s.root }, { role: 'count', expr: s.count }];
    case 'expectDma':
      return [{ role: 'gfn', expr: s.gfn }, { role: 'count', expr: s.count }];
    case 'print':
      return [{ role: 'value', expr: s.value }];
    case 'expectRet':
      return [{ role: 'code', expr: s.code }];
    case 'expectTraps':
      return [{ role: 'count', expr: s.count }];
    case 'kernel':
    case 'platform':
    case 'ips':
    case 'submit':
    case 'failsafe':
    case 'reset':
    case 'attach':
    case 'detach':
    case 'oos':
    case 'expectTrap':
    case 'expectHazard':
      return [];
  }
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
