// Launch configurations without VS Code: F5 on an open `.gvt` with no launch.json (fill type,
// request, name, program), the defaults from settings (kernel profile for scenarios without a
// `kernel` line, trace verbosity), dynamic configurations (one per scenario in the workspace), the
// Run/Debug commands' configurations, and the Run in Terminal command line. Pure.

import type { GvtLaunchArguments, KernelProfileName, TraceOutputMode } from '../../debug/protocol';
import { DEBUG_TYPE } from './ids';
import { scenarioKernel } from './scenarioText';

/** `gvt.trace.verbosity`: what the Debug Console shows of the trace. */
export type Verbosity = 'quiet' | 'notes' | 'frames';

export const outputMode = (v: Verbosity): TraceOutputMode => (v === 'notes' ? 'trace' : v);

/** A debug configuration as VS Code hands it over (anything may be missing). */
export interface LaunchConfig extends Partial<GvtLaunchArguments> {
  type?: string;
  request?: string;
  name?: string;
  [key: string]: unknown;
}

export interface Settings {
  kernel: KernelProfileName;
  verbosity: Verbosity;
}

/**
 * The adapter's default size limit for a scenario file (`MAX_SCENARIO_BYTES` of the language's
 * limits, which activation must not load; a test keeps the two equal).
 */
export const SCENARIO_MAX_BYTES = 16 * 1024 * 1024;

/** A path's last part (either separator). */
export const baseName = (path: string): string => path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? path;

/**
 * resolveDebugConfiguration: an empty configuration (F5 with no launch.json) becomes a launch of
 * the active `.gvt` file; a configuration without a program gets the active file. A string is
 * the message to show when there is nothing to debug.
 */
export function fillLaunch(config: LaunchConfig, activeGvtFile: string | undefined): LaunchConfig | string {
  // No launch.json (or an empty one): VS Code passes {} (or only the type it guessed from the editor).
  const empty = !config.request && !config.name && !config.program;
  const c: LaunchConfig = { ...config };
  if (empty) {
    if (!activeGvtFile) return 'Open a .gvt scenario to debug it, or add a "gvt" configuration to launch.json.';
    Object.assign(c, { type: DEBUG_TYPE, request: 'launch', name: `Debug ${baseName(activeGvtFile)}`, program: activeGvtFile, stopOnEntry: true });
  }
  c.type ??= DEBUG_TYPE;
  c.request ??= 'launch';
  c.name ??= 'Debug scenario';
  if (!c.program) {
    if (!activeGvtFile) return 'The launch configuration has no "program" and no .gvt scenario is open.';
    c.program = activeGvtFile;
  }
  if (c.request !== 'launch') return `A "gvt" configuration must have "request": "launch" (not "${c.request}").`;
  return c;
}

/**
 * resolveDebugConfigurationWithSubstitutedVariables: settings fill what the configuration leaves
 * open. `kernel` is set only when the scenario has no `kernel` line (the launch argument overrides
 * the scenario's own choice, which the setting must not do).
 */
export function applySettings(config: LaunchConfig, scenarioText: string | undefined, s: Settings): LaunchConfig {
  const c: LaunchConfig = { ...config };
  if (c.kernel === undefined && (scenarioText === undefined || scenarioKernel(scenarioText) === undefined) && s.kernel !== 'newest') c.kernel = s.kernel;
  c.output ??= outputMode(s.verbosity);
  return c;
}

/** The kernel profile a session runs with. */
export const effectiveKernel = (config: LaunchConfig, scenarioText: string | undefined): KernelProfileName =>
  config.kernel ?? (scenarioText !== undefined ? scenarioKernel(scenarioText) : undefined) ?? 'newest';

/** The Run Scenario / Debug Scenario commands. */
export function commandLaunch(program: string, noDebug: boolean): LaunchConfig {
  return noDebug
    ? { type: DEBUG_TYPE, request: 'launch', name: `Run ${baseName(program)}`, program, noDebug: true }
    : { type: DEBUG_TYPE, request: 'launch', name: `Debug ${baseName(program)}`, program, stopOnEntry: true };
}

/** Dynamic configurations: one per scenario (`relative` is its path from the workspace folder). */
export function dynamicConfigurations(scenarios: ReadonlyArray<{ relative: string }>, max = 30): LaunchConfig[] {
  return scenarios
    .map((s) => s.relative.replace(/\\/g, '/'))
    .sort()
    .slice(0, max)
    .map((rel) => ({ type: DEBUG_TYPE, request: 'launch', name: `Debug ${rel}`, program: '${workspaceFolder}/' + rel, stopOnEntry: true }));
}

/** Quotes a path for a POSIX shell or for PowerShell/cmd (double quotes). */
export function shellQuote(arg: string, windows: boolean): string {
  if (/^[\w@%+=:,./\\-]+$/.test(arg)) return arg;
  if (windows) return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Run in Terminal: `npx gvt-scenario run FILE` (the command from `gvt.terminal.command`). */
export const terminalCommand = (command: string, file: string, windows: boolean): string => `${command} run ${shellQuote(file, windows)}`;
