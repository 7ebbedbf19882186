// Trace emission for the trap path (guest store → kvmgt → dispatcher → PPGTT handler), kept out
// of line. V8 inlines a function's callees only within a bytecode budget, and the object literals,
// hex() calls and template strings of a `t?.enter(fn, {...})` or `t?.note({...})` site count
// against it even when no tracer is attached: they kept the trap path from being inlined and cost
// about a third of its time (scripts/bench-core.mjs). Each helper builds exactly the frame args or
// event its call site used to, in the same key order, so traces are unchanged (a frames-only tracer
// gets no arguments from the helpers that would format an entry's value).

import { hex, type Gfn, type Gpa, type Mfn } from './address';
import type { FrameArgs, KernelFn, Tracer } from './events';
import type { GttEntry } from './gen8Entry';

/** Frame args { gpa, bytes }. */
export function enterGpa(t: Tracer, fn: KernelFn, gpa: Gpa, bytes: number): void {
  t.enter(fn, { gpa, bytes });
}

/** Frame args { gfn, index, bytes }. */
export function enterSlotBytes(t: Tracer, fn: KernelFn, gfn: Gfn, index: number, bytes: number): void {
  t.enter(fn, { gfn, index, bytes });
}

/** What a frames-only tracer is given for arguments. */
const NO_ARGS: FrameArgs = Object.freeze({});

/** Frame args { gfn, index, entry }. */
export function enterSlotEntry(t: Tracer, fn: KernelFn, gfn: Gfn, index: number, e: GttEntry): void {
  t.enter(fn, t.framesOnly ? NO_ARGS : { gfn, index, entry: hex(e.value) });
}

/** Frame args { entry } or { entry, gfn }. */
export function enterEntry(t: Tracer, fn: KernelFn, e: GttEntry, gfn?: Gfn): void {
  t.enter(fn, t.framesOnly ? NO_ARGS : gfn === undefined ? { entry: hex(e.value) } : { entry: hex(e.value), gfn });
}

/** Frame args { index, entry }. */
export function enterIndexEntry(t: Tracer, fn: KernelFn, index: number, e: GttEntry): void {
  t.enter(fn, t.framesOnly ? NO_ARGS : { index, entry: hex(e.value) });
}

export function noteKernelLog(t: Tracer, vgpu: string, message: string): void {
  t.note({ kind: 'kernel-log', vgpu, message });
}

export function noteSurprise(t: Tracer, vgpu: string, message: string): void {
  t.note({ kind: 'surprise', vgpu, message });
}

export function noteStore(t: Tracer, vgpu: string, gpa: Gpa, bytes: number, trapped: boolean): void {
  t.note({ kind: 'store', vgpu, gpa, bytes, trapped });
}

export function noteTrapIgnored(t: Tracer, vgpu: string, gpa: Gpa, ret: number): void {
  t.note({ kind: 'trap-ignored', vgpu, gpa, ret });
}

export function noteLock(t: Tracer, vgpu: string, held: boolean, by: KernelFn): void {
  t.note({ kind: 'lock', vgpu, held, by });
}

export function noteDma(t: Tracer, vgpu: string, change: 'map' | 'unmap', gfn: Gfn, pages: number, mfn: Mfn): void {
  t.note({ kind: 'dma', vgpu, change, gfn, pages, mfn });
}

export function noteShadowEntry(t: Tracer, vgpu: string, spt: Mfn, gfn: Gfn, index: number, e: GttEntry): void {
  if (t.shadowEntry) t.shadowEntry(vgpu, spt, gfn, index, e.lo >>> 0, e.hi >>> 0);
  else t.note({ kind: 'shadow-entry', vgpu, spt, gfn, index, value: e.value });
}

// ---- messages with arguments (the template is built only when someone listens) -----------------

export function noteWriteError(t: Tracer, vgpu: string, at: Gpa): void {
  noteKernelLog(t, vgpu, `guest page write error, gpa ${hex(at)}`);
}

export function noteFailsafeStale(t: Tracer, vgpu: string, g: Gfn): void {
  noteSurprise(t, vgpu, `failsafe: protection of gfn ${hex(g)} removed, but tracked stays true (a later enable returns 0 and never re-protects)`);
}


export function noteMisaligned(t: Tracer, vgpu: string, at: Gpa, i: number): void {
  noteSurprise(t, vgpu, `misaligned 8-byte write at ${hex(at)}: only entry ${i} is re-shadowed; entry ${i + 1}'s low half changed in guest memory but is never re-shadowed`);
}


export function noteDetachedStore(t: Tracer, vgpu: string, g: Gfn): void {
  noteSurprise(t, vgpu, `KVM still write-tracks gfn ${hex(g)} and emulates the store, but kvmgt's notifier is unregistered (detached): GVT is not told`);
}
