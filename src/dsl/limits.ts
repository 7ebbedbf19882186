// What one run may consume, so that no scenario, however large or looping, can exhaust the
// machine: each limit is a clear runtime error at the line that crosses it (never a crash), and
// each can be raised from the CLI (`--limit NAME=N`) or the launch configuration (`limits`).
// docs/limits.md lists them with their defaults.

import { HostLimitReached } from '../core';
import type { Span } from './ast';

export interface RunLimits {
  /** Statements executed, every repeat iteration counted. */
  readonly statements: number;
  /** vGPUs created. */
  readonly vgpus: number;
  /** Guest pages written, over all vGPUs (each costs 4 KiB). */
  readonly guestPages: number;
  /** Shadow and scratch table pages GVT holds at once, over all vGPUs (each costs 4 KiB of host memory). */
  readonly hostTables: number;
  /** Page-track records held at once, over all vGPUs (each about 120 bytes of the simulation's memory). */
  readonly trackRecords: number;
  /** Trace lines printed (the CLI's output; failed expects included). */
  readonly outputLines: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  statements: 200_000_000,
  vgpus: 1024,
  guestPages: 1_048_576, // 4 GiB of guest pages
  hostTables: 262_144, // 1 GiB of shadow tables
  trackRecords: 4_194_304, // about 0.5 GiB of records
  outputLines: 2_000_000,
};

export const RUN_LIMIT_NAMES = Object.keys(DEFAULT_RUN_LIMITS) as ReadonlyArray<keyof RunLimits>;

/** The largest scenario file read (CLI, debugger, extension); the language server sees open documents. */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

const HOW_TO_RAISE = 'raise it with the CLI\'s --limit or the launch configuration\'s "limits"';

/** What each limit counts, in a message (every limit needs one). */
const COUNTED: Record<keyof RunLimits, string> = {
  statements: 'statements',
  vgpus: 'vgpus',
  guestPages: 'guest pages written',
  hostTables: 'shadow and scratch table pages',
  trackRecords: 'page-track records',
  outputLines: 'output lines',
};

/**
 * A statement that went past a host-memory limit (the core throws HostLimitReached at the
 * allocation) as its runtime error; anything else thrown is not ours and goes on up. The run and
 * a statement typed in the debugger's console both end this way.
 */
export function hostLimitFailure(e: unknown, span: Span): { message: string; span: Span } {
  if (!(e instanceof HostLimitReached)) throw e;
  const message = e.what === 'tables' ? limitMessage('hostTables', e.limit, 'shadow tables') : limitMessage('trackRecords', e.limit, 'page-track records');
  return { message, span };
}

export function limitMessage(name: keyof RunLimits, limit: number, what: string): string {
  return `${what}: the limit of ${limit} ${COUNTED[name]} is reached (${HOW_TO_RAISE}, e.g. ${name}=${limit * 2})`;
}

/** `name=N` pairs (CLI, launch configuration) over the defaults; a problem is a message. */
export function parseRunLimits(given: Readonly<Record<string, unknown>>, base: RunLimits = DEFAULT_RUN_LIMITS): RunLimits | string {
  const out: Record<string, number> = { ...base };
  for (const [k, v] of Object.entries(given)) {
    if (!(RUN_LIMIT_NAMES as readonly string[]).includes(k)) {
      if (k === 'fileBytes' || k === 'historyMiB') continue; // the readers' and the debugger's own
      return `unknown limit '${k}' (known: ${RUN_LIMIT_NAMES.join(', ')})`;
    }
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) return `limit '${k}' must be a positive whole number`;
    out[k] = n;
  }
  return out as unknown as RunLimits;
}
