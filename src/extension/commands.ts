// Every command of the extension (ids in common/ids.ts): run/debug/terminal for a scenario, the
// walkthrough's sample, the views' title and context-menu actions. Each handler is small: the
// decisions are in common/*.ts, the state in the views and sessions.

import * as vscode from 'vscode';
import { Command, LANGUAGE_ID, SAMPLE_SCENARIO, type CommandId } from './common/ids';
import { baseName, commandLaunch, terminalCommand } from './common/launchConfig';
import { guestPageReference, sptPageReference } from './common/memoryRefs';
import { formatGfnRange, hex, parseGfnRange } from './common/numbers';
import { pickRegistration } from './common/scenarioText';
import { config } from './config';
import type { Ctx } from './ctx';
import { debuggable, readScenario } from './debugAdapter';
import { cliPlace, programOf, saveScenario, targetScenario, uriOfProgram } from './scenarioFiles';
import { showHistory, showWhy } from './answers';
import { exportScenario, saveTrace } from './exports';
import type { ShadowNode } from './views/shadowTablesView';
import type { TrackNode } from './views/trackTableView';
import type { TrapNode } from './views/trapLogView';
import type { KernelProfileName } from '../debug/protocol';

type Handler = (ctx: Ctx, ...args: never[]) => unknown;

async function launch(ctx: Ctx, uri: unknown, noDebug: boolean): Promise<boolean> {
  const target = targetScenario(uri, debuggable(ctx.host));
  if (!target) {
    void vscode.window.showInformationMessage('Open a .gvt scenario first.');
    return false;
  }
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), commandLaunch(programOf(target), noDebug) as vscode.DebugConfiguration, { noDebug });
}

/** Opens the scenario `program` names with line (1-based) selected and centred. */
async function revealLine(program: string, line: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uriOfProgram(program));
  const l = Math.max(0, Math.min(line - 1, doc.lineCount - 1));
  const range = doc.lineAt(l).range;
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(range.start, range.start), preserveFocus: false });
  const editor = vscode.window.activeTextEditor;
  editor?.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The workspace's copy of the sample when it has one (so edits are the user's), else the extension's. */
async function sampleUri(ctx: Ctx): Promise<vscode.Uri> {
  const name = baseName(SAMPLE_SCENARIO);
  const [found] = await vscode.workspace.findFiles(`**/${name}`, '**/node_modules/**', 1);
  return found ?? vscode.Uri.joinPath(ctx.extension.extensionUri, SAMPLE_SCENARIO);
}

async function openSample(ctx: Ctx): Promise<vscode.TextEditor> {
  const uri = await sampleUri(ctx);
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch (e) {
    // In the browser the extension's own files may be served over https, which no file system
    // provider opens: the sample is then an untitled copy (debuggable all the same).
    if (ctx.host.kind !== 'web') throw e;
    doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: await ctx.host.readFile(uri, SAMPLE_MAX_BYTES) });
  }
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The bundled sample is small; this only bounds the read. */
const SAMPLE_MAX_BYTES = 1024 * 1024;

function notOnTheWeb(what: string): void {
  void vscode.window.showInformationMessage(`GVT: ${what} runs the gvt-scenario CLI, which needs the desktop VS Code (not available in the browser).`);
}

