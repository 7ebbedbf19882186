// Every GVT_E2E_* environment variable the real-VS-Code suite reads, declared once: its meaning,
// its default, and who reads it. The launcher scripts read them only through `e2eEnv()`; the
// in-host side (test/e2e/*.ts, compiled separately) reads process.env directly, by the names here.
//
// `set by` says whether a user sets it (user), or the harness sets it for the processes it starts
// (harness): the latter are listed so the whole contract between the pieces is in one place.
import { resolve } from 'node:path';

export const E2E_VARIABLES = {
  // Chosen by the user.
  GVT_E2E_SETUP: { setBy: 'user', default: '0 (1 when CI is set)', meaning: '1: install code-server (scripts/setup-code-server.sh) before the run' },
  GVT_E2E_VSCODE: { setBy: 'user', default: 'code-server', meaning: "'download': a desktop VS Code from test-electron instead of code-server (offline: SKIP)" },
  GVT_E2E_CHROMIUM: { setBy: 'user', default: '/usr/bin/chromium', meaning: 'the Chromium that shows the workbench' },
  GVT_E2E_GREP: { setBy: 'user', default: 'every test', meaning: 'mocha grep over "suite test" titles; narrows the development pass (and skips the installed one unless --installed)' },
  GVT_E2E_INSTALLED: { setBy: 'user', default: '1', meaning: '0: skip the installed-.vsix pass' },
  GVT_E2E_WEB_PASS: { setBy: 'user', default: '1', meaning: '0: skip the pass in the browser\'s web worker extension host' },
  GVT_E2E_INSTALLED_GREP: { setBy: 'user', default: 'the [smoke] tests', meaning: "mocha grep that replaces the installed pass's smoke subset" },
  GVT_E2E_SCREENSHOTS: { setBy: 'user', default: 'none', meaning: 'folder: `@@screenshot <name>` from the host saves <folder>/<name>.png (npm run screenshots sets it)' },
  GVT_E2E_TIMEOUT_MS: { setBy: 'user', default: '300000', meaning: 'the limit on one launch of VS Code (server, browser and all tests)' },
  GVT_E2E_VERBOSE: { setBy: 'user', default: '0', meaning: "1: also print the server's and the workbench's own logs" },
  GVT_E2E_KEEP: { setBy: 'user', default: '0', meaning: "1: keep a launch's temp profile (logs under user-data/logs)" },
  // Set by the harness for the extension host (read by test/e2e/*.ts).
  GVT_E2E_WORKSPACE: { setBy: 'harness', default: 'out/e2e-workspace', meaning: "the pass's fresh workspace folder (a copy of samples/)" },
  GVT_E2E_RESULT: { setBy: 'harness', default: 'none', meaning: 'file where test/e2e/index.ts writes {passed, failed, skipped} after the mocha run' },
  GVT_E2E_SMOKE: { setBy: 'harness', default: '0', meaning: '1: run only the tests tagged [smoke] (smokeTest() in test/e2e/suite/tags.ts)' },
  GVT_E2E_WEB: { setBy: 'harness', default: '0', meaning: '1: the web pass: run test/e2e/web/ (the extension runs in the web worker host) instead of test/e2e/suite/' },
  GVT_E2E_INSTALLED_DIR: { setBy: 'harness', default: 'none', meaning: 'the extensions folder the .vsix was installed into (installed pass only)' },
  GVT_E2E_EXTENSIONS_DIR: { setBy: 'harness', default: 'a fresh empty folder', meaning: "the server's --extensions-dir" },
  GVT_E2E_WRAPPER: { setBy: 'harness', default: '0', meaning: '1: the host runs under the code-server launcher (console marked @@host; ui() available)' },
  GVT_E2E_UI_DIR: { setBy: 'harness', default: 'none', meaning: "folder where the launcher answers the host's `@@ui` requests" },
};

const raw = (name) => {
  if (!(name in E2E_VARIABLES)) throw new Error(`${name} is not declared in scripts/e2e/env.mjs`);
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

/** The user's settings, parsed, with their defaults. */
export function e2eEnv() {
  const path = (name) => (raw(name) ? resolve(raw(name)) : undefined);
  return {
    setup: raw('GVT_E2E_SETUP') === '1' || !!process.env.CI,
    downloadVscode: raw('GVT_E2E_VSCODE') === 'download',
    chromium: raw('GVT_E2E_CHROMIUM') ?? '/usr/bin/chromium',
    grep: raw('GVT_E2E_GREP'),
    installed: raw('GVT_E2E_INSTALLED') !== '0',
    web: raw('GVT_E2E_WEB_PASS') !== '0',
    installedGrep: raw('GVT_E2E_INSTALLED_GREP'),
    screenshots: path('GVT_E2E_SCREENSHOTS'),
    timeoutMs: Number(raw('GVT_E2E_TIMEOUT_MS') ?? 300_000),
    verbose: raw('GVT_E2E_VERBOSE') === '1',
    keep: raw('GVT_E2E_KEEP') === '1',
    extensionsDir: path('GVT_E2E_EXTENSIONS_DIR'),
  };
}

/** An environment for a child process: only declared GVT_E2E_* names may be set. */
export function hostEnv(vars) {
  for (const name of Object.keys(vars)) raw(name);
  return Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
}
