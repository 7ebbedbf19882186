// What the session answers about a stop, DAP shape in, DAP body out: stack frames (kernel frames
// above the scenario frame), their read-only kernel sources, scopes and variables, evaluate and
// completions, memory, exception info and the gvt/* custom requests. Changes (setVariable,
// writeMemory, console statements) become edits of the runtime's history. Errors are DapErrors.

import { vgpuFacts } from '../core';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Stmt } from '../dsl/ast';
import { formatEvent } from '../dsl/traceFormat';
import { badArguments, evaluationFailed, inKernelFrame, notAvailable, unknownReference } from './errors';
import type { DebugRuntime } from './debugRuntime';
import { classify, completions, formatResult, runCommand, type ReplContext } from './evaluate';
import { evaluate, parseOne } from './expressions';
import type { RecordedStatement } from './kernelFrames';
import { kernelFileOf, lineInCall, renderKernelSource, type KernelSourceDocument } from './kernelSources';
import { fromBase64, MAX_MEMORY_ACCESS, parseMemoryReference, readMemory, toBase64, writeMemoryEdit } from './memory';
import { namesInScope, scopeLookup, statementVgpu } from './names';
import type { ExportScenarioBody, ExportTraceArguments, ExportTraceBody, WhyArguments, WhyBody, HistoryArguments, HistoryBody, ShadowTablesArguments, ShadowTablesBody, TrackTableArguments, TrackTableBody, TrapLogArguments, TrapLogBody } from './protocol';
import { parseHistory, parseWhy } from './answerCommands';
import { subjectGfnProblem } from './answerArgs';
import { formatLink, formatWhy, why } from './why';
import { exportTrace } from './traceExport';
import { exportScenario } from './scenarioExport';
import { formatHistory, formatRow, history } from './historyQuery';
import { shadowTables, trackTable, type TrackChanges } from './stateViews';
import { VariableViews } from './variables';
import type { Edit } from './timeline';
import { toBigInt } from '../dsl/value';
import { localEdit } from './edits';
import type { LoadedScenario } from '../dsl/scenario';

/** How the inspector shows positions to the client (line/column bases, the scenario's source). */
export interface ClientView {
  line(l0: number): number;
  column(c0: number): number;
  scenarioSource(): DebugProtocol.Source;
  lineOf(offset: number): { line: number; character: number };
  /** The 0-based line of a statement of the scenario file (undefined for console statements). */
  statementLine(stmt: unknown): number | undefined;
  lastLine(): number;
  /** The vGPUs the scenario declares, in order. */
  vgpuNames(): string[];
}

const SCENARIO_FRAME_ID = 1;
const kernelFrameId = (depth: number): number => 2 + depth;

interface SourceEntry {
  rec: RecordedStatement;
  enterIndex: number;
  doc: KernelSourceDocument;
}

const MAX_SOURCES = 500;

export class Inspector {
  readonly views = new VariableViews();
  private readonly sources = new Map<number, SourceEntry>();
  private readonly sourceKeys = new WeakMap<RecordedStatement, Map<number, number>>();
  private nextSourceRef = 1;

  constructor(
    private readonly rt: DebugRuntime,
    private readonly client: ClientView,
    private readonly changes: TrackChanges,
  ) {}

  stackTrace(a: DebugProtocol.StackTraceArguments): DebugProtocol.StackTraceResponse['body'] {
    const loc = this.rt.location();
    const frames: DebugProtocol.StackFrame[] = [];
    if (loc.rec && loc.k !== undefined) {
      for (let d = loc.frames.length - 1; d >= 0; d--) {
        const f = loc.frames[d];
        const { ref, doc } = this.kernelSource(loc.rec, f.enterIndex);
        frames.push({
          id: kernelFrameId(d),
          name: `${f.fn}(${Object.entries(f.args).map(([k, v]) => `${k}=${typeof v === 'number' ? '0x' + v.toString(16) : v}`).join(', ')})`,
          source: { name: `${f.fn} (${kernelFileOf(f.fn)})`, sourceReference: ref, origin: 'GVT kernel model (read-only)', presentationHint: 'normal' },
          line: this.client.line(lineInCall(doc, loc.rec, f.enterIndex, loc.k) - 1),
          column: this.client.column(0),
          canRestart: true,
        });
      }
    }
    frames.push(this.scenarioFrame(loc.stmt));
    const start = a.startFrame ?? 0;
    const levels = a.levels ? a.levels : frames.length;
    return { stackFrames: frames.slice(start, start + levels), totalFrames: frames.length };
  }

