/* global console, process */
// What every bench-*.mjs prints: each figure as the median and spread (min–max) of several runs,
// the scenario it measures, a reference measured in the same run where one exists (and the
// figure's ratio to it: a loaded machine slows both), and its targets. A part sets its exit code
// from the targets; `npm run bench` (bench.mjs) collects every part's rows into one table.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Median, min, max and 95th percentile (nearest rank) of xs. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] };
}

/** A figure's runs formatted with its unit: ms, s, M/s, MiB or a plain number. */
export function format(x, unit) {
  if (unit === 's') return `${(x / 1000).toFixed(3)} s`;
  if (unit === 'M/s') return `${(x / 1e6).toFixed(2)} M/s`;
  if (unit === 'MiB') return `${(x / 1024 / 1024).toFixed(0)} MiB`;
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
}

/**
 * A row: { figure, scenario, unit ('ms' values in ms, 's' values in ms shown in s, 'M/s', 'MiB'),
 * values: the runs, reference?: { name, values } (same unit), targets: [{ text, ok }] }.
 */
export function row(figure, scenario, unit, values, targets = [], reference) {
  return { figure, scenario, unit, values, targets, reference };
}

/** A target on a row's statistics: `check` gets { median, min, max, p95, ratio }. */
export const target = (text, ok) => ({ text, ok: Boolean(ok) });

export const ratio = (values, reference) => stats(values).median / stats(reference.values).median;

/** The markdown table of rows (a part's, or bench.mjs's union of all parts). */
export function table(rows) {
  const out = ['| figure | scenario | median | spread (min–max, runs) | same-run reference (median) | ratio | target | met |', '|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const s = stats(r.values);
    const ref = r.reference ? `${r.reference.name}: ${format(stats(r.reference.values).median, r.unit)}` : '-';
    const q = r.reference ? `${ratio(r.values, r.reference).toFixed(2)}×` : '-';
    const t = r.targets.length ? r.targets.map((x) => x.text).join('; ') : '-';
    const met = r.targets.length ? (r.targets.every((x) => x.ok) ? 'yes' : `**MISSED** (${r.targets.filter((x) => !x.ok).map((x) => x.text).join('; ')})`) : '-';
    out.push(`| ${r.figure} | ${r.scenario} | ${format(s.median, r.unit)} | ${format(s.min, r.unit)}–${format(s.max, r.unit)} (${s.n}) | ${ref} | ${q} | ${t} | ${met} |`);
  }
  return out.join('\n');
}

/** Print a part's table (and, for bench.mjs, its rows as one JSON line); set the exit code. */
export function report(rows) {
  console.log(table(rows));
  if (process.env.GVT_BENCH_ROWS === '1') console.log(`@@bench-rows ${JSON.stringify(rows)}`);
  process.exitCode = rows.every((r) => r.targets.every((t) => t.ok)) ? (process.exitCode ?? 0) : 1;
}

/**
 * The CLI and the adapter start through a compile cache (src/node/compileCache.ts): a bench keeps
 * it in a folder of its own run (unless GVT_COMPILE_CACHE says otherwise), so its figures do not
 * depend on what earlier runs left in the user's cache. Returns an env for a start without it.
 */
export function ownCompileCache() {
  if (process.env.GVT_COMPILE_CACHE === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'gvt-bench-cache-'));
    process.env.GVT_COMPILE_CACHE = folder;
    process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  }
  return { ...process.env, GVT_COMPILE_CACHE: 'off' };
}

/** A shadowed 4-level table (PML4 0x100 → … → PT 0x103), the setup every PPGTT part starts from. */
export const SHADOWED = 'vgpu vm1\npagetable vm1 root 0x100 pool 0x101..0x1ff\nmap vm1 va 0x0 gfn 0x800\nshadow vm1 root 0x100\n';
/** n trapped 8-byte PTE writes cycling over the PT page, each changing its entry. */
export const ppgttLoop = (n, v = 'i') => `repeat ${n} as ${v} {\n  write vm1 gpa 0x103000 + (${v} % 512) * 8 u64 ((0x800 + ${v} % 1024) << 12) | 3\n}\n`;
