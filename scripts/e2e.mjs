// The real-VS-Code suite: compiles test/e2e, runs it in an extension host through
// @vscode/test-electron's runTests(), and writes {passed, failed, skipped} to --result FILE for
// scripts/test.mjs. Counts come from the host's `@@e2e-result` line; without one the run failed.
//
// Two passes, counted together:
//   1. development: the whole suite, with this repository as the extension under development;
//   2. installed: a smoke subset (activation, highlighting, diagnostics, F5 to a breakpoint, a gfn
//      breakpoint) against the .vsix `npm run package` makes (reused when newer than what it packs),
//      installed into a fresh extensions folder the way VS Code installs one; the development path
//      is then a stub extension, so nothing shadows the installed copy.
// Flags: --development / --installed run one pass only; --screenshots runs pass 1 with
// GVT_E2E_SCREENSHOTS and keeps the README's pictures (tour-*.png) in docs/images/ (npm run
// screenshots). GVT_E2E_GREP narrows pass 1 and, unless --installed, skips pass 2;
// GVT_E2E_INSTALLED_GREP replaces pass 2's subset.
//
// Which VS Code: GVT_E2E_VSCODE=download asks test-electron for a desktop build (fails offline);
// by default the code-server launcher (scripts/code-server-vscode.mjs) when .code-server is set up,
// which this script installs when CI is set or GVT_E2E_SETUP=1. Otherwise one `SKIP:` line.
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const resultFile = argv.includes('--result') ? resolve(argv[argv.indexOf('--result') + 1]) : undefined;
const SCREENSHOTS = argv.includes('--screenshots');
const ONLY_INSTALLED = argv.includes('--installed');
const RUN_DEVELOPMENT = !ONLY_INSTALLED;
const RUN_INSTALLED = ONLY_INSTALLED || (!argv.includes('--development') && !SCREENSHOTS &&
  !process.env.GVT_E2E_GREP && process.env.GVT_E2E_INSTALLED !== '0');
const SERVER_MAIN = join(ROOT, '.code-server/node_modules/code-server/lib/vscode/out/server-main.js');
const CHROMIUM = process.env.GVT_E2E_CHROMIUM || '/usr/bin/chromium';
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const EXTENSION_ID = `${PKG.publisher}.${PKG.name}`;
const VSIX = join(ROOT, 'gvt-page-track-debugger.vsix');
// The installed pass's subset (mocha grep over "suite test" titles).
const SMOKE = '^(activation the (VS Code API|test workspace)|installed package|gvt highlighting' +
  '|gvt language (opening|diagnostics: an error)|gvt debugging (F5|the views fill|"Break on Trapped))';
