// Every kind of breakpoint the adapter knows, parsed and verified once when set: line breakpoints
// (moved to the next line holding a statement; condition, hit condition, logpoint), gfn function
// breakpoints (`gfn X`, `gfn A..B`, `VGPU gfn X`), data breakpoints (a page-track record, or guest
// memory by address) and exception filters. Matching happens in the runtime; this file only says
// what was asked for. Knows nothing of DAP beyond the shapes of its requests.

import type { Expr, Stmt } from '../dsl/ast';
import type { LoadedScenario } from '../dsl/scenario';
import { asNumber, evaluate, parseLogMessage, parseOne, type LogTemplate } from './expressions';
import type { GvtExceptionFilter } from './protocol';

export const EXCEPTION_FILTERS: ReadonlyArray<{ filter: GvtExceptionFilter; label: string; description: string; default: boolean }> = [
  { filter: 'expect-failed', label: 'Failed expect', description: 'Stop at an `expect` that does not hold.', default: true },
  { filter: 'handler-error', label: 'Handler error', description: 'Stop when the page-track dispatcher returns non-zero (kvmgt drops the error).', default: false },
  { filter: 'untracked-trap', label: 'Untracked trap', description: 'Stop when a store traps into a gfn whose record is missing or not tracked.', default: false },
  { filter: 'gpu-fault', label: 'GPU page fault', description: 'Stop when a `gpu read` walk of the shadow PPGTT faults.', default: false },
  { filter: 'kernel-hazard', label: 'Kernel hazard', description: 'Stop where the modelled kernel does something unsafe: a use-after-free (e.g. the post-shadow flush), a dangling record, a DMA leak or re-map, undefined behaviour, a leak.', default: false },
];

/** `N`, `>= N`, `> N`, `== N`, `< N`, `<= N`, `% N` (a bare number means `>=`). */
export type HitTest = (hits: number) => boolean;

export function parseHitCondition(text: string): HitTest | string {
  // Trimmed first: `\s*` on both sides of an optional part backtracked on long runs of spaces.
  const m = /^(>=|<=|==|=|>|<|%)?\s*(\d+)$/.exec(text.trim());
  if (!m) return `hit condition '${text}' is not understood (use N, >= N, > N, == N, < N, <= N or % N)`;
  const n = Number(m[2]);
  switch (m[1] ?? '>=') {
    case '>=':
      return (h) => h >= n;
    case '>':
      return (h) => h > n;
    case '=':
    case '==':
      return (h) => h === n;
    case '<':
      return (h) => h < n;
    case '<=':
      return (h) => h <= n;
    default:
      return n === 0 ? 'hit condition % 0 would never stop' : (h) => h % n === 0;
  }
}

interface Common {
  readonly id: number;
  verified: boolean;
  message?: string;
  condition?: Expr;
  hitTest?: HitTest;
  hits: number;
  /** A condition that failed to evaluate was reported once. */
  warned?: boolean;
}

export interface LineBreakpoint extends Common {
  /** 0-based line asked for, and where it was put. */
  readonly requestedLine: number;
  line: number;
  stmt?: Stmt;
  log?: LogTemplate;
}

export interface GfnBreakpoint extends Common {
  readonly name: string;
  vgpu?: string;
  from: number;
  to: number;
}

export interface DataBreakpoint extends Common {
  readonly dataId: string;
  kind: 'track' | 'mem';
  vgpu: string;
  /** track: the gfn; mem: the first gpa. */
  from: number;
  /** Inclusive end (gfn or gpa). */
  to: number;
}

export interface ParsedDataId {
  kind: 'track' | 'mem';
  vgpu: string;
  from: number;
  to: number;
}

export function parseDataId(id: string): ParsedDataId | undefined {
  let m = /^track:([A-Za-z_][A-Za-z0-9_-]*):0x([0-9a-f]+)$/.exec(id);
  if (m) {
    const g = parseInt(m[2], 16);
    return { kind: 'track', vgpu: m[1], from: g, to: g };
  }
  m = /^mem:([A-Za-z_][A-Za-z0-9_-]*):0x([0-9a-f]+):(\d+)$/.exec(id);
  if (m && Number(m[3]) > 0) {
    const a = parseInt(m[2], 16);
    return { kind: 'mem', vgpu: m[1], from: a, to: a + Number(m[3]) - 1 };
  }
  return undefined;
}

export const trackDataId = (vgpu: string, gfn: number): string => `track:${vgpu}:0x${gfn.toString(16)}`;
export const memDataId = (vgpu: string, gpa: number, len: number): string => `mem:${vgpu}:0x${gpa.toString(16)}:${len}`;

