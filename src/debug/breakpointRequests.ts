// The breakpoint requests' argument handling, apart from the session: source breakpoints read
// from setBreakpoints (with the old `lines` form), the gfn, data and exception-filter lists (each
// capped and checked the same way), and dataBreakpointInfo for a variable (a page-track row, a
// guest-memory word) or for an address (`0xGPA`, `VGPU:0xGPA`, a memoryReference).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { memDataId, type SourceBreakpointSpec } from './breakpoints';
import { badArguments } from './errors';
import { optKind, validArgs } from './requestArgs';
import { parseMemoryReference } from './memory';
import type { VariableViews } from './variables';

/** Breakpoints one request may set (per file for lines): each request's work stays bounded (docs/limits.md). */
const MAX_BREAKPOINTS = 10_000;

/** The breakpoints of a setBreakpoints request, lines converted by `toLine`. */
export function sourceBreakpointSpecs(a: DebugProtocol.SetBreakpointsArguments, toLine: (clientLine: number) => number): SourceBreakpointSpec[] {
  if (!a.source || typeof a.source !== 'object') throw badArguments('setBreakpoints', "'source' is required");
  if (a.source.path !== undefined && typeof a.source.path !== 'string') throw badArguments('setBreakpoints', "'source.path' must be a string");
  const given = a.breakpoints ?? (a.lines ?? []).map((line): DebugProtocol.SourceBreakpoint => ({ line }));
  if (!Array.isArray(given)) throw badArguments('setBreakpoints', "'breakpoints' must be an array");
  if (given.length > MAX_BREAKPOINTS) throw badArguments('setBreakpoints', `${given.length} breakpoints in one file; at most ${MAX_BREAKPOINTS} are supported`);
  return given.map((b) => {
    if (typeof b?.line !== 'number') throw badArguments('setBreakpoints', 'every breakpoint needs a numeric line');
    optionalTexts('setBreakpoints', b);
    return { line: toLine(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage };
  });
}

/**
 * condition, hitCondition and logMessage, when given, are strings: checked before any breakpoint is
 * kept, so a bad request changes nothing (one that was kept failed every later launch and restart).
 */
function optionalTexts(command: string, b: object): void {
  for (const k of ['condition', 'hitCondition', 'logMessage']) optKind(b as Record<string, unknown>, command, k, 'string');
}

/** A setFunctionBreakpoints or setDataBreakpoints list: an array, capped, each entry naming its `key`. */
function namedSpecs<T extends object>(a: Record<string, unknown>, command: string, key: keyof T & string, what: string): T[] {
  const specs = validArgs<{ breakpoints: T[] }>(a, command, { breakpoints: 'array' }).breakpoints;
  if (specs.length > MAX_BREAKPOINTS) throw badArguments(command, `at most ${MAX_BREAKPOINTS} ${what} are supported`);
  if (specs.some((b) => typeof (b as Record<string, unknown> | null)?.[key] !== 'string')) throw badArguments(command, `every breakpoint needs a '${key}'`);
  for (const b of specs) optionalTexts(command, b);
  return specs;
}

export const gfnBreakpointSpecs = (a: Record<string, unknown>): DebugProtocol.FunctionBreakpoint[] =>
  namedSpecs<DebugProtocol.FunctionBreakpoint>(a, 'setFunctionBreakpoints', 'name', 'gfn breakpoints');

export const dataBreakpointSpecs = (a: Record<string, unknown>): DebugProtocol.DataBreakpoint[] =>
  namedSpecs<DebugProtocol.DataBreakpoint>(a, 'setDataBreakpoints', 'dataId', 'data breakpoints');

/** The filter ids of setExceptionBreakpoints, from `filters` and `filterOptions` alike. */
export function exceptionFilterIds(a: Record<string, unknown>): string[] {
  const args = validArgs<DebugProtocol.SetExceptionBreakpointsArguments>(a, 'setExceptionBreakpoints', { filters: 'array' });
  optKind(a, 'setExceptionBreakpoints', 'filterOptions', 'array');
  const ids: unknown[] = [...args.filters, ...(args.filterOptions ?? []).map((f) => f?.filterId)];
  if (ids.some((f) => typeof f !== 'string')) throw badArguments('setExceptionBreakpoints', 'filters are strings');
  return ids as string[];
}

/** Breakpoints without a line (gfn and data breakpoints) as DAP reports them. */
export function reportedBreakpoints(bps: ReadonlyArray<{ id: number; verified: boolean; message?: string }>): DebugProtocol.Breakpoint[] {
  return bps.map((b) => ({ id: b.id, verified: b.verified, message: b.message }));
}

type InfoBody = DebugProtocol.DataBreakpointInfoResponse['body'];

export function dataBreakpointInfo(a: DebugProtocol.DataBreakpointInfoArguments, views: VariableViews | undefined, vgpuNames: Iterable<string>): InfoBody {
  if (typeof a.name !== 'string') throw badArguments('dataBreakpointInfo', "'name' is required");
  const none = (why: string): InfoBody => ({ dataId: null, description: why });
  if (a.variablesReference !== undefined && !a.asAddress) {
    const info = views?.dataIdOf(a.variablesReference, a.name);
    return info ? { ...info, accessTypes: ['write'], canPersist: true } : none(`'${a.name}' cannot be watched (page-track rows and guest memory words can)`);
  }
  const ref = parseMemoryReference(a.name);
  const m = /^(?:([A-Za-z_][A-Za-z0-9_-]*):)?(0x[0-9a-fA-F]+|\d+)$/.exec(a.name.trim());
  const vgpu = ref?.vgpu ?? m?.[1] ?? [...vgpuNames][0];
  const gpa = ref ? (ref.space === 'gpa' ? ref.base + ref.offset : undefined) : m ? Number(m[2]) : undefined;
  if (gpa === undefined || !vgpu) return none(`'${a.name}' is not a guest physical address (write 0xGPA, VGPU:0xGPA or a gpa memoryReference)`);
  const len = a.bytes ?? 8;
  if (!(Number.isInteger(len) && len > 0 && len <= 1 << 20)) throw badArguments('dataBreakpointInfo', `bytes must be a whole number 1..${1 << 20}`);
  return { dataId: memDataId(vgpu, gpa, len), description: `${vgpu} gpa 0x${gpa.toString(16)} (${len} bytes): guest stores`, accessTypes: ['write'], canPersist: true };
}
