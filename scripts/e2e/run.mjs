// spawnSync bounded by a timeout, for the harness's helper commands (tsc, setup, package, install).
import { spawnSync } from 'node:child_process';
import { ROOT } from './paths.mjs';

/** Runs a command; undefined when it succeeded, else why it failed. Output shown only on failure (or always, with inherit). */
export function run(what, cmd, args, { timeoutMs, env, inherit = false } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: ROOT, env: env ?? process.env, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8',
    stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  if (r.status === 0) return undefined;
  if (!inherit) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return `${what} failed (${r.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s` : r.status ?? r.signal})`;
}
