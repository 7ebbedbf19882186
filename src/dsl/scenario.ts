// A scenario file made ready to run: parsed, checked, with its line map. The one entry point the
// CLI, the debugger and the language server share, so all three report the same diagnostics.

import type { Program } from './ast';
import { check } from './checker';
import { capDiagnostics, compareDiagnostics, type Diagnostic } from './diagnostic';
import { LineMap } from './lineMap';
import { parse } from './parser';

export interface LoadedScenario {
  /** The name to print before `:LINE:COL` (the path as the user gave it). */
  readonly displayName: string;
  readonly text: string;
  readonly program: Program;
  /** Parser and checker diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  readonly lines: LineMap;
  readonly hasErrors: boolean;
}

/** `FILE:LINE:COL` (1-based) of an offset: how every error and failed expect is located for users. */
export function locationOf(s: LoadedScenario, offset: number): string {
  const p = s.lines.positionAt(offset);
  return `${s.displayName}:${p.line + 1}:${p.character + 1}`;
}

/** `FILE:LINE:COL: severity: message`, uncoloured. */
export function formatDiagnostic(s: LoadedScenario, d: Diagnostic): string {
  return `${locationOf(s, d.start)}: ${d.severity}: ${d.message}`;
}

export function loadScenario(displayName: string, text: string): LoadedScenario {
  const parsed = parse(text);
  const checked = check(parsed.program, text);
  const merged = checked.diagnostics.length === 0 ? parsed.diagnostics : [...parsed.diagnostics, ...checked.diagnostics].sort(compareDiagnostics);
  const diagnostics = capDiagnostics(merged, parsed.capped || checked.capped);
  return {
    displayName,
    text,
    program: parsed.program,
    diagnostics,
    lines: new LineMap(text),
    hasErrors: diagnostics.some((d) => d.severity === 'error'),
  };
}
