// Why a statement should stop the run, found cheaply while it runs (the trap observer, counters,
// a light listener), and where inside the statement each reason points once the statement is
// recorded event by event: the trap note of a gfn breakpoint ("before the handler runs"), the
// dispatcher's failing return, the faulting GPU walk, the failed expect. Knows nothing of DAP.

import { errnoName, gpaToGfn, type KernelFn } from '../core';
import type { ScenarioEvent } from '../dsl/scenarioEvents';
import type { DataBreakpoint } from './breakpoints';
import { statementVgpu } from './names';
import type { GvtExceptionFilter } from './protocol';

type StopReason = 'breakpoint' | 'function breakpoint' | 'data breakpoint' | 'exception';

/** A reason to stop found while the statement ran, not yet placed on an event. */
export type PendingHit =
  /** The n-th trap of the statement (1-based) hit a gfn breakpoint or the untracked-trap filter. */
  | { kind: 'trap'; ordinal: number; reason: 'function breakpoint' | 'exception'; bpId?: number; filter?: 'untracked-trap' }
  /** An event index known directly (data breakpoints found on recorded events). */
  | { kind: 'event'; index: number; reason: 'data breakpoint'; bpId: number }
  | { kind: 'expect-failed' }
  | { kind: 'handler-error' }
  | { kind: 'gpu-fault' }
  | { kind: 'kernel-hazard' }
  | { kind: 'error' };

export interface ExceptionDetail {
  /** The filter, or `runtime-error`. */
  id: GvtExceptionFilter | 'runtime-error';
  description: string;
  fn?: KernelFn;
  vgpu?: string;
  gpa?: number;
  bytes?: number;
  /** The return code by name (`-EINVAL`). */
  code?: string;
}

/** A stop placed on an event of the recorded statement. */
export interface ResolvedStop {
  index: number;
  reason: StopReason;
  bpIds: number[];
  exception?: ExceptionDetail;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Places pending hits on the recorded events; sorted by event index, merged per index. */
export function resolveHits(events: readonly ScenarioEvent[], hits: readonly PendingHit[]): ResolvedStop[] {
  const out = new Map<number, ResolvedStop>();
  const add = (index: number, reason: StopReason, bpId?: number, exception?: ExceptionDetail): void => {
    if (index < 0) return;
    const cur = out.get(index);
    if (!cur) {
      out.set(index, { index, reason, bpIds: bpId === undefined ? [] : [bpId], exception });
      return;
    }
    if (bpId !== undefined) cur.bpIds.push(bpId);
    if (cur.reason === 'exception' && reason !== 'exception') cur.reason = reason; // a breakpoint names the stop
    cur.exception ??= exception;
  };
  for (const h of hits) {
    switch (h.kind) {
      case 'trap': {
        const t0 = nthTrap(events, h.ordinal);
        const e = events[t0];
        const i = dispatcherEntry(events, t0);
        if (h.reason === 'function breakpoint') add(i, 'function breakpoint', h.bpId);
        else if (e?.kind === 'core' && e.event.kind === 'trap') {
          const t = e.event;
          add(i, 'exception', undefined, {
            id: 'untracked-trap',
            description: `store to gfn 0x${gpaToGfn(t.gpa).toString(16)} trapped, but its page-track record is ${t.record === 'none' ? 'missing (the dispatcher returns -ENXIO)' : 'not tracked (the dispatcher still calls the handler)'}`,
            fn: 'intel_vgpu_page_track_handler', vgpu: t.vgpu, gpa: t.gpa, bytes: t.bytes,
          });
        }
        break;
      }
      case 'event':
        add(h.index, h.reason, h.bpId);
        break;
      case 'expect-failed': {
        const i = events.findIndex((e) => e.kind === 'expect' && !e.ok);
        const e = events[i];
        if (e?.kind === 'expect') add(i, 'exception', undefined, { id: 'expect-failed', description: `expect failed: ${e.message}` });
        break;
      }
      case 'handler-error': {
        const leave = events.findIndex((e) => e.kind === 'leave' && e.fn === 'intel_vgpu_page_track_handler' && (e.ret ?? 0) !== 0);
        if (leave < 0) break;
        const enter = lastEnterBefore(events, leave, 'intel_vgpu_page_track_handler');
        const l = events[leave];
        const args = enter >= 0 && events[enter].kind === 'enter' ? (events[enter] as Extract<ScenarioEvent, { kind: 'enter' }>).args : {};
        const code = l.kind === 'leave' ? errnoName(l.ret ?? 0) : '';
        const vgpu = vgpuOfStmt(events);
        add(leave - 1, 'exception', undefined, {
          id: 'handler-error',
          description: `intel_vgpu_page_track_handler(gpa ${hexOr(num(args.gpa))}, bytes ${num(args.bytes) ?? '?'}) returned ${code}; kvmgt_page_track_write drops it (the guest write already happened)`,
          fn: 'intel_vgpu_page_track_handler', vgpu, gpa: num(args.gpa), bytes: num(args.bytes), code,
        });
        break;
      }
      case 'gpu-fault': {
        const gi = events.findIndex((e) => e.kind === 'gpu' && e.walk.outcome.kind === 'fault');
        const g = events[gi];
        if (g?.kind !== 'gpu' || g.walk.outcome.kind !== 'fault') break;
        let i = gi;
        for (let j = gi - 1; j >= 0; j--) {
          const e = events[j];
          if (e.kind === 'core' && e.event.kind === 'gpu') {
            i = j;
            break;
          }
        }
        const o = g.walk.outcome;
        add(i, 'exception', undefined, {
          id: 'gpu-fault',
          description: `GPU page fault at va 0x${g.walk.va.toString(16)}: ${o.level}[${o.index}] ${o.reason}`,
          fn: 'gpu_page_walk', vgpu: vgpuOfStmt(events),
        });
        break;
      }
      case 'kernel-hazard': {
        const i = events.findIndex((e) => e.kind === 'core' && e.event.kind === 'hazard');
        const e = events[i];
        if (e?.kind === 'core' && e.event.kind === 'hazard') {
          add(i, 'exception', undefined, { id: 'kernel-hazard', description: `kernel hazard (${e.event.hazard}): ${e.event.message}`, vgpu: e.event.vgpu });
        }
        break;
      }
      case 'error': {
        const i = events.findIndex((e) => e.kind === 'error');
        const e = events[i];
        if (e?.kind === 'error') add(i, 'exception', undefined, { id: 'runtime-error', description: e.message });
        break;
      }
    }
  }
  return [...out.values()].sort((a, b) => a.index - b.index);
}

function nthTrap(events: readonly ScenarioEvent[], ordinal: number): number {
  let n = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind === 'core' && e.event.kind === 'trap' && ++n === ordinal) return i;
  }
  return -1;
}

