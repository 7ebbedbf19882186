// One launch of the suite through @vscode/test-electron's runTests(), in a fresh workspace. The
// counts come from the file test/e2e/index.ts writes inside the extension host (GVT_E2E_RESULT),
// never from the launcher's output or exit code alone: no file means the pass broke.
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostEnv } from './env.mjs';
import { ROOT, TESTS_ENTRY, TESTS_OUT, WORKSPACE } from './paths.mjs';
import { isOffline } from './vscode.mjs';

/** A workspace of its own for each pass: tests can't touch samples/ or see what a pass before wrote. */
function freshWorkspace() {
  rmSync(WORKSPACE, { recursive: true, force: true });
  mkdirSync(WORKSPACE, { recursive: true });
  if (existsSync(join(ROOT, 'samples'))) cpSync(join(ROOT, 'samples'), WORKSPACE, { recursive: true });
}

/**
 * Runs the suite once; answers {passed, failed, skipped, seconds}, or {offline: code} when
 * test-electron could not download VS Code. `env` holds GVT_E2E_* variables for the host.
 */
export async function runPass(name, { vscodeExecutablePath, extensionDevelopmentPath, launchArgs, env }) {
  freshWorkspace();
  const resultFile = join(TESTS_OUT, `result-${name.replace(/\W+/g, '-')}.json`);
  rmSync(resultFile, { force: true });
  console.log(`\ne2e: ${name} pass`);
  const started = Date.now();
  let runError;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath: TESTS_ENTRY,
      extensionTestsEnv: hostEnv({ GVT_E2E_WORKSPACE: WORKSPACE, GVT_E2E_RESULT: resultFile, ...env }),
      launchArgs: [WORKSPACE, ...launchArgs],
    });
  } catch (e) {
    runError = e;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (isOffline(runError)) return { offline: runError.code };
  if (!existsSync(resultFile)) {
    console.error(`e2e: FAIL: the ${name} pass's extension host wrote no ${resultFile} after ${seconds} s ` +
      `(${runError?.message ?? 'exit 0'}); GVT_E2E_VERBOSE=1 shows the workbench and server logs`);
    return { passed: 0, failed: 1, skipped: 0, seconds };
  }
  const r = JSON.parse(readFileSync(resultFile, 'utf8'));
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
