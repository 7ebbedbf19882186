// The breakpoints a client set, which outlive a run: the store the runtime reads, the gfn specs and
// the file the line breakpoints came from (both re-applied when a scenario is launched). Answers
// the breakpoint requests with DAP bodies; the session only routes them and sends the events.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { BreakpointStore, type StatementLines } from './breakpoints';
import { dataBreakpointSpecs, exceptionFilterIds, gfnBreakpointSpecs, reportedBreakpoints, sourceBreakpointSpecs } from './breakpointRequests';

/** The client's line numbering (DAP's linesStartAt1) both ways. */
export interface ClientLines {
  toClient(line: number): number;
  toDebugger(line: number): number;
}

/** The launched scenario, as the breakpoint requests need it. */
export interface LaunchedScenario {
  readonly program: string;
  readonly index: StatementLines;
}

export class SessionBreakpoints {
  readonly store = new BreakpointStore();
  private gfnSpecs: DebugProtocol.FunctionBreakpoint[] = [];
  /** The file of the last setBreakpoints (before a launch, the scenario is not known yet). */
  private lineSpecsPath: string | undefined;

  constructor(private readonly lines: ClientLines) {}

  /** setBreakpoints: only the launched scenario (or, before a launch, any one file) has line breakpoints. */
  setLines(a: DebugProtocol.SetBreakpointsArguments, run: LaunchedScenario | undefined, source: DebugProtocol.Source): DebugProtocol.SetBreakpointsResponse['body'] {
    const specs = sourceBreakpointSpecs(a, (l) => this.lines.toDebugger(l));
    if (run && !samePath(a.source.path, run.program)) {
      const message = `only the launched scenario (${run.program}) can have breakpoints`;
      return { breakpoints: specs.map((s) => ({ verified: false, line: this.lines.toClient(s.line), message })) };
    }
    this.lineSpecsPath = a.source.path;
    const bps = this.store.setLines(specs, run?.index);
    return { breakpoints: bps.map((b) => ({ id: b.id, verified: b.verified, line: this.lines.toClient(b.line), message: b.message, source })) };
  }

  setGfns(a: Record<string, unknown>, index: StatementLines | undefined): DebugProtocol.SetFunctionBreakpointsResponse['body'] {
    this.gfnSpecs = gfnBreakpointSpecs(a);
    return { breakpoints: reportedBreakpoints(this.store.setGfns(this.gfnSpecs, index)) };
  }

  setFilters(a: Record<string, unknown>): DebugProtocol.SetExceptionBreakpointsResponse['body'] {
    const problems = this.store.setFilters(exceptionFilterIds(a));
    return { breakpoints: problems.map((message) => (message ? { verified: false, message } : { verified: true })) };
  }

  setData(a: Record<string, unknown>): DebugProtocol.SetDataBreakpointsResponse['body'] {
    return { breakpoints: reportedBreakpoints(this.store.setData(dataBreakpointSpecs(a))) };
  }

  /** A scenario was launched: line and gfn breakpoints verified against it; the ones to announce as changed. */
  onLaunch(program: string, index: StatementLines): DebugProtocol.Breakpoint[] {
    const pendingLines = this.lineSpecsPath === undefined || samePath(this.lineSpecsPath, program);
    const lines = pendingLines ? this.store.reverifyLines(index) : this.store.setLines([], index);
    const gfns = this.store.setGfns(this.gfnSpecs, index);
    return [...lines, ...gfns].map((b) => ({ id: b.id, verified: b.verified, message: b.message, line: 'line' in b ? this.lines.toClient(b.line) : undefined }));
  }
}

/** Whether two paths name the same file (separators normalised). */
export function samePath(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false; // a client's path may be anything
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+/g, '/');
  return norm(a) === norm(b);
}
