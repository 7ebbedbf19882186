// Names while the checker walks a scenario in source order: which vGPUs, handlers and values are
// visible, each reference resolved (and recorded in the SymbolTable), and the errors of names:
// unknown (with "did you mean"), used before their definition, defined twice, a loop variable
// assigned. The checker owns statements and constants; this file owns scopes.
//
// Rules (the language reference documents them):
// - vGPUs and handlers are global from their definition on; a second definition is an error.
//   `log` and `ppgtt` are built-in handlers.
// - `let NAME = EXPR` binds a new name in the current block, visible to the block's end. A `let` of
//   a name already visible assigns that name instead of shadowing it: the interpreter keeps one slot
//   per name, so shadowing could not mean anything else, and `let acc = acc + i` in a loop then
//   accumulates as it reads. Assigning a loop variable is an error; so is `repeat ... as NAME` for
//   a NAME already visible (the inner loop would overwrite the outer's variable).

import type { Ident, Stmt } from './ast';
import { errorAt, type Diagnostic } from './diagnostic';
import { SuggestBudget, closest, didYouMean } from './suggest';
import { SymbolTable, type Namespace, type SymbolDef } from './symbols';
import type { U64 } from './value';

/** A value name while the walk is inside its scope, with its statically known value. */
export interface Variable {
  readonly def: SymbolDef;
  value: U64 | undefined;
}

const WHAT: Readonly<Record<Namespace, string>> = { vgpu: 'vGPU', handler: 'handler', value: 'name' };
const UNKNOWN = { vgpu: 'unknown-vgpu', handler: 'unknown-handler', value: 'unknown-name' } as const;
/**
 * The longest vGPU or handler name: both are printed in every trace line about them (a
 * 3,000-character vGPU name made `diff` of a 27 KB file take 24 s, and its trace 2 GB).
 */
const MAX_GLOBAL_NAME = 128;

export class NameResolver {
  readonly symbols = new SymbolTable();
  private readonly vgpus = new Map<string, SymbolDef>();
  private readonly handlers = new Map<string, SymbolDef>();
  private readonly scopes: Map<string, Variable>[] = [new Map()];
  /** First definition offset of every name, by namespace: tells "used too early" from "unknown". */
  private readonly defined: Record<Namespace, Map<string, number>> = { vgpu: new Map(), handler: new Map(), value: new Map() };

  /** The file's "did you mean" work, shared by all its unknown names. */
  private readonly suggestions = new SuggestBudget();

  constructor(
    private readonly fileEnd: number,
    statements: readonly Stmt[],
    /** Where its problems go: the checker's, which caps them with its own. */
    private readonly report: (d: Diagnostic) => void,
  ) {
    for (const name of ['log', 'ppgtt']) {
      this.handlers.set(name, this.symbols.define({ kind: 'handler', name, ident: undefined, stmt: undefined, scope: { start: 0, end: fileEnd } }));
    }
    this.collect(statements);
  }

  private collect(statements: readonly Stmt[]): void {
    for (const s of statements) {
      if (s.kind === 'vgpu') this.note('vgpu', s.name);
      else if (s.kind === 'handler') this.note('handler', s.name);
      else if (s.kind === 'let') this.note('value', s.name);
      else if (s.kind === 'repeat') {
        if (s.as) this.note('value', s.as);
        this.collect(s.body);
      }
    }
  }

  private note(ns: Namespace, id: Ident): void {
    if (!this.defined[ns].has(id.name)) this.defined[ns].set(id.name, id.start);
  }

  // ---- definitions --------------------------------------------------------------------------

  /** `vgpu NAME` / `handler NAME`: the new definition, or undefined for a duplicate (reported). */
  defineGlobal(kind: 'vgpu' | 'handler', id: Ident, stmt: Stmt): SymbolDef | undefined {
    const table = kind === 'vgpu' ? this.vgpus : this.handlers;
    const existing = table.get(id.name);
    if (existing) {
      const message = existing.ident ? `${WHAT[kind]} '${id.name}' is already defined` : `'${id.name}' is a built-in handler`;
      this.report(errorAt(kind === 'vgpu' ? 'duplicate-vgpu' : 'duplicate-handler', message, id));
      this.symbols.reference({ name: id.name, span: id, namespace: kind, def: existing, write: true });
      return undefined;
    }
    if (id.name.length > MAX_GLOBAL_NAME) this.report(errorAt('name-too-long', `a ${WHAT[kind]} name is at most ${MAX_GLOBAL_NAME} characters (this one has ${id.name.length})`, id));
    const def = this.symbols.define({ kind, name: id.name, ident: id, stmt, scope: { start: id.start, end: this.fileEnd } });
    table.set(id.name, def);
    return def;
  }

