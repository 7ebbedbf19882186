// gvt/exportScenario: a self-contained scenario that reproduces the state at a position: the
// statements executed so far, in order, loops unrolled (each executed body statement once per
// iteration, preceded by `let` lines giving every name the value it had then), the kernel and
// platform the session ran with, and the changes made while stopped at their positions, as
// statements. Made by replaying the timeline from its start in a scratch interpreter.

import { DEFAULT_RUN_LIMITS, RUN_LIMIT_NAMES } from '../dsl/limits';
import { hex, isProtected, PAGE_SIZE } from '../core';
import type { Stmt } from '../dsl/ast';
import { Interpreter } from '../dsl/interpreter';
import type { LoadedScenario } from '../dsl/scenario';
import { toBigInt } from '../dsl/value';
import type { Edit, Timeline } from './timeline';

/** Statements an export writes at most (a longer history is an error that says so). */
const MAX_EXPORT_STATEMENTS = 200_000;

export interface ExportedScenario {
  text: string;
  statements: number;
}


/** The scenario text of statement `stmt` (a `repeat` header is never written: its body is unrolled). */
function sourceOf(s: LoadedScenario, stmt: Stmt): string {
  return s.text.slice(stmt.start, stmt.end).trim();
}

/** An edit as statement lines, or a message when no statement can reproduce it. */
function editLines(interp: Interpreter, e: Edit, pos: number): string[] | string {
  const a = e.as;
  if (!a) return `the change at step ${pos} (${e.description}) has no scenario form`;
  switch (a.kind) {
    case 'statement':
      // A statement that failed when typed is kept as a comment: as a line it would not check (a
      // second `vgpu vm1`) or would stop the exported run where the debugger's went on.
      if (a.failed !== undefined && a.changed) return `the console statement at step ${pos} (${a.text}) failed partway (${a.failed}) after changing the state: that has no scenario form`;
      if (a.failed !== undefined) return [`# step ${pos}: typed in the Debug Console, failed there (${a.failed.replace(/\n/g, ' ')}): ${a.text}`];
      return [`${a.text}   # typed in the Debug Console at step ${pos}`];
    case 'let':
      return [`let ${a.name} = ${hex(a.value)}   # set in the Variables view at step ${pos}`];
    case 'ret':
      return [`# step ${pos}: ret was set to ${a.value} in the Variables view (no statement sets ret; an \`expect ret\` right after may differ)`];
    case 'memory': {
      if (a.space === 'spt') return `the write to a shadow table page at step ${pos} (${e.description}) has no scenario form: only the kernel writes shadow tables`;
      const v = interp.machine.vgpu(a.vgpu);
      for (let g = Math.floor(a.at / PAGE_SIZE); g <= Math.floor((a.at + a.bytes.length - 1) / PAGE_SIZE); g++) {
        if (v && isProtected(v, g)) return `the memory write at step ${pos} (${e.description}) went around write protection; as a \`write\` statement it would trap`;
      }
      const bytes = [...a.bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      return [`write ${a.vgpu} gpa ${hex(a.at)} bytes ${bytes}   # written in the memory view at step ${pos}`];
    }
  }
}

export function exportScenario(timeline: Timeline, s: LoadedScenario, to: number): ExportedScenario | string {
  const interp = new Interpreter(timeline.program, timeline.options);
  const lines: string[] = [];
  const header = [`# ${s.displayName} as executed up to step ${to}, exported by the GVT debugger: loops unrolled, changes made while stopped as statements.`];
  let statements = 0;
  const given = new Map<string, bigint>();
  const lineOfStmt = (stmt: Stmt): number => s.lines.positionAt(stmt.start).line + 1;
  const edits = (): string | undefined => {
    for (const e of timeline.editsAt(interp.stepCount) ?? []) {
      const l = editLines(interp, e, interp.stepCount);
      if (typeof l === 'string') return l;
      lines.push(...l);
      statements += l.filter((x) => !x.startsWith('#')).length;
      e.apply(interp);
    }
    return undefined;
  };
  const first = edits();
  if (first) return first;
  while (interp.stepCount < to && !interp.done) {
    const stmt = interp.current()!;
    if (stmt.kind !== 'repeat' && stmt.kind !== 'kernel' && stmt.kind !== 'platform') {
      // Every name the statement reads, with the value it has now (loop variables included); only
      // its own names are looked at (all of them, for every statement, was minutes for 5,000 lets).
      for (const name of namesReadBy(stmt)) {
        const v = interp.valueOf(name);
        if (v === undefined) continue;
        const value = toBigInt(v);
        if (given.get(name) === value) continue;
        if (stmt.kind === 'let' && 'name' in stmt && stmt.name.name === name && !given.has(name)) continue;
        lines.push(`let ${name} = ${hex(value)}`);
        given.set(name, value);
        statements++;
      }
      const loops = interp.loops().filter((l) => l.name).map((l) => `${l.name}=${l.iteration}`);
      lines.push(`${sourceOf(s, stmt)}${loops.length ? `   # line ${lineOfStmt(stmt)} [${loops.join(' ')}]` : ''}`);
      statements++;
      if (statements > MAX_EXPORT_STATEMENTS) return `the run up to step ${to} is more than ${MAX_EXPORT_STATEMENTS} statements unrolled: export from an earlier stop`;
    }
    interp.step();
    if (stmt.kind === 'let' && 'name' in stmt) {
      const value = interp.valueOf(stmt.name.name);
      if (value !== undefined) given.set(stmt.name.name, toBigInt(value));
    }
    const bad = edits();
    if (bad) return bad;
  }
  const m = interp.machine;
  header.push(`kernel ${m.profile}`, `platform ${m.platform}`);
  // A run limit the launch changed decides where the run stops: the export says how to run it alike.
  const limits = timeline.options.limits;
  const changed = limits ? RUN_LIMIT_NAMES.filter((k) => limits[k] !== DEFAULT_RUN_LIMITS[k]) : [];
  if (limits && changed.length > 0) header.splice(1, 0, `# run with the debugger's limits: gvt-scenario run ${changed.map((k) => `--limit ${k}=${limits[k]}`).join(' ')} FILE`);
  return { text: [...header, ...lines].join('\n') + '\n', statements };
}

/** The scenario names a statement reads (its expressions; a repeat's body is its own statements), once per statement. */
const namesRead = new WeakMap<Stmt, readonly string[]>();
function namesReadBy(stmt: Stmt): readonly string[] {
  let names = namesRead.get(stmt);
  if (names) return names;
  const found = new Set<string>();
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null) return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    const o = x as { kind?: unknown; ident?: { name?: unknown } };
    if (o.kind === 'name' && typeof o.ident?.name === 'string') found.add(o.ident.name);
    for (const [k, v] of Object.entries(x)) if (k !== 'body') walk(v);
  };
  walk(stmt);
  names = [...found];
  namesRead.set(stmt, names);
  return names;
}
