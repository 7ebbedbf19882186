// "GVT: Compare Kernel Versions" in the real workbench: the bundled CLI runs under both kernels,
// the two traces open side by side in a diff editor, and debugging one side stops at the first
// statement whose outcome differs (samples/11: a memslot removal, then a disable that newest
// answers 0 and legacy -EINVAL).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { debugFixture, nextSession, scenarioLine, waitFor, workspaceFile } from './gvtHelpers';
import { smokeTest } from './tags';

const SAMPLE = '11-memslot-removal.gvt';
const FIRST_DIVERGENCE = 17;

/** The open diff tab comparing the two traces of `name`. */
function compareTab(name: string): vscode.TabInputTextDiff | undefined {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputTextDiff && tab.input.original.scheme === 'gvt-compare' && tab.label.startsWith(name)) return tab.input;
    }
  }
  return undefined;
}

suite('gvt compare kernel versions', () => {
  const fx = debugFixture();

  // A smoke test too: the installed .vsix must carry the CLI it runs.
  smokeTest('opens newest ↔ legacy traces side by side, and debugging legacy stops at the first divergence', async () => {
    const target = workspaceFile(SAMPLE);
    const started = nextSession(60_000);
    const from = fx.rec.mark();
    const done = vscode.commands.executeCommand('gvt.compareKernels', target, { debug: 'legacy' });
    const diff = await waitFor('the compare diff editor', () => compareTab(SAMPLE), 60_000);
    assert.match(diff.original.path, /^\/newest\//);
    assert.match(diff.modified.path, /^\/legacy\//);
    const newest = (await vscode.workspace.openTextDocument(diff.original)).getText();
    const legacy = (await vscode.workspace.openTextDocument(diff.modified)).getText();
    assert.match(newest, /kvmgt_page_track_remove_region/, "newest's trace names newest's memslot hook");
    assert.match(legacy, /kvmgt_page_track_flush_slot/, "legacy's trace names legacy's memslot hook");
    assert.match(legacy, /-EINVAL/);
    const session = await started;
    assert.equal(session.configuration.kernel, 'legacy');
    assert.equal(session.configuration.program, target.fsPath);
    await done;
    const stop = await fx.rec.stopped(from, 30_000);
    assert.equal(stop.reason, 'breakpoint');
    assert.equal(await scenarioLine(session), FIRST_DIVERGENCE);
    const bp = vscode.debug.breakpoints.find((b) => b instanceof vscode.SourceBreakpoint && b.location.uri.fsPath === target.fsPath);
    assert.ok(bp instanceof vscode.SourceBreakpoint);
    assert.equal(bp.location.range.start.line + 1, FIRST_DIVERGENCE);
  });
});
