// `npm test` (after pretest: build + typecheck + lint): every mocha suite over the compiled tests,
// then the real-VS-Code extension-host suite (scripts/e2e/main.mjs), and one closing line
// `N passed, N failed` summed over all of them, which is what CI reads.
import Mocha from 'mocha';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.test.js'));
}

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const skipE2e = args.includes('--no-e2e') || process.env.GVT_SKIP_E2E === '1';

// The CLI and adapter processes the tests start keep their compile cache (src/node/compileCache.ts)
// in a folder of this run, not the user's.
const ownCache = process.env.GVT_COMPILE_CACHE === undefined;
if (ownCache) process.env.GVT_COMPILE_CACHE = mkdtempSync(join(tmpdir(), 'gvt-test-cache-'));

let passed = 0;
let failed = 0;
let skipped = 0;

const files = testFiles('out/test')
  .filter((f) => !f.includes('/e2e/'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const mocha = new Mocha({ reporter: process.env.CI ? 'dot' : 'spec', timeout: 20000 });
for (const f of files) mocha.addFile(f);
await new Promise((resolve) => {
  const runner = mocha.run(() => resolve());
  runner.on('pass', () => passed++);
  runner.on('fail', () => failed++);
  runner.on('pending', () => skipped++);
});

if (!skipE2e && only.length === 0 && existsSync('scripts/e2e/main.mjs')) {
  const resultFile = 'out/e2e-result.json';
  rmSync(resultFile, { force: true });
  const r = spawnSync(process.execPath, ['scripts/e2e/main.mjs', '--result', resultFile], { stdio: 'inherit' });
  if (existsSync(resultFile)) {
    const e = JSON.parse(readFileSync(resultFile, 'utf8'));
    passed += e.passed ?? 0;
    failed += e.failed ?? 0;
    skipped += e.skipped ?? 0;
  } else if (r.status !== 0) {
    console.error('e2e: the extension-host suite ended without a result (exit ' + r.status + ')');
    failed += 1;
  }
}

if (ownCache) rmSync(process.env.GVT_COMPILE_CACHE, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
