// The language client in the real extension host: activation on a .gvt file, diagnostics as you
// type, completion.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { screenshot } from '../screenshot';
import { EXTENSION_ID, openScenario, waitFor, workspaceFile } from './gvtHelpers';
import { smokeTest } from './tags';

suite('gvt language', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  smokeTest('opening a .gvt file activates the extension', async () => {
    const editor = await openScenario('05-shadow-ppgtt-lifecycle.gvt');
    assert.equal(editor.document.languageId, 'gvt');
    await waitFor('the extension to activate', () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive || undefined);
  });

  smokeTest('diagnostics: an error appears with its line, a sample has none', async () => {
    const uri = workspaceFile('e2e-broken.gvt');
    writeFileSync(uri.fsPath, 'vgpu vm1\nregister vm1 gfn 0x100 handler nosuch\nenable vm1 gfn\n');
    await openScenario('e2e-broken.gvt');
    const diags = await waitFor('diagnostics for e2e-broken.gvt', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length >= 2 ? d : undefined;
    }, 20_000);
    const lines = diags.map((d) => d.range.start.line).sort();
    assert.ok(lines.includes(1), `a diagnostic on line 2 (the unknown handler): ${JSON.stringify(diags.map((d) => [d.range.start.line, d.message]))}`);
    assert.ok(lines.includes(2), 'a diagnostic on line 3 (the missing gfn)');
    await screenshot('language-diagnostics');
    const sample = workspaceFile('05-shadow-ppgtt-lifecycle.gvt');
    assert.deepEqual(vscode.languages.getDiagnostics(sample).filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);
  });

  test('diagnostics follow edits', async () => {
    const editor = await openScenario('e2e-broken.gvt');
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), 'vgpu vm1\nhandler nosuch returns 0\nregister vm1 gfn 0x100 handler nosuch\nenable vm1 gfn 0x100\n'));
    await waitFor('the diagnostics to clear after the fix', () => (vscode.languages.getDiagnostics(editor.document.uri).length === 0 ? true : undefined), 20_000);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('completion offers statements and the scenario\'s names', async () => {
    const editor = await openScenario('05-shadow-ppgtt-lifecycle.gvt');
    const end = new vscode.Position(editor.document.lineCount, 0);
    await editor.edit((e) => e.insert(end, '\n'));
    const at = new vscode.Position(editor.document.lineCount - 1, 0);
    const list = await waitFor('completion items', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, at);
      return l && l.items.length > 0 ? l : undefined;
    }, 20_000);
    const names = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const keyword of ['register', 'shadow', 'map', 'submit']) assert.ok(names.includes(keyword), `${keyword} in ${names.join(', ')}`);
    assert.ok(names.some((n) => n.startsWith('expect ')), 'expect forms');
    await editor.edit((e) => e.insert(at, 'enable '));
    const after = new vscode.Position(at.line, 'enable '.length);
    const vgpus = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, after);
    assert.ok(vgpus.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'vm1'), 'the vGPU vm1 after `enable `');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
