// Each scenario statement compiled to a closure over the core (expressions compiled once, names
// resolved to slots), so a `repeat` of a million trapped writes runs at core speed. What each
// statement means is docs/language.md; which kernel function it calls is named beside it.

import { recordFacts,
  ENXIO, LOG_HANDLER, MAX_BACKING_RANGES, MAX_REMOVED_RANGES, walkPageNote, MAX_GUEST_PAGES, PAGE_SIZE, PPGTT_VA_LIMIT, beyondPpgtt, ScenarioHandler, errnoName, gfn as asGfn, gpa as asGpa, gpuWalk,
  type Gfn, type MapSize, type StoreResult, type TrackHandler, type Vgpu,
} from '../core';
import { WIDTH_BYTES, type Expr, type Ident, type RangeExpr, type Span, type Stmt } from './ast';
import {
  bytesValue, checkGfn, checkGpa, compileGfnOperand, failureError, compileNumber, compileGpaOperand, compileOver, compileValue, compileVgpuNumber, isError, vgpuOf, writeValueBytes,
  type Exec, type ExecContext, type RuntimeError, type SlotMap,
} from './runtime';
import { toBigInt, toSigned64 } from './value';
import { limitMessage } from './limits';

const SIZE_BYTES: Record<string, MapSize> = { '4K': 4096, '64K': 65536, '2M': 2097152, '1G': 1073741824 };

/**
 * map, unmap and a GPU access stop the run at a va beyond the PPGTT's 48 bits, as the checker
 * refuses a constant one (a walk would only report a fault, and `unmap` cleared another entry).
 */
const vaBeyondPpgtt = (va: number, span: Span): RuntimeError => ({ message: beyondPpgtt(va), span });

function storeDone(cx: ExecContext, r: StoreResult): undefined {
  cx.state.ret = r.ret;
  cx.state.lastStoreTrapped = r.trapped;
  cx.listener?.({ kind: 'ret', stmt: cx.stmt, ret: r.ret, trapped: r.trapped });
  return undefined;
}

function retDone(cx: ExecContext, ret: number): undefined {
  cx.state.ret = ret;
  cx.listener?.({ kind: 'ret', stmt: cx.stmt, ret });
  return undefined;
}

type Step<T> = (cx: ExecContext) => T | RuntimeError;
type Act<T> = (cx: ExecContext, x: T) => RuntimeError | undefined;

/** The ladder every statement shares: evaluate, stop at the first error, else act on the value. */
function then<T>(get: Step<T>, act: Act<T>): Exec {
  return (cx) => {
    const x = get(cx);
    return isError(x) ? x : act(cx, x);
  };
}

/** `then` for a statement on a named vGPU. */
function onVgpu(id: Ident, act: Act<Vgpu>): Exec {
  return then((cx) => vgpuOf(cx, id), act);
}

/** `then` with a second value evaluated after the first (and able to use it). */
function then2<A, B>(a: Step<A>, b: (cx: ExecContext, a: A) => B | RuntimeError, act: (cx: ExecContext, a: A, b: B) => RuntimeError | undefined): Exec {
  return then(a, (cx, x) => {
    const y = b(cx, x);
    return isError(y) ? y : act(cx, x, y);
  });
}

/** Two values evaluated left to right (for statements with two operands). */
function both<A, B>(cx: ExecContext, a: Step<A>, b: Step<B>): readonly [A, B] | RuntimeError {
  const x = a(cx);
  if (isError(x)) return x;
  const y = b(cx);
  return isError(y) ? y : [x, y];
}

function expectDone(cx: ExecContext, ok: boolean, message: string): undefined {
  if (ok) cx.state.expectsPassed++;
  else cx.state.expectsFailed++;
  cx.listener?.({ kind: 'expect', stmt: cx.stmt, ok, message });
  return undefined;
}

