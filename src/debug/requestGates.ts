// Which requests may come when: most need a launched scenario, and those that read or move the
// run need it stopped (not running, not ended). A request out of order is a DAP error response.

import type { DebugRuntime } from './debugRuntime';
import * as E from './errors';
import { GvtRequest } from './protocol';

/** Requests that need a launched scenario. */
const NEEDS_LAUNCH = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restartFrame', 'pause', 'stackTrace', 'scopes', 'variables', 'setVariable', 'evaluate', 'completions', 'source', 'readMemory', 'writeMemory', 'exceptionInfo', 'terminate', 'restart', GvtRequest.trackTable, GvtRequest.shadowTables, GvtRequest.trapLog]);
/** Requests that also need the run stopped. */
const NEEDS_STOP = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restartFrame', 'stackTrace', 'scopes', 'variables', 'setVariable', 'evaluate', 'completions', 'readMemory', 'writeMemory', 'exceptionInfo', GvtRequest.trackTable, GvtRequest.shadowTables, GvtRequest.trapLog]);

/** Throws the DAP error for a request that cannot be served in the run's current state. */
export function checkRequestState(command: string, rt: DebugRuntime | undefined): void {
  if (NEEDS_LAUNCH.has(command) && !rt) throw E.notLaunched(command);
  if (rt && NEEDS_STOP.has(command) && rt.running) throw E.running(command);
  if (rt && rt.ended && NEEDS_STOP.has(command)) throw E.terminated(command);
}
