// The scenario interpreter: advances one statement at a time over the compiled program (a stack
// of blocks for `repeat`), reports ScenarioEvents, and snapshots/restores its whole state. It is
// the debugger's runtime (as mockRuntime is vscode-mock-debug's): it knows nothing of DAP.

import { Machine, type CoreEvent, type FrameArgs, type KernelFn, type KernelProfile, type Platform, type Tracer } from '../core';
import type { Program, Stmt } from './ast';
import { compileNumber, isError, RuntimeState, SlotMap, type Exec, type NumberExpr, type RuntimeError } from './runtime';
import type { ScenarioEvent, ScenarioListener } from './scenarioEvents';
import { compileStatement } from './statements';
import { isExpect } from './statementSpec';
import type { U64 } from './value';
import { hostLimitFailure, limitMessage, type RunLimits } from './limits';
import { shortenQuoted } from './diagnostic';

type RepeatStmt = Extract<Stmt, { kind: 'repeat' }>;

/**
 * A block of statements, each compiled when it first runs; `repeat` bodies are child blocks. Loop
 * bodies keep what they compiled (they run again); the top level does not (its statements run once
 * per run, and a large file would otherwise hold a closure per line for nothing). Names get their
 * slots up front, in source order, so every interpreter of a program numbers them alike (snapshots
 * move between interpreters).
 */
class Block {
  private readonly execs: (Exec | null | undefined)[];
  private readonly children: (Block | undefined)[];
  private readonly counts: (NumberExpr | undefined)[];
  readonly loopSlots: (number | undefined)[];
  /** Statements that act (not `expect`): each starts a fresh hazard log, so `expect hazard` reads the last one's. */
  readonly acts: boolean[];

  constructor(readonly stmts: readonly Stmt[], private readonly slots: SlotMap, private readonly keep: boolean) {
    this.execs = new Array(stmts.length);
    this.children = new Array(stmts.length);
    this.counts = new Array(stmts.length);
    this.acts = stmts.map((s) => !isExpect(s.kind));
    this.loopSlots = stmts.map((s) => {
      if (s.kind === 'let') slots.slotOf(s.name.name);
      return s.kind === 'repeat' && s.as ? slots.slotOf(s.as.name) : undefined;
    });
    // Nested blocks reserve their names now too (source order), compiling nothing yet.
    stmts.forEach((s, i) => {
      if (s.kind === 'repeat') this.children[i] = new Block(s.body, slots, true);
    });
  }

  /** The compiled statement i (null for `repeat`, which the interpreter runs itself). */
  exec(i: number): Exec | null {
    const cached = this.execs[i];
    if (cached !== undefined) return cached;
    const s = this.stmts[i];
    const e = s.kind === 'repeat' ? null : compileStatement(s, this.slots);
    if (this.keep || e === null) this.execs[i] = e;
    return e;
  }

  /** The count of `repeat` statement i, compiled once. */
  count(i: number): NumberExpr {
    let c = this.counts[i];
    if (c === undefined) {
      c = compileNumber((this.stmts[i] as RepeatStmt).count, this.slots, 'repeat count');
      this.counts[i] = c;
    }
    return c;
  }

  child(i: number): Block {
    return this.children[i] as Block;
  }
}

/** A repeat body's loop: the repeat statement, its count and the current iteration. */
class Loop {
  constructor(
    readonly stmt: RepeatStmt,
    readonly count: number,
    public iteration: number,
    readonly slot: number | undefined,
  ) {}

  copy(): Loop {
    return new Loop(this.stmt, this.count, this.iteration, this.slot);
  }
}

/**
 * Where the interpreter is in one block. A class (as Loop), so every frame, whether made by a
 * step, a snapshot or a restore, has one shape: the step's optimised code stays valid after the
 * first restore instead of being thrown away and rebuilt (a slow first step back).
 */
class Frame {
  constructor(
    readonly block: Block,
    public index: number,
    readonly loop: Loop | undefined,
  ) {}

  copy(): Frame {
    return new Frame(this.block, this.index, this.loop?.copy());
  }
}

export interface LoopContext {
  stmt: RepeatStmt;
  name?: string;
  iteration: number;
  count: number;
}

export interface InterpreterSnapshot {
  readonly machine: Machine;
  readonly state: RuntimeState;
  readonly frames: readonly Frame[];
  readonly stepCount: number;
  readonly error: (RuntimeError & { stmt: Stmt }) | undefined;
}

