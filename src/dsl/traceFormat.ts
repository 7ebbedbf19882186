// The words of the trace: one line per event for a GVT developer (hex addresses, kernel function
// names, error codes by name). Shared by the CLI and the debugger's output so both say the same.

import { errnoName, hex, walkPageNote, type CoreEvent, type WalkResult } from '../core';
import type { Interpreter } from './interpreter';
import type { LoadedScenario } from './scenario';
import type { ScenarioEvent } from './scenarioEvents';

function formatCoreEvent(e: CoreEvent): string {
  switch (e.kind) {
    case 'store':
      return `guest store ${e.vgpu} gpa ${hex(e.gpa)} (${e.bytes} bytes)${e.trapped ? ': write-protected, KVM emulates and notifies' : ''}`;
    case 'trap':
      return `TRAP ${e.vgpu} gpa ${hex(e.gpa)} gfn ${hex(Math.floor(e.gpa / 4096))} bytes ${e.bytes}${e.record === 'tracked' ? '' : e.record === 'untracked' ? ' (record not tracked)' : ' (no record)'}`;
    case 'trap-ignored':
      return `kvmgt_page_track_write drops the handler result ${errnoName(e.ret)} (the guest write already happened)`;
    case 'lock':
      return `${e.held ? 'mutex_lock' : 'mutex_unlock'}(&${e.vgpu}->vgpu_lock) in ${e.by}`;
    case 'record':
      return `page track gfn ${hex(e.gfn)} ${e.change} (handler ${e.handler})`;
    case 'handler-call':
      return `handler ${e.handler}(gpa ${hex(e.gpa)}, bytes ${e.bytes}) = ${errnoName(e.ret)}`;
    case 'kernel-log':
      return `gvt: ${e.vgpu}: ${e.message}`;
    case 'protect':
      return `KVM write protection gfn ${hex(e.gfn)} ${e.on ? 'on' : 'off'}`;
    case 'failsafe':
      return e.on ? `${e.vgpu} enters failsafe mode (${e.reason ?? ''})` : `${e.vgpu} leaves failsafe mode`;
    case 'spt':
      return `spt ${e.level} mfn ${hex(e.mfn)} gfn ${hex(e.gfn)} ${e.change} (refcount ${e.refcount})`;
    case 'shadow-entry':
      return `shadow ${hex(e.gfn)}[${e.index}] = ${hex(e.value)}`;
    case 'dma':
      return `dma ${e.change} gfn ${hex(e.gfn)}${e.pages > 1 ? ` (${e.pages} pages)` : ''} -> mfn ${hex(e.mfn)}`;
    case 'post-shadow':
      return `post-shadow ${hex(e.gfn)}[${e.index}] ${e.set ? 'set' : 'cleared'}`;
    case 'oos':
      return `gfn ${hex(e.gfn)} ${e.change}`;
    case 'mm':
      return `ppgtt mm root ${hex(e.root)} ${e.change}${e.refs === undefined ? '' : ` (refcount ${e.refs})`}`;
    case 'mmio-ignored':
      return `failsafe: ${e.vgpu}'s ${e.request} is only a virtual register write (failsafe_emulate_mmio_rw): nothing happens`;
    case 'attach':
      return e.attached
        ? `${e.vgpu} attached: new, empty protect table${e.stale ? ` (${e.stale} stale record(s))` : ''}`
        : `${e.vgpu} detached: page-track notifier unregistered, protect table freed (${e.dropped ?? 0} gfn(s)); KVM's write tracking left as it was`;
    case 'dma-fail':
      return `dma map gfn ${hex(e.gfn)}${e.pages > 1 ? ` (${e.pages} pages)` : ''} failed: ${e.reason}`;
    case 'hazard':
      return `NOTE ${e.message} [kernel hazard: ${e.hazard}]`;
    case 'gpu':
      return `GPU va ${hex(e.va)} ${e.outcome}`;
    case 'surprise':
      return `NOTE ${e.message}`;
  }
}

export function formatWalk(w: WalkResult): string {
  const o = w.outcome;
  if (o.kind === 'page') return `GPU read va ${hex(w.va)} -> mfn ${hex(o.mfn)}${o.gfn !== undefined ? ` (guest gfn ${hex(o.gfn)})` : ''}${walkPageNote(o)}${o.unpinned ? ' UNPINNED: its DMA mapping was dropped, the page may be reused by the host' : ''}`;
  if (o.kind === 'scratch') return `GPU read va ${hex(w.va)} -> scratch page (reads zeroes; no fault)`;
  return `GPU PAGE FAULT va ${hex(w.va)} at ${o.level}[${o.index}]: ${o.reason}`;
}

/** One line for an event (the statement header is the caller's). */
export function formatEvent(e: ScenarioEvent): string {
  switch (e.kind) {
    case 'enter':
      return `${e.fn}(${Object.entries(e.args).map(([k, v]) => `${k}=${typeof v === 'number' ? hex(v) : v}`).join(', ')})`;
    case 'leave':
      return `${e.fn} returns ${e.ret === undefined ? 'void' : errnoName(e.ret)}`;
    case 'core':
      return formatCoreEvent(e.event);
    case 'ret':
      return `ret = ${errnoName(e.ret)}${e.trapped === undefined ? '' : e.trapped ? ' (trapped)' : ' (no trap)'}`;
    case 'read':
      return `read ${e.width * 8}-bit gpa ${hex(e.gpa)} = ${hex(e.value)}`;
    case 'gpu':
      return formatWalk(e.walk);
    case 'print':
      return `print ${hex(e.value)} (${e.value})`;
    case 'expect':
      return e.ok ? 'expect ok' : `expect failed: ${e.message}`;
    case 'error':
      return `error: ${e.message}`;
  }
}

/**
 * The last line of a run, as the CLI and the Debug Console print it: statements, expects, traps per
 * vGPU, and the verdict (`error`: the run was stopped by an error). `paint` may colour the verdict
 * (`ok`: every expect held).
 */
export function formatRunSummary(interp: Interpreter, error: boolean, paint: (verdict: string, ok: boolean) => string = (v) => v): string {
  const st = interp.state;
  const traps = [...interp.machine.vgpus.values()].map((v) => `${v.name} ${v.traps} trap${v.traps === 1 ? '' : 's'}`).join(', ');
  const verdict = error ? paint('stopped by an error', false) : st.expectsFailed > 0 ? paint(`${st.expectsFailed} expect(s) failed`, false) : paint('all expects held', true);
  return `${interp.stepCount} statements, ${st.expectsPassed} expects passed, ${st.expectsFailed} failed${traps ? `; ${traps}` : ''}: ${verdict}`;
}

function jsonReplacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? hex(v) : v;
}

/**
 * One event as a JSON line (`gvt-scenario run --json`, and Save Trace): where it happened (the
 * statement's position, or `statement: "console"` and `edit` for a change made while stopped), the
 * event's fields (a core event's own, with the kernel function it happened `in`), and its words.
 */
export function formatEventJson(s: LoadedScenario, e: ScenarioEvent, edit?: string): string {
  const p = s.lines.positionAt(e.kind === 'error' ? e.span.start : e.stmt.start);
  const { stmt, ...rest } = e;
  const fields = e.kind === 'core' ? { ...rest, event: undefined, ...e.event, kind: e.event.kind, in: e.fn } : rest;
  const where = edit === undefined ? { file: s.displayName, line: p.line + 1, col: p.character + 1, statement: stmt.kind } : { file: s.displayName, line: 0, col: 0, statement: 'console', edit };
  return JSON.stringify({ ...where, ...fields, text: formatEvent(e) }, jsonReplacer);
}

