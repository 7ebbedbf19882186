// The Debug Console (REPL), watch and hover: the commands `walk VA`, `track GFN`, `spt GFN`,
// `mem GPA [LEN]`, `goto STEP`, `history ...`, `why ...`, `edits`, `help` (each may name a vGPU first), any DSL expression
// over the scenario's names and the debugger's pseudo-names, and, while stopped between
// statements, any DSL statement (run as an edit: part of the history step-back replays).
// Completions for all of them. Results are values; failures are messages.

import { hex, isProtected, PAGE_SIZE, errnoName, gpuWalk, guestWalk, type Gfn, type Gpa, type Machine, type Vgpu, type WalkResult } from '../core';
import type { Stmt } from '../dsl/ast';
import { parse } from '../dsl/parser';
import { STATEMENT_KEYWORDS, isKeyword } from '../dsl/statementSpec';
import { formatWalk } from '../dsl/traceFormat';
import { toSigned64 } from '../dsl/value';
import { evaluate, leadingName, numbersOf, parseOne, type Lookup } from './expressions';
import { HISTORY_USAGE, WHY_USAGE } from './answerCommands';
import { statementVgpu } from './names';
import { memoryReference } from './memory';
import { entryRow, sptSummary } from './shadowView';
import { privText } from './stateViews';

const REPL_COMMANDS = ['walk', 'track', 'spt', 'mem', 'goto', 'history', 'why', 'edits', 'help'] as const;

const REPL_HELP = [
  'GVT debugger console:',
  '  walk [VGPU] VA          guest walk and shadow (GPU) walk of VA, level by level, side by side',
  '  track [VGPU] GFN        the page-track record of GFN (handler, tracked, protection, priv, hits)',
  '  spt [VGPU] GFN          the shadow page table of guest page GFN (or an spt by its mfn)',
  '  mem [VGPU] GPA [LEN]    hex dump of guest memory (default 64 bytes, at most 4096)',
  '  goto STEP               travel to statement position STEP (back or forward)',
  `  ${HISTORY_USAGE}`,
  '                          every step of the recorded run that changed it or trapped on it, oldest first',
  `  ${WHY_USAGE}`,
  '                          the causes of the present state, newest first, with the kernel rule at each',
  '  edits                   the edits made while stopped (REPL statements, memory writes)',
  '  EXPR                    a DSL expression: let/repeat names, ret, trapped, step, traps, gfn, gpa, bytes, va, value',
  '  STATEMENT               any scenario statement but `repeat` and `kernel`, run now (between statements only); step back replays it',
].join('\n');

export interface ReplContext {
  machine: Machine;
  lookup: Lookup;
  /** The statement shown (for the default vGPU). */
  stmt: Stmt | undefined;
  names: string[];
}

export interface ReplResult {
  result: string;
  /** A container to expand (track row, spt). */
  expand?: { kind: 'trackRow'; vgpu: string; gfn: number } | { kind: 'spt'; vgpu: string; mfn: number };
  memoryReference?: string;
}

/** What the console line is, before running it. */
export type ReplInput =
  | { kind: 'command'; command: (typeof REPL_COMMANDS)[number]; rest: string }
  | { kind: 'expression'; text: string }
  | { kind: 'statement'; stmt: Stmt; text: string }
  | { kind: 'invalid'; message: string };

export function classify(text: string): ReplInput {
  const t = text.trim();
  if (t === '') return { kind: 'invalid', message: 'empty input (type `help`)' };
  const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(t)?.[0];
  if (word && (REPL_COMMANDS as readonly string[]).includes(word)) return { kind: 'command', command: word as (typeof REPL_COMMANDS)[number], rest: t.slice(word.length).trim() };
  const e = parseOne(t);
  if (typeof e !== 'string') return { kind: 'expression', text: t };
  if (word && isKeyword(word)) {
    const p = parse(t);
    if (p.diagnostics.some((d) => d.severity === 'error')) return { kind: 'invalid', message: p.diagnostics[0].message };
    const s = p.program.statements;
    if (s.length !== 1) return { kind: 'invalid', message: 'one statement at a time' };
    if (s[0].kind === 'repeat') return { kind: 'invalid', message: '`repeat` cannot run from the console' };
    // The file's first line chooses the kernel for the whole run; a console `kernel` would switch it
    // mid-run (a history no real kernel has). Launch with `"kernel"` (or restart) to change it.
    if (s[0].kind === 'kernel') return { kind: 'invalid', message: '`kernel` stands only on the first line of a scenario: to run another kernel, restart with the launch setting "kernel"' };
    return { kind: 'statement', stmt: s[0], text: t };
  }
  return { kind: 'invalid', message: e };
}

function defaultVgpu(cx: ReplContext): Vgpu | undefined {
  const s = cx.stmt;
  const name = s && statementVgpu(s);
  const named = name ? cx.machine.vgpu(name) : undefined;
  return named ?? cx.machine.vgpus.values().next().value;
}

