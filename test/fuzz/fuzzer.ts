// The fuzzer of `npm test` (a fixed seed, a few thousand inputs) and `npm run fuzz` (a long run):
// mutated samples and generated scenarios through the scanner, parser, checker, every editor
// feature and the interpreter. No input may throw, hang or produce a diagnostic with a bad range;
// generated valid scenarios must keep the core's invariants after every statement (invariants.ts).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/dsl/features/analysis';
import { codeActions } from '../../src/dsl/features/codeActions';
import { complete } from '../../src/dsl/features/completion';
import { format } from '../../src/dsl/features/format';
import { hover } from '../../src/dsl/features/hover';
import { definition, highlights, references } from '../../src/dsl/features/navigation';
import { outline } from '../../src/dsl/features/outline';
import { prepareRename, rename } from '../../src/dsl/features/rename';
import { Interpreter } from '../../src/dsl/interpreter';
import { DEFAULT_RUN_LIMITS } from '../../src/dsl/limits';
import { checkInvariants, type InvariantContext } from './invariants';
import { generateScenario } from './generator';

/** A small, fast, seedable PRNG (mulberry32): the same seed, the same inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROOT = join(__dirname, '..', '..', '..');
const SAMPLES: readonly string[] = readdirSync(join(ROOT, 'samples')).filter((f) => f.endsWith('.gvt')).sort().map((f) => readFileSync(join(ROOT, 'samples', f), 'utf8'));

const VOCABULARY = [
  'vgpu ', 'expect ', 'repeat 3 {\n', '}\n', 'shadow vm1 root 0x100\n', 'map vm1 va 0x1000 gfn 0x500\n', 'pdps ', 'platform gen9\n',
  ' 0x', '99999999999999999999999', '-EEXIST', '"', '\\', '..', '->', '==', '{', '}', '#', '\n', '\r\n', '\t', '\u0000', '\uFEFF',
  'é', '𝔘', ' constructor ', ' __proto__ ', 'toString', 'let x = ', '(((', ')))', '<<', '~', '-', 'K', 'G', '_', 'dispatch vm1 gpa 0 bytes 4\n',
];

/** One mutation of a text: delete, duplicate, insert a word, swap two lines, truncate. */
function mutate(text: string, r: () => number): string {
  const at = (): number => Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 6)) {
    case 0: {
      const a = at();
      return text.slice(0, a) + text.slice(Math.min(text.length, a + 1 + Math.floor(r() * 40)));
    }
    case 1: {
      const a = at();
      const b = Math.min(text.length, a + Math.floor(r() * 80));
      return text.slice(0, b) + text.slice(a, b) + text.slice(b);
    }
    case 2:
    case 3: {
      const a = at();
      return text.slice(0, a) + VOCABULARY[Math.floor(r() * VOCABULARY.length)] + text.slice(a);
    }
    case 4: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      const j = Math.floor(r() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    default:
      return text.slice(0, at());
  }
}

export interface FuzzFailure {
  readonly input: string;
  readonly problem: string;
}

/** Every editor feature at a few random offsets, every diagnostic's range checked. */
function exerciseEditor(text: string, r: () => number): string | undefined {
  const a = analyze(text);
  for (const d of a.diagnostics) {
    if (!(d.start >= 0 && d.start <= d.end && d.end <= text.length)) return `diagnostic '${d.message}' has range ${d.start}..${d.end} in a text of ${text.length}`;
  }
  outline(a);
  format(a);
  for (let k = 0; k < 4; k++) {
    const off = Math.floor(r() * (text.length + 1));
    hover(a, off);
    complete(a, off);
    definition(a, off);
    references(a, off, true);
    highlights(a, off);
    if (prepareRename(a, off)) rename(a, off, 'renamed_name');
    codeActions(a, { start: off, end: Math.min(text.length, off + 10) });
  }
  return undefined;
}

const FUZZ_LIMITS = { ...DEFAULT_RUN_LIMITS, statements: 20_000, guestPages: 4096, vgpus: 16 };

/** Runs a scenario without errors to its end (bounded by FUZZ_LIMITS), checking invariants after each statement. */
export function exerciseRun(text: string, withInvariants: boolean): string | undefined {
  const a = analyze(text);
  if (a.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const interp = new Interpreter(a.program, { limits: FUZZ_LIMITS });
  const cx: InvariantContext = { staleAllowed: new Set(), afterSubmit: false };
  while (!interp.done) {
    const stmt = interp.current();
    interp.step();
    if (!withInvariants || !stmt) continue;
    const problem = checkInvariants(interp, stmt, cx);
    if (problem) return `after line ${a.lines.positionAt(stmt.start).line + 1} (${stmt.kind}): ${problem}`;
  }
  return undefined;
}

/** `count` inputs from `seed`: mutated samples and generated scenarios. Returns the failures. */
export function fuzz(seed: number, count: number, onProgress?: (done: number) => void): FuzzFailure[] {
  const r = rng(seed);
  const failures: FuzzFailure[] = [];
  for (let n = 0; n < count; n++) {
    let input: string;
    const generated = n % 3 === 2;
    if (generated) {
      input = generateScenario(r);
    } else {
      input = SAMPLES[Math.floor(r() * SAMPLES.length)];
      const rounds = 1 + Math.floor(r() * 6);
      for (let k = 0; k < rounds; k++) input = mutate(input, r);
    }
    try {
      const problem = exerciseEditor(input, r) ?? exerciseRun(input, generated);
      if (problem) failures.push({ input, problem });
    } catch (e) {
      failures.push({ input, problem: `threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
    }
    if (onProgress && n % 1000 === 999) onProgress(n + 1);
  }
  return failures;
}