/** Statements by line: where a line breakpoint may sit. */
export class StatementLines {
  /** Statement starting on each 0-based line (one statement a line). */
  private readonly byLine = new Map<number, Stmt>();
  readonly lineOf = new Map<Stmt, number>();
  private readonly lines: number[];
  readonly vgpuNames = new Set<string>();

  constructor(readonly scenario: LoadedScenario) {
    const visit = (stmts: readonly Stmt[]): void => {
      for (const s of stmts) {
        const line = scenario.lines.positionAt(s.start).line;
        if (!this.byLine.has(line)) this.byLine.set(line, s);
        this.lineOf.set(s, line);
        if (s.kind === 'vgpu') this.vgpuNames.add(s.name.name);
        if (s.kind === 'repeat') visit(s.body);
      }
    };
    visit(scenario.program.statements);
    this.lines = [...this.byLine.keys()].sort((a, b) => a - b);
  }

  /** The statement at `line` or the next line that holds one. */
  atOrAfter(line: number): { line: number; stmt: Stmt } | undefined {
    for (const l of this.lines) if (l >= line) return { line: l, stmt: this.byLine.get(l)! };
    return undefined;
  }

  /** 0-based lines that hold a statement within [from, to]. */
  linesIn(from: number, to: number): number[] {
    return this.lines.filter((l) => l >= from && l <= to);
  }
}

export interface SourceBreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export class BreakpointStore {
  private nextId = 1;
  lines: LineBreakpoint[] = [];
  /** Line breakpoints by the statement they sit on (what the run loop checks). */
  byStmt = new Map<Stmt, LineBreakpoint[]>();
  gfns: GfnBreakpoint[] = [];
  data: DataBreakpoint[] = [];
  filters = new Set<GvtExceptionFilter>(EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter));
  private lineSpecs: SourceBreakpointSpec[] = [];
  /** Bumped by every change, so the runner knows when to look again. */
  version = 0;

  /** Sets the line breakpoints of the scenario (0-based lines). Without `index` they stay pending. */
  setLines(specs: SourceBreakpointSpec[], index: StatementLines | undefined): LineBreakpoint[] {
    // A breakpoint set again at the same line with the same condition keeps its id and hit count.
    const key = (s: { line: number; condition?: string }): string => `${s.line}|${s.condition ?? ''}`;
    const old = new Map(this.lineSpecs.map((s, i) => [key(s), this.lines[i]]));
    this.lineSpecs = specs;
    this.lines = specs.map((s) => {
      const before = old.get(key(s));
      const bp = this.makeLine(s, index, before?.id);
      if (before) bp.hits = before.hits;
      return bp;
    });
    this.rebuild();
    return this.lines;
  }

  /** Verifies again (after launch or restart): the same ids, possibly moved. */
  reverifyLines(index: StatementLines): LineBreakpoint[] {
    this.lines = this.lineSpecs.map((s, i) => this.makeLine(s, index, this.lines[i]?.id));
    this.rebuild();
    return this.lines;
  }

  private makeLine(s: SourceBreakpointSpec, index: StatementLines | undefined, id = this.nextId++): LineBreakpoint {
    const bp: LineBreakpoint = { id, requestedLine: s.line, line: s.line, verified: false, hits: 0 };
    if (!index) {
      bp.message = 'pending: the scenario is not launched yet';
      return bp;
    }
    const at = index.atOrAfter(s.line);
    if (!at) {
      bp.message = 'no statement on or after this line';
      return bp;
    }
    bp.line = at.line;
    bp.stmt = at.stmt;
    const problem = applyCommon(bp, s.condition, s.hitCondition);
    if (s.logMessage !== undefined) {
      const t = parseLogMessage(s.logMessage);
      if (typeof t === 'string') return { ...bp, verified: false, message: `logpoint: ${t}` };
      bp.log = t;
    }
    if (problem) {
      bp.message = problem;
      return bp;
    }
    bp.verified = true;
    return bp;
  }

  private rebuild(): void {
    this.version++;
    this.byStmt = new Map();
    for (const bp of this.lines) {
      if (!bp.verified || !bp.stmt) continue;
      const list = this.byStmt.get(bp.stmt) ?? [];
      list.push(bp);
      this.byStmt.set(bp.stmt, list);
    }
  }

  setGfns(specs: Array<{ name: string; condition?: string; hitCondition?: string }>, index: StatementLines | undefined): GfnBreakpoint[] {
    this.version++;
    this.gfns = specs.map((s) => {
      const bp: GfnBreakpoint = { id: this.nextId++, name: s.name, verified: false, hits: 0, from: 0, to: -1 };
      const parsed = parseGfnBreakpointName(s.name);
      if (typeof parsed === 'string') return { ...bp, message: parsed };
      Object.assign(bp, parsed);
      if (bp.vgpu && index && !index.vgpuNames.has(bp.vgpu)) return { ...bp, message: `no vGPU named '${bp.vgpu}' in this scenario` };
      const problem = applyCommon(bp, s.condition, s.hitCondition);
      if (problem) return { ...bp, message: problem };
      bp.verified = true;
      return bp;
    });
    return this.gfns;
  }

  setData(specs: Array<{ dataId: string; accessType?: string; condition?: string; hitCondition?: string }>): DataBreakpoint[] {
    this.version++;
    this.data = specs.map((s) => {
      const parsed = parseDataId(s.dataId);
      const bp: DataBreakpoint = { id: this.nextId++, dataId: s.dataId, verified: false, hits: 0, kind: 'mem', vgpu: '', from: 0, to: -1 };
      if (!parsed) return { ...bp, message: `unknown data breakpoint id '${s.dataId}'` };
      Object.assign(bp, parsed);
      if (s.accessType !== undefined && s.accessType !== 'write') return { ...bp, message: `only write access can be watched (asked: ${s.accessType})` };
      const problem = applyCommon(bp, s.condition, s.hitCondition);
      if (problem) return { ...bp, message: problem };
      bp.verified = true;
      return bp;
    });
    return this.data;
  }

  /** Sets the filters; unknown ids are ignored and reported (one message per id, undefined when known). */
  setFilters(ids: readonly string[]): Array<string | undefined> {
    const known = new Set<string>(EXCEPTION_FILTERS.map((f) => f.filter));
    this.version++;
    this.filters = new Set(ids.filter((f) => known.has(f)) as GvtExceptionFilter[]);
    return ids.map((f) => (known.has(f) ? undefined : `unknown exception filter '${f}' (known: ${[...known].join(', ')})`));
  }

  get hasGfn(): boolean {
    for (const b of this.gfns) if (b.verified) return true;
    return false;
  }

  get hasData(): boolean {
    for (const b of this.data) if (b.verified) return true;
    return false;
  }
}

