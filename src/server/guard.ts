// Every handler runs inside a guard: a thrown exception (a bug) is logged and answered with the
// handler's empty result, so no request can take the server down or leave a client waiting.

import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';

/** Where the server is in its life: before `initialize`, serving, or after `shutdown`. */
export type ServerState = 'new' | 'ready' | 'down';

/**
 * A request handler that answers ServerNotInitialized before `initialize`, InvalidRequest after
 * `shutdown`, and `empty` if it throws.
 */
export function guarded<P, R>(
  connection: Connection,
  state: () => ServerState,
  name: string,
  empty: R,
  fn: (params: P) => R | ResponseError<void>,
): (params: P) => R | ResponseError<void> {
  return (params: P) => {
    const now = state();
    if (now === 'new') return new ResponseError(ErrorCodes.ServerNotInitialized, `${name}: the server is not initialized`);
    if (now === 'down') return new ResponseError(ErrorCodes.InvalidRequest, `${name}: the server is shut down (only 'exit' is taken now)`);
    try {
      return fn(params);
    } catch (e) {
      connection.console.error(`gvt: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return empty;
    }
  };
}

/** For notifications: nothing to answer, only to log; after `shutdown` they are ignored. */
export function guardedNotification<P>(connection: Connection, state: () => ServerState, name: string, fn: (params: P) => void): (params: P) => void {
  return (params: P) => {
    // LSP: notifications before `initialize` are dropped (but exit), as after `shutdown`.
    if (state() !== 'ready') return;
    try {
      fn(params);
    } catch (e) {
      connection.console.error(`gvt: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
}
