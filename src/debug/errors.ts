// DAP error responses, made by named factories with stable ids (as vscode-js-debug's
// src/dap/errors.ts): a client's mistake or a scenario's problem becomes one of these, never an
// exception that reaches the transport. `showUser` marks what VS Code should pop up; the rest
// (mostly requests that race a state change) stay in the response only.

import type { DebugProtocol } from '@vscode/debugprotocol';

export const enum ErrorId {
  UnknownCommand = 9001,
  BadArguments = 9002,
  NotLaunched = 9003,
  AlreadyLaunched = 9004,
  Running = 9005,
  ProgramNotFound = 9006,
  ScenarioHasErrors = 9007,
  NotAvailable = 9008,
  InKernelFrame = 9009,
  EvaluationFailed = 9010,
  UnknownReference = 9011,
  Terminated = 9012,
  Internal = 9099,
}

/** A user-level failure of a request: thrown inside handlers, turned into an error response. */
export class DapError extends Error {
  constructor(
    readonly id: ErrorId,
    message: string,
    readonly showUser = true,
  ) {
    super(message);
  }

  toMessage(): DebugProtocol.Message {
    // `format` is shown verbatim: braces in it would be taken for {variables}, so escape none
    // and pass no variables (DebugSession.formatPII leaves unknown {names} as they are).
    return { id: this.id, format: this.message, showUser: this.showUser };
  }
}

export const unknownCommand = (command: string): DapError =>
  new DapError(ErrorId.UnknownCommand, `Unknown request '${command}': the GVT debugger does not support it.`, false);

export const badArguments = (command: string, what: string): DapError =>
  new DapError(ErrorId.BadArguments, `Bad arguments to '${command}': ${what}.`);

export const notLaunched = (command: string): DapError =>
  new DapError(ErrorId.NotLaunched, `'${command}' needs a running scenario: send 'launch' first.`, false);

export const alreadyLaunched = (): DapError =>
  new DapError(ErrorId.AlreadyLaunched, `A scenario is already launched in this session (use 'restart').`);

export const running = (command: string): DapError =>
  new DapError(ErrorId.Running, `'${command}' needs the scenario to be stopped: pause it first.`, false);

export const programNotFound = (program: string, why: string): DapError =>
  new DapError(ErrorId.ProgramNotFound, `Cannot launch '${program}': ${why}.`);

export const scenarioHasErrors = (program: string, lines: readonly string[]): DapError =>
  new DapError(ErrorId.ScenarioHasErrors, `${program} has errors and was not launched:\n${lines.join('\n')}`);

export const notAvailable = (what: string): DapError => new DapError(ErrorId.NotAvailable, what);

export const inKernelFrame = (what: string): DapError =>
  new DapError(ErrorId.InKernelFrame, `${what} is not possible inside a kernel call: step out of the statement first (the kernel state there is a replay).`);

export const evaluationFailed = (message: string): DapError => new DapError(ErrorId.EvaluationFailed, message, false);

export const unknownReference = (what: string, ref: unknown): DapError =>
  new DapError(ErrorId.UnknownReference, `Unknown ${what} ${JSON.stringify(ref)} (it may belong to an earlier stop).`, false);

export const terminated = (command: string): DapError =>
  new DapError(ErrorId.Terminated, `'${command}': the scenario has ended.`, false);

/** A bug of ours: reported, never fatal. */
export const internalError = (command: string, e: unknown): DapError =>
  new DapError(ErrorId.Internal, `Internal error in '${command}': ${e instanceof Error ? e.message : String(e)} (please report it).`);