/** `[VGPU] ARGS...`: the vGPU named first (if it is one), then up to `max` expressions. */
function args(cx: ReplContext, rest: string, min: number, max: number, usage: string): { v: Vgpu; values: number[] } | string {
  const { name, rest: text } = leadingName(rest, (w) => cx.machine.vgpu(w) !== undefined);
  const values = numbersOf(text, min, max, cx.lookup, usage);
  if (typeof values === 'string') return values;
  const v = name !== undefined ? cx.machine.vgpu(name) : defaultVgpu(cx);
  if (!v) return 'no vGPU exists at this point of the scenario';
  return { v, values };
}

export function runCommand(cx: ReplContext, command: string, rest: string): ReplResult | string {
  switch (command) {
    case 'help':
      return { result: REPL_HELP };
    case 'walk': {
      const a = args(cx, rest, 1, 1, 'walk [VGPU] VA');
      return typeof a === 'string' ? a : walk(a.v, a.values[0]);
    }
    case 'track': {
      const a = args(cx, rest, 1, 1, 'track [VGPU] GFN');
      if (typeof a === 'string') return a;
      const g = a.values[0];
      const r = a.v.pageTrack.find(g as Gfn);
      const prot = isProtected(a.v, g);
      if (!r) return { result: `${a.v.name} gfn ${hex(g)}: no page-track record${prot ? ' (but KVMGT protects it)' : ''}` };
      const spt = a.v.ppgtt.findSptByGfn(g as Gfn);
      return {
        result: `${a.v.name} gfn ${hex(g)}: handler ${r.handler.name}, ${r.tracked ? 'tracked' : 'untracked'}, ${prot ? 'write-protected' : 'not write-protected'}${r.tracked !== prot ? ' (stale: tracked and protection disagree)' : ''}, hits ${r.hits}${privText(r) ? `, priv ${privText(r)}` : ''}${spt ? `, refcount ${spt.refcount}` : ''}`,
        expand: { kind: 'trackRow', vgpu: a.v.name, gfn: g },
        memoryReference: memoryReference(a.v.name, 'gpa', g * PAGE_SIZE),
      };
    }
    case 'spt': {
      const a = args(cx, rest, 1, 1, 'spt [VGPU] GFN');
      if (typeof a === 'string') return a;
      const n = a.values[0];
      const s = a.v.ppgtt.findSptByGfn(n as Gfn) ?? a.v.ppgtt.findSptByMfn(n);
      if (!s) return { result: `${a.v.name}: no shadow page table for gfn ${hex(n)}` };
      const sum = sptSummary(a.v, s);
      const lines = [`${sum.level} spt mfn ${hex(sum.mfn)} for gfn ${hex(sum.gfn)}: refcount ${sum.refcount}, ${sum.present} present, ${sum.mismatches} mismatch(es)${sum.oos ? ', out of sync' : ''}${sum.postShadow ? `, ${sum.postShadow} post-shadow` : ''}`];
      for (let i = 0; i < 512; i++) {
        const row = entryRow(a.v, s, i);
        if (row.guest === '0x0' && row.shadow === '0x0') continue;
        lines.push(`  [${i}] guest ${row.guest.padEnd(18)} shadow ${row.shadow.padEnd(18)}${row.mismatch ? `  ≠ ${row.mismatch}` : ''}`);
      }
      return { result: lines.join('\n'), expand: { kind: 'spt', vgpu: a.v.name, mfn: s.mfn }, memoryReference: memoryReference(a.v.name, 'spt', s.mfn) };
    }
    case 'mem': {
      const a = args(cx, rest, 1, 2, 'mem [VGPU] GPA [LEN]');
      if (typeof a === 'string') return a;
      const [at, len = 64] = a.values;
      if (len < 1 || len > 4096) return 'LEN must be 1..4096';
      if (at + len > a.v.memory.sizeBytes) return `gpa ${hex(at)}..${hex(at + len - 1)} is outside ${a.v.name}'s guest memory`;
      return { result: hexDump(a.v.memory.readBytes(at as Gpa, len), at), memoryReference: memoryReference(a.v.name, 'gpa', at) };
    }
    default:
      return `'${command}' is handled by the session`;
  }
}

