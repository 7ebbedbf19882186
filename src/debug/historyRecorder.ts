// The Tracer the history indexer runs with (historyIndexer.ts): it keeps the kernel call stack,
// so each change is named by the kernel function that made it, and turns the core's state-change
// notes (src/core/events.ts) into entries of the history index (historyIndex.ts).

import { gpaToGfn, pageOffset, type CoreEvent, type FrameArgs, type Gfn, type KernelFn, type Mfn, type Tracer } from '../core';
import { HAZARD_NAMES } from '../dsl/ast';
import { Bit, Code, PAGE_SLOTS, SLOT_POST_SHADOW, entryOfGpa, slotKey, type HistoryIndex, type KeyLog } from './historyIndex';

/** Who is recording: the step being indexed, whether it is a change made while stopped. */
export interface RecordingAt {
  step: number;
  edit: boolean;
}

/**
 * The Tracer the indexing interpreter runs with: keeps the kernel call stack (for the function
 * of each change) and turns the core's state-change notes into index entries. `readQword` reads
 * the guest's 8-byte slot after a store (memory is written before the store is reported).
 */
export class HistoryRecorder implements Tracer {
  private readonly stack: KernelFn[] = [];
  private lastTrap: { log: KeyLog; at: number } | undefined;

  constructor(
    private readonly index: HistoryIndex,
    private readonly at: RecordingAt,
    /** The guest's 8-byte slot at `gpa` after a store, as [low, high] 32-bit halves (memory is written before the store is reported). */
    private readonly readQword: (vgpu: string, gpa: number, out: Uint32Array) => void,
  ) {}

  private readonly q = new Uint32Array(2);

  /** Only the function of each frame is kept: the core need not build frame arguments. */
  readonly framesOnly = true;

  enter(fn: KernelFn, _args: FrameArgs): void {
    this.stack.push(fn);
  }

  leave(): void {
    this.stack.pop();
  }

  /** Between statements: a statement that stopped with an error may leave frames behind. */
  reset(): void {
    // Lengths are set only when not already 0: setting an array's length is a runtime call, and
    // this runs before every statement indexed.
    if (this.stack.length) this.stack.length = 0;
    this.lastTrap = undefined;
    if (this.pending.length) this.pending.length = 0;
    this.pendingPage = undefined;
  }

  /** A shadow entry written (ppgtt_set_shadow_entry), as halves: no BigInt a write. */
  shadowEntry(vgpu: string, _spt: Mfn, gfn: Gfn, index: number, lo: number, hi: number): void {
    const ix = this.index;
    ix.add(ix.log(vgpu, 'slot', slotKey(gfn, index)), this.at.step, Code.ShadowEntry, this.at.edit, this.stack[this.stack.length - 1], lo, hi);
  }

  /** The entries of the store being reported, until a trap says it trapped. */
  private readonly pending: Array<{ log: KeyLog; at: number }> = [];
  private pendingPage: { log: KeyLog; at: number } | undefined;

  private readonly gfnLog = (g: number): KeyLog => this.index.log(this.vgpuNow, 'gfn', g);
  private vgpuNow = '';