export interface InterpreterOptions {
  profile?: KernelProfile;
  /** Wins over the scenario's `platform` lines (the CLI's --platform, the launch's `platform`). */
  platform?: Platform;
  /** What the run may consume (defaults: DEFAULT_RUN_LIMITS). */
  limits?: RunLimits;
  listener?: ScenarioListener;
  /** Report kernel frames and state changes (attaches a tracer to the core: slower). */
  coreEvents?: boolean;
}

export class Interpreter {
  state: RuntimeState;
  private frames: Frame[];
  private readonly slots = new SlotMap();
  private readonly root: Block;
  private listener: ScenarioListener | null;
  private coreEvents: boolean;
  private current_: Stmt | undefined;
  /** The context every step passes to its statement, refilled per step. */
  private readonly cx: { state: RuntimeState; listener: ScenarioListener | null; stmt: Stmt };
  /** Statements executed so far (repeat headers included): the debugger's timeline position. */
  stepCount = 0;
  /** A runtime error ends the run. */
  error: (RuntimeError & { stmt: Stmt }) | undefined;

  constructor(readonly program: Program, options: InterpreterOptions = {}) {
    this.root = new Block(program.statements, this.slots, false);
    this.state = new RuntimeState(new Machine(options.profile ?? 'newest'));
    this.cx = { state: this.state, listener: null, stmt: program.statements[0] };
    this.state.profileOverride = options.profile;
    this.state.platformOverride = options.platform;
    if (options.limits) this.state.limits = options.limits;
    this.state.machine.host.tableLimit = this.state.limits.hostTables;
    this.state.machine.host.recordLimit = this.state.limits.trackRecords;
    if (options.platform) this.state.machine.platform = options.platform;
    this.frames = [new Frame(this.root, 0, undefined)];
    this.listener = options.listener ?? null;
    this.coreEvents = options.coreEvents ?? false;
    this.attach();
    this.normalize();
  }

  get machine(): Machine {
    return this.state.machine;
  }

  get done(): boolean {
    return this.current_ === undefined || this.error !== undefined;
  }

  /** The statement the next step runs. */
  current(): Stmt | undefined {
    return this.error ? undefined : this.current_;
  }

  setListener(listener: ScenarioListener | null, coreEvents = this.coreEvents): void {
    this.listener = listener;
    this.coreEvents = coreEvents;
    this.attach();
  }

  /** Enclosing repeat loops of the next statement, outermost first. */
  loops(): LoopContext[] {
    const out: LoopContext[] = [];
    for (const f of this.frames) if (f.loop) out.push({ stmt: f.loop.stmt, name: f.loop.stmt.as?.name, iteration: f.loop.iteration, count: f.loop.count });
    return out;
  }

  /** `let` and `repeat ... as` names with their current values. */
  variables(): Array<{ name: string; value: U64 | undefined }> {
    return [...this.slots.entries()].map(([name, slot]) => ({ name, value: this.state.slots[slot] }));
  }

  /** The value a scenario name has now (undefined when it is unset or no name of the scenario). */
  valueOf(name: string): U64 | undefined {
    return this.slots.has(name) ? this.state.slots[this.slots.slotOf(name)] : undefined;
  }

  /** The slot map, so REPL expressions can see the scenario's names. */
  slotMap(): SlotMap {
    return this.slots;
  }

