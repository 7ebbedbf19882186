// The Variables pane: scopes (Arguments of a kernel frame, Locals, vGPU, Page-track table,
// Shadow PPGTT, Guest memory) and their children, built lazily from the state shown at the stop
// (a scratch replay when inside a kernel call). References live for one stop. Hex by default;
// `format.hex === false` gives decimal.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { hex, isProtected, vgpuCounts, vgpuFacts, PAGE_SIZE, errnoName, type FrameArgs, type Gpa, type Machine } from '../core';
import type { Interpreter, LoopContext } from '../dsl/interpreter';
import { memDataId, trackDataId } from './breakpoints';
import { memoryReference } from './memory';
import { entryRow } from './shadowView';
import { privText } from './stateViews';
import type { SptSummary } from './protocol';

export type Container =
  | { kind: 'args'; args: FrameArgs }
  | { kind: 'locals' }
  | { kind: 'vgpus' }
  | { kind: 'vgpu'; vgpu: string }
  | { kind: 'tracks' }
  | { kind: 'trackVgpu'; vgpu: string }
  | { kind: 'trackRow'; vgpu: string; gfn: number }
  | { kind: 'shadow' }
  | { kind: 'shadowVgpu'; vgpu: string }
  | { kind: 'spt'; vgpu: string; mfn: number }
  | { kind: 'entry'; vgpu: string; mfn: number; index: number }
  | { kind: 'memory' }
  | { kind: 'memVgpu'; vgpu: string }
  | { kind: 'page'; vgpu: string; gfn: number }
  /** Rows computed once (a history or why answer in the console). */
  | { kind: 'list'; items: DebugProtocol.Variable[] };

type Var = DebugProtocol.Variable;

export interface ViewContext {
  interp: Interpreter;
  loops: LoopContext[];
  hex: boolean;
  /** Timeline position shown (inside a statement: the statement's own position). */
  position: number;
}

/** Console answers (history, why) whose rows stay expandable at once; older ones expire. */
const MAX_LISTS = 1000;
const FIRST_REF = 1000;

/**
 * Variable references for one stop. A container that describes state (a scope, a vGPU, a row) gets
 * the same reference however often it is asked for: a client that asks for scopes or evaluates
 * again and again while stopped no longer makes the adapter keep a new handle each time. Console
 * answers are kept for the newest MAX_LISTS only.
 */
export class VariableViews {
  private next = FIRST_REF;
  private readonly byRef = new Map<number, Container>();
  private readonly byKey = new Map<string, number>();
  private readonly lists: number[] = [];

  reset(): void {
    this.byRef.clear();
    this.byKey.clear();
    this.lists.length = 0;
    this.next = FIRST_REF;
  }

  get(ref: number): Container | undefined {
    return this.byRef.get(ref);
  }

  ref(c: Container): number {
    if (c.kind === 'list') {
      const r = this.next++;
      this.byRef.set(r, c);
      this.lists.push(r);
      if (this.lists.length > MAX_LISTS) this.byRef.delete(this.lists.shift()!);
      return r;
    }
    const key = JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    let r = this.byKey.get(key);
    if (r === undefined) {
      r = this.next++;
      this.byKey.set(key, r);
      this.byRef.set(r, c);
    }
    return r;
  }

  scopes(args: FrameArgs | undefined): DebugProtocol.Scope[] {
    const s = (name: string, c: Container, expensive = false, presentationHint?: string): DebugProtocol.Scope => ({ name, variablesReference: this.ref(c), expensive, presentationHint });
    const out: DebugProtocol.Scope[] = [];
    if (args) out.push(s('Arguments', { kind: 'args', args }, false, 'arguments'));
    out.push(s('Locals', { kind: 'locals' }, false, 'locals'));
    out.push(s('vGPU', { kind: 'vgpus' }));
    out.push(s('Page-track table', { kind: 'tracks' }));
    out.push(s('Shadow PPGTT', { kind: 'shadow' }, true));
    out.push(s('Guest memory', { kind: 'memory' }, true));
    return out;
  }

