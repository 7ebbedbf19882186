// The breakpoint requests' argument handling, apart from the session: source breakpoints read
// from setBreakpoints (with the old `lines` form), and dataBreakpointInfo for a variable (a
// page-track row, a guest-memory word) or for an address (`0xGPA`, `VGPU:0xGPA`, a memoryReference).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { memDataId, type SourceBreakpointSpec } from './breakpoints';
import { badArguments } from './errors';
import { parseMemoryReference } from './memory';
import type { VariableViews } from './variables';

/** The breakpoints of a setBreakpoints request, lines converted by `toLine`. */
/** Line breakpoints one file may have: each request's work stays bounded (docs/limits.md). */
export const MAX_LINE_BREAKPOINTS = 10_000;

export function sourceBreakpointSpecs(a: DebugProtocol.SetBreakpointsArguments, toLine: (clientLine: number) => number): SourceBreakpointSpec[] {
  if (!a.source || typeof a.source !== 'object') throw badArguments('setBreakpoints', "'source' is required");
  const given = a.breakpoints ?? (a.lines ?? []).map((line): DebugProtocol.SourceBreakpoint => ({ line }));
  if (!Array.isArray(given)) throw badArguments('setBreakpoints', "'breakpoints' must be an array");
  if (given.length > MAX_LINE_BREAKPOINTS) throw badArguments('setBreakpoints', `${given.length} breakpoints in one file; at most ${MAX_LINE_BREAKPOINTS} are supported`);
  return given.map((b) => {
    if (typeof b?.line !== 'number') throw badArguments('setBreakpoints', 'every breakpoint needs a numeric line');
    return { line: toLine(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage };
  });
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
  if (!(len > 0 && len <= 1 << 20)) throw badArguments('dataBreakpointInfo', `bytes must be 1..${1 << 20}`);
  return { dataId: memDataId(vgpu, gpa, len), description: `${vgpu} gpa 0x${gpa.toString(16)} (${len} bytes): guest stores`, accessTypes: ['write'], canPersist: true };
}
