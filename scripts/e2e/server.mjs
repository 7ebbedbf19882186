// code-server's VS Code server, bound to loopback with a fresh profile, in a process group of its
// own that dies with the launcher (even when the launcher is SIGKILLed).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SERVER_MAIN } from './paths.mjs';

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts the server on `port` with its profile under `tmp` (extensions in `extensionsDir` when
 * given). Answers {child, uiDir, ready}: ready resolves once it listens, rejects with its last lines.
 */
export function startServer(port, { tmp, extensionsDir, verbose }) {
  const dirs = Object.fromEntries(['user-data', 'server-data', 'extensions', 'config', 'data', 'cache', 'ui']
    .map((d) => [d, join(tmp, d)]));
  Object.values(dirs).forEach((d) => mkdirSync(d));
  if (extensionsDir) dirs.extensions = extensionsDir;
  // Quiet first-run UI, so screenshots show the extension rather than welcome pages and prompts.
  mkdirSync(join(dirs['user-data'], 'User'));
  writeFileSync(join(dirs['user-data'], 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'git.openRepositoryInParentFolders': 'never',
    'telemetry.telemetryLevel': 'off', 'extensions.ignoreRecommendations': true,
  }, null, 2));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_')));
  // The server's env is the extension host's: GVT_E2E_WRAPPER and GVT_E2E_UI_DIR tell the tests
  // that the launcher is there to answer `@@ui` requests (see scripts/e2e/env.mjs).
  Object.assign(env, { XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache, GVT_E2E_WRAPPER: '1',
    GVT_E2E_UI_DIR: dirs.ui });
  const args = [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver',
    '--disable-workspace-trust', '--disable-telemetry', '--user-data-dir', dirs['user-data'],
    '--server-data-dir', dirs['server-data'], '--extensions-dir', dirs.extensions];
  // Watchdog: if the launcher dies without cleanup (even SIGKILL), the stdin pipe closes and the
  // background reader kills the server's whole group (it and its extension hosts).
  const watchdog = 'exec 3<&0; (read -r _ <&3; kill -KILL -- -$$) & exec "$@" 3<&-';
  const child = spawn('bash', ['-c', watchdog, 'watchdog', process.execPath, ...args],
    { detached: true, env, cwd: tmp, stdio: ['pipe', 'pipe', 'pipe'] });
  const tail = []; // the server's last lines, shown when it fails to start
  const ready = new Promise((ok, fail) => {
    const onData = (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        if (verbose) console.log(`[server] ${line}`);
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (line.includes('Extension host agent listening')) ok();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`server exited (${code}):\n${tail.join('\n')}`)));
    setTimeout(() => fail(new Error(`server not listening after 60 s:\n${tail.join('\n')}`)), 60_000);
  });
  return { child, uiDir: dirs.ui, ready };
}
