// The checker: what can be known about a scenario without running it. Resolves every name
// (NameResolver, into the SymbolTable), reports out-of-range constants and warns about likely
// mistakes. One pass in source order; never throws; knows nothing of the core's state.
//
// Constants: an expression is known when it has only literals and names bound to known values; a
// name assigned inside a loop, and every loop variable, is unknown (no guessing). Warnings are for
// what is certain from the text alone, and are not given where the next line shows the author
// expects the failure (`expect ret == ...`).

import type { Expr, Ident, PageSize, Span, Stmt } from './ast';
import { WIDTH_BYTES } from './ast';
import * as C from './constantChecks';
import { PHASE_DIAGNOSTICS, errorAt, warningAt, type Diagnostic } from './diagnostic';
import { applyBinary, applyUnary, isFailure } from './evaluate';
import { NameResolver } from './nameResolver';
import { isMissing } from './parseExpression';
import type { SymbolDef, SymbolTable } from './symbols';
import { fromBigInt, type U64 } from './value';

function assertNever(s: never): never {
  throw new Error(`unhandled statement ${JSON.stringify(s)}`);
}

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  readonly symbols: SymbolTable;
  /** Errors or warnings past PHASE_DIAGNOSTICS of their kind were dropped (each kind has its own cap). */
  readonly capped: boolean;
}