  private scenarioFrame(stmt: Stmt | undefined): DebugProtocol.StackFrame {
    const loops = this.rt.loops().filter((l) => l.name).map((l) => `${l.name}=${l.iteration}`);
    if (!stmt) return { id: SCENARIO_FRAME_ID, name: 'end of scenario', source: this.client.scenarioSource(), line: this.client.line(this.client.lastLine()), column: this.client.column(0) };
    const p = this.client.lineOf(stmt.start);
    const text = this.rt.printer.header(stmt, []).replace(/^\S+:\d+ {2}/, '');
    return {
      id: SCENARIO_FRAME_ID,
      name: `${text}${loops.length ? `  [${loops.join(' ')}]` : ''}`,
      source: this.client.scenarioSource(),
      line: this.client.line(p.line),
      column: this.client.column(p.character),
      canRestart: true,
    };
  }

  private kernelSource(rec: RecordedStatement, enterIndex: number): { ref: number; doc: KernelSourceDocument } {
    let byEnter = this.sourceKeys.get(rec);
    if (!byEnter) this.sourceKeys.set(rec, (byEnter = new Map()));
    let ref = byEnter.get(enterIndex);
    if (ref !== undefined && this.sources.has(ref)) return { ref, doc: this.sources.get(ref)!.doc };
    ref = this.nextSourceRef++;
    const doc = renderKernelSource(rec, enterIndex, this.rt.interp.machine.profile);
    byEnter.set(enterIndex, ref);
    this.sources.set(ref, { rec, enterIndex, doc });
    if (this.sources.size > MAX_SOURCES) this.sources.delete(this.sources.keys().next().value!);
    return { ref, doc };
  }

  source(ref: number): string {
    const s = this.sources.get(ref);
    if (!s) throw unknownReference('sourceReference', ref);
    return s.doc.content;
  }

  scopes(frameId: number): DebugProtocol.Scope[] {
    const loc = this.rt.location();
    if (frameId === SCENARIO_FRAME_ID) return this.views.scopes(undefined);
    const f = loc.frames[frameId - 2];
    if (!f) throw unknownReference('frameId', frameId);
    return this.views.scopes(f.args);
  }

  variables(a: DebugProtocol.VariablesArguments, hex: boolean): DebugProtocol.Variable[] {
    const c = this.views.get(a.variablesReference);
    if (!c) throw unknownReference('variablesReference', a.variablesReference);
    return this.views.variables(c, { interp: this.rt.viewInterp(), loops: this.rt.loops(), hex, position: this.rt.location().pos }, a);
  }

  private replContext(): ReplContext {
    const interp = this.rt.viewInterp();
    const loc = this.rt.location();
    return { machine: interp.machine, lookup: scopeLookup(interp, loc.stmt, undefined, loc.pos), stmt: loc.stmt, names: namesInScope(interp, loc.stmt) };
  }

