// gvt-scenario diff FILE [--a CONFIG] [--b CONFIG] [--json] [--limit NAME=N]...: runs a scenario
// under two kernel configurations and reports the statements whose outcome differs. CONFIG is
// `newest|legacy`, optionally followed by `,gen8|gen9|gen11` (a GPU platform). A run that stopped
// at a runtime error (a limit included) is reported. Exit 0 no divergence, 1 divergence, 2 file
// errors, misuse, or runs that stopped at an error with no divergence before it.

import { PLATFORMS, PROFILES, type KernelProfile, type Platform } from '../core';
import { compareRuns, type Divergence } from '../dsl/compare/compareRuns';
import { OutcomeRun, type RunConfig } from '../dsl/compare/outcome';
import { locationOf } from '../dsl/scenario';
import { takeLimitFlags } from './limitFlags';
import { readScenario } from './readScenario';

/** Parses `newest`, `legacy,gen9`, ...; returns a message for anything else. */
function parseConfig(text: string): RunConfig | string {
  const [kernel, platform, ...rest] = text.split(',');
  if (!PROFILES.includes(kernel as KernelProfile)) return `'${text}': the kernel part must be newest or legacy`;
  if (rest.length > 0) return `'${text}': a CONFIG is KERNEL or KERNEL,PLATFORM`;
  if (platform === undefined) return { profile: kernel as KernelProfile };
  if (!PLATFORMS.includes(platform as Platform)) return `'${text}': the platform part must be one of ${PLATFORMS.join(', ')}`;
  return { profile: kernel as KernelProfile, platform: platform as Platform };
}

function configName(c: RunConfig): string {
  return c.platform ? `${c.profile},${c.platform}` : c.profile;
}

/** Lines of one side a text divergence shows: from a little before the first that differs. */
const SHOWN_BEFORE = 2;
const SHOWN = 12;

/**
 * One side of a divergence as text: every line when there are few; else the window around the
 * first line that differs from the other side (a `shadow` can report thousands), with counts.
 */
function side(lines: string[] | null, other: string[] | null): string {
  if (lines === null) return '(not executed)';
  if (lines.length === 0) return '(nothing)';
  if (lines.length <= SHOWN) return lines.join('; ');
  let first = 0;
  while (other !== null && first < lines.length && first < other.length && lines[first] === other[first]) first++;
  const from = Math.max(0, Math.min(first - SHOWN_BEFORE, lines.length - SHOWN));
  const to = Math.min(lines.length, from + SHOWN);
  const before = from > 0 ? `… ${from} line(s) the same; ` : '';
  const after = to < lines.length ? `; … ${lines.length - to} more line(s)` : '';
  return before + lines.slice(from, to).join('; ') + after;
}

export interface DiffIo {
  out(text: string): void;
  err(text: string): void;
}

export function diff(all: string[], io: DiffIo): number {
  const taken = takeLimitFlags(all);
  if (typeof taken === 'string') return usage(io, taken);
  const { limits, fileBytes, rest: args } = taken;
  let a: RunConfig = { profile: 'newest' };
  let b: RunConfig = { profile: 'legacy' };
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--a' || arg === '--b') {
      const value = args[++i];
      if (value === undefined) return usage(io, `${arg} needs a CONFIG (newest|legacy[,gen8|gen9|gen11])`);
      const c = parseConfig(value);
      if (typeof c === 'string') return usage(io, `${arg} ${c}`);
      if (arg === '--a') a = c;
      else b = c;
    } else if (arg === '--json') json = true;
    else if (arg.startsWith('--')) return usage(io, `unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length !== 1) return usage(io, files.length === 0 ? 'diff needs a FILE' : 'diff takes one FILE');
  const s = readScenario(files[0], fileBytes);
  if (typeof s === 'string') {
    io.err(`gvt-scenario: ${s}\n`);
    return 2;
  }
  const errors = s.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    io.err(errors.map((d) => `${locationOf(s, d.start)}: error: ${d.message}\n`).join(''));
    return 2;
  }
  const runA = new OutcomeRun(s, a, limits);
  const runB = new OutcomeRun(s, b, limits);
  const result = compareRuns(runA, runB);
  const an = configName(a);
  const bn = configName(b);
  const where = (d: { line: number }): string => `${s.displayName}:${d.line}`;
  // A run that stopped at a runtime error compared only the statements before it: each is said.
  const stops = [
    { config: an, error: runA.error },
    { config: bn, error: runB.error },
  ].flatMap(({ config, error }) => (error ? [{ config, at: s.lines.positionAt(error.offset), message: error.message, offset: error.offset }] : []));
  const unlisted = (n: number, listed: number, what: string): string => (n > listed ? `… ${n - listed} more ${what} not listed (the first ${listed} are)\n` : '');
  if (json) {
    const lines = [
      JSON.stringify({ kind: 'configs', a: an, b: bn }),
      ...result.divergences.map((d) => JSON.stringify({ kind: 'divergence', file: s.displayName, line: d.line, step: d.step, a: d.a, b: d.b })),
      ...result.traceOnly.map((d) => JSON.stringify({ kind: 'trace-only', file: s.displayName, line: d.line, step: d.step, a: d.a, b: d.b })),
      ...stops.map((e) => JSON.stringify({ kind: 'stopped', config: e.config, file: s.displayName, line: e.at.line + 1, col: e.at.character + 1, message: e.message })),
      JSON.stringify({ kind: 'summary', divergences: result.divergenceCount, traceOnly: result.traceOnlyCount, divergencesListed: result.divergences.length, traceOnlyListed: result.traceOnly.length }),
    ];
    io.out(lines.join('\n') + '\n');
  } else {
    let o = '';
    const [first, ...rest] = result.divergences;
    if (!first) o += `no divergence between ${an} and ${bn}${stops.length ? ' before the runs stopped' : ''}\n`;
    else {
      o += `${where(first)}: first divergence (step ${first.step})\n  ${an}: ${side(first.a, first.b)}\n  ${bn}: ${side(first.b, first.a)}\n`;
      for (const d of rest as Divergence[]) o += `${where(d)}: ${an}: ${side(d.a, d.b)} | ${bn}: ${side(d.b, d.a)}\n`;
      o += unlisted(result.divergenceCount, result.divergences.length, 'divergences');
    }
    if (result.traceOnly.length > 0) {
      o += `trace-only differences (not divergences):\n`;
      for (const d of result.traceOnly) o += `  ${where(d)}: ${an}: ${side(d.a, d.b)} | ${bn}: ${side(d.b, d.a)}\n`;
      o += unlisted(result.traceOnlyCount, result.traceOnly.length, 'trace-only differences');
    }
    io.out(o);
  }
  for (const e of stops) io.err(`${locationOf(s, e.offset)}: error: the ${e.config} run stopped: ${e.message}\n`);
  return result.divergenceCount > 0 ? 1 : stops.length > 0 ? 2 : 0;
}

function usage(io: DiffIo, message: string): number {
  io.err(`gvt-scenario: ${message}\nUsage: gvt-scenario diff FILE [--a CONFIG] [--b CONFIG] [--json] [--limit NAME=N]...   CONFIG: newest|legacy[,gen8|gen9|gen11]\n`);
  return 2;
}