  variables(c: Container, cx: ViewContext, a: DebugProtocol.VariablesArguments): Var[] {
    const m = cx.interp.machine;
    const num = (n: number | bigint): string => (cx.hex ? hex(n) : n.toString());
    switch (c.kind) {
      case 'list':
        return c.items;
      case 'args':
        return Object.entries(c.args).map(([k, v]) => leaf(k, typeof v === 'number' ? num(v) : String(v)));
      case 'locals':
        return this.locals(cx, num);
      case 'vgpus':
        return [...m.vgpus.values()].map((v) => ({ name: v.name, value: `${v.traps} traps${v.failsafe ? ', failsafe' : ''}`, variablesReference: this.ref({ kind: 'vgpu', vgpu: v.name }) }));
      case 'vgpu': {
        const v = m.vgpu(c.vgpu);
        if (!v) return [];
        const f = vgpuFacts(v);
        return [
          leaf('profile', m.profile),
          leaf('failsafe', String(f.failsafe)),
          leaf('traps', num(f.traps)),
          leaf('oos', f.oosEnabled ? 'on' : 'off'),
          leaf('attached', f.attached ? 'true' : 'false (stores are not reported to GVT)'),
          leaf('vgpu_lock', f.lockHolder ? `held by ${f.lockHolder}` : 'free'),
          leaf('memory', `${v.memory.sizeBytes / PAGE_SIZE} pages (${num(v.memory.sizeBytes)} bytes)`),
          leaf('protected gfns', f.protectedGfns.map((g) => hex(g)).join(' ') || '(none)'),
          leaf('stale records', String(f.stale)),
          leaf('dma mappings', `${f.dmaMappings} (${f.dmaReferences} references)${f.dmaMappings ? `: ${v.dma.mappings().slice(0, 8).map((d) => `${hex(d.gfn)}${d.pages > 1 ? ' 2M' : ''}x${d.refs}`).join(', ')}${f.dmaMappings > 8 ? ', …' : ''}` : ''}`),
          leaf('platform IPS', f.ipsEnabled ? 'honoured' : 'ignored (512 4K entries under an IPS PDE)'),
          leaf('2M GTT pages', v.host2M ? 'yes (a 2M entry may be shadowed natively)' : 'no (every 2M entry is split: Gen8/Gen9 on 6.6+)'),
          leaf('handler calls', [...v.handlerCalls].map(([h, n]) => `${h}: ${n}`).join(', ') || '(none)'),
          leaf('mms', v.mms.map((mm) => `${hex(mm.rootGfn)}${mm.shadowed ? ' shadowed' : ''}${v.activeMm() === mm ? ' active' : ''} refs ${mm.refs}`).join(', ') || '(none)'),
          leaf('post-shadow queue', f.postShadowQueue.map((s) => hex(s.gfn)).join(' ') || '(empty)'),
          leaf('oos pages', f.oosPages.map((g) => hex(g)).join(' ') || '(none)'),
        ];
      }
      case 'tracks':
        return [...m.vgpus.values()].map((v) => ({
          name: v.name, value: `${v.pageTrack.size} record(s)`, variablesReference: this.ref({ kind: 'trackVgpu', vgpu: v.name }), indexedVariables: v.pageTrack.size,
        }));
      case 'trackVgpu': {
        const v = m.vgpu(c.vgpu);
        if (!v) return [];
        let rows = v.pageTrack.all();
        if (a.filter === 'indexed' || a.start !== undefined) rows = rows.slice(a.start ?? 0, (a.start ?? 0) + (a.count ?? rows.length));
        return rows.map((r) => ({
          name: hex(r.gfn),
          value: `${r.handler.name} ${r.tracked ? 'tracked' : 'untracked'}${isProtected(v, r.gfn) ? '' : ' (not protected)'} hits ${r.hits}`,
          variablesReference: this.ref({ kind: 'trackRow', vgpu: v.name, gfn: r.gfn }),
          memoryReference: memoryReference(v.name, 'gpa', r.gfn * PAGE_SIZE),
          evaluateName: `track ${v.name} ${hex(r.gfn)}`,
        }));
      }
      case 'trackRow': {
        const v = m.vgpu(c.vgpu);
        const r = v?.pageTrack.find(c.gfn as never);
        if (!v || !r) return [leaf('record', '(none)')];
        return [
          leaf('handler', r.handler.name),
          leaf('tracked', String(r.tracked)),
          leaf('protected', String(isProtected(v, r.gfn))),
          leaf('priv', privText(r) || '""'),
          leaf('hits', num(r.hits)),
        ];
      }
      case 'shadow':
        return [...m.vgpus.values()].map((v) => ({ name: v.name, value: `${v.mmList.size} mm(s), ${vgpuCounts(v).spts} spt(s)`, variablesReference: this.ref({ kind: 'shadowVgpu', vgpu: v.name }) }));
      case 'shadowVgpu':
        return this.shadowVgpu(m, c.vgpu);
      case 'spt':
        return this.spt(m, c.vgpu, c.mfn);
      case 'entry':
        return this.entry(m, c);
      case 'memory':
        return [...m.vgpus.values()].map((v) => ({ name: v.name, value: `${v.memory.touchedGfns().length} page(s) touched`, variablesReference: this.ref({ kind: 'memVgpu', vgpu: v.name }) }));
      case 'memVgpu': {
        const v = m.vgpu(c.vgpu);
        if (!v) return [];
        return v.memory.touchedGfns().map((g) => {
          const rec = v.pageTrack.find(g);
          return {
            name: `gfn ${hex(g)}`,
            value: `gpa ${hex(g * PAGE_SIZE)}${rec ? ` (${rec.handler.name}${rec.tracked ? ', tracked' : ''})` : ''}`,
            variablesReference: this.ref({ kind: 'page', vgpu: v.name, gfn: g }),
            memoryReference: memoryReference(v.name, 'gpa', g * PAGE_SIZE),
          };
        });
      }
      case 'page': {
        const v = m.vgpu(c.vgpu);
        if (!v) return [];
        const out: Var[] = [];
        const base = c.gfn * PAGE_SIZE;
        for (let off = 0; off < PAGE_SIZE; off += 8) {
          const lo = v.memory.readEntryLo((base + off) as Gpa);
          const hi = v.memory.readEntryHi((base + off) as Gpa);
          if (lo === 0 && hi === 0) continue;
          const value = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
          out.push({ name: `[${hex(off)}]`, value: num(value), variablesReference: 0, memoryReference: memoryReference(v.name, 'gpa', base + off), evaluateName: `mem ${v.name} ${hex(base + off)} 8` });
        }
        return out;
      }
    }
  }

