// Debugging a scenario in the real extension host, the way a user does: F5 with no launch.json,
// the Run and Debug views filled at a stop, a gfn breakpoint added from the Page Track Table's
// context menu, Step Into the kernel, the Trap Log, Reveal Registration, the memory view, Step
// Back, and the views cleared when the session ends. One session, test after test.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from '../screenshot';
import { debugFixture, labels, lineOf, nextSession, openScenario, removeAllBreakpoints, runTo, scenarioLine, sessionEnded, stackTrace, type TrackNode, waitFor, workspaceFile } from './gvtHelpers';
import { smokeTest } from './tags';

const SAMPLE = '05-shadow-ppgtt-lifecycle.gvt';

suite('gvt debugging', () => {
  let session: vscode.DebugSession;
  let doc: vscode.TextDocument;

  const fx = debugFixture();

  const line = (prefix: string): number => lineOf(doc, prefix);
  const breakAt = (prefix: string): vscode.SourceBreakpoint => {
    const bp = new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(line(prefix) - 1, 0)));
    vscode.debug.addBreakpoints([bp]);
    return bp;
  };
  /** Breakpoint changes reach the adapter asynchronously: wait for its answer. */
  const adapterAnswered = (command: string, from: number) =>
    waitFor(`the adapter's ${command} response`, () => fx.rec.messages.slice(from).some((m) => m.type === 'response' && m.command === command) || undefined);
  /** Continue to a one-shot breakpoint on the line starting with `prefix`. */
  const continueToLine = async (prefix: string): Promise<void> => {
    const from = fx.rec.mark();
    const bp = breakAt(prefix);
    await adapterAnswered('setBreakpoints', from);
    assert.equal((await runTo(fx.rec, session, 'continue')).reason, 'breakpoint');
    vscode.debug.removeBreakpoints([bp]);
  };
  const rowsOf = async (vgpu = 'vm1'): Promise<TrackNode[]> => {
    const roots = await fx.api.trackTable.getChildren();
    const v = roots.find((n) => n.kind === 'vgpu' && n.name === vgpu);
    assert.ok(v, `no ${vgpu} in the Page Track Table: ${JSON.stringify(await labels(fx.api.trackTable, roots))}`);
    return (await fx.api.trackTable.getChildren(v)).filter((n) => n.kind === 'row');
  };
  const rowNode = async (gfn: number): Promise<TrackNode> => {
    const rows = await rowsOf();
    const r = rows.find((n) => n.row?.gfn === gfn);
    assert.ok(r, `no row for gfn 0x${gfn.toString(16)}: ${rows.map((n) => n.row?.gfn.toString(16)).join(', ')}`);
    return r;
  };
  const waitForExtensionStep = (want: (step: number) => boolean, what: string) =>
    waitFor(`the extension to see ${what}`, () => {
      const s = fx.api.sessions.active?.state?.step;
      return s !== undefined && want(s) ? s : undefined;
    });

  smokeTest('F5 with no launch.json debugs the open scenario, stopped on entry', async () => {
    const configured = vscode.workspace.getConfiguration('launch', workspaceFile(SAMPLE)).get<unknown[]>('configurations') ?? [];
    assert.deepEqual(configured, [], 'the test workspace must have no launch configurations');
    doc = (await openScenario(SAMPLE)).document;
    const started = nextSession();
    const from = fx.rec.mark();
    await vscode.commands.executeCommand('workbench.action.debug.start');
    session = await started;
    assert.equal(session.configuration.program, doc.uri.fsPath);
    assert.equal(session.configuration.stopOnEntry, true);
    assert.equal((await fx.rec.stopped(from)).reason, 'entry');
    await waitFor('the extension to adopt the session', () => fx.api.sessions.active?.id === session.id || undefined);
  });

  smokeTest('the views fill at a stop: Page Track Table, Shadow Page Tables, Trap Log', async () => {
    await continueToLine('expect vm1 gfn 0x100 tracked');
    assert.equal(await scenarioLine(session), line('expect vm1 gfn 0x100 tracked'));

    const rows = await rowsOf();
    assert.deepEqual(rows.map((n) => n.row?.gfn), [0x100, 0x101, 0x102, 0x103]);
    for (const n of rows) {
      const item = fx.api.trackTable.getTreeItem(n);
      assert.match(String(item.description), /^● ppgtt · tracked · 0 hits · spt (PML4|PDP|PD|PT) mfn 0x/, 'registered by `shadow`: changed, tracked');
      assert.equal(item.contextValue, 'gvtTrackRow');
    }

    const [v] = await fx.api.shadowTables.getChildren();
    assert.equal(fx.api.shadowTables.getTreeItem(v).label, 'vm1');
    const [mm] = await fx.api.shadowTables.getChildren(v);
    assert.equal(fx.api.shadowTables.getTreeItem(mm).label, 'PPGTT root gfn 0x100');
    const [root] = await fx.api.shadowTables.getChildren(mm);
    assert.equal(fx.api.shadowTables.getTreeItem(root).label, 'PML4 gfn 0x100');
    const entries = await fx.api.shadowTables.getChildren(root);
    assert.deepEqual(await labels(fx.api.shadowTables, entries), ['[0] guest P RW → gfn 0x101']);
    const pdp = await fx.api.shadowTables.getChildren(entries[0]);
    assert.match(String(fx.api.shadowTables.getTreeItem(pdp[0]).label), /^\[0\] guest P RW → gfn 0x102/);

    const traps = await fx.api.trapLog.getChildren();
    assert.equal(fx.api.trapLog.getTreeItem(traps[0]).label, 'No store has trapped yet');

    await vscode.commands.executeCommand('gvt.pageTrackTable.focus');
    await screenshot('debug-views-after-shadow');
  });

  smokeTest('"Break on Trapped Writes to This gfn" stops the run at the next trapped store to it, inside the kernel', async () => {
    const from = fx.rec.mark();
    await vscode.commands.executeCommand('gvt.trackTable.breakOnGfn', await rowNode(0x103));
    const fbp = vscode.debug.breakpoints.find((b): b is vscode.FunctionBreakpoint => b instanceof vscode.FunctionBreakpoint);
    assert.equal(fbp?.functionName, 'vm1 gfn 0x103');
    await vscode.commands.executeCommand('gvt.trackTable.breakOnGfn', await rowNode(0x103));
    assert.equal(vscode.debug.breakpoints.length, 1, 'a second click adds no duplicate');
    await adapterAnswered('setFunctionBreakpoints', from);

    assert.equal((await runTo(fx.rec, session, 'continue')).reason, 'function breakpoint');
    const frames = await stackTrace(session);
    assert.match(frames[0].name, /^intel_vgpu_page_track_handler/);
    assert.equal(frames[frames.length - 1].line, line('map vm1 va 0x2000 gfn 0x802'));
    const hits = (await rowNode(0x103)).row?.hits;
    assert.equal(hits, 0, 'stopped before the handler runs');
    await screenshot('debug-gfn-breakpoint');
    const cleared = fx.rec.mark();
    removeAllBreakpoints();
    await adapterAnswered('setFunctionBreakpoints', cleared);
  });

  test('Step Into a statement shows the kernel frames it calls', async () => {
    await continueToLine('unmap vm1 va 0x1000');
    assert.equal((await stackTrace(session)).length, 1, 'at a statement: only the scenario frame');
    await runTo(fx.rec, session, 'stepIn');
    const frames = await stackTrace(session);
    assert.ok(frames.length > 1, `kernel frames: ${frames.map((f) => f.name).join(' < ')}`);
    assert.ok(frames[0].source?.sourceReference, 'the kernel frame has a kernel source');
    assert.equal(frames[frames.length - 1].line, line('unmap vm1 va 0x1000'));
    await runTo(fx.rec, session, 'stepOut');
  });

  test('the Trap Log lists trapped stores, newest first; a click reveals the statement', async () => {
    for (let i = 0; i < 3 && (await scenarioLine(session)) <= line('unmap vm1 va 0x1000'); i++) await runTo(fx.rec, session, 'next');
    assert.ok((await scenarioLine(session)) > line('unmap vm1 va 0x1000'), 'past the unmap');
    const traps = (await fx.api.trapLog.getChildren()).filter((n) => n.kind === 'trap');
    assert.ok(traps.length >= 3, `${traps.length} traps`);
    const newest = fx.api.trapLog.getTreeItem(traps[0]);
    assert.equal(traps[0].entry?.line, line('unmap vm1 va 0x1000'));
    assert.equal(newest.label, 'gpa 0x103008');
    assert.ok(newest.command, 'a click runs a command');
    await vscode.commands.executeCommand(newest.command.command, ...(newest.command.arguments ?? []));
    const editor = await waitFor('the scenario editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === doc.uri.fsPath ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.selection.active.line + 1, line('unmap vm1 va 0x1000'));
  });

  test('Reveal Registration opens the statement that registered the record', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('gvt.trackTable.revealRegistration', await rowNode(0x104));
    const editor = await waitFor('the scenario editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === doc.uri.fsPath ? vscode.window.activeTextEditor : undefined));
    // gfn 0x104 became a page table when this map wrote its PDE: that trapped write registered it.
    assert.equal(editor.selection.active.line + 1, line('map vm1 va 0x200000 gfn 0x900'));
    await vscode.commands.executeCommand('gvt.trackTable.revealRegistration', await rowNode(0x103));
    await waitFor('the shadow line', () => (vscode.window.activeTextEditor?.selection.active.line === line('shadow vm1 root 0x100') - 1 ? true : undefined));
  });

  test('Show Guest Page in Memory View shows the page\'s bytes', async () => {
    await vscode.commands.executeCommand('gvt.trackTable.showGuestPage', await rowNode(0x103));
    const editor = await waitFor('the memory document', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'gvt-memory'));
    const text = editor.document.getText();
    assert.match(text, /^vm1 gfn 0x103 \(vm1:gpa:0x103000\) at step \d+/);
    assert.match(text, /^0x00103000 {2}03 00 80 00 00 00 00 00/m, 'PTE 0 maps gfn 0x800, present and RW');
    assert.match(text, /Non-zero 64-bit entries \(\d+\):/);
    await screenshot('debug-memory-document');
  });

  test('the gfn filter narrows the table', async () => {
    fx.api.trackTable.setFilter({ from: 0x102, to: 0x103 });
    assert.deepEqual((await rowsOf()).map((n) => n.row?.gfn), [0x102, 0x103]);
    fx.api.trackTable.setFilter(undefined);
    assert.equal((await rowsOf()).length, 5);
  });

  test('Step Back goes back in time and the views follow', async () => {
    const before = fx.api.sessions.active?.state?.step ?? -1;
    for (let i = 0; i < 4 && (await scenarioLine(session)) !== line('unmap vm1 va 0x1000'); i++) {
      assert.equal((await runTo(fx.rec, session, 'stepBack')).reason, 'step');
    }
    assert.equal(await scenarioLine(session), line('unmap vm1 va 0x1000'));
    await waitForExtensionStep((s) => s < before, 'an earlier step');
    const traps = (await fx.api.trapLog.getChildren()).filter((n) => n.kind === 'trap');
    assert.ok(traps.length > 0);
    assert.notEqual(traps[0].entry?.line, line('unmap vm1 va 0x1000'), 'the unmap has not happened yet');
    await vscode.commands.executeCommand('gvt.trapLog.focus');
    await vscode.commands.executeCommand('gvt.shadowPageTables.focus');
    await screenshot('debug-step-back');
  });

  test('ending the session clears the views', async () => {
    const ended = sessionEnded(session);
    await vscode.debug.stopDebugging(session);
    await ended;
    await waitFor('the extension to drop the session', () => fx.api.sessions.active === undefined || undefined);
    assert.deepEqual(await fx.api.trackTable.getChildren(), []);
    assert.deepEqual(await fx.api.shadowTables.getChildren(), []);
    assert.deepEqual(await fx.api.trapLog.getChildren(), []);
  });

  test('Run Scenario runs to the end without stopping', async () => {
    const started = nextSession();
    const from = fx.rec.mark();
    assert.equal(await vscode.commands.executeCommand('gvt.runScenario', doc.uri), true);
    const s = await started;
    assert.equal(s.configuration.noDebug, true);
    await sessionEnded(s);
    assert.ok(!fx.rec.messages.slice(from).some((m) => m.event === 'stopped'), 'no stop');
    assert.equal(fx.api.sessions.active, undefined, 'a run is not shown in the views');
  });
});
