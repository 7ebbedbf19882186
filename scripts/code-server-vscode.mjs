#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches, on machines
// where VS Code can't be downloaded: the same extension tests run in the real Node extension host of
// code-server's VS Code server, whose workbench runs in headless Debian Chromium (see
// test/e2e/README.md). Exits with the code the tests' run() produced.
//
// Env: GVT_E2E_SCREENSHOTS=dir  a host line `@@screenshot <name>` saves <dir>/<name>.png
//      GVT_E2E_EXTENSIONS_DIR=dir  the server's --extensions-dir (an installed .vsix is tested there);
//                               otherwise a fresh empty one
//      GVT_E2E_TIMEOUT_MS       whole-launch limit (default 300000)
//      GVT_E2E_VERBOSE=1        also forward the server's and the workbench's own logs
//      GVT_E2E_KEEP=1           keep the temp profile (logs under user-data/logs) for inspection
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VSCODE = join(ROOT, '.code-server/node_modules/code-server/lib/vscode');
const CHROMIUM = process.env.GVT_E2E_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.GVT_E2E_TIMEOUT_MS || 300_000);
const VERBOSE = process.env.GVT_E2E_VERBOSE === '1';
const SHOTS = process.env.GVT_E2E_SCREENSHOTS ? resolve(process.env.GVT_E2E_SCREENSHOTS) : undefined;
const EXTENSIONS_DIR = process.env.GVT_E2E_EXTENSIONS_DIR ? resolve(process.env.GVT_E2E_EXTENSIONS_DIR) : undefined;
const say = (msg) => console.log(`[code-server-vscode] ${msg}`);

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
let server; // ChildProcess of the watchdog-wrapped server (its own process group)
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
    if (process.env.GVT_E2E_KEEP === '1') say(`kept ${tmp} (logs under user-data/logs)`);
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
setTimeout(() => finish(124, `FAIL: no test result within ${TIMEOUT_MS / 1000} s (GVT_E2E_TIMEOUT_MS)`), TIMEOUT_MS);
// Only finish() may end the process with a test's code: any other way out is a failure.
process.exitCode = 1;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// The server's last lines, shown when it fails to start.
const serverTail = [];
function startServer(port) {
  const dirs = Object.fromEntries(['user-data', 'server-data', 'extensions', 'config', 'data', 'cache', 'ui']
    .map((d) => [d, join(tmp, d)]));
  Object.values(dirs).forEach((d) => mkdirSync(d));
  if (EXTENSIONS_DIR) dirs.extensions = EXTENSIONS_DIR;
  // Quiet first-run UI, so screenshots show the extension rather than welcome pages and prompts.
  mkdirSync(join(dirs['user-data'], 'User'));
  writeFileSync(join(dirs['user-data'], 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'git.openRepositoryInParentFolders': 'never',
    'telemetry.telemetryLevel': 'off', 'extensions.ignoreRecommendations': true,
  }, null, 2));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_')));
  // GVT_E2E_UI_DIR reaches the extension host (the server's env is its env): answers to `@@ui`.
  Object.assign(env, { XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache, GVT_E2E_WRAPPER: '1',
    GVT_E2E_UI_DIR: dirs.ui });
  const args = [join(VSCODE, 'out/server-main.js'), '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver',
    '--disable-workspace-trust', '--disable-telemetry', '--user-data-dir', dirs['user-data'],
    '--server-data-dir', dirs['server-data'], '--extensions-dir', dirs.extensions];
  // Watchdog: if this wrapper dies without cleanup (even SIGKILL), the stdin pipe closes and the
  // background reader kills the server's whole group (it and its extension hosts).
  const watchdog = 'exec 3<&0; (read -r _ <&3; kill -KILL -- -$$) & exec "$@" 3<&-';
  server = spawn('bash', ['-c', watchdog, 'watchdog', process.execPath, ...args],
    { detached: true, env, cwd: tmp, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    const onData = (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        if (VERBOSE) console.log(`[server] ${line}`);
        serverTail.push(line);
        if (serverTail.length > 40) serverTail.shift();
        if (line.includes('Extension host agent listening')) ok();
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => fail(new Error(`server exited (${code}):\n${serverTail.join('\n')}`)));
    setTimeout(() => fail(new Error(`server not listening after 60 s:\n${serverTail.join('\n')}`)), 60_000);
  });
}