const SHOTS_DIR = join(ROOT, 'out/e2e-screenshots');
const IMAGES = join(ROOT, 'docs/images');

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
/** spawnSync bounded by a timeout; output shown only when it fails (or always, with inherit). */
function run(what, cmd, args, { timeoutMs, env, inherit = false } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: ROOT, env: env ?? process.env, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8',
    stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  if (r.status === 0) return undefined;
  if (!inherit) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return `${what} failed (${r.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s` : r.status ?? r.signal})`;
}

// 1. Compile the in-host tests (own tsconfig: they need the vscode types the unit tests must not).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(join(ROOT, 'out/test/e2e'), { recursive: true, force: true });
const compileError = run('tsc -p test/e2e', process.execPath, [tsc, '-p', join(ROOT, 'test/e2e/tsconfig.json')], { timeoutMs: 180_000, inherit: true });
if (compileError) fail(`test/e2e does not compile: ${compileError}`);

// 2. Choose the VS Code to run in.
let vscodeExecutablePath;
if (process.env.GVT_E2E_VSCODE !== 'download') {
  if (process.env.CI || process.env.GVT_E2E_SETUP === '1') {
    const setupError = run('scripts/setup-code-server.sh', 'bash', [join(ROOT, 'scripts/setup-code-server.sh')], { timeoutMs: 20 * 60_000, inherit: true });
    if (setupError) fail(setupError);
  }
  if (!existsSync(SERVER_MAIN)) skip('.code-server is not set up (run scripts/setup-code-server.sh, or set GVT_E2E_SETUP=1)');
  if (!existsSync(CHROMIUM)) skip(`no ${CHROMIUM} (apt-get install chromium)`);
  vscodeExecutablePath = join(ROOT, 'scripts/code-server-vscode.mjs');
}

// 3. A workspace of its own for each pass, so tests can't touch samples/ (copied in for tests
//    that open them) and a pass can't see what the one before wrote.
const workspace = join(ROOT, 'out/e2e-workspace');
function freshWorkspace() {
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  if (existsSync(join(ROOT, 'samples'))) cpSync(join(ROOT, 'samples'), workspace, { recursive: true });
}

// runTests pipes the launcher's output to our stdout: watch it for the host's result line.
let output = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  output += String(chunk);
  return write(chunk, ...rest);
};

/** One launch of the suite; its counts, or one failure when it broke before reporting any. */
async function pass(name, { extensionDevelopmentPath, launchArgs, env }) {
  freshWorkspace();
  output = '';
  console.log(`\ne2e: ${name} pass`);
  const started = Date.now();
  let runError;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath: join(ROOT, 'out/test/e2e/index.js'),
      extensionTestsEnv: { GVT_E2E_WORKSPACE: workspace, ...env },
      launchArgs: [workspace, ...launchArgs],
    });
  } catch (e) {
    runError = e;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (runError && ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED'].includes(runError.code)) {
    skip(`cannot download VS Code (${runError.code}); unset GVT_E2E_VSCODE to use code-server`);
  }
  const lines = [...output.matchAll(/@@e2e-result (\{.*?\})/g)];
  if (lines.length === 0) {
    console.error(`e2e: FAIL: the ${name} pass's extension host reported no result after ${seconds} s ` +
      `(${runError?.message ?? 'exit 0'}); GVT_E2E_VERBOSE=1 shows the workbench and server logs`);
    return { passed: 0, failed: 1, skipped: 0, seconds };
  }
  const r = JSON.parse(lines[lines.length - 1][1]);
  const result = { passed: r.passed ?? 0, failed: r.failed ?? 0, skipped: r.skipped ?? 0, seconds };
  // A non-zero exit with no failed test means something beyond the tests broke: never a pass.
  if (runError && result.failed === 0) {
    console.error(`e2e: the ${name} launch failed after the tests passed: ${runError.message}`);
    result.failed = 1;
  }
  if (result.passed + result.failed === 0) {
    console.error(`e2e: the ${name} pass ran no test (GVT_E2E_GREP?)`);
    result.failed += 1;
  }
  return result;
}

/** The .vsix to install: reused when newer than everything it packs that the run depends on. */
function freshVsix() {
  const inputs = ['dist/extension.js', 'dist/debugAdapter.js', 'dist/server.js', 'package.json',
    'syntaxes/gvt.tmLanguage.json', 'language-configuration.json'].map((f) => join(ROOT, f));
  const newest = Math.max(...inputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : Infinity)));
  if (existsSync(VSIX) && statSync(VSIX).mtimeMs > newest) {
    console.log(`e2e: reusing ${VSIX} (newer than dist/)`);
    return undefined;
  }
  console.log('e2e: npm run package');
  return run('npm run package', process.execPath, [join(ROOT, 'scripts/package.mjs')], { timeoutMs: 300_000 });
}

/** Installs the .vsix into `dir` with the VS Code CLI (the server's, or the desktop build's). */
async function installVsix(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'gvt-install-'));
  try {
    let cmd;
    let args;
    if (vscodeExecutablePath) {
      cmd = process.execPath;
      args = [SERVER_MAIN, '--accept-server-license-terms', '--user-data-dir', join(scratch, 'user-data'),
        '--server-data-dir', join(scratch, 'server-data')];
    } else {
      [cmd, ...args] = resolveCliArgsFromVSCodeExecutablePath(await downloadAndUnzipVSCode());
    }
    const env = { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_DATA_HOME: join(scratch, 'data'), XDG_CACHE_HOME: join(scratch, 'cache') };
    const error = run('installing the .vsix', cmd, [...args, '--install-extension', VSIX, '--extensions-dir', dir], { timeoutMs: 120_000, env });
    if (error) return error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const installed = join(dir, `${EXTENSION_ID}-${PKG.version}`, 'package.json');
  return existsSync(installed) ? undefined : `the .vsix installed no ${installed}`;
}