  /** `later` runs work after the response has gone (`goto` moves the run: its stop comes after). */
  evaluate(a: DebugProtocol.EvaluateArguments, hex: boolean, edited: () => void, later: (f: () => void) => void): DebugProtocol.EvaluateResponse['body'] {
    const text = a.expression;
    const cx = this.replContext();
    if (a.context === 'hover') {
      const v = cx.machine.vgpu(text.trim());
      if (v) {
        const f = vgpuFacts(v);
        return { result: `vGPU ${f.name}: ${f.traps} traps, ${f.records} page-track records${f.stale ? ` (${f.stale} stale)` : ''}, ${f.spts} spts${f.failsafe ? ', failsafe' : ''}${f.attached ? '' : ', detached'}`, variablesReference: 0 };
      }
      const e = parseOne(text);
      if (typeof e === 'string') throw evaluationFailed(e);
      const r = evaluate(e, cx.lookup);
      if (typeof r === 'string') throw evaluationFailed(r);
      return { result: formatResult(r, hex), variablesReference: 0 };
    }
    const input = classify(text);
    switch (input.kind) {
      case 'invalid':
        throw evaluationFailed(input.message);
      case 'expression': {
        const e = parseOne(input.text);
        const r = typeof e === 'string' ? e : evaluate(e, cx.lookup);
        if (typeof r === 'string') throw evaluationFailed(r);
        return { result: formatResult(r, hex), variablesReference: 0 };
      }
      case 'command': {
        if (input.command === 'goto') {
          const e = parseOne(input.rest);
          const r = typeof e === 'string' ? e : evaluate(e, cx.lookup);
          if (typeof r === 'string' || typeof r === 'bigint') throw evaluationFailed(typeof r === 'string' ? `usage: goto STEP (${r})` : 'step too large');
          const epoch = this.rt.stopEpoch;
          later(() => this.rt.goto(r, epoch));
          return { result: `going to step ${r}`, variablesReference: 0 };
        }
        if (input.command === 'edits') {
          const lines = this.rt.timeline.allEdits().map((e) => `step ${e.pos}: ${e.edit.description}`);
          return { result: lines.length ? lines.join('\n') : 'no edits: the history is the scenario as written', variablesReference: 0 };
        }
        if (input.command === 'history') {
          const q = parseHistory(input.rest, this.vgpuNames(), cx.lookup);
          if (typeof q === 'string') throw evaluationFailed(q);
          const far = subjectGfnProblem(q.subject);
          if (far) throw evaluationFailed(far);
          const b = this.history(q);
          return { result: b.text, variablesReference: this.stepLinks(b.entries.map((r) => ({ step: r.step, text: formatRow(r, this.fileName()) }))) };
        }
        if (input.command === 'why') {
          const q = parseWhy(input.rest, this.vgpuNames(), cx.lookup);
          if (typeof q === 'string') throw evaluationFailed(q);
          const far = subjectGfnProblem(q.subject);
          if (far) throw evaluationFailed(far);
          const b = this.why(q);
          const file = this.fileName();
          return { result: b.text, variablesReference: this.stepLinks(b.chain.flatMap((l) => (l.step === undefined ? [] : [{ step: l.step, text: formatLink(l, file) }]))) };
        }
        const r = runCommand(cx, input.command, input.rest);
        if (typeof r === 'string') throw evaluationFailed(r);
        return { result: r.result, variablesReference: r.expand ? this.views.ref(r.expand) : 0, memoryReference: r.memoryReference };
      }
      case 'statement': {
        if (a.context !== 'repl') throw evaluationFailed('statements run only in the Debug Console');
        if (this.rt.inKernel) throw inKernelFrame('Running a statement');
        const r = this.rt.runStatement(input.stmt, input.text);
        if (r.refused !== undefined) throw evaluationFailed(`not run, nothing changed: ${r.refused}`);
        edited();
        const lines = r.events.filter((e) => e.kind !== 'enter' && e.kind !== 'leave').map((e) => '  ' + formatEvent(e));
        if (r.error) lines.push(`  error: ${r.error}`);
        return { result: `${input.text}  (recorded at step ${this.rt.timeline.position})${lines.length ? '\n' + lines.join('\n') : ''}`, variablesReference: 0 };
      }
    }
  }

  completions(a: DebugProtocol.CompletionsArguments, column0: number): DebugProtocol.CompletionItem[] {
    return completions(this.replContext(), a.text, column0).map((c) => ({ label: c.label, type: c.type as DebugProtocol.CompletionItemType, start: c.start, length: c.length }));
  }

  setVariable(a: DebugProtocol.SetVariableArguments, hex: boolean, edited: () => void): DebugProtocol.SetVariableResponse['body'] {
    if (this.rt.inKernel) throw inKernelFrame('Changing a variable');
    const c = this.views.get(a.variablesReference);
    if (!c) throw unknownReference('variablesReference', a.variablesReference);
    const cx = this.replContext();
    const e = parseOne(a.value);
    const v = typeof e === 'string' ? e : evaluate(e, cx.lookup);
    if (typeof v === 'string') throw evaluationFailed(`cannot set ${a.name}: ${v}`);
    let edit: Edit | undefined;
    if (c.kind === 'locals') {
      const r = localEdit(this.rt.interp, a.name, v);
      if (typeof r === 'string') throw notAvailable(r);
      edit = r;
    }
    else if (c.kind === 'page') {
      const m = /^\[0x([0-9a-f]{1,3})\]$/.exec(a.name);
      const at = m ? parseInt(m[1], 16) : -1;
      // A word of the page shown: 8-byte aligned, inside it (`[0x5000]` wrote 5 pages further on).
      if (at < 0 || at % 8 !== 0 || at > 4088) throw badArguments('setVariable', `'${a.name}' is not a guest memory word of this page ([0x0] to [0xff8], 8-byte aligned)`);
      const bytes = new Uint8Array(8);
      let b = toBigInt(v);
      for (let i = 0; i < 8; i++, b >>= 8n) bytes[i] = Number(b & 0xffn);
      const r = writeMemoryEdit(this.rt.interp.machine, { vgpu: c.vgpu, space: 'gpa', base: c.gfn * 4096 + at, offset: 0 }, 0, bytes);
      if (typeof r === 'string') throw evaluationFailed(r);
      edit = r;
    }
    if (!edit) throw notAvailable(`'${a.name}' cannot be changed (Locals names, ret, and guest memory words can)`);
    this.rt.addEdit(edit);
    edited();
    return { value: formatResult(v, hex).replace(/ \(.*\)$/, '') };
  }