/** Compile one statement (not `repeat`, which the interpreter handles). */
export function compileStatement(s: Stmt, slots: SlotMap): Exec {
  switch (s.kind) {
    case 'kernel':
      return (cx) => {
        cx.state.machine.profile = cx.state.profileOverride ?? s.profile;
        return undefined;
      };
    case 'vgpu': {
      const mem = s.memory ? compileNumber(s.memory, slots, 'memory size') : () => 64 * 1024 * 1024;
      return (cx) => {
        const bytes = mem(cx);
        if (isError(bytes)) return bytes;
        if (bytes <= 0 || bytes % PAGE_SIZE !== 0 || bytes > MAX_GUEST_PAGES * PAGE_SIZE) return { message: `memory size must be a positive multiple of 4K, at most 64G`, span: s.memory?.span ?? s };
        if (cx.state.machine.vgpu(s.name.name)) return { message: `vGPU '${s.name.name}' already exists`, span: s.name };
        const max = cx.state.limits.vgpus;
        if (cx.state.machine.vgpus.size >= max) return { message: limitMessage('vgpus', max, `vGPU '${s.name.name}' not created`), span: s.name };
        cx.state.machine.createVgpu(s.name.name, bytes);
        return undefined;
      };
    }
    case 'handler': {
      return then(compileValue(s.returns, slots), (cx, c) => {
        cx.state.handlers.set(s.name.name, new ScenarioHandler(s.name.name, Number(toSigned64(c))));
        return undefined;
      });
    }
    case 'let': {
      const slot = slots.slotOf(s.name.name);
      return then(compileValue(s.value, slots), (cx, v) => {
        cx.state.slots[slot] = v;
        return undefined;
      });
    }
    case 'register': {
      return then(compileGfnOperand(s.vgpu, s.gfn, slots), (cx, o) => {
        const h: TrackHandler | undefined = s.handler.name === 'log' ? LOG_HANDLER : cx.state.handlers.get(s.handler.name);
        if (!h) return { message: `unknown handler '${s.handler.name}'`, span: s.handler };
        return retDone(cx, o.v.pageTrack.register(o.gfn, h, s.priv?.value ?? ''));
      });
    }
    case 'unregister':
    case 'enable':
    case 'disable':
    case 'find': {
      const kind = s.kind;
      return then(compileGfnOperand(s.vgpu, s.gfn, slots), (cx, { v, gfn: f }) => {
        switch (kind) {
          case 'unregister':
            v.pageTrack.unregister(f);
            return retDone(cx, 0);
          case 'enable':
            return retDone(cx, v.pageTrack.enable(f));
          case 'disable':
            return retDone(cx, v.pageTrack.disable(f));
          default: {
            const t = v.tracer;
            t?.enter('intel_vgpu_find_page_track', { gfn: f });
            const ret = v.pageTrack.find(f) ? 0 : -ENXIO;
            t?.leave('intel_vgpu_find_page_track', ret);
            return retDone(cx, ret);
          }
        }
      });
    }
    case 'write': {
      const d = s.data;
      const width = d.kind === 'value' ? WIDTH_BYTES[d.width] : d.bytes.length;
      const fixed = d.kind === 'bytes' ? Uint8Array.from(d.bytes) : undefined;
      const at = compileNumber(s.gpa, slots, 'gpa');
      const value = d.kind === 'value' ? compileOver(d.value, slots) : undefined;
      // The hot statement of a long `repeat`: no object per run. guestStore copies the bytes into
      // guest memory and its handlers read them only during the call, so one buffer per statement.
      const scratch = new Uint8Array(width);
      const name = s.vgpu.name;
      const gpaSpan = s.gpa.span;
      return (cx) => {
        // The vGPU, the gpa, its range, then the value: the order their errors are reported in.
        const v = cx.state.machine.vgpu(name);
        if (!v) return vgpuOf(cx, s.vgpu) as RuntimeError;
        const a = at(cx);
        if (typeof a !== 'number') return a;
        const bad = checkGpa(v, a, width, gpaSpan);
        if (bad) return bad;
        let data: Uint8Array | undefined = fixed;
        if (!data) {
          const x = value!(cx.state.slots);
          if (typeof x === 'object') return failureError(x);
          data = writeValueBytes(x, scratch);
        }
        return storeDone(cx, v.guestStore(asGpa(a), data));
      };
    }
    case 'read': {
      const width = WIDTH_BYTES[s.width];
      return then(compileGpaOperand(s.vgpu, s.gpa, width, slots), (cx, { v, n: a }) => {
        cx.listener?.({ kind: 'read', stmt: cx.stmt, gpa: a, width, value: bytesValue(v.memory.readBytes(asGpa(a), width)) });
        return undefined;
      });
    }
    case 'dispatch': {
      const at = compileNumber(s.gpa, slots, 'gpa');
      const n = compileNumber(s.bytes, slots, 'bytes');
      return then2((cx) => vgpuOf(cx, s.vgpu), (cx) => both(cx, at, n), (cx, v, [a, b]) => {
        if (b < 1 || b > PAGE_SIZE - (a % PAGE_SIZE)) return { message: `bytes must be 1 to ${PAGE_SIZE - (a % PAGE_SIZE)} (the rest of the page)`, span: s.bytes.span };
        const bad = checkGpa(v, a, b, s.gpa.span);
        if (bad) return bad;
        return retDone(cx, v.dispatchDirect(asGpa(a), b));
      });
    }
    case 'pagetable': {
      const roots = compileRoots(s, slots);
      const pool = compileGfnRange(s.pool, slots, 'empty pool', true);
      return onVgpu(s.vgpu, (cx, v) => {
        const r = roots(cx, v);
        if (isError(r)) return r;
        const p = pool(cx, v);
        if (isError(p)) return p;
        return storeDone(cx, s.pdps ? v.builder.pagetable32(r, p[0], p[1]) : v.builder.pagetable(r[0], p[0], p[1]));
      });
    }
    case 'map': {
      const va = compileNumber(s.va, slots, 'va');
      const g = compileNumber(s.gfn, slots, 'gfn');
      const size = SIZE_BYTES[s.size];
      return then2((cx) => vgpuOf(cx, s.vgpu), (cx) => both(cx, va, g), (cx, v, [a, n]) => {
        if (a >= PPGTT_VA_LIMIT) return vaBeyondPpgtt(a, s.va.span);
        if (a % size !== 0) return { message: `va 0x${a.toString(16)} is not aligned to ${s.size}`, span: s.va.span };
        if ((n * PAGE_SIZE) % size !== 0) return { message: `gfn 0x${n.toString(16)} is not aligned to ${s.size}`, span: s.gfn.span };
        const r = v.builder.map(a, asGfn(n), size);
        if ('error' in r) return { message: r.error, span: s };
        return storeDone(cx, r);
      });
    }
    case 'unmap': {
      return then(compileVgpuNumber(s.vgpu, s.va, slots, 'va'), (cx, { v, n: a }) => {
        if (a >= PPGTT_VA_LIMIT) return vaBeyondPpgtt(a, s.va.span);
        const r = v.builder.unmap(a);
        return 'error' in r ? { message: r.error, span: s } : storeDone(cx, r);
      });
    }
    case 'shadow':
    case 'unshadow': {
      const roots = compileRoots(s, slots);
      const kind = s.kind;
      const type = s.pdps ? 'L3' : 'L4';
      return then2((cx) => vgpuOf(cx, s.vgpu), roots, (cx, v, r) => retDone(cx, kind === 'shadow' ? v.shadowRoots(type, r) : v.unshadowRoots(type, r)));
    }
    case 'submit':
    case 'failsafe':
    case 'reset':
    case 'attach':
    case 'detach': {
      const kind = s.kind;
      return onVgpu(s.vgpu, (cx, v) => {
        if (kind === 'submit') return retDone(cx, v.submit());
        if (kind === 'failsafe') v.enterFailsafe();
        else if (kind === 'reset') v.reset();
        else if (kind === 'attach') v.attach();
        else v.detach();
        return retDone(cx, 0);
      });
    }
    case 'oos':
      return onVgpu(s.vgpu, (_cx, v) => {
        v.oosEnabled = s.on;
        return undefined;
      });
    case 'platform':
      return (cx) => {
        cx.state.machine.platform = cx.state.platformOverride ?? s.platform;
        return undefined;
      };
    case 'ips':
      return onVgpu(s.vgpu, (_cx, v) => {
        v.gamwIps64k = s.on;
        return undefined;
      });
    case 'backing': {
      return then2((cx) => vgpuOf(cx, s.vgpu), compileGfnRange(s.range, slots, 'empty range', true), (_cx, v, r) => {
        if (!v.backing.set(r[0], r[1], s.backing)) return { message: `vGPU '${v.name}': more than ${MAX_BACKING_RANGES} separate backing ranges`, span: s.keyword };
        return undefined;
      });
    }
    case 'memslotRemove': {
      return then2((cx) => vgpuOf(cx, s.vgpu), compileGfnRange(s.range, slots, 'empty range', false), (cx, v, r) => {
        if (!v.kvmgt.canRemoveRegion(r[0], r[1])) return { message: `vGPU '${v.name}': more than ${MAX_REMOVED_RANGES} separate removed memslot ranges`, span: s.keyword };
        return retDone(cx, v.removeMemslot(r[0], r[1]));
      });
    }
    case 'gpuRead': {
      return then(compileVgpuNumber(s.vgpu, s.va, slots, 'va'), (cx, { v, n: a }) => {
        if (a >= PPGTT_VA_LIMIT) return vaBeyondPpgtt(a, s.va.span);
        cx.listener?.({ kind: 'gpu', stmt: cx.stmt, walk: walkTraced(v, a) });
        return undefined;
      });
    }
    case 'print': {
      return then(compileValue(s.value, slots), (cx, x) => {
        cx.listener?.({ kind: 'print', stmt: cx.stmt, value: toBigInt(x) });
        return undefined;
      });
    }
    default:
      return compileExpect(s, slots);
  }
}

