// The gvt debug type's VS Code side: the adapter hosted inline (GvtDebugSession from src/debug,
// given a file reader that prefers the open editor's text), and the configuration provider that
// makes F5 on an open `.gvt` work with no launch.json, applies the settings, and offers one dynamic
// configuration per scenario in the workspace (launch.json's initial configuration is the
// debugger contribution's `initialConfigurations`: a provider would duplicate it). The decisions are in common/launchConfig.ts.

import { readRegularFile } from '../node/regularFile';

/** What a configuration provider reads to look at a scenario (a launch reads with the adapter's limit). */
const PEEK_BYTES = 16 * 1024 * 1024;
import * as vscode from 'vscode';
import { DEBUG_TYPE, LANGUAGE_ID } from './common/ids';
import { applySettings, dynamicConfigurations, fillLaunch, type LaunchConfig } from './common/launchConfig';
import { config } from './config';

/** A scenario's text: the open document's (what the user sees, saved or not), else the file's (a regular file within the limit). */
export function readScenario(path: string, maxBytes = PEEK_BYTES): string {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
  return open ? open.getText() : readRegularFile(path, maxBytes);
}

function tryReadScenario(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readScenario(path);
  } catch {
    return undefined;
  }
}

class InlineDebugAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  async createDebugAdapterDescriptor(): Promise<vscode.DebugAdapterDescriptor> {
    // Loaded with the first session, not at activation: the simulator is its own bundle file.
    const { GvtDebugSession } = await import('./lazy/debugSession.js');
    const session = new GvtDebugSession({ readFile: readScenario, defer: (f: () => void) => setImmediate(f) });
    return new vscode.DebugAdapterInlineImplementation(session);
  }
}

/** The `.gvt` file of the active editor, if any. */
function activeScenario(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.languageId === LANGUAGE_ID && doc.uri.scheme === 'file' ? doc.uri : undefined;
}

/** The scenario a command acts on: the editor-title button's resource, else the active editor's. */
export function targetScenario(uri: unknown): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri && uri.scheme === 'file') return uri;
  return activeScenario();
}

/** Commands that hand the file to the CLI read it from disk: save the editor's unsaved edits first. */
export async function saveScenario(target: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  if (doc?.isDirty) await doc.save();
}

class GvtConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, debugConfiguration: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const filled = fillLaunch(debugConfiguration as LaunchConfig, activeScenario()?.fsPath);
    if (typeof filled === 'string') {
      void vscode.window.showInformationMessage(filled);
      return undefined; // abort the launch quietly
    }
    return filled as vscode.DebugConfiguration;
  }

  resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, debugConfiguration: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const c = debugConfiguration as LaunchConfig;
    const scope = c.program ? vscode.Uri.file(c.program) : folder?.uri;
    return applySettings(c, tryReadScenario(c.program), config.launchSettings(scope)) as vscode.DebugConfiguration;
  }
}

/** "Select and Start Debugging": one entry per scenario of the folder. */
class DynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined, token?: vscode.CancellationToken): Promise<vscode.DebugConfiguration[]> {
    if (!folder) {
      const active = activeScenario();
      return active ? [fillLaunch({}, active.fsPath) as vscode.DebugConfiguration] : [];
    }
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.gvt'), '**/node_modules/**', 100, token);
    return dynamicConfigurations(files.map((f) => ({ relative: vscode.workspace.asRelativePath(f, false) }))) as vscode.DebugConfiguration[];
  }
}

export function registerDebugging(): vscode.Disposable[] {
  return [
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineDebugAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new GvtConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new DynamicConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  ];
}
