// The checker: what can be known about a scenario without running it. Resolves every name into
// the SymbolTable, reports unknown and misused names and out-of-range constants, and warns about
// likely mistakes. One pass in source order (plus a pre-pass that lists every definition, to tell
// "used before its definition" from "unknown"). Never throws; knows nothing of the core's state.
//
// Name rules (documented in the language reference):
// - vGPUs and handlers are global from their definition on; defining one twice is an error.
//   `log` and `ppgtt` are built-in handlers; only `shadow` may attach `ppgtt`.
// - `let NAME = EXPR` binds a new name in the current block (visible to its end). A `let` of a
//   name already visible is an assignment to that name, not a new one (the interpreter keeps one
//   slot per name, so shadowing could not mean anything else): `let acc = acc + i` in a loop
//   accumulates. Assigning a loop variable is an error; so is `repeat ... as NAME` for a NAME
//   already visible (the inner loop would overwrite the outer's variable).
// - Constants: an expression is known when it has only literals and names bound to known values;
//   a name assigned inside a loop, and every loop variable, is unknown (no guessing).

import type { Expr, Ident, PageSize, Span, Stmt } from './ast';
import { WIDTH_BYTES } from './ast';
import * as C from './constantChecks';
import { errorAt, warningAt, type Diagnostic } from './diagnostic';
import { applyBinary, applyUnary, isFailure } from './evaluate';
import { isMissing } from './parseExpression';
import { closest, didYouMean } from './suggest';
import { SymbolTable, type Namespace, type SymbolDef } from './symbols';
import { fromBigInt, type U64 } from './value';

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  readonly symbols: SymbolTable;
}

export function check(program: { readonly statements: readonly Stmt[] }, text?: string): CheckResult {
  const end = text?.length ?? program.statements[program.statements.length - 1]?.end ?? 0;
  const c = new Checker(end, program.statements);
  c.block(program.statements, 0, end);
  return { diagnostics: c.diagnostics, symbols: c.symbols };
}

interface VgpuInfo {
  readonly def: SymbolDef;
  /** Known guest memory, or undefined when its size is not a constant. */
  readonly memory: C.KnownMemory | undefined;
  /** Constant gfns that `register` named, and whether some `register` had a gfn not known. */
  readonly registered: Set<U64>;
  registeredUnknown: boolean;
  readonly shadowed: Set<U64>;
  /** Some `shadow` ran (it registers table pages) or had a root not known. */
  shadowedAny: boolean;
  shadowedUnknown: boolean;
}

interface Variable {
  readonly def: SymbolDef;
  value: U64 | undefined;
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly symbols = new SymbolTable();
  private readonly vgpus = new Map<string, VgpuInfo>();
  private readonly handlers = new Map<string, SymbolDef>();
  private readonly scopes: Map<string, Variable>[] = [new Map()];
  /** First definition offset of every name, by namespace (the pre-pass). */
  private readonly defined: Record<Namespace, Map<string, number>> = { vgpu: new Map(), handler: new Map(), value: new Map() };
  private readonly first: Stmt | undefined;

  constructor(
    private readonly fileEnd: number,
    statements: readonly Stmt[],
  ) {
    this.first = statements[0];
    for (const name of ['log', 'ppgtt']) {
      this.handlers.set(name, this.symbols.define({ kind: 'handler', name, ident: undefined, stmt: undefined, scope: { start: 0, end: fileEnd } }));
    }
    this.collect(statements);
  }

  private collect(statements: readonly Stmt[]): void {
    const note = (ns: Namespace, id: Ident): void => {
      if (!this.defined[ns].has(id.name)) this.defined[ns].set(id.name, id.start);
    };
    for (const s of statements) {
      if (s.kind === 'vgpu') note('vgpu', s.name);
      else if (s.kind === 'handler') note('handler', s.name);
      else if (s.kind === 'let') note('value', s.name);
      else if (s.kind === 'repeat') {
        if (s.as) note('value', s.as);
        this.collect(s.body);
      }
    }
  }

  block(statements: readonly Stmt[], loopDepth: number, scopeEnd: number): void {
    for (let i = 0; i < statements.length; i++) this.statement(statements[i], statements[i + 1], loopDepth, scopeEnd);
  }

