#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches, on machines
// where VS Code can't be downloaded: the same extension tests run in the real Node extension host of
// code-server's VS Code server, whose workbench runs in headless Debian Chromium (see
// test/e2e/README.md). Exits with the code the tests' run() produced.
//
// Env (each declared, with its meaning, in scripts/e2e/env.mjs): GVT_E2E_SCREENSHOTS, GVT_E2E_EXTENSIONS_DIR,
// GVT_E2E_TIMEOUT_MS, GVT_E2E_VERBOSE, GVT_E2E_KEEP, GVT_E2E_CHROMIUM.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hookWorkbench, launchBrowser } from './browser.mjs';
import { e2eEnv } from './env.mjs';
import { SERVER_MAIN } from './paths.mjs';
import { freePort, startServer } from './server.mjs';
import { WorkbenchRequests } from './workbench-ui.mjs';

const env = e2eEnv();
const say = (msg) => console.log(`[e2e launcher] ${msg}`);

// runTests passes Electron/CLI flags we don't need; --user-data-dir/--extensions-dir point at a
// shared cache, and every launch here gets fresh ones instead so runs can't leak state.
const devPaths = [];
let testsPath;
let target;
const takesValue = new Set(['--user-data-dir', '--extensions-dir', '--locale', '--log', '--profile']);
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const m = /^--([^=]+)=(.*)$/.exec(args[i]);
  if (m?.[1] === 'extensionDevelopmentPath') devPaths.push(resolve(m[2]));
  else if (m?.[1] === 'extensionTestsPath') testsPath = resolve(m[2]);
  else if (takesValue.has(args[i])) i++; // the spaced form: its value is no folder to open
  else if (!args[i].startsWith('-')) target = resolve(args[i]);
}

const tmp = mkdtempSync(join(tmpdir(), 'gvt-vscode-'));
let server; // ChildProcess of the watchdog-wrapped server (its own process group): server.mjs
let browserServer; // playwright BrowserServer (chromium in its own process group)
let exiting = false;

function killGroup(child) {
  if (!child?.pid) return;
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
}

// Activation failures and other host errors go to the host's log file, not its console: after a
// failed run, show its [error] entries (with their stack lines) where the test output is.
function printHostErrors() {
  const logs = join(tmp, 'user-data/logs');
  if (!existsSync(logs)) return;
  const files = readdirSync(logs, { recursive: true }).map(String).filter((f) => f.endsWith('remoteexthost.log'));
  const out = [];
  for (const f of files) {
    let inError = false;
    for (const line of readFileSync(join(logs, f), 'utf8').split('\n')) {
      const entry = /^\d{4}-\d\d-\d\d \S+ \[(\w+)\]/.exec(line);
      if (entry) inError = entry[1] === 'error';
      if (inError && out.length < 80) out.push(line);
    }
  }
  if (out.length) say(`extension host errors:\n${out.join('\n')}`);
}

function finish(code, why) {
  if (exiting) return;
  exiting = true;
  // Killing the groups directly is certain; a graceful browser close could hang.
  killGroup(browserServer?.process());
  killGroup(server);
  try {
    if (why) say(why);
    if (code !== 0) printHostErrors();
    if (env.keep) say(`kept ${tmp} (logs under user-data/logs)`);
    else rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  } finally {
    // Whatever failed above (a closed stdout, a file still being written), still exit.
    process.exit(code);
  }
}
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => finish(code, `stopped by ${sig}`));
}
process.on('uncaughtException', (e) => finish(1, `FAIL: ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => finish(1, `FAIL: ${e?.stack ?? e}`));
setTimeout(() => finish(124, `FAIL: no test result within ${env.timeoutMs / 1000} s (GVT_E2E_TIMEOUT_MS)`), env.timeoutMs);
// Only finish() may end the process with a test's code: any other way out is a failure.

async function main() {
  if (!existsSync(SERVER_MAIN)) {
    return finish(1, 'FAIL: .code-server is not set up (run scripts/setup-code-server.sh)');
  }
  if (devPaths.length === 0 || !testsPath) {
    return finish(1, 'FAIL: needs --extensionDevelopmentPath= and --extensionTestsPath=');
  }
  const port = await freePort();
  const started = startServer(port, { tmp, extensionsDir: env.extensionsDir, verbose: env.verbose });
  server = started.child;
  await started.ready;
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${encodeURI(p)}`;

  const launched = await launchBrowser(env.chromium);
  browserServer = launched.browserServer;
  launched.browser.on('disconnected', () => finish(1, 'FAIL: the browser went away before the tests finished'));
  const { page } = launched;
  const requests = new WorkbenchRequests(page, { shotsDir: env.screenshots, uiDir: started.uiDir, say });
  await hookWorkbench(page, {
    requests,
    verbose: env.verbose,
    // Let pending screenshots land before the processes go.
    onExit: (code) => requests.drained().finally(() => finish(Number.isInteger(code) ? code : 1)),
  });
  page.on('crash', () => finish(1, 'FAIL: the workbench page crashed'));

  const payload = [['extensionTestsPath', remote(testsPath)],
    ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)])];
  const query = new URLSearchParams({ payload: JSON.stringify(payload) });
  if (target?.endsWith('.code-workspace')) query.set('workspace', target);
  else if (target && existsSync(target) && statSync(target).isDirectory()) query.set('folder', target);
  else if (target) say(`not opening ${target}: only a folder or a .code-workspace can be opened`);
  say(`VS Code ${port}: tests ${testsPath}`);
  return page.goto(`http://127.0.0.1:${port}/?${query}`);
}

main().catch((e) => finish(1, `FAIL: ${e?.stack ?? e}`));
