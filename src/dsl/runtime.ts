// The interpreter's mutable state between statements (what step-back snapshots), and the small
// conversions from 64-bit scenario values to the core's numbers. Runtime problems are returned
// as messages, never thrown.

import { MAX_GUEST_PAGES, PAGE_SIZE, type KernelProfile, type Machine, type Platform, type ScenarioHandler, type Vgpu } from '../core';
import { gfn as asGfn, type Gfn } from '../core';
import type { Expr, Ident, Span, Stmt } from './ast';
import { DEFAULT_RUN_LIMITS, type RunLimits } from './limits';
import { compileExpression, type CompiledExpr, type EvalFailure } from './evaluate';
import type { ScenarioListener } from './scenarioEvents';
import { toBigInt, type U64 } from './value';

export class RuntimeState {
  /** Values of `let` and `repeat ... as` names, by slot. */
  slots: U64[] = [];
  /** The last statement's `ret`. */
  ret = 0;
  /** Whether the last guest store reached the dispatcher. */
  lastStoreTrapped = false;
  handlers = new Map<string, ScenarioHandler>();
  expectsPassed = 0;
  expectsFailed = 0;
  /** A launch-time kernel profile that wins over the scenario's `kernel` line. */
  profileOverride: KernelProfile | undefined;
  /** A launch-time platform that wins over the scenario's `platform` lines. */
  platformOverride: Platform | undefined;
  /** What the run may consume. */
  limits: RunLimits = DEFAULT_RUN_LIMITS;

  constructor(public machine: Machine) {}

  clone(machine: Machine): RuntimeState {
    const c = new RuntimeState(machine);
    c.slots = this.slots.slice();
    c.ret = this.ret;
    c.lastStoreTrapped = this.lastStoreTrapped;
    c.handlers = new Map(this.handlers);
    c.expectsPassed = this.expectsPassed;
    c.expectsFailed = this.expectsFailed;
    c.profileOverride = this.profileOverride;
    c.platformOverride = this.platformOverride;
    c.limits = this.limits;
    return c;
  }
}

/** What an executing statement can reach. */
export interface ExecContext {
  readonly state: RuntimeState;
  readonly listener: ScenarioListener | null;
  readonly stmt: Stmt;
}

/** A statement's executable form: returns an error message (with its span) or nothing. */
export type Exec = (cx: ExecContext) => RuntimeError | undefined;
export interface RuntimeError {
  message: string;
  span: Span;
}

/** Name → slot, assigned in order of first appearance (scoping is the checker's job). */
export class SlotMap {
  private readonly slots = new Map<string, number>();
  slotOf(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.slots.size;
      this.slots.set(name, s);
    }
    return s;
  }
  has(name: string): boolean {
    return this.slots.has(name);
  }
  entries(): IterableIterator<[string, number]> {
    return this.slots.entries();
  }
}

/** A compiled expression that yields a JS number (gfn, gpa, va, counts) or an error. */
export type NumberExpr = (cx: ExecContext) => number | RuntimeError;
/** A compiled expression that yields the full 64-bit value. */
export type ValueExpr = (cx: ExecContext) => U64 | RuntimeError;

/** An expression's failure as the statement's runtime error. */
export const failureError = (f: EvalFailure): RuntimeError => ({ message: f.failure, span: f.span });

/** An expression compiled over the slots' values (failures as EvalFailure, not RuntimeError). */
export function compileOver(expr: Expr, slots: SlotMap): CompiledExpr {
  return compileExpression(expr, (name) => (slots.has(name) ? slots.slotOf(name) : undefined));
}

export function compileValue(expr: Expr, slots: SlotMap): ValueExpr {
  const f = compileOver(expr, slots);
  return (cx) => {
    const v = f(cx.state.slots);
    return typeof v === 'object' ? failureError(v) : v;
  };
}

export function compileNumber(expr: Expr, slots: SlotMap, what: string): NumberExpr {
  // The compiled expression is called directly (not through compileValue): one call less per operand.
  const f = compileOver(expr, slots);
  return (cx) => {
    const v = f(cx.state.slots);
    if (typeof v === 'number') return v;
    if (typeof v === 'object') return failureError(v);
    return { message: `${what} ${'0x' + toBigInt(v).toString(16)} is too large`, span: expr.span };
  };
}

