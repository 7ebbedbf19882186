// The operands of each statement kind, defined once: the expression parts with their roles (what
// completion offers and hover explains in them) and the names a debugger expression may use for
// them at that statement (`gfn`, `gpa`, `va`, `bytes`, `value`, `root`, as in a breakpoint
// condition `gfn == 0x102`). The editor's slots and the debugger's names are both read from here.

import { WIDTH_BYTES, type Expr, type Stmt, type Width } from './ast';

/** What an expression slot holds, which decides the values and hovers offered there. */
export type ExprRole = 'gfn' | 'gpa' | 'va' | 'value' | 'code' | 'memory' | 'count';

/** Names the debugger gives a statement's operands. */
export type OperandName = 'gfn' | 'gpa' | 'va' | 'bytes' | 'value' | 'root';

export interface OperandSlot {
  readonly role: ExprRole;
  readonly expr: Expr;
  /** The debugger name of this operand, if it has one. */
  readonly names?: readonly OperandName[];
  /** The width of a stored or expected value (`u64`), when the slot is one. */
  readonly width?: Width;
}

/** Operands that are not an expression of their own: a gpa's gfn, a width's byte count. */
export type DerivedOperand = number | { readonly shr12: Expr };

export interface StatementOperands {
  readonly slots: readonly OperandSlot[];
  readonly derived: Readonly<Partial<Record<OperandName, DerivedOperand>>>;
}

const NONE: StatementOperands = { slots: [], derived: {} };
const slot = (role: ExprRole, expr: Expr, names?: readonly OperandName[], width?: Width): OperandSlot => ({ role, expr, names, width });
const only = (...slots: OperandSlot[]): StatementOperands => ({ slots, derived: {} });

export function operandsOf(s: Stmt): StatementOperands {
  switch (s.kind) {
    case 'vgpu':
      return s.memory ? only(slot('memory', s.memory)) : NONE;
    case 'handler':
      return only(slot('code', s.returns));
    case 'let':
      return only(slot('value', s.value));
    case 'repeat':
      return only(slot('count', s.count));
    case 'register':
    case 'unregister':
    case 'enable':
    case 'disable':
    case 'find':
    case 'expectTrack':
      return only(slot('gfn', s.gfn, ['gfn']));
    case 'write':
      return s.data.kind === 'value'
        ? { slots: [slot('gpa', s.gpa, ['gpa']), slot('value', s.data.value, ['value'], s.data.width)], derived: { gfn: { shr12: s.gpa }, bytes: WIDTH_BYTES[s.data.width] } }
        : { slots: [slot('gpa', s.gpa, ['gpa'])], derived: { gfn: { shr12: s.gpa }, bytes: s.data.bytes.length } };
    case 'read':
      return { slots: [slot('gpa', s.gpa, ['gpa'])], derived: { gfn: { shr12: s.gpa }, bytes: WIDTH_BYTES[s.width] } };
    case 'dispatch':
      return { slots: [slot('gpa', s.gpa, ['gpa']), slot('count', s.bytes, ['bytes'])], derived: { gfn: { shr12: s.gpa } } };
    case 'expectMem':
      return { slots: [slot('gpa', s.gpa, ['gpa']), slot('value', s.value, ['value'], s.width)], derived: { gfn: { shr12: s.gpa }, bytes: WIDTH_BYTES[s.width] } };
    case 'pagetable':
      return only(...roots(s.root, s.pdps), slot('gfn', s.pool.from), slot('gfn', s.pool.to));
    case 'shadow':
    case 'unshadow':
      return only(...roots(s.root, s.pdps));
    case 'memslotRemove':
    case 'backing':
      return only(slot('gfn', s.range.from), slot('gfn', s.range.to));
    case 'map':
      return only(slot('va', s.va, ['va']), slot('gfn', s.gfn, ['gfn']));
    case 'unmap':
    case 'gpuRead':
      return only(slot('va', s.va, ['va']));
    case 'expectGpu':
      return s.outcome.kind === 'gfn' ? only(slot('va', s.va, ['va']), slot('gfn', s.outcome.gfn)) : only(slot('va', s.va, ['va']));
    case 'expectMm':
      return only(slot('gfn', s.root, ['root', 'gfn']), slot('count', s.count));
    case 'expectDma':
      return only(slot('gfn', s.gfn, ['gfn']), slot('count', s.count));
    case 'print':
      return only(slot('value', s.value));
    case 'expectRet':
      return only(slot('code', s.code));
    case 'expectTraps':
      return only(slot('count', s.count));
    default:
      // No expression operands; `satisfies` keeps the switch exhaustive (a new kind fails here).
      s.kind satisfies 'kernel' | 'platform' | 'ips' | 'oos' | 'submit' | 'failsafe' | 'reset' | 'attach' | 'detach' | 'expectTrap' | 'expectHazard';
      return NONE;
  }
}

/** `root GFN` (named root and gfn), or the four `pdps` (the first named so). */
function roots(root: Expr, pdps: readonly Expr[] | undefined): OperandSlot[] {
  return (pdps ?? [root]).map((e, i) => slot('gfn', e, i === 0 ? ['root', 'gfn'] : undefined));
}

/** The debugger's names for a statement's operands: expression or derived value. */
export function namedOperands(s: Stmt): Partial<Record<OperandName, Expr | DerivedOperand>> {
  const ops = operandsOf(s);
  const out: Partial<Record<OperandName, Expr | DerivedOperand>> = { ...ops.derived };
  for (const sl of ops.slots) for (const n of sl.names ?? []) out[n] = sl.expr;
  return out;
}
