// Reads and checks the scenario a `launch` or `restart` names. A missing file or a scenario with
// errors is a DAP error response listing FILE:LINE:COL, never a run. The file reader is injected
// (Node's in main.ts, the extension's when hosted inline).

import { MAX_SCENARIO_BYTES, parseRunLimits, type RunLimits } from '../dsl/limits';
import { formatDiagnostic, loadScenario, type LoadedScenario } from '../dsl/scenario';
import * as E from './errors';
import type { GvtLaunchArguments } from './protocol';
import { launchArguments } from './requestArgs';

export function loadProgram(readFile: (path: string, maxBytes: number) => string, a: Record<string, unknown>, command: string): { args: GvtLaunchArguments; scenario: LoadedScenario; limits: RunLimits } {
  const args = launchArguments(a, command);
  const limits = parseRunLimits(args.limits ?? {});
  if (typeof limits === 'string') throw E.badArguments(command, `'limits': ${limits}`);
  const maxBytes = args.limits?.fileBytes ?? MAX_SCENARIO_BYTES;
  let text: string;
  try {
    text = readFile(args.program, maxBytes);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw E.programNotFound(args.program, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : e instanceof Error ? e.message : String(e));
  }
  const scenario = loadScenario(args.program, text);
  if (scenario.hasErrors) {
    throw E.scenarioHasErrors(args.program, scenario.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(scenario, d)));
  }
  return { args, scenario, limits };
}