export const isError = (v: unknown): v is RuntimeError => typeof v === 'object' && v !== null && 'message' in v;

export function vgpuOf(cx: ExecContext, id: Ident): Vgpu | RuntimeError {
  return cx.state.machine.vgpu(id.name) ?? { message: `unknown vGPU '${id.name}' (no \`vgpu ${id.name}\` ran before this line)`, span: id };
}

export function checkGfn(v: Vgpu, g: number, span: Span): RuntimeError | undefined {
  if (g >= v.memory.pageCount || g >= MAX_GUEST_PAGES) {
    return { message: `gfn 0x${g.toString(16)} is outside ${v.name}'s guest memory (gfns 0..0x${(v.memory.pageCount - 1).toString(16)})`, span };
  }
  return undefined;
}

export function checkGpa(v: Vgpu, at: number, length: number, span: Span): RuntimeError | undefined {
  if (at + length > v.memory.sizeBytes) {
    return { message: `gpa 0x${at.toString(16)}${length > 1 ? `..0x${(at + length - 1).toString(16)}` : ''} is outside ${v.name}'s guest memory (${v.memory.sizeBytes / PAGE_SIZE} pages)`, span };
  }
  return undefined;
}

/** Writes value's little-endian bytes into all of `out` (its length is the width); returns out. */
export function writeValueBytes(value: U64, out: Uint8Array): Uint8Array {
  const width = out.length;
  if (typeof value === 'number') {
    // Numbers are < 2^53: split into 32-bit halves without touching BigInt (the hot write path).
    const lo = value >>> 0; // the low 32 bits, exact below 2^53 (not `%`, a floating-point remainder)
    let hi = Math.floor(value / 0x1_0000_0000);
    for (let i = 0; i < width && i < 4; i++) out[i] = (lo >>> (8 * i)) & 0xff;
    for (let i = 4; i < width; i++) {
      out[i] = hi & 0xff;
      hi >>>= 8;
    }
    return out;
  }
  let b = toBigInt(value);
  for (let i = 0; i < width; i++) {
    out[i] = Number(b & 0xffn);
    b >>= 8n;
  }
  return out;
}

export function bytesValue(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

/** `VGPU gfn EXPR` (and `root EXPR`): the vGPU and a gfn inside its guest memory, or an error. */
export type GfnOperand = (cx: ExecContext) => { v: Vgpu; gfn: Gfn } | RuntimeError;

/** A statement's vGPU and one number operand, evaluated in that order (the first error wins). */
export function compileVgpuNumber(vgpu: Ident, expr: Expr, slots: SlotMap, what: string): (cx: ExecContext) => { v: Vgpu; n: number } | RuntimeError {
  const x = compileNumber(expr, slots, what);
  return (cx) => {
    const v = vgpuOf(cx, vgpu);
    if (isError(v)) return v;
    const n = x(cx);
    return isError(n) ? n : { v, n };
  };
}

/** A statement's vGPU and a gpa with `width` bytes inside its guest memory. */
export function compileGpaOperand(vgpu: Ident, expr: Expr, width: number, slots: SlotMap): (cx: ExecContext) => { v: Vgpu; n: number } | RuntimeError {
  const at = compileVgpuNumber(vgpu, expr, slots, 'gpa');
  return (cx) => {
    const o = at(cx);
    return isError(o) ? o : checkGpa(o.v, o.n, width, expr.span) ?? o;
  };
}

export function compileGfnOperand(vgpu: Ident, expr: Expr, slots: SlotMap): GfnOperand {
  const g = compileNumber(expr, slots, 'gfn');
  return (cx) => {
    const v = vgpuOf(cx, vgpu);
    if (isError(v)) return v;
    const n = g(cx);
    if (isError(n)) return n;
    return checkGfn(v, n, expr.span) ?? { v, gfn: asGfn(n) };
  };
}
