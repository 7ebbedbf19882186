// The extensionTestsPath entry: VS Code's extension host loads this file and calls run(). It runs
// every suite/**/*.test.js with mocha (tdd ui) inside the real extension host, then writes
// {"passed":N,"failed":M,"skipped":K} to the file GVT_E2E_RESULT names, which scripts/e2e/pass.mjs
// reads: the counts come from this mocha run, never from the launcher's output or exit code alone.
// GVT_E2E_SMOKE=1 runs only the tests tagged with smokeTest() (the installed-.vsix pass);
// GVT_E2E_GREP narrows by title; GVT_E2E_WEB=1 runs web/**/*.test.js instead. Every variable is described in scripts/e2e/env.mjs.
import Mocha from 'mocha';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { SMOKE_TAG } from './suite/tags';

// Under the code-server launcher the host's console reaches it through the workbench's log, mixed
// with the workbench's own lines: a marker tells them apart (the launcher strips it). The host
// guards console methods with a no-op setter, so plain assignment would be silently ignored.
function markConsole(): void {
  if (process.env.GVT_E2E_WRAPPER !== '1') return;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const forward = console[level];
    const marked = (...args: unknown[]) => forward.call(console, `@@host ${format(...args)}`);
    Object.defineProperty(console, level, { value: marked, writable: true, configurable: true });
  }
  // mocha's reporters print through a console.log they captured when mocha was loaded.
  Mocha.reporters.Base.consoleLog = console.log;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The titles to run: the smoke tag and/or GVT_E2E_GREP (both must match), or every test. */
function selection(): RegExp | undefined {
  const smoke = process.env.GVT_E2E_SMOKE === '1' ? escape(SMOKE_TAG) : undefined;
  const grep = process.env.GVT_E2E_GREP || undefined;
  if (smoke && grep) return new RegExp(`^(?=.*${smoke})(?=.*(?:${grep}))`);
  const one = smoke ?? grep;
  return one === undefined ? undefined : new RegExp(one);
}

export async function run(): Promise<void> {
  markConsole();
  const mocha = new Mocha({
    ui: 'tdd',
    color: false, // the output travels through the workbench's log, where escapes are noise
    timeout: 30_000,
  });
  const grep = selection();
  if (grep) mocha.grep(grep);
  // The web pass drives the extension in the web worker host from here: its own tests (web/).
  const suiteDir = join(__dirname, process.env.GVT_E2E_WEB === '1' ? 'web' : 'suite');
  const files = readdirSync(suiteDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(join(suiteDir, f));

  const counts = { passed: 0, failed: 0, skipped: 0 };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => counts.passed++);
    runner.on('fail', () => counts.failed++);
    runner.on('pending', () => counts.skipped++);
  });
  const resultFile = process.env.GVT_E2E_RESULT;
  if (resultFile) {
    mkdirSync(dirname(resultFile), { recursive: true });
    writeFileSync(resultFile, JSON.stringify(counts));
  } else {
    console.log('e2e: GVT_E2E_RESULT is not set: the counts are written nowhere (run through scripts/e2e/main.mjs)');
  }
  console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in this extension host`);
  if (counts.failed > 0) throw new Error(`${counts.failed} e2e test(s) failed`);
}