/**
 * Where a trap is shown: the dispatcher's entry right after the trap note (kvmgt_page_track_write
 * → intel_vgpu_page_track_handler, the handler not yet called), or the note itself.
 */
function dispatcherEntry(events: readonly ScenarioEvent[], trap: number): number {
  if (trap < 0) return trap;
  for (let j = trap + 1; j < events.length; j++) {
    const e = events[j];
    if (e.kind === 'enter' && e.fn === 'intel_vgpu_page_track_handler') return j;
    if (e.kind === 'leave' && e.fn === 'kvmgt_page_track_write') break;
  }
  return trap;
}

function lastEnterBefore(events: readonly ScenarioEvent[], i: number, fn: KernelFn): number {
  for (let j = i - 1; j >= 0; j--) {
    const e = events[j];
    if (e.kind === 'enter' && e.fn === fn) return j;
  }
  return -1;
}

function vgpuOfStmt(events: readonly ScenarioEvent[]): string | undefined {
  const s = events[0]?.stmt;
  return s && statementVgpu(s);
}

const hexOr = (n: number | undefined): string => (n === undefined ? '?' : `0x${n.toString(16)}`);

/** Data breakpoints hit by a recorded statement's events: (event index, breakpoint). */
export function dataHits(events: readonly ScenarioEvent[], bps: readonly DataBreakpoint[]): Array<{ index: number; bp: DataBreakpoint }> {
  const out: Array<{ index: number; bp: DataBreakpoint }> = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind !== 'core') continue;
    const c = e.event;
    for (const bp of bps) {
      if (!bp.verified || c.vgpu !== bp.vgpu) continue;
      if (bp.kind === 'mem' && c.kind === 'store') {
        if (c.gpa <= bp.to && c.gpa + c.bytes - 1 >= bp.from) out.push({ index: i, bp });
      } else if (bp.kind === 'track' && c.kind === 'record' && c.gfn === bp.from) {
        out.push({ index: i, bp });
      }
    }
  }
  return out;
}


