// The extension in the browser's web worker extension host (dist/web/extension.js), as on
// vscode.dev and github.dev. scripts/e2e/main.mjs's web pass gives the workbench a web-only copy
// of the extension, which it runs in the web worker host; these tests run in the Node (remote)
// host and drive it as a user does: commands, the editor, the debugger, the sidebar's DOM.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { hasWorkbenchUi, ui, type QueriedElement } from '../screenshot';
import { EXTENSION_ID, THREAD_ID, lineOf, waitFor, workspaceFile } from '../suite/gvtHelpers';

const SAMPLE = '05-shadow-ppgtt-lifecycle.gvt';
const paneSelector = (title: string): string => `.part.sidebar .pane:has(> .pane-header[aria-label^="${title}"]) .monaco-list-row`;

async function rowsOf(title: string, match: RegExp): Promise<QueriedElement[]> {
  let last: QueriedElement[] = [];
  return waitFor(`rows matching ${String(match)} in ${title}`, async () => {
    last = await ui({ op: 'query', selector: paneSelector(title) });
    return last.some((r) => match.test(r.text)) ? last : undefined;
  }, 15_000).catch((e: Error) => {
    throw new Error(`${e.message}; rows: ${JSON.stringify(last.map((r) => r.text))}`);
  });
}

/** The scenario line of the session's top stop, once it is stopped at `want` (polled: DAP trackers see only their own host's adapters). */
async function stoppedAt(session: vscode.DebugSession, want: (line: number) => boolean, what: string): Promise<number> {
  let last: number | string | undefined;
  return waitFor(what, async () => {
    try {
      const r = (await session.customRequest('stackTrace', { threadId: THREAD_ID })) as { stackFrames: Array<{ line: number }> };
      last = r.stackFrames[r.stackFrames.length - 1]?.line;
    } catch (e) {
      last = String(e);
    }
    return typeof last === 'number' && want(last) ? last : undefined;
  }, 15_000).catch((e: Error) => {
    throw new Error(`${e.message} (last: ${String(last)})`);
  });
}