function walkTraced(v: Vgpu, va: number): ReturnType<typeof gpuWalk> {
  const t = v.tracer;
  t?.enter('gpu_page_walk', { va });
  const walk = gpuWalk(v, va);
  const o = walk.outcome;
  const text = o.kind === 'page' ? `-> mfn 0x${o.mfn.toString(16)}${o.gfn !== undefined ? ` (guest gfn 0x${o.gfn.toString(16)})` : ''}${walkPageNote(o)}${o.unpinned ? ' (UNPINNED: DMA mapping dropped)' : ''}` : o.kind === 'scratch' ? '-> scratch page' : `GPU page fault at ${o.level}[${o.index}]: ${o.reason}`;
  t?.note({ kind: 'gpu', vgpu: v.name, va, outcome: text });
  t?.leave('gpu_page_walk');
  return walk;
}

function compileExpect(s: Stmt, slots: SlotMap): Exec {
  switch (s.kind) {
    case 'expectRet': {
      return then(compileValue(s.code, slots), (cx, c) => {
        const want = Number(toSigned64(c));
        const got = cx.state.ret;
        return expectDone(cx, got === want, `expected ret == ${errnoName(want)}, got ${errnoName(got)}`);
      });
    }
    case 'expectTrap':
      return (cx) => {
        const got = cx.state.lastStoreTrapped;
        const ok = got !== s.negated;
        return expectDone(cx, ok, s.negated ? 'expected no trap, but the last store trapped' : 'expected a trap, but the last store did not trap');
      };
    case 'expectTrack': {
      return then(compileGfnOperand(s.vgpu, s.gfn, slots), (cx, o) => {
        const n = o.gfn;
        const rec = o.v.pageTrack.find(n);
        const actual = !rec ? 'unregistered' : rec.tracked ? 'tracked' : 'untracked';
        const stale = rec !== undefined && recordFacts(o.v, rec).stale;
        const ok = s.state === 'registered' ? rec !== undefined : s.state === 'stale' ? stale : actual === s.state;
        return expectDone(cx, ok, `expected ${s.vgpu.name} gfn 0x${n.toString(16)} ${s.state}, but it is ${actual}${stale ? ' (stale: not in the protect table)' : ''}`);
      });
    }
    case 'expectMem': {
      const want = compileValue(s.value, slots);
      const width = WIDTH_BYTES[s.width];
      return then2(compileGpaOperand(s.vgpu, s.gpa, width, slots), want, (cx, { v, n: a }, w) => {
        const mask = (1n << BigInt(width * 8)) - 1n;
        const expected = toBigInt(w) & mask;
        const got = bytesValue(v.memory.readBytes(asGpa(a), width));
        return expectDone(cx, got === expected, `expected ${s.width} at gpa 0x${a.toString(16)} == 0x${expected.toString(16)}, got 0x${got.toString(16)}`);
      });
    }
    case 'expectGpu': {
      const va = compileVgpuNumber(s.vgpu, s.va, slots, 'va');
      const o = s.outcome;
      const g = o.kind === 'gfn' ? compileNumber(o.gfn, slots, 'gfn') : undefined;
      return (cx) => {
        const at = va(cx);
        if (isError(at)) return at;
        const { v, n: a } = at;
        if (a >= PPGTT_VA_LIMIT) return vaBeyondPpgtt(a, s.va.span);
        const walk = gpuWalk(v, a).outcome;
        const got = walk.kind === 'page' ? (walk.gfn !== undefined ? `gfn 0x${walk.gfn.toString(16)}` : `host mfn 0x${walk.mfn.toString(16)}`) : walk.kind === 'scratch' ? 'scratch' : `fault (${walk.reason} at ${walk.level})`;
        if (g) {
          const n = g(cx);
          if (isError(n)) return n;
          return expectDone(cx, walk.kind === 'page' && walk.gfn === n, `expected GPU va 0x${a.toString(16)} -> gfn 0x${n.toString(16)}, got ${got}`);
        }
        return expectDone(cx, walk.kind === o.kind, `expected GPU va 0x${a.toString(16)} ${o.kind}, got ${got}`);
      };
    }
    case 'expectTraps': {
      return then(compileVgpuNumber(s.vgpu, s.count, slots, 'count'), (cx, { v, n }) =>
        expectDone(cx, v.traps === n, `expected ${s.vgpu.name} traps == ${n}, got ${v.traps}`));
    }
    case 'expectMm': {
      return then2(compileVgpuNumber(s.vgpu, s.root, slots, 'gfn'), compileNumber(s.count, slots, 'count'), (cx, { v, n: r }, n) => {
        const refs = v.findMm(r as Gfn)?.refs ?? 0;
        return expectDone(cx, refs === n, `expected ${s.vgpu.name} mm 0x${r.toString(16)} refs == ${n}, got ${refs}${refs === 0 ? ' (no such mm)' : ''}`);
      });
    }
    case 'expectDma': {
      const pages = s.size === '2M' ? 512 : s.size === '4K' ? 1 : undefined;
      return then2(compileVgpuNumber(s.vgpu, s.gfn, slots, 'gfn'), compileNumber(s.count, slots, 'count'), (cx, { v, n }, want) => {
        const m = v.dma.find(asGfn(n));
        const refs = m && (pages === undefined || m.pages === pages) ? m.refs : 0;
        const has = m ? `${m.pages === 1 ? '4K' : '2M'} mapping with ${m.refs} reference(s)` : 'no mapping';
        return expectDone(cx, refs === want, `expected ${s.vgpu.name} dma gfn 0x${n.toString(16)}${s.size ? ` size ${s.size}` : ''} refs == ${want}, found ${has}`);
      });
    }
    case 'expectHazard':
      return (cx) => {
        const seen = cx.state.machine.hazards.since();
        const hit = s.hazard ? seen.includes(s.hazard) : seen.length > 0;
        const what = s.hazard ? `a ${s.hazard} hazard` : 'a kernel hazard';
        const got = seen.length ? `it raised ${[...new Set(seen)].join(', ')}` : 'it raised none';
        return expectDone(cx, hit !== s.negated, s.negated ? `expected no kernel hazard from the last statement, but ${got}` : `expected ${what} from the last statement, but ${got}`);
      };
    default:
      return (): RuntimeError => ({ message: `statement '${s.kind}' cannot run here`, span: s });
  }
}

