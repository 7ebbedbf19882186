// Diagnostics as the tests compare them: `code@LINE:COL+LENGTH`, 1-based as the CLI prints them.

import type { Diagnostic } from '../../src/dsl/diagnostic';
import { LineMap } from '../../src/dsl/lineMap';

export function where(text: string, ds: readonly Diagnostic[]): string[] {
  const lines = new LineMap(text);
  return ds.map((d) => {
    const p = lines.positionAt(d.start);
    return `${d.code}@${p.line + 1}:${p.character + 1}+${d.end - d.start}`;
  });
}
