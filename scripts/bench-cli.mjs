// End to end through the CLI: `gvt-scenario run --quiet` on a `repeat` loop of trapped 8-byte PTE
// writes into a shadowed page table. Target: >= 1 M trapped writes/s.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const N = 2_000_000;
const dir = mkdtempSync(join(tmpdir(), 'gvt-bench-'));
const file = join(dir, 'loop.gvt');
const empty = join(dir, 'empty.gvt');
writeFileSync(file, `vgpu vm1 memory 64M
pagetable vm1 root 0x100 pool 0x101..0x1ff
map vm1 va 0x0 gfn 0x800
shadow vm1 root 0x100
repeat ${N} as i {
  write vm1 gpa 0x103000 + (i % 512) * 8 u64 ((0x800 + i % 1024) << 12) | 3
}
expect vm1 traps == ${N}
`);
writeFileSync(empty, 'vgpu vm1\n');

function time(path) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['bin/gvt-scenario.js', 'run', '--quiet', path], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`run failed (${r.status}): ${r.stdout}${r.stderr}`);
  return ms;
}
const startup = Math.min(time(empty), time(empty), time(empty));
const total = Math.min(time(file), time(file));
const rate = N / ((total - startup) / 1000);
rmSync(dir, { recursive: true, force: true });
console.log(`| figure | value | target |`);
console.log(`|---|---|---|`);
console.log(`| CLI start-up (empty scenario) | ${startup.toFixed(0)} ms | - |`);
console.log(`| trapped PTE writes/s through \`run --quiet\` (${N / 1e6} M loop) | ${(rate / 1e6).toFixed(2)} M/s | >= 1 M/s |`);
