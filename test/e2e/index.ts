// The extensionTestsPath entry: VS Code's extension host loads this file and calls run(). It runs
// every suite/**/*.test.js with mocha (tdd ui) inside the real extension host, then prints one
// `@@e2e-result {"passed":N,"failed":M,"skipped":K}` line that scripts/e2e.mjs reads: the counts
// come from this mocha run, never from the launcher's exit code alone.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

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

export async function run(): Promise<void> {
  markConsole();
  const mocha = new Mocha({
    ui: 'tdd',
    color: false, // the output travels through the workbench's log, where escapes are noise
    timeout: 30_000,
    grep: process.env.GVT_E2E_GREP,
  });
  const suiteDir = join(__dirname, 'suite');
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
  console.log(`@@e2e-result ${JSON.stringify(counts)}`);
  if (counts.failed > 0) throw new Error(`${counts.failed} e2e test(s) failed`);
}