  readMemory(a: DebugProtocol.ReadMemoryArguments): DebugProtocol.ReadMemoryResponse['body'] {
    const addr = parseMemoryReference(a.memoryReference);
    if (!addr) throw badArguments('readMemory', `unknown memoryReference '${a.memoryReference}'`);
    if (a.count > MAX_MEMORY_ACCESS) throw badArguments('readMemory', `count ${a.count} is larger than ${MAX_MEMORY_ACCESS}`);
    const r = readMemory(this.rt.viewInterp().machine, addr, a.offset ?? 0, a.count);
    if (typeof r === 'string') throw notAvailable(r);
    return { address: '0x' + r.address.toString(16), data: toBase64(r.data), unreadableBytes: r.unreadable || undefined };
  }

  writeMemory(a: DebugProtocol.WriteMemoryArguments): { body: DebugProtocol.WriteMemoryResponse['body']; count: number } {
    if (this.rt.inKernel) throw inKernelFrame('Writing memory');
    const addr = parseMemoryReference(a.memoryReference);
    if (!addr) throw badArguments('writeMemory', `unknown memoryReference '${a.memoryReference}'`);
    const data = fromBase64(a.data);
    if (!data) throw badArguments('writeMemory', "'data' is not base64");
    if (data.length > MAX_MEMORY_ACCESS) throw badArguments('writeMemory', `more than ${MAX_MEMORY_ACCESS} bytes`);
    if (!this.rt.editFits(data.length)) throw notAvailable(`the memory written while stopped would hold more than a quarter of the history's budget (limits.historyMiB): not written`);
    const edit = writeMemoryEdit(this.rt.interp.machine, addr, a.offset ?? 0, data);
    if (typeof edit === 'string') throw notAvailable(edit);
    this.rt.addEdit(edit);
    return { body: { bytesWritten: data.length }, count: data.length };
  }

  exceptionInfo(): DebugProtocol.ExceptionInfoResponse['body'] {
    const ex = this.rt.lastStop?.exception;
    if (!ex) throw notAvailable('The last stop was not at an exception.');
    const facts = [
      ex.fn && `kernel function: ${ex.fn}`,
      ex.vgpu && `vGPU: ${ex.vgpu}`,
      ex.gpa !== undefined && `gpa: 0x${ex.gpa.toString(16)} (gfn 0x${Math.floor(ex.gpa / 4096).toString(16)})`,
      ex.bytes !== undefined && `bytes: ${ex.bytes}`,
      ex.code && `code: ${ex.code}`,
    ].filter(Boolean);
    return {
      exceptionId: ex.id,
      description: ex.description,
      breakMode: ex.id === 'runtime-error' ? 'always' : 'userUnhandled',
      details: { message: [ex.description, ...facts].join('\n'), typeName: ex.fn ?? ex.id, stackTrace: facts.join('\n') || undefined },
    };
  }

  /** Every vGPU name of the scenario and of the state shown (console statements may add some). */
  private vgpuNames(): Set<string> {
    return new Set([...this.client.vgpuNames(), ...this.rt.viewInterp().machine.vgpus.keys()]);
  }

  private fileName(): string {
    return this.client.scenarioSource().name ?? 'scenario';
  }

