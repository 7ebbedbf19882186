// The gvt debug type's VS Code side: the adapter hosted inline (GvtDebugSession from src/debug,
// given the host's file reader, which prefers the open editor's text), and the configuration
// provider that makes F5 on an open `.gvt` work with no launch.json, applies the settings, and
// offers one dynamic configuration per scenario in the workspace (launch.json's initial
// configuration is the debugger contribution's `initialConfigurations`: a provider would duplicate
// it). The decisions are in common/launchConfig.ts; what differs on the web is in the Host.

import * as vscode from 'vscode';
import { DEBUG_TYPE } from './common/ids';
import { SCENARIO_MAX_BYTES, applySettings, dynamicConfigurations, fillLaunch, type LaunchConfig } from './common/launchConfig';
import { config } from './config';
import type { Host } from './host';
import { activeScenario, openScenarioText, programOf, uriOfProgram } from './scenarioFiles';

/** A scenario's text: the open document's (what the user sees, saved or not), else the stored file's. */
export async function readScenario(host: Host, program: string, maxBytes = SCENARIO_MAX_BYTES): Promise<string> {
  return openScenarioText(program) ?? host.readFile(uriOfProgram(program), maxBytes);
}

async function tryReadScenario(host: Host, program: string | undefined): Promise<string | undefined> {
  if (!program) return undefined;
  try {
    return await readScenario(host, program);
  } catch {
    return undefined;
  }
}

/** The documents a session can debug: files on the desktop; any document in the browser, read through workspace.fs. */
export const debuggable = (host: Host) => (uri: vscode.Uri): boolean => host.kind === 'web' || uri.scheme === 'file';

class InlineDebugAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly host: Host) {}

  async createDebugAdapterDescriptor(): Promise<vscode.DebugAdapterDescriptor> {
    // Loaded with the first session, not at activation: the simulator is its own bundle file.
    const GvtDebugSession = await this.host.loadDebugSession();
    return new vscode.DebugAdapterInlineImplementation(this.host.inlineAdapter(GvtDebugSession));
  }
}

class GvtConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly host: Host) {}

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, debugConfiguration: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const active = activeScenario(debuggable(this.host));
    const filled = fillLaunch(debugConfiguration as LaunchConfig, active && programOf(active));
    if (typeof filled === 'string') {
      void vscode.window.showInformationMessage(filled);
      return undefined; // abort the launch quietly
    }
    return filled as vscode.DebugConfiguration;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, debugConfiguration: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration> {
    const c = debugConfiguration as LaunchConfig;
    // In a virtual workspace `${file}` gives a path: name the document by its URI instead.
    if (this.host.kind === 'web' && c.program) c.program = programOf(uriOfProgram(c.program));
    const scope = c.program ? uriOfProgram(c.program) : folder?.uri;
    return applySettings(c, await tryReadScenario(this.host, c.program), config.launchSettings(scope)) as vscode.DebugConfiguration;
  }
}

/** "Select and Start Debugging": one entry per scenario of the folder. */
class DynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly host: Host) {}

  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined, token?: vscode.CancellationToken): Promise<vscode.DebugConfiguration[]> {
    if (!folder) {
      const active = activeScenario(debuggable(this.host));
      return active ? [fillLaunch({}, programOf(active)) as vscode.DebugConfiguration] : [];
    }
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.gvt'), '**/node_modules/**', 100, token);
    return dynamicConfigurations(files.map((f) => ({ relative: vscode.workspace.asRelativePath(f, false) }))) as vscode.DebugConfiguration[];
  }
}

export function registerDebugging(host: Host): vscode.Disposable[] {
  return [
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineDebugAdapterFactory(host)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new GvtConfigurationProvider(host)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new DynamicConfigurationProvider(host), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  ];
}
