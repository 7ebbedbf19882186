// What Compare Kernel Versions makes of `gvt-scenario diff --json`: the first divergent line, or
// the sentence saying both kernels behave the same (up to where both runs stopped, if they did).
// Pure: JSON lines in, a verdict out.

/** One line of `diff --json` (docs/compare.md): only the fields read here. */
interface DiffLine {
  readonly kind: string;
  readonly line?: number;
  readonly message?: string;
}

export type CompareVerdict = { readonly kind: 'diverges'; readonly line: number } | { readonly kind: 'same'; readonly text: string } | { readonly kind: 'failed' };

/** `out`: the diff's stdout; `name`: the scenario's file name for the message. */
export function compareVerdict(out: string, name: string): CompareVerdict {
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as DiffLine);
  // Without its summary line the diff did not run (the file's errors, a misuse).
  if (!lines.some((l) => l.kind === 'summary')) return { kind: 'failed' };
  const first = lines.find((l) => l.kind === 'divergence');
  if (first?.line !== undefined) return { kind: 'diverges', line: first.line };
  const stopped = lines.find((l) => l.kind === 'stopped');
  const until = stopped ? ` up to line ${stopped.line}, where both runs stopped: ${stopped.message}` : '';
  return { kind: 'same', text: `GVT: ${name} behaves the same under newest and legacy${until}.` };
}
