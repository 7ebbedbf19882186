// "GVT: Compare Kernel Versions": runs the bundled CLI (`gvt-scenario diff --json`, and `run
// --kernel` for each side's trace) in the desktop host, shows both traces side by side in a diff
// editor (read-only virtual documents) and offers to debug either side stopped at the first
// divergence. Node is needed for the CLI, so the command is hidden on the web (package.json).

import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { compareVerdict } from './common/compareVerdict';
import { DEBUG_TYPE } from './common/ids';
import { baseName } from './common/launchConfig';
import { cliPlace, programOf, saveScenario, targetScenario } from './scenarioFiles';
import type { KernelProfileName } from '../debug/protocol';

const SCHEME = 'gvt-compare';
const traces = new Map<string, string>();

/**
 * Runs the CLI the package carries (dist/cli.js, the launcher of dist/node/cli.js; bin/ is not
 * packaged) in `cwd` (the workspace folder), so the traces name the file as the workspace does.
 */
function cli(ext: vscode.ExtensionContext, cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const bin = vscode.Uri.joinPath(ext.extensionUri, 'dist', 'cli.js').fsPath;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? 2 : 0;
      resolve({ code, out, err });
    });
  });
}

/**
 * `options.debug` (for keybindings, other extensions and tests): debug that side at the first
 * divergence without asking.
 */
export async function compareKernels(ext: vscode.ExtensionContext, uri: unknown, options?: { debug?: KernelProfileName }): Promise<void> {
  registerTraceDocuments(ext);
  const target = targetScenario(uri);
  if (!target) {
    void vscode.window.showInformationMessage('Open a .gvt scenario first.');
    return;
  }
  await saveScenario(target);
  const { folder, cwd, file } = cliPlace(target);
  const run = (args: string[]) => cli(ext, cwd, args);
  const [d, newest, legacy] = await Promise.all([run(['diff', file, '--json']), run(['run', file, '--kernel', 'newest']), run(['run', file, '--kernel', 'legacy'])]);
  // Exit 2 with a summary line is still a comparison: both runs stopped at a runtime error.
  const name = baseName(file);
  const verdict = compareVerdict(d.out, name);
  if (verdict.kind === 'failed') {
    void vscode.window.showErrorMessage(`GVT: cannot compare: ${(d.err || d.out).split('\n')[0] || `the CLI exited with ${d.code}`}`);
    return;
  }
  const left = vscode.Uri.from({ scheme: SCHEME, path: `/newest/${name}.trace` });
  const right = vscode.Uri.from({ scheme: SCHEME, path: `/legacy/${name}.trace` });
  traces.set(left.toString(), newest.out + newest.err);
  traces.set(right.toString(), legacy.out + legacy.err);
  changed.fire(left);
  changed.fire(right);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: newest ↔ legacy`);
  if (verdict.kind === 'same') {
    void vscode.window.showInformationMessage(verdict.text);
    return;
  }
  const kernel = options?.debug === 'newest' || options?.debug === 'legacy' ? options.debug : await askWhichSide(`${name}:${verdict.line}`);
  if (!kernel) return;
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(target, new vscode.Position(verdict.line - 1, 0)))]);
  await vscode.debug.startDebugging(folder, { type: DEBUG_TYPE, request: 'launch', name: `Debug ${name} (${kernel})`, program: programOf(target), kernel });
}

async function askWhichSide(where: string): Promise<KernelProfileName | undefined> {
  const pick = await vscode.window.showInformationMessage(`GVT: ${where} is the first statement whose outcome differs.`, 'Debug newest at first divergence', 'Debug legacy at first divergence');
  return pick === undefined ? undefined : pick.includes('newest') ? 'newest' : 'legacy';
}

const changed = new vscode.EventEmitter<vscode.Uri>();
/** Activations whose subscriptions hold the provider (a later activation, as in tests, registers again). */
const registered = new WeakSet<vscode.ExtensionContext>();

/** The virtual documents the diff editor shows (registered on first use: the desktop host only). */
function registerTraceDocuments(ext: vscode.ExtensionContext): void {
  if (registered.has(ext)) return;
  registered.add(ext);
  ext.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (u) => traces.get(u.toString()) ?? '' }));
}