  private locals(cx: ViewContext, num: (n: number | bigint) => string): Var[] {
    const st = cx.interp.state;
    const out: Var[] = [
      leaf('ret', `${errnoName(st.ret)}${st.ret < 0 ? ` (${st.ret})` : ''}`, 'ret'),
      leaf('trapped', String(st.lastStoreTrapped), 'trapped'),
      leaf('step', String(cx.position), 'step'),
      leaf('expects', `${st.expectsPassed} passed, ${st.expectsFailed} failed`),
    ];
    const loopNames = new Map(cx.loops.filter((l) => l.name).map((l) => [l.name!, l]));
    for (const { name, value } of cx.interp.variables()) {
      const l = loopNames.get(name);
      out.push(leaf(name, value === undefined ? '(no value yet)' : num(value) + (l ? ` (iteration ${l.iteration + 1} of ${l.count})` : ''), name));
    }
    return out;
  }

  private shadowVgpu(m: Machine, name: string): Var[] {
    const v = m.vgpu(name);
    if (!v) return [];
    const out: Var[] = v.mms.map((mm) => {
      const root = mm.shadowRoot.present() ? v.ppgtt.findSptByMfn(mm.shadowRoot.pfn()) : undefined;
      return {
        name: mm.rootType === 'L4' ? `mm root ${hex(mm.rootGfn)}` : `mm pdps ${mm.pdps.map((g) => hex(g)).join(' ')}`,
        value: `${mm.shadowed ? 'shadowed' : 'not shadowed'}${v.activeMm() === mm ? ', active' : ''}${root ? ` → ${mm.rootType === 'L4' ? 'PML4' : 'PD'} spt mfn ${hex(root.mfn)}` : ''}, refcount ${mm.refs}`,
        variablesReference: root ? this.ref({ kind: 'spt', vgpu: name, mfn: root.mfn }) : 0,
      };
    });
    const leaked = v.unreachableSpts();
    if (leaked > 0) out.push(leaf('unreachable spts', `${leaked} (leaked: reachable from no mm)`));
    out.push(leaf('spts', String(vgpuCounts(v).spts)));
    return out;
  }