const handlers: Record<CommandId, Handler> = {
  [Command.runScenario]: (ctx, uri?: unknown) => launch(ctx, uri, true),
  [Command.debugScenario]: (ctx, uri?: unknown) => launch(ctx, uri, false),

  // Both need Node (the CLI, a shell): package.json hides them in the browser; a keybinding still says why.
  [Command.compareKernels]: (ctx, uri?: unknown, options?: { debug?: KernelProfileName }) => (ctx.host.compareKernels ? ctx.host.compareKernels(uri, options) : notOnTheWeb('Compare Kernel Versions')),
  [Command.runInTerminal]: async (ctx, uri?: unknown) => {
    const windows = ctx.host.terminalIsWindows;
    if (windows === undefined) return notOnTheWeb('Run Scenario in Terminal');
    const target = targetScenario(uri);
    if (!target) return void vscode.window.showInformationMessage('Open a .gvt scenario first.');
    await saveScenario(target);
    const { cwd, file } = cliPlace(target);
    const terminal = vscode.window.terminals.find((t) => t.name === 'GVT Scenario') ?? vscode.window.createTerminal({ name: 'GVT Scenario', cwd });
    terminal.show();
    terminal.sendText(terminalCommand(config.terminalCommand(target), file, windows));
  },

  [Command.restartLanguageServer]: (ctx) => ctx.client.restart(),

  [Command.openSample]: (ctx) => openSample(ctx),
  [Command.debugSample]: async (ctx) => {
    const editor = await openSample(ctx);
    return launch(ctx, editor.document.uri, false);
  },

  [Command.refreshViews]: (ctx) => {
    ctx.trackTable.refresh();
    ctx.shadowTables.refresh();
    ctx.trapLog.refresh();
  },

  [Command.filterTrackTable]: async (ctx) => {
    const current = ctx.trackTable.pager.filter;
    const text = await vscode.window.showInputBox({
      title: 'Filter the Page Track Table by gfn',
      prompt: 'A gfn or a range: 0x100, 0x100..0x1ff, 0x100.. (empty: no filter)',
      value: current ? formatGfnRange(current).replace(/^gfn /, '') : '',
      validateInput: (v) => {
        const r = parseGfnRange(v);
        return typeof r === 'string' ? r : undefined;
      },
    });
    if (text === undefined) return;
    const r = parseGfnRange(text);
    if (typeof r !== 'string') ctx.trackTable.setFilter(r);
  },
  [Command.clearTrackTableFilter]: (ctx) => ctx.trackTable.setFilter(undefined),
  [Command.loadMoreTrackRows]: (ctx, node?: TrackNode) => node && ctx.trackTable.loadMore(node),

  [Command.breakOnGfn]: (_ctx, node?: TrackNode) => {
    if (node?.kind !== 'row') return;
    const name = `${node.row.vgpu} gfn ${hex(node.row.gfn)}`;
    const exists = vscode.debug.breakpoints.some((b) => b instanceof vscode.FunctionBreakpoint && b.functionName === name);
    if (!exists) vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint(name)]);
    void vscode.window.setStatusBarMessage(exists ? `Breakpoint '${name}' is already set` : `Breaks when a store to ${name} traps`, 4000);
  },
  [Command.showGuestPage]: (ctx, node?: TrackNode) => {
    if (node?.kind !== 'row') return;
    return ctx.memory.show(node.session, guestPageReference(node.row.vgpu, node.row.gfn), `${node.row.vgpu} gfn ${hex(node.row.gfn)}`);
  },
  [Command.revealRegistration]: async (ctx, node?: TrackNode) => {
    if (node?.kind !== 'row') return;
    const program = node.session.program;
    if (!program) return;
    let line = node.row.line;
    if (line === undefined) {
      let text: string;
      try {
        text = await readScenario(ctx.host, program);
      } catch {
        return void vscode.window.showWarningMessage(`Cannot read ${program}`);
      }
      line = pickRegistration(text, node.row.vgpu, node.row.gfn, node.row.handler, node.session.state?.line);
    }
    if (line === undefined) {
      return void vscode.window.showInformationMessage(`No statement in the scenario registers ${node.row.vgpu} gfn ${hex(node.row.gfn)} with a literal gfn.`);
    }
    await revealLine(program, line);
  },

  [Command.showGuestTablePage]: (ctx, node?: ShadowNode) => {
    const spt = node?.kind === 'spt' ? node.spt : node?.kind === 'entry' ? node.table : undefined;
    if (!spt || !node || node.kind === 'message' || spt.gfn === 0) return;
    return ctx.memory.show(node.session, guestPageReference(spt.vgpu, spt.gfn), `${spt.vgpu} ${spt.level} guest gfn ${hex(spt.gfn)}`);
  },
  [Command.showShadowTablePage]: (ctx, node?: ShadowNode) => {
    const spt = node?.kind === 'spt' ? node.spt : node?.kind === 'entry' ? node.table : undefined;
    if (!spt || !node || node.kind === 'message') return;
    return ctx.memory.show(node.session, sptPageReference(spt.vgpu, spt.mfn), `${spt.vgpu} ${spt.level} shadow mfn ${hex(spt.mfn)}`);
  },

  [Command.revealTrap]: (_ctx, node?: TrapNode) => {
    if (node?.kind !== 'trap' || !node.session.program) return;
    return revealLine(node.session.program, node.entry.line);
  },

  [Command.showHistory]: (_ctx, node?: TrackNode | ShadowNode) => showHistory(node),
  [Command.why]: (_ctx, node?: TrackNode | ShadowNode) => showWhy(node),
  [Command.saveTrace]: (ctx) => saveTrace(ctx.sessions.active),
  [Command.exportScenario]: (ctx) => exportScenario(ctx.sessions.active),
};

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return (Object.keys(handlers) as CommandId[]).map((id) => vscode.commands.registerCommand(id, (...args: never[]) => handlers[id](ctx, ...args)));
}
