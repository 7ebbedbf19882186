// The real-VS-Code suite (npm run test:e2e; npm test runs it after the unit tests): compiles
// test/e2e, runs it in a real extension host, and writes {passed, failed, skipped} to --result FILE
// for scripts/test.mjs. One job per file in this folder:
//   env.mjs       every GVT_E2E_* variable, its meaning and default
//   paths.mjs     where things are;  run.mjs  bounded helper commands
//   vscode.mjs    which VS Code: set up / locate code-server, or a downloaded desktop build
//   launcher.mjs  the "VS Code executable" runTests() starts under code-server: server.mjs starts the
//                 VS Code server, browser.mjs the headless workbench, workbench-ui.mjs answers the
//                 host's screenshot and ui() requests
//   pass.mjs      one run of the suite, counts read from the file the host writes
//   vsix.mjs      package and install the .vsix;  pictures.mjs  keep the README's pictures
//   result.mjs    the summed result, the result file, SKIP and FAIL lines
//
// Three passes, counted together:
//   1. development: the whole suite, with this repository as the extension under development;
//   2. installed: the tests tagged [smoke] (smokeTest() in test/e2e/suite/tags.ts) against the
//      installed .vsix, with a stub extension under development so nothing shadows it;
//   3. web: test/e2e/web/ with a web-only copy of the extension (webExtension.mjs), which the
//      workbench runs in the browser's web worker extension host, as vscode.dev does (code-server only).
// Flags: --result FILE; --development / --installed / --web run one pass only; --screenshots runs pass 1
// with screenshots on and keeps the README's pictures in docs/images/ (npm run screenshots).
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { e2eEnv } from './env.mjs';
import { INSTALLED_EXTENSIONS, ROOT, SHOTS_DIR, TESTS_OUT, TESTS_TSCONFIG, WEB_EXTENSION } from './paths.mjs';
import { runPass } from './pass.mjs';
import { keepPictures } from './pictures.mjs';
import { RunResult } from './result.mjs';
import { run } from './run.mjs';
import { chooseVscode, isOffline } from './vscode.mjs';
import { freshVsix, installVsix, stubExtension } from './vsix.mjs';
import { webOnlyCopy } from './webExtension.mjs';

const argv = process.argv.slice(2);
const result = new RunResult(argv.includes('--result') ? resolve(argv[argv.indexOf('--result') + 1]) : undefined);
const env = e2eEnv();
const screenshots = argv.includes('--screenshots');
const onlyWeb = argv.includes('--web');
const onlyInstalled = argv.includes('--installed') && !onlyWeb;
const onlyOne = argv.includes('--development') || argv.includes('--installed') || onlyWeb;

// Why the installed pass does not run, when it does not (printed, never silent).
const installedOff = onlyInstalled ? undefined
  : onlyWeb ? '--web'
  : argv.includes('--development') ? '--development'
    : screenshots ? '--screenshots takes pictures in the development pass only'
      : env.grep ? 'GVT_E2E_GREP narrows the development pass (add --installed to run it there)'
        : !env.installed ? 'GVT_E2E_INSTALLED=0' : undefined;

// 1. Compile the in-host tests (own tsconfig: they need the vscode types the unit tests must not).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(TESTS_OUT, { recursive: true, force: true });
const compileError = run('tsc -p test/e2e', process.execPath, [tsc, '-p', TESTS_TSCONFIG], { timeoutMs: 180_000, inherit: true });
if (compileError) result.abort(`test/e2e does not compile: ${compileError}`);

// 2. Which VS Code.
const vscode = chooseVscode(env);
if (vscode.fail) result.abort(vscode.fail);
if (vscode.skip) result.skipAll(vscode.skip);
const { vscodeExecutablePath } = vscode;
const offline = (code) => result.skipAll(`cannot download VS Code (${code}); unset GVT_E2E_VSCODE to use code-server`);

// Why the web pass does not run, when it does not.
const webOff = onlyWeb ? undefined
  : onlyOne ? (argv.includes('--development') ? '--development' : '--installed')
    : screenshots ? '--screenshots takes pictures in the development pass only'
      : env.grep ? 'GVT_E2E_GREP narrows the development pass (add --web to run it there)'
        : !env.web ? 'GVT_E2E_WEB_PASS=0' : undefined;

// 3. The development pass.
if (onlyInstalled || onlyWeb) {
  result.skipPart('development pass', onlyWeb ? '--web' : '--installed');
} else {
  const hostVars = { GVT_E2E_GREP: env.grep };
  if (screenshots) {
    rmSync(SHOTS_DIR, { recursive: true, force: true });
    hostVars.GVT_E2E_SCREENSHOTS = SHOTS_DIR;
  } else {
    hostVars.GVT_E2E_SCREENSHOTS = env.screenshots;
  }
  const r = await runPass('development', {
    vscodeExecutablePath, extensionDevelopmentPath: ROOT, launchArgs: ['--disable-extensions'], env: hostVars,
  });
  if (r.offline) offline(r.offline);
  result.add('development (this repository)', r);
  if (screenshots) {
    const error = keepPictures();
    if (error) result.fail('screenshots', error);
  }
}

// 4. The installed pass.
if (installedOff) {
  result.skipPart('installed .vsix pass', installedOff);
} else {
  const error = freshVsix() ?? (await installVsix(INSTALLED_EXTENSIONS, { useCodeServer: !!vscodeExecutablePath }).catch((e) => {
    if (isOffline(e)) offline(e.code);
    return `installing the .vsix: ${e.message}`;
  }));
  if (error) {
    result.fail('installed .vsix', error);
  } else {
    const grep = env.installedGrep ?? (onlyInstalled ? env.grep : undefined);
    const r = await runPass('installed .vsix', {
      vscodeExecutablePath,
      extensionDevelopmentPath: stubExtension(),
      // No --disable-extensions: that would disable the installed copy too.
      launchArgs: [`--extensions-dir=${INSTALLED_EXTENSIONS}`],
      env: {
        GVT_E2E_INSTALLED_DIR: INSTALLED_EXTENSIONS, GVT_E2E_EXTENSIONS_DIR: INSTALLED_EXTENSIONS,
        // The [smoke] tests, unless GVT_E2E_INSTALLED_GREP replaces them; GVT_E2E_GREP (with
        // --installed) narrows them further.
        GVT_E2E_SMOKE: env.installedGrep ? undefined : '1', GVT_E2E_GREP: grep,
      },
    });
    if (r.offline) offline(r.offline);
    result.add(env.installedGrep ? 'installed .vsix (GVT_E2E_INSTALLED_GREP)' : 'installed .vsix (smoke tests)', r);
  }
}

// 5. The web pass (code-server: its tests read the workbench's DOM and web workers through the launcher).
if (webOff) {
  result.skipPart('web worker host pass', webOff);
} else if (!vscodeExecutablePath) {
  result.skipPart('web worker host pass', 'it reads the workbench through the code-server launcher (ui()), which a desktop VS Code run has not');
} else {
  const error = webOnlyCopy();
  if (error) {
    result.fail('web worker host', error);
  } else {
    const r = await runPass('web worker host', {
      vscodeExecutablePath, extensionDevelopmentPath: WEB_EXTENSION, launchArgs: ['--disable-extensions'],
      env: { GVT_E2E_WEB: '1', GVT_E2E_GREP: onlyWeb ? env.grep : undefined },
    });
    if (r.offline) offline(r.offline);
    result.add('web worker host (web-only copy)', r);
  }
}

result.finish();