function walk(v: Vgpu, va: number): ReplResult {
  const mm = v.activeMm();
  const root = mm?.rootGfn ?? v.builder.current?.root;
  const g: WalkResult | undefined = root === undefined ? undefined : guestWalk(v, root as Gfn, va);
  const s = gpuWalk(v, va);
  const lines = [`walk ${v.name} va ${hex(va)}${root === undefined ? ' (the guest has no page table)' : ` (guest root gfn ${hex(root)})`}`];
  lines.push(`${'level'.padEnd(6)}${'guest (guest memory)'.padEnd(52)}shadow (what the GPU walks)`);
  for (let l = 0; l < Math.max(g?.steps.length ?? 0, s.steps.length); l++) {
    const gs = g?.steps[l];
    const ss = s.steps[l];
    const gt = gs ? `gfn ${hex(gs.table)}[${gs.index}] = ${gs.decoded}` : '';
    const st = ss ? `mfn ${hex(ss.table)}[${ss.index}] = ${ss.decoded}${ss.scratch ? ' (scratch table)' : ''}` : '';
    lines.push(`${(gs?.level ?? ss?.level ?? '').padEnd(6)}${gt.padEnd(52)}${st}`);
  }
  const go = g?.outcome;
  const gr = !go ? '-' : go.kind === 'page' ? `gfn ${hex(go.gfn ?? 0)}` : go.kind === 'fault' ? `not mapped (${go.level}[${go.index}])` : 'scratch';
  lines.push(`${'->'.padEnd(6)}${gr.padEnd(52)}${formatWalk(s)}`);
  const sg = s.outcome.kind === 'page' ? s.outcome.gfn : undefined;
  if (go?.kind === 'page' && sg !== go.gfn) lines.push(`MISMATCH: the guest maps gfn ${hex(go.gfn ?? 0)}, the GPU reaches ${s.outcome.kind === 'page' ? (sg === undefined ? `host mfn ${hex(s.outcome.mfn)}` : `gfn ${hex(sg)}`) : s.outcome.kind}`);
  return { result: lines.join('\n') };
}

function hexDump(b: Uint8Array, at: number): string {
  const lines: string[] = [];
  for (let off = 0; off < b.length; off += 16) {
    const row = b.subarray(off, off + 16);
    const hexes = [...row].map((x) => x.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((x) => (x >= 32 && x < 127 ? String.fromCharCode(x) : '.')).join('');
    lines.push(`${(at + off).toString(16).padStart(10, '0')}  ${hexes.padEnd(48)} ${ascii}`);
  }
  return lines.join('\n');
}

/** An expression's value: `0x2a (42)`, with the errno name when it reads as one. */
export function formatResult(v: ReturnType<typeof evaluate>, asHex = true): string {
  if (typeof v === 'string') return v;
  const signed = toSigned64(v);
  const errno = signed < 0n && signed > -4096n ? errnoName(Number(signed)) : undefined;
  const main = asHex ? hex(v) : v.toString();
  return `${main} (${signed.toString()}${errno && errno.startsWith('-E') ? ` ${errno}` : ''})`;
}

/** Completion proposals for the text up to the cursor. */
export function completions(cx: ReplContext, text: string, column: number): Array<{ label: string; type: string; start: number; length: number }> {
  const before = text.slice(0, column);
  // The word before the cursor, read backwards (`/[A-Za-z0-9_-]*$/` retried at every position: 100 KB of letters before a `!` took seconds).
  let start = before.length;
  while (start > 0 && /[A-Za-z0-9_-]/.test(before[start - 1])) start--;
  const word = before.slice(start);
  const words = before.slice(0, start).trim().split(/\s+/).filter(Boolean);
  const items: Array<{ label: string; type: string }> = [];
  const vgpus = [...cx.machine.vgpus.keys()];
  if (words.length === 0) {
    for (const c of REPL_COMMANDS) items.push({ label: c, type: 'function' });
    for (const k of STATEMENT_KEYWORDS) items.push({ label: k, type: 'keyword' });
    for (const n of cx.names) items.push({ label: n, type: 'variable' });
  } else {
    const cmd = words[0];
    const afterVgpu = words.length === 2 && cx.machine.vgpu(words[1]) ? cx.machine.vgpu(words[1]) : words.length === 1 ? defaultVgpu(cx) : undefined;
    if (words.length === 1 || isKeyword(cmd)) for (const v of vgpus) items.push({ label: v, type: 'module' });
    // history/why: the subject word after the command (or after its vGPU).
    const subjectNext = words.length === 1 || (words.length === 2 && cx.machine.vgpu(words[1]) !== undefined);
    if (cmd === 'history' && subjectNext) for (const w of ['gfn', 'gpa', 'spt', 'dma', 'vgpu']) items.push({ label: w, type: 'keyword' });
    if (cmd === 'why' && subjectNext) for (const w of ['gfn', 'spt', 'gpu']) items.push({ label: w, type: 'keyword' });
    if ((cmd === 'track' || cmd === 'spt') && afterVgpu) {
      const gfns = cmd === 'track' ? afterVgpu.pageTrack.all().map((r) => r.gfn as number) : afterVgpu.ppgtt.allSpts().map((s) => s.guestGfn as number).filter((g) => g !== 0);
      for (const g of gfns.slice(0, 500)) items.push({ label: hex(g), type: 'value' });
    }
    for (const n of cx.names) items.push({ label: n, type: 'variable' });
  }
  const seen = new Set<string>();
  return items
    .filter((i) => i.label.startsWith(word) && !seen.has(i.label) && seen.add(i.label))
    .map((i) => ({ ...i, start, length: word.length }));
}