  private statement(s: Stmt, next: Stmt | undefined, loopDepth: number, scopeEnd: number): void {
    switch (s.kind) {
      case 'kernel':
        if (s !== this.first) this.error('kernel-not-first', "'kernel' must be the first statement of the file", s.keyword);
        return;
      case 'vgpu':
        return this.defineVgpu(s, loopDepth);
      case 'handler':
        return this.defineHandler(s);
      case 'let':
        return this.bind(s, scopeEnd);
      case 'repeat':
        return this.repeat(s, loopDepth);
      case 'register': {
        const v = this.vgpu(s.vgpu);
        const gfn = this.gfn(v, s.gfn);
        if (s.handler.name === 'ppgtt') this.error('ppgtt-in-register', "the 'ppgtt' handler is GVT's own: only 'shadow' attaches it", s.handler);
        else this.ref('handler', s.handler);
        if (v && gfn !== undefined) v.registered.add(gfn);
        else if (v) v.registeredUnknown = true;
        return;
      }
      case 'unregister':
      case 'find':
        this.gfn(this.vgpu(s.vgpu), s.gfn);
        return;
      case 'enable':
      case 'disable': {
        const v = this.vgpu(s.vgpu);
        const gfn = this.gfn(v, s.gfn);
        if (v && gfn !== undefined && !v.registered.has(gfn) && !v.registeredUnknown && !v.shadowedAny && next?.kind !== 'expectRet') {
          this.warn('enable-unregistered', `no earlier 'register' of ${s.vgpu.name} gfn 0x${gfn.toString(16)}: ${s.kind} will return -ENXIO`, s.gfn.span);
        }
        return;
      }
      case 'write': {
        const v = this.vgpu(s.vgpu);
        const d = s.data;
        this.gpa(v, s.gpa, d.kind === 'value' ? WIDTH_BYTES[d.width] : d.bytes.length);
        if (d.kind === 'value') this.widthValue(d.width, d.value);
        return;
      }
      case 'read':
        this.gpa(this.vgpu(s.vgpu), s.gpa, WIDTH_BYTES[s.width]);
        return;
      case 'pagetable': {
        const v = this.vgpu(s.vgpu);
        this.gfn(v, s.root, 'root gfn');
        this.range(v, s.pool, 'pool');
        return;
      }
      case 'map':
        return this.map(s.vgpu, s.va, s.gfn, s.size);
      case 'unmap':
      case 'gpuRead':
        this.vgpu(s.vgpu);
        this.expr(s.va);
        return;
      case 'shadow':
      case 'unshadow': {
        const v = this.vgpu(s.vgpu);
        const root = this.gfn(v, s.root, 'root gfn');
        if (!v) return;
        if (s.kind === 'shadow') {
          v.shadowedAny = true;
          if (root === undefined) v.shadowedUnknown = true;
          else v.shadowed.add(root);
        } else if (root !== undefined && !v.shadowed.has(root) && !v.shadowedUnknown && next?.kind !== 'expectRet') {
          this.warn('unshadow-not-shadowed', `no earlier 'shadow' of ${s.vgpu.name} root 0x${root.toString(16)}`, s.root.span);
        }
        return;
      }
      case 'submit':
      case 'failsafe':
      case 'reset':
      case 'attach':
      case 'detach':
      case 'oos':
        this.vgpu(s.vgpu);
        return;
      case 'memslotRemove':
        this.range(this.vgpu(s.vgpu), s.range, 'gfn range');
        return;
      case 'print':
        this.expr(s.value);
        return;
      case 'expectRet':
        this.expr(s.code);
        return;
      case 'expectTrap':
        return;
      case 'expectTrack':
        this.gfn(this.vgpu(s.vgpu), s.gfn);
        return;
      case 'expectMem':
        this.gpa(this.vgpu(s.vgpu), s.gpa, WIDTH_BYTES[s.width]);
        this.widthValue(s.width, s.value);
        return;
      case 'expectGpu': {
        const v = this.vgpu(s.vgpu);
        this.expr(s.va);
        if (s.outcome.kind === 'gfn') this.gfn(v, s.outcome.gfn);
        return;
      }
      case 'expectTraps':
        this.vgpu(s.vgpu);
        this.expr(s.count);
        return;
    }
  }

  // ---- definitions ------------------------------------------------------------------------

  private defineVgpu(s: Extract<Stmt, { kind: 'vgpu' }>, loopDepth: number): void {
    const size = s.memory ? this.expr(s.memory) : C.DEFAULT_MEMORY_BYTES;
    const bad = size !== undefined && s.memory ? C.checkMemorySize(size, s.memory.span) : undefined;
    if (bad) this.diagnostics.push(bad);
    const existing = this.vgpus.get(s.name.name);
    if (existing) {
      this.error('duplicate-vgpu', `vGPU '${s.name.name}' is already defined`, s.name);
      this.symbols.reference({ name: s.name.name, span: s.name, namespace: 'vgpu', def: existing.def, write: true });
      return;
    }
    if (loopDepth > 0) this.warn('vgpu-in-repeat', `'vgpu ${s.name.name}' inside 'repeat' runs again on the second iteration, which fails`, s.keyword);
    const def = this.symbols.define({ kind: 'vgpu', name: s.name.name, ident: s.name, stmt: s, scope: { start: s.name.start, end: this.fileEnd } });
    const memory = size !== undefined && !bad && typeof size === 'number' ? { name: s.name.name, bytes: size } : undefined;
    this.vgpus.set(s.name.name, { def, memory, registered: new Set(), registeredUnknown: false, shadowed: new Set(), shadowedAny: false, shadowedUnknown: false });
  }