/** Parses condition and hit condition into the breakpoint; returns a problem message if any. */
function applyCommon(bp: Common, condition: string | undefined, hitCondition: string | undefined): string | undefined {
  if (condition !== undefined && condition.trim() !== '') {
    const e = parseOne(condition);
    if (typeof e === 'string') return `condition: ${e}`;
    bp.condition = e;
  }
  if (hitCondition !== undefined && hitCondition.trim() !== '') {
    const t = parseHitCondition(hitCondition);
    if (typeof t === 'string') return t;
    bp.hitTest = t;
  }
  return undefined;
}

const GFN_BP_HELP = "gfn breakpoints are named 'gfn X', 'gfn A..B' or 'VGPU gfn X'";

/** `gfn X`, `gfn A..B`, `VGPU gfn X`, `VGPU gfn A..B` (constant expressions). */
export function parseGfnBreakpointName(name: string): { vgpu?: string; from: number; to: number } | string {
  const m = /^(?:([A-Za-z_][A-Za-z0-9_-]*)\s+)?gfn\s+(.+)$/.exec(name.trim()); // trimmed first: a lazy part before `\s*$` backtracked
  if (!m || m[1] === 'gfn') return `'${name}' is not a gfn breakpoint: ${GFN_BP_HELP}`;
  const parts = m[2].split('..');
  if (parts.length > 2) return `'${name}': a range is A..B`;
  const values: number[] = [];
  for (const p of parts) {
    const e = parseOne(p);
    if (typeof e === 'string') return `'${name}': ${e}`;
    const v = evaluate(e, () => undefined);
    if (typeof v === 'string') return `'${name}': ${v} (gfns must be constants)`;
    const n = asNumber(v);
    if (n === undefined || n >= 2 ** 40) return `'${name}': gfn ${p.trim()} is too large`;
    values.push(n);
  }
  const from = values[0];
  const to = values[1] ?? from;
  if (to < from) return `'${name}': empty range (${from} > ${to})`;
  return { vgpu: m[1], from, to };
}

/** Whether a gfn breakpoint covers a trap (vGPU and gfn). */
export const gfnMatches = (bp: GfnBreakpoint, vgpu: string, gfn: number): boolean =>
  bp.verified && gfn >= bp.from && gfn <= bp.to && (bp.vgpu === undefined || bp.vgpu === vgpu);