suite('web worker extension host', () => {
  suiteSetup(function () {
    assert.equal(process.env.GVT_E2E_WEB, '1', 'run by scripts/e2e/main.mjs --web');
    assert.ok(hasWorkbenchUi(), 'needs the code-server launcher (the workbench in Chromium)');
  });

  suiteTeardown(async () => {
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  test('the extension is not in this Node host, yet its Open Sample command opens the sample', async () => {
    // The workbench has two extension hosts: this Node one, and the web worker one.
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID), undefined, 'the extension runs in this Node host');
    await vscode.commands.executeCommand('gvt.openSample');
    const editor = await waitFor('the sample in the active editor', () => (vscode.window.activeTextEditor?.document.fileName.endsWith(SAMPLE) ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.document.languageId, 'gvt');
  });

  test('the language server runs in a web worker without Node, started from the web worker extension host', async () => {
    const workers = await waitFor('the language server worker', async () => {
      const all = await ui({ op: 'workers' });
      return all.some((w) => w.name?.includes('GVT Scenario Language Server')) ? all : undefined;
    });
    const server = workers.find((w) => w.name?.includes('GVT Scenario Language Server'));
    assert.equal(server?.process, 'undefined', JSON.stringify(workers));
    assert.equal(server?.listening, true, 'the server script ran and listens to its port');
    // The web worker extension host names the workers its extensions start after itself: this one
    // was started by the extension, from inside that host, which has no Node either.
    assert.equal(server?.name, 'ExtensionHostWorker -> GVT Scenario Language Server', JSON.stringify(workers));
    const host = workers.find((w) => w.name === 'ExtensionHostWorker');
    assert.equal(host?.process, 'undefined', JSON.stringify(workers));
  });

  test('diagnostics come from the worker language server', async () => {
    const uri = workspaceFile('web-typo.gvt');
    writeFileSync(uri.fsPath, 'vgpu vm1\nregister vm1 gfn 0x100 handler nosuch\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // What the user sees: the squiggle in the editor and the entry in the Problems panel.
    await waitFor('a squiggle in the editor', async () => (await ui({ op: 'query', selector: '.editor-instance .squiggly-error' })).length > 0 || undefined, 20_000);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    let rows: QueriedElement[] = [];
    await waitFor('the problem in the Problems panel', async () => {
      rows = await ui({ op: 'query', selector: '.markers-panel .monaco-list-row' });
      return rows.some((r) => /nosuch/.test(r.text + r.aria)) || undefined;
    }, 10_000).catch((e: Error) => {
      throw new Error(`${e.message}; rows: ${JSON.stringify(rows.map((r) => r.aria || r.text))}`);
    });
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('Debug Sample: the inline adapter stops on entry, at a breakpoint, steps; the Page Track Table and Shadow Page Tables fill', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile(SAMPLE));
    const bpLine = lineOf(doc, 'expect vm1 gfn 0x103 tracked');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(bpLine - 1, 0)))]);
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== 'gvt') return;
        sub.dispose();
        resolve(s);
      });
    });
    await vscode.commands.executeCommand('gvt.debugSample');
    const session = await Promise.race([started, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no gvt session started')), 15_000))]);
    // The sample is named by its URI in the web host (a vscode-remote:// document there).
    assert.match(String(session.configuration.program), /^vscode-remote:\/\/.*05-shadow-ppgtt-lifecycle\.gvt$/);

    const entry = await stoppedAt(session, (l) => l < bpLine, 'the stop on entry');
    assert.ok(entry >= 1);
    await session.customRequest('continue', { threadId: THREAD_ID });
    await stoppedAt(session, (l) => l === bpLine, `the breakpoint at line ${bpLine}`);
    await session.customRequest('next', { threadId: THREAD_ID });
    await stoppedAt(session, (l) => l === bpLine + 1, 'the line after the step');

    await vscode.commands.executeCommand('workbench.view.debug');
    for (const title of ['Variables', 'Watch', 'Call Stack', 'Breakpoints', 'Trap Log']) await ui({ op: 'pane', title, expanded: false });
    for (const title of ['Page Track Table', 'Shadow Page Tables']) await ui({ op: 'pane', title, expanded: true });
    const tracked = await rowsOf('Page Track Table', /^0x103(?![\da-f])/);
    assert.ok(tracked.some((r) => /^0x100(?![\da-f])/.test(r.text)), JSON.stringify(tracked.map((r) => r.text)));
    const shadow = await rowsOf('Shadow Page Tables', /vm1/);
    assert.ok(shadow.length >= 1);
  });

  test('a launch by path reads a scenario no editor has open (through workspace.fs), and Restart runs the file as it is then', async () => {
    await vscode.debug.stopDebugging();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = workspaceFile('web-closed.gvt');
    writeFileSync(uri.fsPath, 'vgpu vm1\nregister vm1 gfn 0x100 handler log\n');
    // Documents are shared by every extension host: none has this file open, so the launch reads it.
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath), 'web-closed.gvt is open already');
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== 'gvt') return;
        sub.dispose();
        resolve(s);
      });
    });
    // A path, as `${file}` and `${workspaceFolder}` give: the web host names the document by its URI.
    assert.ok(await vscode.debug.startDebugging(undefined, { type: 'gvt', request: 'launch', name: 'closed', program: uri.fsPath, stopOnEntry: true }));
    const session = await started;
    assert.match(String(session.configuration.program), /^vscode-remote:\/\/.*\/web-closed\.gvt$/);
    assert.equal(await stoppedAt(session, (l) => l > 0, 'the stop on entry'), 1);
    // The stop shows the file in an editor, and an open editor's text is what runs (as on the
    // desktop): let it open, change the file on disk, and wait until the editor has caught up.
    await waitFor('the editor the stop opens', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === uri.fsPath));
    // Two comment lines more: after Restart the first statement is on line 3.
    writeFileSync(uri.fsPath, '# changed\n# on disk\nvgpu vm1\nregister vm1 gfn 0x100 handler log\n');
    await waitFor('the editor to show the change on disk', () => vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath)?.getText().startsWith('# changed') || undefined);
    await session.customRequest('restart', {});
    assert.equal(await stoppedAt(session, (l) => l === 3, 'the stop on entry of the file as it is now'), 3);
    await vscode.debug.stopDebugging(session);
  });
});