/** `A..B` as two gfns, A ≤ B, both inside guest memory when `inMemory`. */
function compileGfnRange(range: RangeExpr, slots: SlotMap, empty: string, inMemory: boolean): (cx: ExecContext, v: Vgpu) => readonly [Gfn, Gfn] | RuntimeError {
  const from = compileNumber(range.from, slots, 'gfn');
  const to = compileNumber(range.to, slots, 'gfn');
  return (cx, v) => {
    const a = from(cx);
    if (isError(a)) return a;
    const b = to(cx);
    if (isError(b)) return b;
    const bad = inMemory ? checkGfn(v, a, range.from.span) ?? checkGfn(v, b, range.to.span) : undefined;
    if (bad) return bad;
    if (a > b) return { message: `${empty}: ${a} > ${b}`, span: range };
    return [asGfn(a), asGfn(b)];
  };
}

/** `root GFN` or `pdps A B C D` (0 = no page directory), checked against the vGPU's memory. */
function compileRoots(s: { root: Expr; pdps?: readonly Expr[] }, slots: SlotMap): (cx: ExecContext, v: Vgpu) => Gfn[] | RuntimeError {
  const exprs = s.pdps ?? [s.root];
  const parts = exprs.map((e) => compileNumber(e, slots, 'gfn'));
  return (cx, v) => {
    const out: Gfn[] = [];
    for (let i = 0; i < parts.length; i++) {
      const n = parts[i](cx);
      if (isError(n)) return n;
      if (!(s.pdps && n === 0)) {
        const bad = checkGfn(v, n, exprs[i].span);
        if (bad) return bad;
      }
      out.push(asGfn(n));
    }
    return out;
  };
}