  /** `let NAME = ...` with the value's known value: a new name in the current block, or an assignment. */
  bind(id: Ident, stmt: Stmt, value: U64 | undefined, scopeEnd: number): void {
    const existing = this.lookup(id.name);
    if (!existing) {
      const def = this.symbols.define({ kind: 'let', name: id.name, ident: id, stmt, scope: { start: id.start, end: scopeEnd }, value });
      this.scopes[this.scopes.length - 1].set(id.name, { def, value });
      return;
    }
    if (existing.def.kind === 'loop') {
      this.report(errorAt('assign-to-loop-variable', `'${id.name}' is a loop variable: 'let' cannot assign it`, id));
    } else {
      existing.value = value;
      existing.def.value = undefined; // assigned more than once: no single value to show
    }
    this.symbols.reference({ name: id.name, span: id, namespace: 'value', def: existing.def, write: true });
  }

  /** Enter a `repeat` body: a new block, with the loop variable if any. */
  enterLoop(stmt: Extract<Stmt, { kind: 'repeat' }>): void {
    const scope = new Map<string, Variable>();
    const as = stmt.as;
    if (as) {
      if (this.lookup(as.name)) this.report(errorAt('duplicate-name', `'${as.name}' is already defined: the loop would overwrite it`, as));
      const def = this.symbols.define({ kind: 'loop', name: as.name, ident: as, stmt, scope: { start: as.start, end: stmt.end } });
      scope.set(as.name, { def, value: undefined });
    }
    this.scopes.push(scope);
  }

  exitLoop(): void {
    this.scopes.pop();
  }

  /** Forget the known values of these names (assigned in a loop, so they vary). */
  forget(names: Iterable<string>): void {
    for (const name of names) {
      const v = this.lookup(name);
      if (v) v.value = undefined;
    }
  }

  // ---- references -----------------------------------------------------------------------------

  lookup(name: string): Variable | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(name);
      if (v) return v;
    }
    return undefined;
  }

  /** A vGPU or handler reference: its definition, or undefined (reported). */
  global(ns: 'vgpu' | 'handler', id: Ident): SymbolDef | undefined {
    const def = (ns === 'vgpu' ? this.vgpus : this.handlers).get(id.name);
    if (def) this.symbols.reference({ name: id.name, span: id, namespace: ns, def, write: false });
    else this.unresolved(ns, id, ns === 'vgpu' ? this.vgpus.keys() : this.scenarioHandlers());
    return def;
  }

  /** Handler names a scenario may name (not `ppgtt`), read lazily: the suggestion budget stops the reading. */
  private *scenarioHandlers(): Iterable<string> {
    for (const h of this.handlers.keys()) if (h !== 'ppgtt') yield h;
  }

  /** A value reference (in an expression): the variable, or undefined (reported). */
  value(id: Ident): Variable | undefined {
    const v = this.lookup(id.name);
    if (v) {
      this.symbols.reference({ name: id.name, span: id, namespace: 'value', def: v.def, write: false });
      return v;
    }
    this.unresolved('value', id, this.visibleValues(), nameHint(id.name, (n) => this.lookup(n) !== undefined));
    return undefined;
  }

  private *visibleValues(): Iterable<string> {
    for (const s of this.scopes) yield* s.keys();
  }

  private unresolved(ns: Namespace, id: Ident, visible: Iterable<string>, hint = ''): void {
    if (id.name === '') return; // a missing name: the parser reported it
    this.symbols.reference({ name: id.name, span: id, namespace: ns, def: undefined, write: false });
    const defined = this.defined[ns].get(id.name);
    if (defined !== undefined && defined > id.start) {
      this.report(errorAt('use-before-definition', `${WHAT[ns]} '${id.name}' is used before its definition`, id));
    } else if (defined !== undefined && ns === 'value') {
      this.report(errorAt('unknown-name', `'${id.name}' is not visible here: it is defined inside a 'repeat' block that has ended`, id));
    } else {
      const guess = closest(id.name, visible, this.suggestions);
      this.report(errorAt(UNKNOWN[ns], `unknown ${WHAT[ns]} '${id.name}'${didYouMean(guess)}${hint}`, id, guess));
    }
  }
}

/** Why an unknown name may have been meant otherwise: `base-8` (a name with `-`), `-EFOO`. */
function nameHint(name: string, known: (n: string) => boolean): string {
  const dash = name.indexOf('-');
  if (dash > 0) {
    const [a, ...rest] = name.split('-');
    if (known(a) || /^[0-9]/.test(rest[0] ?? '')) return `; a '-' between letters or digits is part of a name: write '${a} - ${rest.join('-')}' to subtract`;
  }
  if (/^E[A-Z0-9]+$/.test(name)) return '; error codes are -EEXIST, -ENXIO, -EINVAL, -ENOMEM, -ESRCH, -EFAULT, -EBADRQC';
  return '';
}
