// Changes made while stopped, as edits of the history (timeline.ts): a statement typed in the
// console, a Locals value, `ret`. Each edit is a closure over the interpreter it is applied to,
// so replaying the timeline applies it again to whatever state is there at that position.

import type { Stmt } from '../dsl/ast';
import type { Interpreter } from '../dsl/interpreter';
import type { SlotMap } from '../dsl/runtime';
import type { ScenarioEvent, ScenarioListener } from '../dsl/scenarioEvents';
import { hostLimitFailure } from '../dsl/limits';
import { compileStatement } from '../dsl/statements';
import { toBigInt, type U64 } from '../dsl/value';
import type { Edit } from './timeline';

/** A console statement as an edit; its first application reports its events and error. */
export function statementEdit(slots: SlotMap, stmt: Stmt, text: string): { edit: Edit; events: ScenarioEvent[]; listener: ScenarioListener; error(): string | undefined; limitReached(): boolean } {
  const exec = compileStatement(stmt, slots);
  const events: ScenarioEvent[] = [];
  const listener: ScenarioListener = (e) => events.push(e);
  let first: ScenarioListener | null = listener;
  let limited = false;
  const as: Extract<NonNullable<Edit['as']>, { kind: 'statement' }> = { kind: 'statement', text };
  const edit: Edit = {
    description: text,
    as,
    apply: (interp) => {
      let err: { message: string } | undefined;
      try {
        err = exec({ state: interp.state, listener: first, stmt });
      } catch (e) {
        err = hostLimitFailure(e, stmt.keyword); // past a host-memory limit (runStatement refuses it)
        limited = true;
      }
      if (first && err) {
        as.failed = err.message;
        as.changed = events.some((e) => e.kind !== 'error' && e.kind !== 'enter' && e.kind !== 'leave');
      }
      first = null;
    },
  };
  return { edit, events, listener, error: () => as.failed, limitReached: () => limited };
}

/** An edit of a Locals value: `ret`, or a `let` name (loop variables belong to their loop). */
export function localEdit(interp: Interpreter, name: string, v: U64): Edit | string | undefined {
  if (name === 'ret') {
    const ret = Number(BigInt.asIntN(32, toBigInt(v)));
    return { description: `set ret = ${ret}`, apply: (i) => void (i.state.ret = ret), as: { kind: 'ret', value: ret } };
  }
  const slots = interp.slotMap();
  if (!slots.has(name)) return undefined;
  if (interp.loops().some((l) => l.name === name)) return `'${name}' is a loop variable: the loop sets it`;
  const slot = slots.slotOf(name);
  return { description: `set ${name} = 0x${v.toString(16)}`, apply: (i) => void (i.state.slots[slot] = v), as: { kind: 'let', name, value: toBigInt(v) } };
}