  private spt(m: Machine, name: string, mfn: number): Var[] {
    const v = m.vgpu(name);
    const s = v?.ppgtt.findSptByMfn(mfn);
    if (!v || !s) return [leaf('spt', `(mfn ${hex(mfn)} is not allocated here)`)];
    const out: Var[] = [];
    for (let i = 0; i < 512; i++) {
      const row = entryRow(v, s, i);
      if (row.guest === '0x0' && row.shadow === '0x0') continue;
      const t = row.shadowTarget;
      const target = t.kind === 'table' ? `→ ${row.child?.level ?? 'table'} gfn ${hex(t.gfn)}` : t.kind === 'page' ? `→ gfn ${t.gfn === undefined ? '?' : hex(t.gfn)}${t.pages > 1 ? ` (${t.pages} pages)` : ''}` : t.kind === 'scratch' ? '→ scratch' : 'not present';
      out.push({
        name: `[${i}]`,
        value: `${row.mismatch ? '≠ ' : ''}guest ${row.guest} shadow ${row.shadow} ${target}${row.postShadow ? ' (post-shadow)' : ''}`,
        variablesReference: this.ref({ kind: 'entry', vgpu: name, mfn, index: i }),
        memoryReference: row.shadowMemoryReference,
      });
    }
    return out;
  }

  private entry(m: Machine, c: Extract<Container, { kind: 'entry' }>): Var[] {
    const v = m.vgpu(c.vgpu);
    const s = v?.ppgtt.findSptByMfn(c.mfn);
    if (!v || !s) return [];
    const row = entryRow(v, s, c.index);
    const out: Var[] = [
      leaf('index', String(row.index)),
      { ...leaf('guest', `${row.guest} ${row.guestFlags.join('|') || '-'}`), memoryReference: row.guestMemoryReference },
      { ...leaf('shadow', `${row.shadow} ${row.shadowFlags.join('|') || '-'}`), memoryReference: row.shadowMemoryReference },
      leaf('guest target', row.guestGfn === undefined ? 'not present' : `gfn ${hex(row.guestGfn)}`),
      leaf('shadow target', describeTarget(row.shadowTarget)),
      leaf('scratch', String(row.scratch)),
      leaf('post-shadow', String(row.postShadow)),
      leaf('oos', String(row.oos)),
      leaf('mismatch', row.mismatch ?? 'none'),
    ];
    if (row.child) out.push({ name: 'child', value: sptText(row.child), variablesReference: this.ref({ kind: 'spt', vgpu: c.vgpu, mfn: row.child.mfn }) });
    return out;
  }

  /** dataBreakpointInfo for a variable: a page-track row, or a guest-memory word. */
  dataIdOf(ref: number, name: string): { dataId: string; description: string } | undefined {
    const c = this.get(ref);
    if (!c) return undefined;
    if (c.kind === 'trackVgpu' && /^0x[0-9a-f]+$/.test(name)) {
      const gfn = parseInt(name, 16);
      return { dataId: trackDataId(c.vgpu, gfn), description: `${c.vgpu} gfn ${name}: page-track record changes` };
    }
    if (c.kind === 'trackRow') return { dataId: trackDataId(c.vgpu, c.gfn), description: `${c.vgpu} gfn ${hex(c.gfn)}: page-track record changes` };
    const m = /^\[0x([0-9a-f]+)\]$/.exec(name);
    if (c.kind === 'page' && m) {
      const gpa = c.gfn * PAGE_SIZE + parseInt(m[1], 16);
      return { dataId: memDataId(c.vgpu, gpa, 8), description: `${c.vgpu} gpa ${hex(gpa)} (8 bytes): guest stores` };
    }
    return undefined;
  }
}

function describeTarget(t: ReturnType<typeof entryRow>['shadowTarget']): string {
  switch (t.kind) {
    case 'none':
      return 'not present';
    case 'scratch':
      return `scratch (mfn ${hex(t.mfn)})`;
    case 'table':
      return `table spt mfn ${hex(t.mfn)} (guest gfn ${hex(t.gfn)})`;
    case 'page':
      return `host mfn ${hex(t.mfn)}${t.gfn !== undefined ? ` = guest gfn ${hex(t.gfn)}` : ''}${t.pages > 1 ? ` (${t.pages} pages)` : ''}`;
  }
}

const sptText = (s: SptSummary): string => `${s.level} spt mfn ${hex(s.mfn)} gfn ${hex(s.gfn)} refcount ${s.refcount}${s.mismatches ? `, ${s.mismatches} mismatch(es)` : ''}`;

function leaf(name: string, value: string, evaluateName?: string): Var {
  return { name, value, variablesReference: 0, evaluateName };
}

