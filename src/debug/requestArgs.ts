// Checking what a client sent before anything uses it (a wrong type is a clear error response,
// not a TypeError deep inside), and the adapter's capabilities, declared in one place.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { badArguments } from './errors';
import type { GvtLaunchArguments } from './protocol';

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object';

function kindOf(v: unknown): Kind | 'other' {
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'number') return Number.isFinite(v) ? 'number' : 'other';
  return t === 'string' || t === 'boolean' || (t === 'object' && v !== null) ? (t as Kind) : 'other';
}

/**
 * A request's arguments as its DAP type, once the fields it cannot do without are checked by
 * kind: the one place where the client's untyped JSON becomes a typed value.
 */
export function validArgs<T extends object>(a: Record<string, unknown>, command: string, required: Partial<Record<keyof T & string, Kind>>): T {
  for (const [name, kind] of Object.entries(required) as Array<[string, Kind]>) {
    if (a[name] === undefined) throw badArguments(command, `'${name}' is required`);
    if (kindOf(a[name]) !== kind) throw badArguments(command, `'${name}' must be ${kind === 'array' ? 'an array' : `a ${kind}`}`);
  }
  return a as unknown as T;
}

/** An optional non-negative number (a history limit: a fraction is rounded down where it is used). */
export function optNumber(a: Record<string, unknown>, command: string, name: string): void {
  const v = a[name];
  if (v !== undefined && (kindOf(v) !== 'number' || (v as number) < 0)) throw badArguments(command, `'${name}' must be a non-negative number`);
}

/** An optional row index, count or frame number: a whole number, 0 or more (0.5 or 1e300 would be echoed back or index nothing). */
export function optCount(a: Record<string, unknown>, command: string, name: string): void {
  const v = a[name];
  if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)) throw badArguments(command, `'${name}' must be a non-negative whole number`);
}

/** A whole-number argument, if given (`min` and up): offsets and counts, which are added to addresses. */
function optInteger(a: Record<string, unknown>, command: string, name: string, min = Number.MIN_SAFE_INTEGER): void {
  const v = a[name];
  if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)) throw badArguments(command, `'${name}' must be a whole number${min === 0 ? ' (0 or more)' : ''}`);
}

export function optKind(a: Record<string, unknown>, command: string, name: string, kind: Kind): void {
  if (a[name] !== undefined && kindOf(a[name]) !== kind) throw badArguments(command, `'${name}' must be ${kind === 'array' ? 'an array' : `a ${kind}`}`);
}

/** stackTrace: paging by whole numbers (a negative start paged nothing and said so nowhere). */
export function stackTraceArgs(a: Record<string, unknown>): DebugProtocol.StackTraceArguments {
  const args = validArgs<DebugProtocol.StackTraceArguments>(a, 'stackTrace', {});
  optInteger(a, 'stackTrace', 'startFrame', 0);
  optInteger(a, 'stackTrace', 'levels', 0);
  return args;
}

/** readMemory: a whole-number offset (negative reads before the reference) and count. */
export function readMemoryArgs(a: Record<string, unknown>): DebugProtocol.ReadMemoryArguments {
  const args = validArgs<DebugProtocol.ReadMemoryArguments>(a, 'readMemory', { memoryReference: 'string', count: 'number' });
  optInteger(a, 'readMemory', 'offset');
  optInteger(a, 'readMemory', 'count', 0);
  return args;
}

/** writeMemory: a whole-number offset (a string one was added to the address as text). */
export function writeMemoryArgs(a: Record<string, unknown>): DebugProtocol.WriteMemoryArguments {
  const args = validArgs<DebugProtocol.WriteMemoryArguments>(a, 'writeMemory', { memoryReference: 'string', data: 'string' });
  optInteger(a, 'writeMemory', 'offset');
  return args;
}

/** Validates launch (and restart) arguments. */
export function launchArguments(a: Record<string, unknown>, command: string): GvtLaunchArguments {
  if (typeof a.program !== 'string' || a.program.trim() === '') throw badArguments(command, "'program' (the path of the .gvt scenario) is required");
  for (const b of ['stopOnEntry', 'noDebug', 'trace', 'stopAtEnd']) optKind(a, command, b, 'boolean');
  if (a.kernel !== undefined && a.kernel !== 'newest' && a.kernel !== 'legacy') throw badArguments(command, "'kernel' must be 'newest' or 'legacy'");
  if (a.platform !== undefined && a.platform !== 'gen8' && a.platform !== 'gen9' && a.platform !== 'gen11') throw badArguments(command, "'platform' must be 'gen8', 'gen9' or 'gen11'");
  if (a.output !== undefined && a.output !== 'trace' && a.output !== 'frames' && a.output !== 'quiet') throw badArguments(command, "'output' must be 'trace', 'frames' or 'quiet'");
  if (a.limits !== undefined && kindOf(a.limits) !== 'object') throw badArguments(command, "'limits' must be an object of name: number");
  // The two limits that are not run limits (parseRunLimits checks those): the reader's and the history's.
  for (const name of ['fileBytes', 'historyMiB']) {
    const v = (a.limits as Record<string, unknown> | undefined)?.[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)) throw badArguments(command, `'limits.${name}' must be a positive whole number`);
  }
  return a as unknown as GvtLaunchArguments;
}

export function capabilities(filters: ReadonlyArray<{ filter: string; label: string; description: string; default: boolean }>): DebugProtocol.Capabilities {
  return {
    supportsConfigurationDoneRequest: true,
    supportsFunctionBreakpoints: true,
    supportsConditionalBreakpoints: true,
    supportsHitConditionalBreakpoints: true,
    supportsLogPoints: true,
    supportsEvaluateForHovers: true,
    supportsStepBack: true,
    supportsSetVariable: true,
    supportsRestartFrame: true,
    supportsRestartRequest: true,
    supportsTerminateRequest: true,
    supportsCompletionsRequest: true,
    completionTriggerCharacters: [' '],
    supportsExceptionInfoRequest: true,
    exceptionBreakpointFilters: filters.map((f) => ({ filter: f.filter, label: f.label, description: f.description, default: f.default })),
    supportsValueFormattingOptions: true,
    supportsDataBreakpoints: true,
    supportsDataBreakpointBytes: true,
    supportsReadMemoryRequest: true,
    supportsWriteMemoryRequest: true,
    supportsSteppingGranularity: true,
    supportsBreakpointLocationsRequest: true,
    supportsDelayedStackTraceLoading: true,
    supportSuspendDebuggee: false,
    supportTerminateDebuggee: false,
  };
}
