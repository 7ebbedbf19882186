// The names a user's expression may use while stopped (conditions, logpoints, watch, REPL): the
// scenario's `let` and `repeat ... as` names, then pseudo-names of the debugger: `ret`, `trapped`,
// `step`, `traps`, and the operands of the statement at hand (`gfn`, `gpa`, `va`, `bytes`,
// `value`, `root`), so `bytes == 4` or `gfn == 0x102` work as line-breakpoint conditions.

import type { Expr, Stmt } from '../dsl/ast';
import { namedOperands, type DerivedOperand } from '../dsl/operands';
import type { Interpreter } from '../dsl/interpreter';
import { shr, type U64 } from '../dsl/value';
import { evaluate, signedValue, type Lookup } from './expressions';

/** Pseudo-names always available (statement operands come on top). */
const PSEUDO_NAMES = ['ret', 'trapped', 'step', 'traps'] as const;

/** The vGPU a statement names, if it names one. */
export function statementVgpu(s: Stmt): string | undefined {
  return 'vgpu' in s && s.vgpu && typeof s.vgpu === 'object' && 'name' in s.vgpu ? s.vgpu.name : undefined;
}

/**
 * A lookup over the interpreter's state: scenario names first, then pseudo-names, then the
 * operands of `stmt` (evaluated lazily), then `extra` (e.g. a trap's gfn/gpa/bytes).
 */
export function scopeLookup(interp: Interpreter, stmt: Stmt | undefined, extra?: Readonly<Record<string, U64>>, position = interp.stepCount): Lookup {
  const slots = interp.slotMap();
  const st = interp.state;
  const ops = stmt ? namedOperands(stmt) : {};
  const lookup: Lookup = (name) => {
    if (extra && Object.hasOwn(extra, name)) return extra[name];
    if (slots.has(name)) return st.slots[slots.slotOf(name)];
    switch (name) {
      case 'ret':
        return signedValue(st.ret);
      case 'trapped':
        return st.lastStoreTrapped ? 1 : 0;
      case 'step':
        return position;
      case 'traps': {
        const v = stmt && statementVgpu(stmt);
        const m = st.machine;
        if (v && m.vgpu(v)) return m.vgpu(v)!.traps;
        let n = 0;
        for (const g of m.vgpus.values()) n += g.traps;
        return n;
      }
    }
    const op = Object.hasOwn(ops, name) ? (ops as Record<string, Expr | DerivedOperand | undefined>)[name] : undefined;
    if (op === undefined) return undefined;
    if (typeof op === 'number') return op;
    if ('shr12' in op) {
      const v = evaluate(op.shr12, lookup);
      return typeof v === 'string' ? undefined : shr(v, 12);
    }
    const v = evaluate(op, lookup);
    return typeof v === 'string' ? undefined : v;
  };
  return lookup;
}

/** Every name the lookup knows at this statement (for completions and validation). */
export function namesInScope(interp: Interpreter, stmt: Stmt | undefined): string[] {
  const out = [...interp.slotMap().entries()].map(([n]) => n);
  out.push(...PSEUDO_NAMES);
  if (stmt) out.push(...Object.keys(namedOperands(stmt)));
  return out;
}

