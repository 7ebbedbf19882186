// The installed pass's extension: the .vsix `npm run package` makes (reused when newer than what it
// packs), installed with the VS Code CLI into a fresh extensions folder, and a stub extension under
// development that contributes nothing, so nothing shadows the installed copy.
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath } from '@vscode/test-electron';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_ID, PKG, ROOT, SERVER_MAIN, STUB_EXTENSION, VSIX } from './paths.mjs';
import { run } from './run.mjs';

/** Packages the .vsix unless it is newer than everything it packs; undefined or why it failed. */
export function freshVsix() {
  const inputs = ['dist/extension.js', 'dist/debugAdapter.js', 'dist/node/debugAdapter.js', 'dist/cli.js', 'dist/node/cli.js', 'dist/server.js', 'package.json', '.vscodeignore',
    'syntaxes/gvt.tmLanguage.json', 'language-configuration.json'].map((f) => join(ROOT, f));
  const newest = Math.max(...inputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : Infinity)));
  if (existsSync(VSIX) && statSync(VSIX).mtimeMs > newest) {
    console.log(`e2e: reusing ${VSIX} (newer than dist/)`);
    return undefined;
  }
  console.log('e2e: npm run package');
  return run('npm run package', process.execPath, [join(ROOT, 'scripts/package.mjs')], { timeoutMs: 300_000 });
}

/**
 * Installs the .vsix into `dir` with the VS Code CLI: code-server's server (useCodeServer) or the
 * downloaded desktop build's. Undefined, or why it failed; throws test-electron's download errors.
 */
export async function installVsix(dir, { useCodeServer }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'gvt-install-'));
  try {
    let cmd;
    let args;
    if (useCodeServer) {
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
export function stubExtension() {
  mkdirSync(STUB_EXTENSION, { recursive: true });
  writeFileSync(join(STUB_EXTENSION, 'package.json'), JSON.stringify({
    name: 'gvt-e2e-harness', publisher: 'gvt-e2e', version: '0.0.0', engines: { vscode: PKG.engines.vscode },
    description: 'Stands in as the extension under development so the installed .vsix is what the suite tests.',
  }, null, 2));
  return STUB_EXTENSION;
}
