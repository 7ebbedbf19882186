// The README's pictures (docs/images/tour-*.png, `npm run screenshots`), taken of the real
// workbench in states these tests set up the way a user would (real clicks and hovers through the
// launcher's ui() hook where it matters) and check: what each picture's caption says is asserted
// here, through the API and in the rendered workbench, so without GVT_E2E_SCREENSHOTS (CI) the
// tests still prove those states. Needs the code-server launcher (skipped under a desktop VS Code).
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { hasWorkbenchUi, screenshot, ui, type QueriedElement } from '../screenshot';
import {
  DapRecorder, gvtApi, lineOf, nextSession, openScenario, removeAllBreakpoints, stackTrace, stopAllSessions, waitFor,
  workspaceFile, type GvtApi,
} from './gvtHelpers';
import { skipBecause } from './tags';

const paneSelector = (title: string) => `.part.sidebar .pane:has(> .pane-header[aria-label^="${title}"]) .monaco-list-row`;

/** A sidebar pane's list rows (its header's aria-label starts with the pane's title). */
const paneRows = (title: string): Promise<QueriedElement[]> => ui({ op: 'query', selector: paneSelector(title) });

async function waitForRow(title: string, text: string | RegExp, ms = 10_000): Promise<QueriedElement> {
  const match = (r: QueriedElement) => (typeof text === 'string' ? r.text.includes(text) : text.test(r.text));
  let last: QueriedElement[] = [];
  return waitFor(`a row ${String(text)} in ${title}`, async () => {
    last = await paneRows(title);
    return last.find(match);
  }, ms).catch((e: Error) => {
    throw new Error(`${e.message}; rows: ${JSON.stringify(last.map((r) => r.text))}`);
  });
}

const clickRow = (title: string, text: string, button: 'left' | 'right' = 'left') =>
  ui({ op: 'click', selector: paneSelector(title), text, button });

/** Expands a tree row unless it is open already (the workbench remembers what earlier suites collapsed). */
async function expandRow(title: string, text: string): Promise<void> {
  const row = await waitForRow(title, text);
  if (row.expanded === 'false') await clickRow(title, text);
}

/** Waits for an element of the workbench (e.g. a hover) whose text matches. */
async function waitForElement(selector: string, text: RegExp, ms = 10_000): Promise<QueriedElement> {
  let last: QueriedElement[] = [];
  return waitFor(`${selector} with ${String(text)}`, async () => {
    last = await ui({ op: 'query', selector });
    return last.find((e) => text.test(e.text));
  }, ms).catch((e: Error) => {
    throw new Error(`${e.message}; found: ${JSON.stringify(last.map((x) => x.text.slice(0, 300)))}`);
  });
}

/** The Run and Debug sidebar with only these panes expanded. */
async function debugPanes(expanded: string[]): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.debug');
  for (const title of ['Variables', 'Watch', 'Call Stack', 'Breakpoints', 'Page Track Table', 'Shadow Page Tables', 'Trap Log']) {
    await ui({ op: 'pane', title, expanded: expanded.includes(title) });
  }
}

/** Nothing but what the picture is about: no notifications, no panel (unless asked), no tooltip. */
async function quiet(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await park();
}

/** The mouse out of the way, on the title bar's empty left part (nothing there has a tooltip). */
const park = () => ui({ op: 'move', x: 250, y: 16 });

/** Hovers fade in: let one settle before the picture. */
const settle = () => new Promise((r) => setTimeout(r, 400));

/** Toggles the Problems view's "Show Active File Only" filter (in its filter menu). */
async function activeFileOnly(): Promise<void> {
  await ui({ op: 'click', selector: '.part.panel .codicon-filter' });
  await waitForElement('.context-view .monaco-menu .action-label', /Show Active File Only/);
  await ui({ op: 'click', selector: '.context-view .monaco-menu .action-label', text: 'Show Active File Only' });
  await ui({ op: 'key', key: 'Escape' });
}

/** Continue as a user does (the workbench's command, so its own view of the thread follows). */
async function continueTo(rec: DapRecorder): Promise<string> {
  const from = rec.mark();
  await vscode.commands.executeCommand('workbench.action.debug.continue');
  const stop = await rec.stopped(from);
  await rec.stateChanged(from);
  return stop.reason;
}