  /** Runs one statement. Returns it (undefined when the run is over). */
  step(): Stmt | undefined {
    const stmt = this.current();
    if (!stmt) return undefined;
    const frame = this.frames[this.frames.length - 1];
    const i = frame.index;
    const limits = this.state.limits;
    if (this.stepCount >= limits.statements) return this.fail(stmt, { message: limitMessage('statements', limits.statements, 'stopped'), span: stmt.keyword });
    this.stepCount++;
    // One context object for every step (a statement only reads it while it runs): no allocation per step.
    const cx = this.cx;
    cx.state = this.state;
    cx.listener = this.listener;
    cx.stmt = stmt;
    this.tracerStmt = stmt;
    const machine = this.state.machine;
    machine.origin = stmt;
    const exec = frame.block.exec(i);
    if (exec) {
      if (frame.block.acts[i]) machine.hazards.mark(); // a fresh hazard log per acting statement
      let err: RuntimeError | undefined;
      try {
        err = exec(cx);
      } catch (e) {
        // Host memory: every shadow table (a 2M split makes one per map) is a 4 KiB page GVT
        // allocates; the allocation past the limit stops the run inside the statement.
        return this.fail(stmt, hostLimitFailure(e, stmt.keyword));
      }
      if (err) return this.fail(stmt, err);
      if (machine.guestPagesWritten > limits.guestPages) return this.fail(stmt, { message: limitMessage('guestPages', limits.guestPages, 'guest memory'), span: stmt.keyword });
      frame.index++;
    } else {
      const count = frame.block.count(i)(cx);
      if (isError(count)) return this.fail(stmt, count);
      // An empty body runs nothing however many times it repeats: its iterations are not walked one
      // by one (a 2^32-iteration empty loop took 35 s and counted no statement against the limit).
      const slot = frame.block.loopSlots[i];
      if (count > 0 && (stmt as RepeatStmt).body.length > 0) {
        if (slot !== undefined) this.state.slots[slot] = 0;
        this.frames.push(new Frame(frame.block.child(i), 0, new Loop(stmt as RepeatStmt, count, 0, slot)));
      } else {
        // An empty body ends with its name at the last iteration, as walking it did.
        if (count > 0 && slot !== undefined) this.state.slots[slot] = count - 1;
        frame.index++;
      }
    }
    this.normalize();
    return stmt;
  }

  /** Runs to the end (or the first runtime error), at most `limit` steps. */
  run(limit = Infinity): void {
    let n = 0;
    while (n++ < limit && this.step() !== undefined) {
      /* each step reports through the listener */
    }
  }

  snapshot(): InterpreterSnapshot {
    const machine = this.state.machine.clone();
    return {
      machine,
      state: this.state.clone(machine),
      frames: this.frames.map((f) => f.copy()),
      stepCount: this.stepCount,
      error: this.error,
    };
  }

  /** Restores a snapshot (which stays usable: it is copied again). */
  restore(s: InterpreterSnapshot): void {
    const machine = s.machine.clone();
    this.state = s.state.clone(machine);
    this.frames = s.frames.map((f) => f.copy());
    this.stepCount = s.stepCount;
    this.error = s.error;
    this.attach();
    this.normalize();
  }

  private fail(stmt: Stmt, err: RuntimeError): Stmt {
    // A name quoted in the message is cut as diagnostics cut them (a 100,000-character vGPU name).
    const message = shortenQuoted(err.message);
    this.error = { ...err, message, stmt };
    this.listener?.({ kind: 'error', stmt, span: err.span, message });
    return stmt;
  }

  /** Moves the pc to the next statement to run: ends loop iterations and finished blocks. */
  private normalize(): void {
    for (;;) {
      const f = this.frames[this.frames.length - 1];
      if (f.index < f.block.stmts.length) {
        this.current_ = f.block.stmts[f.index];
        return;
      }
      if (f.loop && f.loop.iteration + 1 < f.loop.count) {
        f.loop.iteration++;
        if (f.loop.slot !== undefined) this.state.slots[f.loop.slot] = f.loop.iteration;
        f.index = 0;
        continue;
      }
      if (this.frames.length === 1) {
        this.current_ = undefined;
        return;
      }
      this.frames.pop();
      this.frames[this.frames.length - 1].index++;
    }
  }

  // ---- core events → scenario events ------------------------------------------------------

  private tracerStmt: Stmt | undefined;

  private attach(): void {
    this.state.machine.tracer = this.listener && this.coreEvents ? this.makeTracer() : null;
  }

  private makeTracer(): Tracer {
    const stack: KernelFn[] = [];
    const emit = (e: ScenarioEvent): void => this.listener?.(e);
    return {
      enter: (fn: KernelFn, args: FrameArgs) => {
        emit({ kind: 'enter', stmt: this.tracerStmt!, fn, args, depth: stack.length });
        stack.push(fn);
      },
      leave: (fn: KernelFn, ret?: number) => {
        stack.pop();
        emit({ kind: 'leave', stmt: this.tracerStmt!, fn, ret, depth: stack.length });
      },
      note: (event: CoreEvent) => {
        emit({ kind: 'core', stmt: this.tracerStmt!, event, fn: stack[stack.length - 1], depth: stack.length });
      },
    };
  }
}
