// The real-VS-Code suite: compiles test/e2e, runs it in an extension host through
// @vscode/test-electron's runTests(), and writes {passed, failed, skipped} to --result FILE for
// scripts/test.mjs. Counts come from the host's `@@e2e-result` line; without one the run failed.
//
// Which VS Code: GVT_E2E_VSCODE=download asks test-electron for a desktop build (fails offline);
// by default the code-server launcher (scripts/code-server-vscode.mjs) when .code-server is set up,
// which this script installs when CI is set or GVT_E2E_SETUP=1. Otherwise one `SKIP:` line.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const resultFile = argv.includes('--result') ? resolve(argv[argv.indexOf('--result') + 1]) : undefined;
const SERVER_MAIN = join(ROOT, '.code-server/node_modules/code-server/lib/vscode/out/server-main.js');
const CHROMIUM = process.env.GVT_E2E_CHROMIUM || '/usr/bin/chromium';

function done(result, exitCode) {
  if (resultFile) {
    mkdirSync(dirname(resultFile), { recursive: true });
    writeFileSync(resultFile, JSON.stringify(result));
  }
  process.exit(exitCode);
}
function skip(reason) {
  console.log(`SKIP: real VS Code suite: ${reason}`);
  done({ passed: 0, failed: 0, skipped: 1 }, 0);
}
function fail(reason) {
  console.error(`e2e: FAIL: ${reason}`);
  done({ passed: 0, failed: 1, skipped: 0 }, 1);
}

// 1. Compile the in-host tests (own tsconfig: they need the vscode types the unit tests must not).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(join(ROOT, 'out/test/e2e'), { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'test/e2e/tsconfig.json')], { stdio: 'inherit' });
if (compiled.status !== 0) fail('test/e2e does not compile');

// 2. Choose the VS Code to run in.
let vscodeExecutablePath;
if (process.env.GVT_E2E_VSCODE !== 'download') {
  if (process.env.CI || process.env.GVT_E2E_SETUP === '1') {
    const setup = spawnSync('bash', [join(ROOT, 'scripts/setup-code-server.sh')],
      { stdio: ['ignore', 'inherit', 'inherit'], timeout: 20 * 60_000 });
    if (setup.status !== 0) fail(`scripts/setup-code-server.sh failed (${setup.status ?? setup.signal})`);
  }
  if (!existsSync(SERVER_MAIN)) skip('.code-server is not set up (run scripts/setup-code-server.sh, or set GVT_E2E_SETUP=1)');
  if (!existsSync(CHROMIUM)) skip(`no ${CHROMIUM} (apt-get install chromium)`);
  vscodeExecutablePath = join(ROOT, 'scripts/code-server-vscode.mjs');
}

// 3. A workspace of its own, so tests can't touch samples/ (copied in for tests that open them).
const workspace = join(ROOT, 'out/e2e-workspace');
rmSync(workspace, { recursive: true, force: true });
mkdirSync(workspace, { recursive: true });
if (existsSync(join(ROOT, 'samples'))) cpSync(join(ROOT, 'samples'), workspace, { recursive: true });

const env = { GVT_E2E_WORKSPACE: workspace };
if (process.env.GVT_E2E_SCREENSHOTS) env.GVT_E2E_SCREENSHOTS = resolve(process.env.GVT_E2E_SCREENSHOTS);

// runTests pipes the launcher's output to our stdout: watch it for the host's result line.
let output = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  output += String(chunk);
  return write(chunk, ...rest);
};

const started = Date.now();
let runError;
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out/test/e2e/index.js'),
    extensionTestsEnv: env,
    launchArgs: [workspace, '--disable-extensions'],
  });
} catch (e) {
  runError = e;
}
process.stdout.write = write;
const seconds = ((Date.now() - started) / 1000).toFixed(1);

if (runError && ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED'].includes(runError.code)) {
  skip(`cannot download VS Code (${runError.code}); unset GVT_E2E_VSCODE to use code-server`);
}
const lines = [...output.matchAll(/@@e2e-result (\{.*?\})/g)];
if (lines.length === 0) {
  fail(`the extension host reported no result after ${seconds} s (${runError?.message ?? 'exit 0'}); ` +
    'GVT_E2E_VERBOSE=1 shows the workbench and server logs');
}
const r = JSON.parse(lines[lines.length - 1][1]);
const result = { passed: r.passed ?? 0, failed: r.failed ?? 0, skipped: r.skipped ?? 0 };
// A non-zero exit with no failed test means something beyond the tests broke: never a pass.
if (runError && result.failed === 0) {
  console.error(`e2e: the launch failed after the tests passed: ${runError.message}`);
  result.failed = 1;
}
console.log(`e2e: ${result.passed} passed, ${result.failed} failed in the extension host (${seconds} s)`);
done(result, result.failed > 0 ? 1 : 0);