suite('pictures', () => {
  let api: GvtApi;
  let rec: DapRecorder;
  const settings: Array<[string, unknown]> = [];

  suiteSetup(async function () {
    if (!hasWorkbenchUi()) skipBecause(this, 'no code-server launcher to read the rendered workbench (a desktop VS Code)');
    api = await gvtApi();
    rec = new DapRecorder();
    removeAllBreakpoints();
    await stopAllSessions();
    // VS Code's default dark theme, and the width the minimap would take for the text.
    const config = vscode.workspace.getConfiguration();
    // The debug toolbar docked in the Run and Debug view, not floating over the editor's tabs.
    for (const [key, value] of [['workbench.colorTheme', 'Default Dark Modern'], ['editor.minimap.enabled', false], ['debug.toolBarLocation', 'docked']] as const) {
      settings.push([key, config.inspect(key)?.globalValue]);
      await config.update(key, value, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The workspace as a user's: the samples, without the scratch files earlier suites wrote.
    for (const [name] of await vscode.workspace.fs.readDirectory(workspaceFile('.'))) {
      if (/^e2e-.*\.gvt$/.test(name)) await vscode.workspace.fs.delete(workspaceFile(name));
    }
    // A wider sidebar than the default, so the views' descriptions fit.
    await vscode.commands.executeCommand('workbench.view.debug');
    await vscode.commands.executeCommand('workbench.action.focusSideBar');
    for (let i = 0; i < 6; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    await quiet();
  });

  suiteTeardown(async () => {
    await stopAllSessions();
    rec?.dispose();
    removeAllBreakpoints();
    const config = vscode.workspace.getConfiguration();
    for (const [key, value] of settings) await config.update(key, value, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  /** Starts debugging `name` (stopped on entry), then runs to the line starting with `prefix`. */
  async function debugTo(name: string, prefix: string, offset = 0): Promise<{ session: vscode.DebugSession; doc: vscode.TextDocument }> {
    removeAllBreakpoints();
    const doc = (await openScenario(name)).document;
    const started = nextSession();
    let from = rec.mark();
    await vscode.debug.startDebugging(undefined, { type: 'gvt', request: 'launch', name: 'tour', program: doc.uri.fsPath, stopOnEntry: true });
    const session = await started;
    assert.equal((await rec.stopped(from)).reason, 'entry');
    const bp = new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(lineOf(doc, prefix) - 1 + offset, 0)));
    from = rec.mark();
    vscode.debug.addBreakpoints([bp]);
    await waitFor('the adapter to take the breakpoint', () => rec.messages.slice(from).some((m) => m.type === 'response' && m.command === 'setBreakpoints') || undefined);
    assert.equal(await continueTo(rec), 'breakpoint');
    vscode.debug.removeBreakpoints([bp]);
    return { session, doc };
  }

  test('tour 1: stopped on a gfn breakpoint from the Page Track Table\'s context menu, kernel frames in the call stack', async () => {
    const { session } = await debugTo('05-shadow-ppgtt-lifecycle.gvt', 'expect vm1 gfn 0x100 tracked');
    await debugPanes(['Call Stack', 'Breakpoints', 'Page Track Table', 'Shadow Page Tables']);

    // A real right-click on the gfn 0x103 row, then the menu's item.
    await waitForRow('Page Track Table', /^0x103(?![\da-f])/);
    const from = rec.mark();
    await clickRow('Page Track Table', '0x103', 'right');
    await waitForElement('.context-view .monaco-menu .action-label', /Break on Trapped Writes to This gfn/);
    await ui({ op: 'click', selector: '.context-view .monaco-menu .action-label', text: 'Break on Trapped Writes to This gfn' });
    const fbp = await waitFor('the gfn breakpoint', () => vscode.debug.breakpoints.find((b): b is vscode.FunctionBreakpoint => b instanceof vscode.FunctionBreakpoint));
    assert.equal(fbp.functionName, 'vm1 gfn 0x103');
    await waitFor('the adapter to take it', () => rec.messages.slice(from).some((m) => m.type === 'response' && m.command === 'setFunctionBreakpoints') || undefined);

    assert.equal(await continueTo(rec), 'function breakpoint');
    const frames = await stackTrace(session);
    assert.match(frames[0].name, /^intel_vgpu_page_track_handler/);
    assert.ok(frames.length >= 3, `kernel frames above the scenario's: ${frames.map((f) => f.name).join(' < ')}`);
    // What the picture shows: the kernel frames, the breakpoint, the rows, the shadow tables.
    await waitForRow('Call Stack', 'intel_vgpu_page_track_handler');
    await waitForRow('Call Stack', 'kvmgt_page_track_write');
    await waitForRow('Breakpoints', 'vm1 gfn 0x103');
    await waitForRow('Page Track Table', /^0x103(?![\da-f]).*ppgtt/);
    await expandRow('Shadow Page Tables', 'vm1');
    await expandRow('Shadow Page Tables', 'PPGTT root gfn 0x100');
    await waitForRow('Shadow Page Tables', 'PML4 gfn 0x100');
    const kernel = await waitFor('the kernel source in the editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && /intel_vgpu_page_track_handler/.test(e.document.getText()) ? e : undefined;
    });
    assert.ok(kernel.document.uri.scheme !== 'file', 'a kernel source the adapter serves');
    await quiet();
    await screenshot('tour-1-gfn-breakpoint');
    removeAllBreakpoints();
    await stopAllSessions();
  });

  test('tour 2: the Shadow Page Tables view marks the entry a 4-byte write tore down (≠, post-shadow) and says why', async () => {
    // Stopped just after the low half of PTE 0 was written: the guest maps gfn 0x900, the shadow
    // entry points at scratch until the submission flushes it.
    await debugTo('06-partial-writes-and-submit.gvt', 'write vm1 gpa 0x103000 u32', 1);
    await debugPanes(['Shadow Page Tables', 'Trap Log']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openScenario('06-partial-writes-and-submit.gvt');

    // The same state through the extension's tree: PML4 → PDP → PD → PT entry 0.
    let nodes = await api.shadowTables.getChildren();
    for (let depth = 0; depth < 6; depth++) {
      const next = nodes.find((n) => /^(vm1|PPGTT root|PML4|\[0\])/.test(String(api.shadowTables.getTreeItem(n).label)));
      assert.ok(next, `depth ${depth}: ${nodes.map((n) => api.shadowTables.getTreeItem(n).label).join(', ')}`);
      nodes = await api.shadowTables.getChildren(next);
    }
    const pte = api.shadowTables.getTreeItem(nodes[0]);
    assert.equal(pte.label && typeof pte.label === 'object' ? pte.label.label : pte.label, '[0] guest P RW → gfn 0x900');
    assert.match(String(pte.description), /^≠ post-shadow shadow .*scratch/);

    // In the workbench: expand the path with real clicks, then hover the entry for the why.
    for (const row of ['vm1', 'PPGTT root gfn 0x100', 'PML4 gfn 0x100', '[0] guest P RW → gfn 0x101', '[0] guest P RW → gfn 0x102', '[0] guest P RW → gfn 0x103']) {
      await expandRow('Shadow Page Tables', row);
    }
    await waitForRow('Shadow Page Tables', /\[0\] guest P RW → gfn 0x900\s*≠ post-shadow/);
    await waitForRow('Shadow Page Tables', /gfn 0x103.*1 mismatch/);
    await waitForRow('Trap Log', 'gpa 0x103000');
    await quiet();
    await ui({ op: 'hover', selector: paneSelector('Shadow Page Tables'), text: '[0] guest P RW → gfn 0x900' });
    await waitForElement('.monaco-hover, .workbench-hover', /Mismatch:.*guest maps gfn 0x900, shadow points at scratch/s);
    await settle();
    await screenshot('tour-2-shadow-mismatch');
    await ui({ op: 'key', key: 'Escape' });
    await park();
    await stopAllSessions();
  });

  /** Close the editors and copy a tour's scenario (test/e2e/scenarios) into the workspace; the caller opens it. */
  const scenarioFile = async (name: string): Promise<vscode.Uri> => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = workspaceFile(name);
    copyFileSync(resolve(__dirname, '../../../../test/e2e/scenarios', name), uri.fsPath);
    return uri;
  };

  test('tour 3: the language server\'s diagnostics, as squiggles and in Problems', async () => {
    const uri = await scenarioFile('typos.gvt');
    await vscode.commands.executeCommand('workbench.view.explorer');
    const editor = await openScenario('typos.gvt');
    const diags = await waitFor('five diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length >= 5 ? d : undefined;
    }, 20_000);
    assert.deepEqual(diags.map((d) => d.range.start.line + 1).sort(), [5, 6, 7, 8, 9]);
    assert.ok(diags.some((d) => /unknown vGPU 'vm2' \(did you mean 'vm1'\?\)/.test(d.message)), diags.map((d) => d.message).join('\n'));

    await quiet();
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // Problems of the active file only (earlier suites' scratch documents may still be open).
    await activeFileOnly();
    // What the picture shows: the Problems list (these five, nothing else) and the squiggles.
    let problems: QueriedElement[] = [];
    await waitFor('the five problems listed, and only them', async () => {
      const rows = await ui({ op: 'query', selector: '.markers-panel .monaco-list-row' });
      problems = rows.filter((r) => /\[Ln \d+, Col \d+\]/.test(r.text));
      const files = rows.filter((r) => !/\[Ln \d+, Col \d+\]/.test(r.text));
      return (problems.length === 5 && files.length === 1 && files[0].text.includes('typos.gvt')) || undefined;
    }).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(problems.map((r) => r.text))}`);
    });
    await waitFor('squiggles', async () => (await ui({ op: 'query', selector: '.editor-instance .squiggly-error' })).length >= 5 || undefined);
    editor.selection = new vscode.Selection(9, 0, 9, 0);
    await park();
    await screenshot('tour-3-diagnostics');
    await activeFileOnly();
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('tour 4: completion offers what may come next, each documented', async () => {
    await scenarioFile('completion.gvt');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const editor = await openScenario('completion.gvt');
    await quiet();
    editor.selection = new vscode.Selection(3, 2, 3, 2);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    const focused = await waitForElement('.suggest-widget .monaco-list-row.focused', /^enable/);
    assert.ok(focused);
    await vscode.commands.executeCommand('toggleSuggestionDetails');
    await waitForElement('.suggest-details', /intel_vgpu_enable_page_track|page_track/);
    await settle();
    await screenshot('tour-4-completion');
    await vscode.commands.executeCommand('hideSuggestWidget');
  });

  test('tour 5: hover explains a statement: what the kernel does for it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await openScenario('06-partial-writes-and-submit.gvt');
    await quiet();
    const line = lineOf(editor.document, 'write vm1 gpa 0x103000 u32') - 1;
    editor.selection = new vscode.Selection(line, 1, line, 1);
    await vscode.commands.executeCommand('editor.action.showHover');
    await waitForElement('.monaco-hover', /Kernel: kvmgt_page_track_write → intel_vgpu_page_track_handler/);
    await settle();
    await screenshot('tour-5-hover');
    await ui({ op: 'key', key: 'Escape' });
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  test('tour 6: Compare Kernel Versions shows both traces side by side and offers to debug either side at the first divergence', async () => {
    removeAllBreakpoints();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await openScenario('11-memslot-removal.gvt');
    await quiet();
    // As a user does: the command, then the notification's button (no argument skips the question).
    void vscode.commands.executeCommand('gvt.compareKernels');
    await waitForElement('.tabs-container .tab', /11-memslot-removal\.gvt: newest ↔ legacy/, 60_000);
    const toast = '.notifications-toasts .notification-toast';
    await waitForElement(toast, /11-memslot-removal\.gvt:17 is the first statement whose outcome differs/, 60_000);
    await waitForElement(`${toast} .monaco-button`, /Debug legacy at first divergence/);
    await vscode.commands.executeCommand('workbench.action.closeSidebar'); // the traces need the width
    await park();
    await settle();
    await screenshot('tour-6-compare-kernels');
    await vscode.commands.executeCommand('workbench.view.explorer');
    const started = nextSession(30_000);
    const from = rec.mark();
    await ui({ op: 'click', selector: `${toast} .monaco-button`, text: 'Debug legacy at first divergence' });
    const session = await started;
    assert.equal(session.configuration.kernel, 'legacy');
    assert.equal((await rec.stopped(from, 30_000)).reason, 'breakpoint');
    const frames = await stackTrace(session);
    assert.equal(frames[frames.length - 1].line, 17, 'stopped at the first divergence');
    removeAllBreakpoints();
    await stopAllSessions();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
