// What running a scenario reports, statement by statement: the core's events (kernel frames and
// state changes) tagged with the statement that caused them, plus statement-level results
// (ret, reads, GPU walks, prints, expects) and runtime errors. The CLI's trace and the debugger's
// output, exception breakpoints and kernel frames are all made from these.

import type { CoreEvent, FrameArgs, KernelFn, WalkResult } from '../core';
import type { Span, Stmt } from './ast';

export type ScenarioEvent =
  | { kind: 'enter'; stmt: Stmt; fn: KernelFn; args: FrameArgs; depth: number }
  | { kind: 'leave'; stmt: Stmt; fn: KernelFn; ret?: number; depth: number }
  | { kind: 'core'; stmt: Stmt; event: CoreEvent; fn?: KernelFn; depth: number }
  | { kind: 'ret'; stmt: Stmt; ret: number; trapped?: boolean }
  | { kind: 'read'; stmt: Stmt; gpa: number; width: number; value: bigint }
  | { kind: 'gpu'; stmt: Stmt; walk: WalkResult }
  | { kind: 'print'; stmt: Stmt; value: bigint }
  | { kind: 'expect'; stmt: Stmt; ok: boolean; message: string }
  | { kind: 'error'; stmt: Stmt; span: Span; message: string };

export type ScenarioListener = (e: ScenarioEvent) => void;
