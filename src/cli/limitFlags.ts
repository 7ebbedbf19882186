// The `--limit NAME=N` flags of `run` and `diff`: the run limits (docs/limits.md) and fileBytes,
// the largest scenario file read. Every value is a positive whole number written in decimal digits,
// as the launch configuration's are numbers: `1e3`, `0x10` and ` 20` are refused, not read as
// something else. historyMiB is the debugger's (the CLI keeps no history), so it is refused too.

import { MAX_SCENARIO_BYTES, RUN_LIMIT_NAMES, parseRunLimits, type RunLimits } from '../dsl/limits';

export interface LimitFlags {
  readonly limits: RunLimits;
  readonly fileBytes: number;
  /** The arguments without the `--limit NAME=N` pairs. */
  readonly rest: string[];
}

const CLI_LIMITS = [...RUN_LIMIT_NAMES, 'fileBytes'];

/** Takes the `--limit` pairs out of `args`; a problem is a message for stderr. */
export function takeLimitFlags(args: readonly string[]): LimitFlags | string {
  const given: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--limit') {
      rest.push(args[i]);
      continue;
    }
    const m = /^([A-Za-z]+)=(.*)$/.exec(args[++i] ?? '');
    if (!m) return `--limit takes NAME=N (${CLI_LIMITS.join(', ')})`;
    if (!CLI_LIMITS.includes(m[1])) return `--limit: unknown limit '${m[1]}' (known: ${CLI_LIMITS.join(', ')})`;
    if (!/^\d+$/.test(m[2])) return `--limit: limit '${m[1]}' must be a positive whole number`;
    given[m[1]] = m[2];
  }
  const { fileBytes, ...run } = given;
  const limits = parseRunLimits(run);
  if (typeof limits === 'string') return `--limit: ${limits}`;
  const bytes = fileBytes === undefined ? MAX_SCENARIO_BYTES : Number(fileBytes);
  if (!Number.isSafeInteger(bytes) || bytes < 1) return "--limit: limit 'fileBytes' must be a positive whole number";
  return { limits, fileBytes: bytes, rest };
}
