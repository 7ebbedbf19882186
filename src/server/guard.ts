// Every handler runs inside a guard: a thrown exception (a bug) is logged and answered with the
// handler's empty result, so no request can take the server down or leave a client waiting.

import { ResponseError, type Connection } from 'vscode-languageserver';

export function guarded<P, R>(connection: Connection, name: string, empty: R, fn: (params: P) => R | ResponseError<void>): (params: P) => R | ResponseError<void> {
  return (params: P) => {
    try {
      return fn(params);
    } catch (e) {
      connection.console.error(`gvt: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return empty;
    }
  };
}

/** For notifications: nothing to answer, only to log. */
export function guardedNotification<P>(connection: Connection, name: string, fn: (params: P) => void): (params: P) => void {
  return (params: P) => {
    try {
      fn(params);
    } catch (e) {
      connection.console.error(`gvt: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
}