// The workbench logs through codeAutomationLog(level, args), console-style. The host's console
// arrives there mixed with the workbench's own log; test/e2e/index.ts marks it with `@@host `.
const HOST = '@@host ';
const logText = (args) => (Array.isArray(args) ? format(...args) : String(args));

// Screenshots and UI requests run one at a time, in the order the host asked for them.
let queue = Promise.resolve();
function screenshot(page, name) {
  if (!SHOTS) return;
  const safe = name.replace(/[^\w.-]+/g, '_');
  queue = queue.then(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `${safe}.png`);
    // Written then renamed, so a test polling for the file never sees half of it.
    writeFileSync(`${file}.tmp`, await page.screenshot());
    renameSync(`${file}.tmp`, file);
    say(`screenshot ${file}`);
  }).catch((e) => say(`screenshot ${safe} failed: ${e.message}`));
}

// `@@ui <id> <json>` from the host (test/e2e/screenshot.ts): look at, or act on, the workbench as a
// user does: its DOM and real mouse and keyboard input. The answer is <GVT_E2E_UI_DIR>/<id>.json,
// {ok: true, value} or {ok: false, error}. Ops:
//   tokens                         the active editor's rendered lines, top to bottom:
//                                  [{text, tokens: [{text, cls, color}]}] (cls: Monaco's mtkN classes)
//   query {selector}               [{text, aria, cls, expanded}] of the matching elements (first 200)
//   click {selector, text?, button?, clicks?}
//                                  clicks the first match whose text or aria-label contains text
//   pane {title, expanded}         expands or collapses the sidebar pane with that title
//   hover {selector, text?}        moves the mouse onto that element (and lets it be)
//   move {x, y}                    moves the mouse to that point (e.g. out of the way)
//   key {key}                      presses a key ('Escape', 'Control+Shift+M': playwright's names)
const UI_OPS = {
  tokens: (page) => page.evaluate(() => {
    const group = document.querySelector('.part.editor .editor-group-container.active') ?? document;
    const lines = [...group.querySelectorAll('.editor-instance .monaco-editor .view-lines > .view-line')];
    const nb = (t) => (t ?? '').replace(/\u00a0/g, ' ');
    return lines
      .map((l) => ({
        top: parseFloat(l.style.top) || 0,
        text: nb(l.textContent),
        tokens: [...l.querySelectorAll(':scope > span > span')].map((t) => ({
          text: nb(t.textContent), cls: t.className, color: getComputedStyle(t).color,
        })),
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ text, tokens }) => ({ text, tokens }));
  }),
  query: (page, { selector }) => page.evaluate((sel) => [...document.querySelectorAll(sel)].slice(0, 200).map((e) => ({
    text: e.innerText ?? e.textContent ?? '', aria: e.getAttribute('aria-label') ?? '', cls: String(e.className),
    expanded: e.getAttribute('aria-expanded'),
  })), selector),
  click: async (page, { selector, text, button = 'left', clicks = 1, move = false }) => {
    const find = () => page.evaluate(([sel, want]) => {
      const el = [...document.querySelectorAll(sel)].find((e) => !want ||
        (e.innerText ?? '').includes(want) || (e.getAttribute('aria-label') ?? '').includes(want));
      if (!el) return undefined;
      // Aim at the text itself (a tree row's label, not its indent): the innermost element with it.
      let target = el;
      for (let inner = target; want && inner;) {
        target = inner;
        inner = [...target.children].find((c) => (c.innerText ?? '').includes(want));
      }
      target.scrollIntoView({ block: 'nearest' });
      const r = target.getBoundingClientRect();
      return { x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2 };
    }, [selector, text]);
    // Where it comes to rest: menus and lists are laid out (and animated) after they appear.
    let box = await find();
    for (let i = 0; box && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const again = await find();
      if (again && again.x === box.x && again.y === box.y) break;
      box = again;
    }
    if (!box) throw new Error(`no element ${selector}${text ? ` with '${text}'` : ''}`);
    await page.mouse.move(box.x, box.y);
    if (!move) await page.mouse.click(box.x, box.y, { button, clickCount: clicks, delay: 30 });
    return box;
  },
  pane: async (page, { title, expanded }) => {
    const header = () => page.evaluate((want) => {
      const h = [...document.querySelectorAll('.part.sidebar .pane-header')]
        .find((e) => (e.querySelector('.title')?.textContent ?? '').trim().toLowerCase() === want.toLowerCase());
      if (!h) return undefined;
      const r = h.getBoundingClientRect();
      return { expanded: h.getAttribute('aria-expanded') === 'true', x: r.left + Math.min(r.width / 2, 120), y: r.top + r.height / 2 };
    }, title);
    const before = await header();
    if (!before) throw new Error(`no sidebar pane '${title}'`);
    for (let h = before, i = 0; h.expanded !== expanded; i++) {
      if (i === 5) throw new Error(`the pane '${title}' did not ${expanded ? 'expand' : 'collapse'}`);
      await page.mouse.click(h.x, h.y);
      await new Promise((r) => setTimeout(r, 100));
      h = await header();
    }
    return before.expanded;
  },
  hover: async (page, req) => {
    const box = await UI_OPS.click(page, { ...req, move: true });
    // Nudge: hovers open on mouse movement over the element, not on a pointer that arrives still.
    await page.mouse.move(box.x + 4, box.y);
    return box;
  },
  move: (page, { x, y }) => page.mouse.move(x, y),
  key: (page, { key }) => page.keyboard.press(key),
};
function uiRequest(page, id, json) {
  queue = queue.then(async () => {
    let answer;
    try {
      const req = JSON.parse(json);
      const op = UI_OPS[req.op];
      if (!op) throw new Error(`unknown op ${req.op}`);
      answer = { ok: true, value: (await op(page, req)) ?? null };
    } catch (e) {
      answer = { ok: false, error: String(e?.message ?? e) };
    }
    const file = join(tmp, 'ui', `${id.replace(/[^\w.-]+/g, '_')}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(answer));
    renameSync(`${file}.tmp`, file);
  }).catch((e) => say(`ui ${id} failed: ${e.message}`));
}

async function main() {
  if (!existsSync(join(VSCODE, 'out/server-main.js'))) {
    return finish(1, 'FAIL: .code-server is not set up (run scripts/setup-code-server.sh)');
  }
  if (devPaths.length === 0 || !testsPath) {
    return finish(1, 'FAIL: needs --extensionDevelopmentPath= and --extensionTestsPath=');
  }
  const port = await freePort();
  await startServer(port);
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${encodeURI(p)}`;

  browserServer = await chromium.launchServer({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  browser.on('disconnected', () => finish(1, 'FAIL: the browser went away before the tests finished'));
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();

  let resultCode;
  await page.exposeFunction('codeAutomationExit', (code) => {
    resultCode = Number(code);
    // Let pending screenshots land before the processes go.
    queue.finally(() => finish(Number.isInteger(resultCode) ? resultCode : 1));
  });
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const text = logText(args);
    const fromHost = text.startsWith(HOST);
    const ui = fromHost && /^@@host @@ui\s+(\S+)\s+(\{.*\})\s*$/.exec(text);
    if (ui) return uiRequest(page, ui[1], ui[2]); // requests, not output
    if (fromHost) console.log(text.slice(HOST.length));
    else if (VERBOSE) console.log(`[workbench ${level}] ${text}`);
    const shot = /@@screenshot\s+(\S+)/.exec(text);
    if (shot) screenshot(page, shot[1]);
  });
  page.on('crash', () => finish(1, 'FAIL: the workbench page crashed'));

  const payload = [['extensionTestsPath', remote(testsPath)],
    ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)])];
  const query = new URLSearchParams({ payload: JSON.stringify(payload) });
  if (target?.endsWith('.code-workspace')) query.set('workspace', target);
  else if (target && existsSync(target) && statSync(target).isDirectory()) query.set('folder', target);
  else if (target) say(`not opening ${target}: only a folder or a .code-workspace can be opened`);
  say(`VS Code ${port}: tests ${testsPath}`);
  await page.goto(`http://127.0.0.1:${port}/?${query}`);
}

main().catch((e) => finish(1, `FAIL: ${e?.stack ?? e}`));
