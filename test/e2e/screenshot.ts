// Screenshots of the real workbench, for the README and for looking at what a test sees. The
// code-server launcher (scripts/code-server-vscode.mjs) watches the host's console for
// `@@screenshot <name>` and saves <GVT_E2E_SCREENSHOTS>/<name>.png; a desktop VS Code has no such
// launcher, so there this is a no-op.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Saves a PNG of the whole workbench as `<name>.png`; resolves once the file exists. */
export async function screenshot(name: string): Promise<boolean> {
  const dir = process.env.GVT_E2E_SCREENSHOTS;
  if (!dir || process.env.GVT_E2E_WRAPPER !== '1') return false;
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  rmSync(file, { force: true });
  console.log(`@@screenshot ${name}`);
  // The request goes host -> workbench -> launcher asynchronously: wait for the picture to exist
  // so the test doesn't change the screen before it is taken.
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (existsSync(file)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screenshot ${name}: ${file} did not appear within 15 s`);
}