  note(e: CoreEvent): void {
    this.vgpuNow = e.vgpu;
    const ix = this.index;
    const { step, edit } = this.at;
    const fn = this.stack[this.stack.length - 1];
    const gfnLog = this.gfnLog;
    switch (e.kind) {
      case 'store': {
        // KVM's notification is not yet a trap: the entries say "not trapped" until a trap
        // event for this store follows (kvmgt finds the gfn in its protect table).
        const g = gpaToGfn(e.gpa);
        const first = entryOfGpa(e.gpa);
        const last = Math.floor((pageOffset(e.gpa) + e.bytes - 1) / 8);
        if (this.pending.length) this.pending.length = 0;
        for (let s = first; s <= last && s < PAGE_SLOTS; s++) {
          this.readQword(e.vgpu, g * 4096 + s * 8, this.q);
          const l = ix.log(e.vgpu, 'slot', slotKey(g, s));
          ix.add(l, step, Code.GuestStore, edit, fn, this.q[0], this.q[1]);
          this.pending.push({ log: l, at: l.lastAt });
        }
        const l = gfnLog(g);
        this.pendingPage = undefined;
        if (l.state & Bit.registered) {
          ix.add(l, step, Code.UntrappedStore, edit, fn, pageOffset(e.gpa), e.bytes);
          this.pendingPage = { log: l, at: l.lastAt };
        }
        return;
      }
      case 'trap': {
        const g = gpaToGfn(e.gpa);
        for (const p of this.pending) ix.retag(p.log, p.at, Code.GuestStoreTrapped, undefined);
        if (this.pending.length) this.pending.length = 0;
        const b = Math.min(e.bytes, 4096) | ((e.record === 'tracked' ? 0 : e.record === 'untracked' ? 1 : 2) << 13);
        const pp = this.pendingPage;
        this.pendingPage = undefined;
        const l = gfnLog(g);
        if (pp && pp.log === l) {
          // The store's provisional "not trapped" entry becomes the trap.
          ix.retag(pp.log, pp.at, Code.Trap, fn);
          pp.log.data[pp.at + 2] = pageOffset(e.gpa);
          pp.log.data[pp.at + 3] = b;
          this.lastTrap = pp;
          return;
        }
        ix.add(l, step, Code.Trap, edit, fn, pageOffset(e.gpa), b);
        this.lastTrap = { log: l, at: l.lastAt };
        return;
      }
      case 'trap-ignored': {
        // The dispatcher's error (kvmgt drops it), kept with the trap it answers (bits 16.. of b: -ret).
        const t = this.lastTrap;
        if (t && e.ret < 0) t.log.data[t.at + 3] |= (Math.min(4095, -e.ret) & 0xfff) << 16;
        return;
      }
      case 'record': {
        const l = gfnLog(e.gfn);
        if (e.change === 'registered') ix.add(l, step, Code.Registered, edit, fn, 0, 0, Bit.registered);
        else if (e.change === 'unregistered') ix.add(l, step, Code.Unregistered, edit, fn, 0, 0, 0, Bit.registered | Bit.tracked);
        else if (e.change === 'tracked') ix.add(l, step, Code.Tracked, edit, fn, 0, 0, Bit.tracked);
        else ix.add(l, step, Code.Untracked, edit, fn, 0, 0, 0, Bit.tracked);
        return;
      }
      case 'protect':
        ix.add(gfnLog(e.gfn), step, e.on ? Code.ProtectOn : Code.ProtectOff, edit, fn, 0, 0, e.on ? Bit.protected : 0, e.on ? 0 : Bit.protected);
        return;
      case 'spt': {
        const l = gfnLog(e.gfn);
        const code = e.change === 'alloc' ? Code.SptAlloc : e.change === 'free' ? Code.SptFree : e.change === 'ref' ? Code.SptRef : Code.SptUnref;
        ix.add(l, step, code, edit, fn, e.mfn, e.refcount, e.change === 'alloc' ? Bit.shadowed : 0, e.change === 'free' ? Bit.shadowed : 0);
        return;
      }
      case 'post-shadow':
        ix.add(ix.log(e.vgpu, 'slot', slotKey(e.gfn, e.index)), step, e.set ? Code.PostShadowSet : Code.PostShadowClear, edit, fn, 0, 0, e.set ? SLOT_POST_SHADOW : 0, e.set ? 0 : SLOT_POST_SHADOW);
        return;
      case 'dma':
        ix.add(gfnLog(e.gfn), step, e.change === 'map' ? Code.DmaMap : Code.DmaUnmap, edit, fn, e.mfn, e.pages, e.change === 'map' ? Bit.dma : 0, e.change === 'map' ? 0 : Bit.dma);
        return;
      case 'dma-fail':
        ix.add(gfnLog(e.gfn), step, Code.DmaFail, edit, fn, 0, e.pages);
        return;
      case 'oos':
        ix.add(gfnLog(e.gfn), step, e.change === 'out-of-sync' ? Code.OutOfSync : Code.Synced, edit, fn, 0, 0, e.change === 'out-of-sync' ? Bit.oos : 0, e.change === 'out-of-sync' ? 0 : Bit.oos);
        return;
      case 'failsafe':
        ix.add(ix.log(e.vgpu, 'vgpu', 0), step, e.on ? Code.FailsafeOn : Code.FailsafeOff, edit, fn);
        return;
      case 'attach':
        if (!e.attached) ix.clearAll(e.vgpu, Bit.protected);
        ix.add(ix.log(e.vgpu, 'vgpu', 0), step, e.attached ? Code.Attached : Code.Detached, edit, fn, e.dropped ?? e.stale ?? 0);
        return;
      case 'mm': {
        const code = e.change === 'created' ? Code.MmCreated : e.change === 'shadowed' ? Code.MmShadowed : e.change === 'invalidated' ? Code.MmInvalidated : e.change === 'destroyed' ? Code.MmDestroyed : 0;
        if (code) ix.add(ix.log(e.vgpu, 'vgpu', 0), step, code, edit, fn, e.root, e.refs ?? 0);
        return;
      }
      case 'hazard':
        ix.add(ix.log(e.vgpu, 'vgpu', 0), step, Code.Hazard, edit, fn, HAZARD_NAMES.indexOf(e.hazard));
        return;
      default:
        return;
    }
  }
}