  /** The vGPU a question is about: the one named, else the statement's, else the first. */
  private vgpuFor(command: string, named: string | undefined): string {
    if (named !== undefined) {
      if (!this.vgpuNames().has(named)) throw badArguments(command, `no vGPU named '${named}'`);
      return named;
    }
    const s = this.rt.location().stmt;
    const ofStmt = s && statementVgpu(s);
    const first = ofStmt ?? this.rt.viewInterp().machine.vgpus.keys().next().value ?? this.client.vgpuNames()[0];
    if (first === undefined) throw notAvailable('the scenario has no vGPU');
    return first;
  }

  /** Console rows that travel: children whose evaluateName is `goto STEP` (Copy as Expression, Add to Watch). */
  private stepLinks(rows: Array<{ step: number; text: string }>): number {
    if (rows.length === 0) return 0;
    return this.views.ref({ kind: 'list', items: rows.map((r, i) => ({ name: `${String(i + 1).padStart(3)}  goto ${r.step}`, value: r.text, evaluateName: `goto ${r.step}`, variablesReference: 0 })) });
  }

  /** gvt/history (and the console's `history`): the index is brought up to the furthest step first. */
  history(a: HistoryArguments): HistoryBody {
    const vgpu = this.vgpuFor('gvt/history', a.vgpu);
    this.rt.history.advance();
    const describeEdit = (step: number): string | undefined => this.rt.timeline.editsAt(step)?.map((e) => e.description).join('; ');
    const b = history(this.rt.history.index, { ...a, vgpu }, this.rt.location().pos, describeEdit);
    return { ...b, text: formatHistory(b, this.fileName()) };
  }

  /** gvt/why (and the console's `why`): the present state of the vGPU shown, its causes from the index. */
  why(a: WhyArguments): WhyBody {
    const name = this.vgpuFor('gvt/why', a.vgpu);
    const v = this.rt.viewInterp().machine.vgpu(name);
    if (!v) throw notAvailable(`${name} does not exist at this point of the scenario`);
    this.rt.history.advance();
    const b = why(this.rt.history.index, v, this.rt.location().pos, a.subject);
    return { ...b, text: formatWhy(b, this.fileName()) };
  }

  /** gvt/exportTrace: up to the position shown (a statement being shown counts as not run), or all the run reached. */
  exportTrace(a: ExportTraceArguments, scenario: LoadedScenario): ExportTraceBody {
    const tl = this.rt.timeline;
    const to = a.upTo === 'all' ? tl.furthest : this.rt.location().pos;
    const r = exportTrace(tl, scenario, to, tl.interp.state.limits.outputLines);
    if (typeof r === 'string') throw notAvailable(r);
    return r;
  }

  /** gvt/exportScenario: a scenario reproducing the state at the position shown (between statements). */
  exportScenario(scenario: LoadedScenario): ExportScenarioBody {
    if (this.rt.inKernel) throw inKernelFrame('Exporting a scenario');
    const pos = this.rt.location().pos;
    const r = exportScenario(this.rt.timeline, scenario, pos);
    if (typeof r === 'string') throw notAvailable(r);
    return { ...r, step: pos };
  }

  trackTable(a: TrackTableArguments): TrackTableBody {
    const originLine = (origin: unknown): number | undefined => {
      const l = this.client.statementLine(origin);
      return l === undefined ? undefined : l + 1;
    };
    const machine = this.rt.viewInterp().machine;
    if (a.vgpu !== undefined && !machine.vgpus.has(a.vgpu)) throw notAvailable(`no vGPU named '${a.vgpu}'`);
    return trackTable(machine, a, this.changes, this.rt.location().pos, originLine);
  }

  shadowTables(a: ShadowTablesArguments): ShadowTablesBody {
    const r = shadowTables(this.rt.viewInterp().machine, a, this.rt.location().pos);
    if (typeof r === 'string') throw notAvailable(r);
    return r;
  }

  trapLog(a: TrapLogArguments): TrapLogBody {
    if (a.vgpu !== undefined && !this.rt.viewInterp().machine.vgpus.has(a.vgpu)) throw notAvailable(`no vGPU named '${a.vgpu}'`);
    let total = 0;
    for (const v of this.rt.viewInterp().machine.vgpus.values()) if (a.vgpu === undefined || v.name === a.vgpu) total += v.traps;
    const entries = this.rt.traps(a.last ?? 200, a.vgpu);
    return { step: this.rt.location().pos, total, entries };
  }
}
