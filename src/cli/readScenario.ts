// A scenario named on the command line: read only if it is a regular file within the size limit
// (docs/limits.md), then loaded (parsed and checked). A problem is a message for stderr.

import { MAX_SCENARIO_BYTES } from '../dsl/limits';
import { loadScenario, type LoadedScenario } from '../dsl/scenario';
import { readRegularFile } from '../node/regularFile';

export function readScenario(file: string, maxBytes = MAX_SCENARIO_BYTES): LoadedScenario | string {
  let text: string;
  try {
    text = readRegularFile(file, maxBytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EGVTFILE') return (e as Error).message;
    return code === 'ENOENT' ? `${file}: no such file` : code === 'EISDIR' ? `${file}: is a directory` : `${file}: cannot read (${code ?? String(e)})`;
  }
  return loadScenario(file, text);
}
