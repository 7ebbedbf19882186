/* global console, process */
// `npm run bench`: every performance figure the project tracks. Each part is its own script (run it
// alone for its own table); this runs them all, then prints every row in one table: the median and
// spread of several runs, the scenario, a same-run reference and ratio where one exists, and the
// targets. Targets live in the parts, never in timed tests. Exits non-zero when a target is missed
// (or a part fails).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { table } from './bench-report.mjs';

const parts = ['bench-core.mjs', 'bench-cli.mjs', 'bench-debug.mjs', 'bench-lsp.mjs', 'bench-extension.mjs'];
// The core and lsp parts load tsc's output (out/), the others the bundles (dist/): both are built
// first, so `npm run bench` works on a fresh clone after `npm ci`.
for (const [what, args] of [['bundles', ['scripts/build.mjs']], ['tsc -b', ['node_modules/typescript/bin/tsc', '-b']]]) {
  const b = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (b.status !== 0) {
    console.error(`bench: building the ${what} failed`);
    process.exit(2);
  }
}
const failed = [];
const all = [];
for (const p of parts) {
  const file = `scripts/${p}`;
  if (!existsSync(file)) continue;
  const name = p.replace(/^bench-|\.mjs$/g, '');
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, GVT_BENCH_ROWS: '1' }, maxBuffer: 64 * 1024 * 1024 });
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('@@bench-rows ')) all.push(...JSON.parse(line.slice('@@bench-rows '.length)).map((row) => ({ ...row, figure: row.figure.toLowerCase().startsWith(name) ? row.figure : `${name}: ${row.figure}` })));
    else if (line) console.log(line);
  }
  if (r.status !== 0) failed.push(name);
}
console.log('\n== all figures ==');
console.log(table(all));
const missed = all.filter((r) => r.targets.some((t) => !t.ok));
if (missed.length) console.log(`\nMissed targets: ${missed.map((r) => `${r.figure} (${r.targets.filter((t) => !t.ok).map((t) => t.text).join('; ')})`).join('; ')}`);
if (failed.length) console.log(`\nParts that exited non-zero: ${failed.join(', ')}`);
process.exitCode = failed.length ? 1 : 0;
