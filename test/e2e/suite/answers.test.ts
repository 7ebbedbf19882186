// The views' questions over the recorded run in the real workbench: "Show History" on a Page
// Track Table row and on a Shadow Page Tables entry asks the adapter (gvt/history), "Why?" asks
// gvt/why; each offers the steps in a quick pick, and the chosen one is travelled to: the session
// stops there and the views follow. One session stopped at the end of the scenario.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from '../screenshot';
import { debugFixture, nextSession, type TrackNode, waitFor, workspaceFile } from './gvtHelpers';

const SAMPLE = '06-partial-writes-and-submit.gvt';

suite('gvt answers', () => {

  const fx = debugFixture();

  /** Runs a view command that opens a quick pick, accepts its first item once the adapter answered `request`. */
  const pickFirst = async (command: string, node: unknown, request: string, picture?: string): Promise<unknown> => {
    const from = fx.rec.mark();
    const result = vscode.commands.executeCommand(command, node);
    await waitFor(`the adapter's ${request} response`, () => fx.rec.messages.slice(from).some((m) => m.type === 'response' && m.command === request && m.success) || undefined);
    if (picture) {
      await new Promise((r) => setTimeout(r, 500)); // the quick pick renders
      await screenshot(picture);
    }
    // The quick pick opens right after the response: accept its first (oldest) row.
    await waitFor('the quick pick to accept', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return fx.rec.messages.slice(from).some((m) => m.type === 'request' && m.command === 'evaluate') || undefined;
    });
    return result;
  };

  test('"Show History" on a Page Track Table row lists the gfn\'s steps and travels to the chosen one', async () => {
    const file = workspaceFile(SAMPLE);
    const started = nextSession();
    const from = fx.rec.mark();
    assert.ok(await vscode.debug.startDebugging(undefined, { type: 'gvt', request: 'launch', name: 'answers', program: file.fsPath, stopAtEnd: true, output: 'quiet' }));
    const session = await started;
    await waitFor('the stop at the end', () => fx.rec.messages.slice(from).some((m) => m.type === 'event' && m.event === 'stopped' && m.body?.reason === 'end') || undefined);
    await waitFor('the extension to see the stop', () => (fx.api.sessions.active?.id === session.id && fx.api.sessions.active.state ? true : undefined));
    const endStep = fx.api.sessions.active!.state!.step;

    const roots = await fx.api.trackTable.getChildren();
    const rows = (await fx.api.trackTable.getChildren(roots.find((n) => n.kind === 'vgpu'))).filter((n: TrackNode) => n.row?.gfn === 0x103);
    assert.equal(rows.length, 1, 'a row for the PT page gfn 0x103');

    // The picture for docs/answers.md: the Page Track Table, the Debug Console and the quick pick.
    await vscode.commands.executeCommand('gvt.pageTrackTable.focus');
    await vscode.commands.executeCommand('workbench.debug.action.toggleRepl');
    const mark = fx.rec.mark();
    const step = (await pickFirst('gvt.views.showHistory', rows[0], 'gvt/history', 'tour-7-show-history')) as number;
    const response = fx.rec.messages.slice(mark).find((m) => m.type === 'response' && m.command === 'gvt/history');
    const entries = (response?.body as { entries: Array<{ step: number; what: string }> }).entries;
    assert.ok(entries.some((e) => /TRAP: 4-byte store/.test(e.what)), JSON.stringify(entries));
    assert.equal(step, entries[0].step, 'the first row was chosen');
    assert.ok(step < endStep);
    const stop = await fx.rec.stopped(mark);
    assert.equal(stop.reason, 'goto');
    await waitFor(`the views to follow to step ${step}`, () => (fx.api.sessions.active?.state?.step === step ? true : undefined));
  });

  test('"Show History" on a shadow entry lists the entry\'s shadow and post-shadow steps', async () => {
    assert.ok(fx.api.sessions.active, 'the session of the previous test');
    // Back to the end, then ask about PT entry 0 (the one the partial writes tore down).
    const from = fx.rec.mark();
    await vscode.debug.activeDebugSession!.customRequest('evaluate', { expression: 'goto 100000', context: 'repl' });
    await fx.rec.stopped(from);
    const [v] = await fx.api.shadowTables.getChildren();
    const [mm] = await fx.api.shadowTables.getChildren(v);
    // PML4 entry 0 → PDP entry 0 → PD entry 0 → PT entry 0 (expanding an entry lists its child table's entries).
    let entry: { kind: string } = (await fx.api.shadowTables.getChildren(mm))[0];
    for (let level = 0; level < 4; level++) {
      const kids = await fx.api.shadowTables.getChildren(entry);
      const first = kids.find((n) => /^\[0\]/.test(String(fx.api.shadowTables.getTreeItem(n).label ?? '')));
      assert.ok(first, `entry 0 at level ${level}: ${JSON.stringify(kids.map((n) => fx.api.shadowTables.getTreeItem(n).label))}`);
      entry = first;
    }
    assert.ok(entry, 'PT entry 0');
    const mark = fx.rec.mark();
    const step = (await pickFirst('gvt.views.showHistory', entry, 'gvt/history')) as number;
    const request = fx.rec.messages.slice(mark).find((m) => m.type === 'request' && m.command === 'gvt/history');
    assert.deepEqual((request?.arguments as { subject: unknown }).subject, { kind: 'spt', gfn: 0x103, index: 0 });
    const response = fx.rec.messages.slice(mark).find((m) => m.type === 'response' && m.command === 'gvt/history');
    const whats = (response?.body as { entries: Array<{ what: string }> }).entries.map((e) => e.what);
    assert.ok(whats.some((w) => /queued for the post-shadow flush/.test(w)), whats.join('\n'));
    assert.equal((await fx.rec.stopped(mark)).reason, 'goto');
    assert.equal(typeof step, 'number');
  });

  test('"Why?" on a Page Track Table row explains the record\'s state and travels to a cause', async () => {
    const back = fx.rec.mark();
    await vscode.debug.activeDebugSession!.customRequest('evaluate', { expression: 'goto 100000', context: 'repl' });
    await fx.rec.stopped(back);
    await waitFor('the views at the end', () => (fx.api.sessions.active?.state?.step === 21 ? true : undefined));
    const roots = await fx.api.trackTable.getChildren();
    const row = (await fx.api.trackTable.getChildren(roots.find((n) => n.kind === 'vgpu'))).find((n: TrackNode) => n.row?.gfn === 0x103);
    assert.ok(row, 'a row for gfn 0x103');
    const mark = fx.rec.mark();
    const step = (await pickFirst('gvt.views.why', row, 'gvt/why')) as number;
    const response = fx.rec.messages.slice(mark).find((m) => m.type === 'response' && m.command === 'gvt/why');
    const body = response?.body as { state: string; chain: Array<{ step?: number; text: string }> };
    assert.match(body.state, /vm1 gfn 0x103 is tracked and write-protected/);
    assert.equal(step, body.chain.find((l) => l.step !== undefined)?.step, 'the newest cause was chosen');
    assert.equal((await fx.rec.stopped(mark)).reason, 'goto');
  });
});
