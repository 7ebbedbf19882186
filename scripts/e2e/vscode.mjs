// Which VS Code the suite runs in. By default code-server's VS Code server in headless Chromium,
// behind launcher.mjs (installed on demand when CI or GVT_E2E_SETUP=1); with GVT_E2E_VSCODE=download
// a desktop build from @vscode/test-electron. Answers {vscodeExecutablePath} (undefined: let
// test-electron download one), or {skip} / {fail} with the reason.
import { existsSync } from 'node:fs';
import { LAUNCHER, SERVER_MAIN, SETUP_SCRIPT } from './paths.mjs';
import { run } from './run.mjs';

/** Errors that mean "no network to download VS Code", not a broken run. */
export const isOffline = (e) => ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED'].includes(e?.code);

export function chooseVscode(env) {
  if (env.downloadVscode) return { vscodeExecutablePath: undefined };
  if (env.setup) {
    const error = run('scripts/setup-code-server.sh', 'bash', [SETUP_SCRIPT], { timeoutMs: 20 * 60_000, inherit: true });
    if (error) return { fail: error };
  }
  if (!existsSync(SERVER_MAIN)) return { skip: '.code-server is not set up (run scripts/setup-code-server.sh, or set GVT_E2E_SETUP=1)' };
  if (!existsSync(env.chromium)) return { skip: `no ${env.chromium} (apt-get install chromium, or set GVT_E2E_CHROMIUM)` };
  return { vscodeExecutablePath: LAUNCHER };
}