  private defineHandler(s: Extract<Stmt, { kind: 'handler' }>): void {
    const code = this.expr(s.returns);
    if (code !== undefined) this.push(C.checkReturnCode(code, s.returns.span));
    const existing = this.handlers.get(s.name.name);
    if (existing) {
      this.error('duplicate-handler', existing.ident ? `handler '${s.name.name}' is already defined` : `'${s.name.name}' is a built-in handler`, s.name);
      this.symbols.reference({ name: s.name.name, span: s.name, namespace: 'handler', def: existing, write: true });
      return;
    }
    const def = this.symbols.define({ kind: 'handler', name: s.name.name, ident: s.name, stmt: s, scope: { start: s.name.start, end: this.fileEnd } });
    this.handlers.set(s.name.name, def);
  }

  private bind(s: Extract<Stmt, { kind: 'let' }>, scopeEnd: number): void {
    const value = this.expr(s.value);
    const existing = this.lookup(s.name.name);
    if (existing?.def.kind === 'loop') {
      this.error('assign-to-loop-variable', `'${s.name.name}' is a loop variable: 'let' cannot assign it`, s.name);
      this.symbols.reference({ name: s.name.name, span: s.name, namespace: 'value', def: existing.def, write: true });
    } else if (existing) {
      existing.value = value;
      existing.def.value = undefined;
      this.symbols.reference({ name: s.name.name, span: s.name, namespace: 'value', def: existing.def, write: true });
    } else {
      const def = this.symbols.define({ kind: 'let', name: s.name.name, ident: s.name, stmt: s, scope: { start: s.name.start, end: scopeEnd }, value });
      this.scopes[this.scopes.length - 1].set(s.name.name, { def, value });
    }
  }

  private repeat(s: Extract<Stmt, { kind: 'repeat' }>, loopDepth: number): void {
    const count = this.expr(s.count);
    if (count !== undefined) this.push(C.checkRepeatCount(count, s.count.span));
    // Names the body assigns change from one iteration to the next: unknown from here on.
    for (const name of assignedNames(s.body)) {
      const v = this.lookup(name);
      if (v) v.value = undefined;
    }
    const scope = new Map<string, Variable>();
    if (s.as) {
      const outer = this.lookup(s.as.name);
      if (outer) this.error('duplicate-name', `'${s.as.name}' is already defined: the loop would overwrite it`, s.as);
      const def = this.symbols.define({ kind: 'loop', name: s.as.name, ident: s.as, stmt: s, scope: { start: s.as.start, end: s.end } });
      scope.set(s.as.name, { def, value: undefined });
    }
    this.scopes.push(scope);
    this.block(s.body, loopDepth + 1, s.end);
    this.scopes.pop();
    // The body may not have run at all: what it assigns is known afterwards only if it surely ran.
    if (count === undefined || count === 0) {
      for (const name of assignedNames(s.body)) {
        const v = this.lookup(name);
        if (v) v.value = undefined;
      }
    }
  }

  // ---- references -------------------------------------------------------------------------

