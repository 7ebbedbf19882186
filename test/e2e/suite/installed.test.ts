// Which copy of the extension the suite is testing. scripts/e2e/main.mjs runs the suite twice: against
// this repository as the extension under development, then (GVT_E2E_INSTALLED_DIR set) against the
// .vsix that `npm run package` makes, installed into that extensions folder, with a stub
// extensionDevelopmentPath that can't shadow it.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, gvtApi } from './gvtHelpers';
import { smokeTest } from './tags';

// out/test/e2e/suite -> the repository root
const REPO_ROOT = resolve(__dirname, '../../../..');
const INSTALLED_DIR = process.env.GVT_E2E_INSTALLED_DIR;
const inside = (dir: string, p: string): boolean => {
  const r = relative(dir, p);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
};

suite('installed package', () => {
  smokeTest(INSTALLED_DIR ? 'the extension under test is the installed .vsix' : 'the extension under test is this repository (development)', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not in the extension host`);
    const repoVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal((ext.packageJSON as { version: string }).version, repoVersion);
    if (INSTALLED_DIR) {
      assert.ok(inside(INSTALLED_DIR, ext.extensionPath), `${ext.extensionPath} is inside the extensions folder ${INSTALLED_DIR}`);
      assert.equal(relative(INSTALLED_DIR, ext.extensionPath), `${EXTENSION_ID}-${repoVersion}`, 'laid out the way VS Code installs a .vsix');
      // What the package holds, and what it must not.
      for (const f of ['dist/extension.js', 'dist/debugAdapter.js', 'dist/server.js', 'syntaxes/gvt.tmLanguage.json']) {
        assert.ok(existsSync(join(ext.extensionPath, f)), `${f} is installed`);
      }
      for (const f of ['src', 'test', 'node_modules', 'tsconfig.json']) {
        assert.ok(!existsSync(join(ext.extensionPath, f)), `${f} is not in the package`);
      }
    } else {
      assert.equal(ext.extensionPath, REPO_ROOT);
    }
    // The copy under test is the one that runs: it activates and hands out its API.
    const api = await gvtApi();
    assert.equal(typeof api.trackTable.getChildren, 'function');
    assert.ok(ext.isActive);
  });
});