export function check(program: { readonly statements: readonly Stmt[] }, text?: string): CheckResult {
  const end = text?.length ?? program.statements[program.statements.length - 1]?.end ?? 0;
  const c = new Checker(end, program.statements);
  c.block(program.statements, 0, end);
  return { diagnostics: c.diagnostics, symbols: c.names.symbols, capped: c.capped };
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

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly names: NameResolver;
  /** What earlier statements did to each defined vGPU. */
  private readonly vgpus = new Map<string, VgpuInfo>();
  private readonly first: Stmt | undefined;

  constructor(
    private readonly fileEnd: number,
    statements: readonly Stmt[],
  ) {
    this.first = statements[0];
    this.names = new NameResolver(fileEnd, statements, (d) => this.push(d));
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
        else this.names.global('handler', s.handler);
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
      case 'dispatch': {
        const n = this.expr(s.bytes);
        // As the run says: the bytes stay within the page of the gpa (the dispatcher handles one gfn).
        const at = this.expr(s.gpa);
        const room = typeof at === 'number' ? 4096 - (at % 4096) : 4096;
        const len = typeof n === 'number' && n >= 1 && n <= room ? n : 1;
        if (n !== undefined && len !== n) this.error('dispatch-bytes', room === 4096 ? 'bytes must be 1 to 4096' : `bytes must be 1 to ${room} (the rest of the page)`, s.bytes.span);
        this.gpa(this.vgpu(s.vgpu), s.gpa, len);
        return;
      }
      case 'pagetable': {
        const v = this.vgpu(s.vgpu);
        this.roots(v, s);
        this.range(v, s.pool, 'pool');
        return;
      }
      case 'map':
        return this.map(s.vgpu, s.va, s.gfn, s.size);
      case 'unmap':
      case 'gpuRead': {
        this.vgpu(s.vgpu);
        const va = this.expr(s.va);
        if (va !== undefined) this.push(C.checkVa(va, s.va.span));
        return;
      }
      case 'shadow':
      case 'unshadow': {
        const v = this.vgpu(s.vgpu);
        const root = this.roots(v, s);
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
      case 'ips':
        this.vgpu(s.vgpu);
        return;
      case 'platform':
        return;
      case 'backing':
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
        const va = this.expr(s.va);
        if (va !== undefined) this.push(C.checkVa(va, s.va.span));
        if (s.outcome.kind === 'gfn') this.gfn(v, s.outcome.gfn);
        return;
      }
      case 'expectTraps':
        this.vgpu(s.vgpu);
        this.number(s.count, 'count');
        return;
      case 'expectMm':
        this.gfn(this.vgpu(s.vgpu), s.root, 'root gfn');
        this.number(s.count, 'count');
        return;
      case 'expectDma':
        this.gfn(this.vgpu(s.vgpu), s.gfn);
        this.number(s.count, 'count');
        return;
      case 'expectHazard':
        return;
      default:
        return assertNever(s);

    }
  }

  /** `root GFN` or `pdps A B C D` (0 allowed for an absent page directory); the root's value if known. */
  private roots(v: VgpuInfo | undefined, s: { root: Expr; pdps?: readonly Expr[] }): U64 | undefined {
    if (!s.pdps) return this.gfn(v, s.root, 'root gfn');
    let first: U64 | undefined;
    s.pdps.forEach((e, i) => {
      const n = this.expr(e);
      const g = n === undefined || n === 0 || n === 0n ? n : this.gfn(v, e, `pdps[${i}]`);
      if (i === 0) first = g;
    });
    return first;
  }

  // ---- definitions ------------------------------------------------------------------------

  private defineVgpu(s: Extract<Stmt, { kind: 'vgpu' }>, loopDepth: number): void {
    const size = s.memory ? this.expr(s.memory) : C.DEFAULT_MEMORY_BYTES;
    const bad = size !== undefined && s.memory ? C.checkMemorySize(size, s.memory.span) : undefined;
    this.push(bad);
    const def = this.names.defineGlobal('vgpu', s.name, s);
    if (!def) return;
    if (loopDepth > 0) this.warn('vgpu-in-repeat', `'vgpu ${s.name.name}' inside 'repeat' runs again on the second iteration, which fails`, s.keyword);
    const memory = size !== undefined && !bad && typeof size === 'number' ? { name: s.name.name, bytes: size } : undefined;
    this.vgpus.set(s.name.name, { def, memory, registered: new Set(), registeredUnknown: false, shadowed: new Set(), shadowedAny: false, shadowedUnknown: false });
  }

  private defineHandler(s: Extract<Stmt, { kind: 'handler' }>): void {
    const code = this.expr(s.returns);
    if (code !== undefined) this.push(C.checkReturnCode(code, s.returns.span));
    this.names.defineGlobal('handler', s.name, s);
  }

  private bind(s: Extract<Stmt, { kind: 'let' }>, scopeEnd: number): void {
    this.names.bind(s.name, s, this.expr(s.value), scopeEnd);
  }

  private repeat(s: Extract<Stmt, { kind: 'repeat' }>, loopDepth: number): void {
    const count = this.expr(s.count);
    if (count !== undefined) this.push(C.checkRepeatCount(count, s.count.span));
    // Names the body assigns change from one iteration to the next: unknown in the body.
    const assigned = assignedNames(s.body);
    if (assigned) this.names.forget(assigned);
    this.names.enterLoop(s);
    this.block(s.body, loopDepth + 1, s.end);
    this.names.exitLoop();
    // After it, known only if the body surely ran (then the last iteration's value stands).
    if (assigned && (count === undefined || count === 0)) this.names.forget(assigned);
  }

  private vgpu(id: Ident): VgpuInfo | undefined {
    return this.names.global('vgpu', id) && this.vgpus.get(id.name);
  }

  /** Depth of operands a short-circuit leaves unevaluated (`0 && x`): no division error in them. */
  private unevaluated = 0;

  /**
   * An operand the run takes as a whole number (compileNumber): a known value of 2^53 or more (-1
   * wraps to 2^64 - 1) stops the run there, so it is an error here too, in the run's words.
   */
  private number(e: Expr, what: string): U64 | undefined {
    const v = this.expr(e);
    if (typeof v === 'bigint') this.error('value-out-of-range', `${what} 0x${v.toString(16)} is too large`, e.span);
    return v;
  }

  /** Resolve every name in an expression and evaluate what is known: the value, or undefined. */
  private expr(e: Expr): U64 | undefined {
    switch (e.kind) {
      case 'number':
      case 'errno':
        return fromBigInt(e.value);
      case 'name':
        return isMissing(e) ? undefined : this.names.value(e.ident)?.value;
      case 'unary': {
        const a = this.expr(e.operand);
        return a === undefined ? undefined : applyUnary(e.op, a);
      }
      case 'binary': {
        const a = this.expr(e.left);
        // `0 && x` and `1 || x` never evaluate x (the interpreter short-circuits): its names are
        // still resolved, but a division by zero in it is not an error.
        const skipped = (e.op === '&&' && a === 0) || (e.op === '||' && a !== undefined && a !== 0);
        if (skipped) this.unevaluated++;
        const b = this.expr(e.right);
        if (skipped) this.unevaluated--;
        if ((e.op === '/' || e.op === '%') && b === 0) {
          if (this.unevaluated === 0) this.error('division-by-zero', e.op === '/' ? 'division by zero' : 'modulo by zero', e.span);
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

  // ---- constants against a vGPU ----------------------------------------------------------

  /** A gfn expression's value if known and inside the vGPU's memory (out of range is reported). */
  private gfn(v: VgpuInfo | undefined, e: Expr, what = 'gfn'): U64 | undefined {
    const g = this.expr(e);
    const bad = g !== undefined && v?.memory ? C.checkGfn(v.memory, g, e.span, 1, what) : undefined;
    if (!bad) return g;
    this.push(bad);
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
    const gfn = this.number(gfnExpr, 'gfn');
    // The gfn is not range checked otherwise: a guest entry may point anywhere (GVT must cope with that).
    if (va !== undefined) this.push(C.checkVa(va, vaExpr.span));
    for (const d of C.checkMapAlignment(size, va, vaExpr.span, gfn, gfnExpr.span)) this.push(d);
  }

  // ---- reporting ----------------------------------------------------------------------------

  /** Warnings kept so far: they have a cap of their own, so a flood of them never crowds out an error. */
  private warnings = 0;
  /** Some diagnostic was dropped at a cap. */
  capped = false;

  private push(d: Diagnostic | undefined): void {
    if (!d) return;
    const warning = d.severity !== 'error';
    const kept = warning ? this.warnings : this.diagnostics.length - this.warnings;
    if (kept >= PHASE_DIAGNOSTICS) {
      this.capped = true;
      return;
    }
    if (warning) this.warnings++;
    this.diagnostics.push(d);
  }

  private error(code: Parameters<typeof errorAt>[0], message: string, span: Span): void {
    this.push(errorAt(code, message, span));
  }

  private warn(code: Parameters<typeof warningAt>[0], message: string, span: Span): void {
    this.push(warningAt(code, message, span));
  }
}

/** Names a block assigns with `let` (at any depth), or undefined if none (most loops). */
function assignedNames(body: readonly Stmt[], out?: Set<string>): Set<string> | undefined {
  for (const s of body) {
    if (s.kind === 'let') (out ??= new Set()).add(s.name.name);
    else if (s.kind === 'repeat') out = assignedNames(s.body, out);
  }
  return out;
}