  private lookup(name: string): Variable | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(name);
      if (v) return v;
    }
    return undefined;
  }

  private vgpu(id: Ident): VgpuInfo | undefined {
    const v = this.vgpus.get(id.name);
    if (v) this.symbols.reference({ name: id.name, span: id, namespace: 'vgpu', def: v.def, write: false });
    else this.unresolved('vgpu', id, this.vgpus.keys());
    return v;
  }

  private ref(ns: 'handler', id: Ident): void {
    const def = this.handlers.get(id.name);
    if (def) this.symbols.reference({ name: id.name, span: id, namespace: ns, def, write: false });
    else this.unresolved(ns, id, [...this.handlers.keys()].filter((h) => h !== 'ppgtt'));
  }

  private unresolved(ns: Namespace, id: Ident, visible: Iterable<string>, hint = ''): void {
    if (id.name === '') return; // a missing name: the parser reported it
    this.symbols.reference({ name: id.name, span: id, namespace: ns, def: undefined, write: false });
    const what = ns === 'vgpu' ? 'vGPU' : ns === 'handler' ? 'handler' : 'name';
    const defined = this.defined[ns].get(id.name);
    if (defined !== undefined && defined > id.start) {
      this.error('use-before-definition', `${what} '${id.name}' is used before its definition`, id);
      return;
    }
    if (defined !== undefined) {
      this.error('unknown-name', `'${id.name}' is not visible here: it is defined inside a 'repeat' block that has ended`, id);
      return;
    }
    const guess = closest(id.name, visible);
    const code = ns === 'vgpu' ? 'unknown-vgpu' : ns === 'handler' ? 'unknown-handler' : 'unknown-name';
    this.diagnostics.push(errorAt(code, `unknown ${what} '${id.name}'${didYouMean(guess)}${hint}`, id, guess));
  }

  /** Resolve every name in an expression and evaluate what is known: the value, or undefined. */
  private expr(e: Expr): U64 | undefined {
    switch (e.kind) {
      case 'number':
      case 'errno':
        return fromBigInt(e.value);
      case 'name': {
        if (isMissing(e)) return undefined;
        const v = this.lookup(e.ident.name);
        if (v) {
          this.symbols.reference({ name: e.ident.name, span: e.ident, namespace: 'value', def: v.def, write: false });
          return v.value;
        }
        this.unresolved('value', e.ident, this.visibleValues(), nameHint(e.ident.name, (n) => this.lookup(n) !== undefined));
        return undefined;
      }
      case 'unary': {
        const a = this.expr(e.operand);
        return a === undefined ? undefined : applyUnary(e.op, a);
      }
      case 'binary': {
        const a = this.expr(e.left);
        const b = this.expr(e.right);
        if ((e.op === '/' || e.op === '%') && b === 0) {
          this.error('division-by-zero', e.op === '/' ? 'division by zero' : 'modulo by zero', e.span);
          return undefined;
        }
        if (e.op === '&&' && a === 0) return 0;
        if (e.op === '||' && a !== undefined && a !== 0) return 1;
        if (a === undefined || b === undefined) return undefined;
        const r = applyBinary(e.op, a, b, e.span);
        return isFailure(r) ? undefined : r;
      }
    }
  }

  private *visibleValues(): Iterable<string> {
    for (const s of this.scopes) yield* s.keys();
  }

  // ---- constants against a vGPU ----------------------------------------------------------

  /** A gfn expression's value if known and inside the vGPU's memory (out of range is reported). */
  private gfn(v: VgpuInfo | undefined, e: Expr, what = 'gfn'): U64 | undefined {
    const g = this.expr(e);
    const bad = g !== undefined && v?.memory ? C.checkGfn(v.memory, g, e.span, 1, what) : undefined;
    if (!bad) return g;
    this.diagnostics.push(bad);
    return undefined;
  }

  private gpa(v: VgpuInfo | undefined, e: Expr, length: number): void {
    const a = this.expr(e);
    if (a !== undefined && v?.memory) this.push(C.checkGpa(v.memory, a, length, e.span));
  }

  private widthValue(width: keyof typeof WIDTH_BYTES, e: Expr): void {
    const x = this.expr(e);
    if (x !== undefined) this.push(C.checkWidthValue(width, x, e.span));
  }

  private range(v: VgpuInfo | undefined, r: { from: Expr; to: Expr } & Span, what: string): void {
    const from = this.gfn(v, r.from);
    const to = this.gfn(v, r.to);
    if (from !== undefined && to !== undefined) this.push(C.checkRange(from, to, r, what));
  }

  private map(vgpu: Ident, vaExpr: Expr, gfnExpr: Expr, size: PageSize): void {
    this.vgpu(vgpu);
    const va = this.expr(vaExpr);
    const gfn = this.expr(gfnExpr);
    // The gfn is not range checked: a guest entry may point anywhere (GVT must cope with that).
    if (va !== undefined) this.push(C.checkVa(va, vaExpr.span));
    this.diagnostics.push(...C.checkMapAlignment(size, va, vaExpr.span, gfn, gfnExpr.span));
  }

  // ---- reporting ----------------------------------------------------------------------------

  private push(d: Diagnostic | undefined): void {
    if (d) this.diagnostics.push(d);
  }

  private error(code: Parameters<typeof errorAt>[0], message: string, span: Span): void {
    this.diagnostics.push(errorAt(code, message, span));
  }

  private warn(code: Parameters<typeof warningAt>[0], message: string, span: Span): void {
    this.diagnostics.push(warningAt(code, message, span));
  }
}

/** Names a block assigns with `let` (at any depth), for invalidating outer constants. */
function assignedNames(body: readonly Stmt[], out = new Set<string>()): Set<string> {
  for (const s of body) {
    if (s.kind === 'let') out.add(s.name.name);
    else if (s.kind === 'repeat') assignedNames(s.body, out);
  }
  return out;
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
