// `npm run bench`: every performance figure the project tracks, printed as tables. Targets live
// here, never in timed tests. Each part is its own script so it can be run alone.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const parts = ['bench-core.mjs', 'bench-cli.mjs', 'bench-debug.mjs', 'bench-lsp.mjs', 'bench-extension.mjs'];
let failed = 0;
for (const p of parts) {
  const file = `scripts/${p}`;
  if (!existsSync(file)) continue;
  console.log(`\n== ${p.replace(/^bench-|\.mjs$/g, '')} ==`);
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
