// What the debugger's runtime (debugRuntime.ts) is given and what it reports: its options (the
// scenario, breakpoints, kernel, limits, output) and the host it tells of stops, output and the
// end. The session implements the host; nothing here knows DAP.

import type { KernelProfile, Platform } from '../core';
import type { RunLimits } from '../dsl/limits';
import type { LoadedScenario } from '../dsl/scenario';
import type { BreakpointStore, StatementLines } from './breakpoints';
import type { TraceOutputMode } from './protocol';
import type { ExceptionDetail } from './stopConditions';
import type { OutputLine } from './traceOutput';

export interface StopInfo {
  reason: string;
  description?: string;
  text?: string;
  bpIds?: number[];
  exception?: ExceptionDetail;
}

export interface RuntimeHost {
  onStop(stop: StopInfo): void;
  /** The run goes on by itself (a `goto` far ahead): the client shows it running, with Pause, until the next stop. */
  onContinue(): void;
  onOutput(line: OutputLine): void;
  /** The scenario finished (or was ended); exit code as the CLI's: 0 ok, 1 an expect failed, 2 a runtime error. */
  onEnd(exitCode: number): void;
}

export interface RuntimeOptions {
  scenario: LoadedScenario;
  index: StatementLines;
  breakpoints: BreakpointStore;
  profile?: KernelProfile;
  platform?: Platform;
  limits?: RunLimits;
  /** The history's memory budget in MiB (checkpoints thinned past it). */
  historyMiB?: number;
  output: TraceOutputMode;
  stopAtEnd: boolean;
  /** Yields to the event loop between chunks of a long run (setImmediate in Node). */
  defer: (f: () => void) => void;
}
