// The harness itself: a real extension host with the VS Code API, the test workspace open, and
// this repository loaded as the extension under development.
import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { screenshot } from '../screenshot';
import { smokeTest } from './tags';

const EXTENSION_ID = 'gvt-tools.gvt-page-track-debugger';
// out/test/e2e/suite -> the repository root
const REPO_ROOT = resolve(__dirname, '../../../..');

suite('activation', () => {
  smokeTest('the VS Code API is there', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof vscode.commands.executeCommand, 'function');
    assert.ok(vscode.extensions.all.length > 0, 'no extensions at all: not a real extension host');
  });

  smokeTest('the test workspace folder is open', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected exactly one workspace folder');
    const expected = process.env.GVT_E2E_WORKSPACE;
    assert.ok(expected, 'GVT_E2E_WORKSPACE is not set (run through scripts/e2e/main.mjs)');
    assert.equal(folders[0].uri.fsPath, expected);
    await screenshot('activation-workspace');
  });

  test(`the extension ${EXTENSION_ID} is present`, () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in the extension host`);
    assert.equal(ext.extensionUri.fsPath, REPO_ROOT, 'a different copy of the extension was loaded');
  });
});