/** An extension under development with another id, which contributes nothing. */
function stubExtension() {
  const dir = join(ROOT, 'out/e2e-harness');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'gvt-e2e-harness', publisher: 'gvt-e2e', version: '0.0.0', engines: { vscode: PKG.engines.vscode },
    description: 'Stands in as the extension under development so the installed .vsix is what the suite tests.',
  }, null, 2));
  return dir;
}

/** npm run screenshots: the README's pictures (tour-*.png) from the run into docs/images/. */
function keepPictures() {
  const shots = existsSync(SHOTS_DIR) ? readdirSync(SHOTS_DIR).filter((f) => /^tour-.*\.png$/.test(f)).sort() : [];
  if (shots.length === 0) return 'the run took no tour-*.png screenshot';
  mkdirSync(IMAGES, { recursive: true });
  for (const f of shots) {
    copyFileSync(join(SHOTS_DIR, f), join(IMAGES, f));
    const kb = statSync(join(IMAGES, f)).size / 1024;
    console.log(`e2e: docs/images/${f} (${kb.toFixed(0)} KB)${kb > 300 ? ' -- over 300 KB, keep README pictures small' : ''}`);
  }
  return undefined;
}

const total = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
const add = (name, r) => {
  total.passed += r.passed;
  total.failed += r.failed;
  total.skipped += r.skipped;
  summary.push(`e2e: ${name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}` +
    (r.seconds ? ` (${r.seconds} s)` : ''));
};

if (RUN_DEVELOPMENT) {
  const env = {};
  if (SCREENSHOTS) {
    rmSync(SHOTS_DIR, { recursive: true, force: true });
    env.GVT_E2E_SCREENSHOTS = SHOTS_DIR;
  } else if (process.env.GVT_E2E_SCREENSHOTS) {
    env.GVT_E2E_SCREENSHOTS = resolve(process.env.GVT_E2E_SCREENSHOTS);
  }
  add('development (this repository)', await pass('development', {
    extensionDevelopmentPath: ROOT, launchArgs: ['--disable-extensions'], env,
  }));
  if (SCREENSHOTS) {
    const error = keepPictures();
    if (error) {
      console.error(`e2e: FAIL: ${error}`);
      add('screenshots', { passed: 0, failed: 1, skipped: 0 });
    }
  }
}

if (RUN_INSTALLED) {
  const extensionsDir = join(ROOT, 'out/e2e-extensions');
  const error = freshVsix() ?? (await installVsix(extensionsDir).catch((e) => {
    if (['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED'].includes(e.code)) skip(`cannot download VS Code (${e.code})`);
    return `installing the .vsix: ${e.message}`;
  }));
  if (error) {
    console.error(`e2e: FAIL: the installed pass: ${error}`);
    add('installed .vsix', { passed: 0, failed: 1, skipped: 0 });
  } else {
    const grep = process.env.GVT_E2E_INSTALLED_GREP || (ONLY_INSTALLED && process.env.GVT_E2E_GREP) || SMOKE;
    add('installed .vsix (smoke subset)', await pass('installed .vsix', {
      extensionDevelopmentPath: stubExtension(),
      // No --disable-extensions: that would disable the installed copy too.
      launchArgs: [`--extensions-dir=${extensionsDir}`],
      env: { GVT_E2E_INSTALLED_DIR: extensionsDir, GVT_E2E_EXTENSIONS_DIR: extensionsDir, GVT_E2E_GREP: grep },
    }));
  }
}

process.stdout.write = write;
for (const line of summary) console.log(line);
console.log(`e2e: ${total.passed} passed, ${total.failed} failed in the extension host`);
done(total, total.failed > 0 ? 1 : 0);
