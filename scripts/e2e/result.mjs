// The launcher's result: {passed, failed, skipped} summed over the passes, written to --result FILE
// (scripts/test.mjs reads it for the closing line), and the exit code. Every way out goes through
// here, so a run that stops early still leaves a result, and a SKIP always says why.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class RunResult {
  constructor(file) {
    this.file = file;
    this.total = { passed: 0, failed: 0, skipped: 0 };
    this.lines = [];
  }

  /** Adds one pass's counts (or one failure, for a part that broke) under a name. */
  add(name, r) {
    this.total.passed += r.passed;
    this.total.failed += r.failed;
    this.total.skipped += r.skipped;
    this.lines.push(`e2e: ${name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}` +
      (r.seconds ? ` (${r.seconds} s)` : ''));
  }

  /** A part of the run that broke: counted as one failure. */
  fail(name, reason) {
    console.error(`e2e: FAIL: ${name}: ${reason}`);
    this.add(name, { passed: 0, failed: 1, skipped: 0 });
  }

  /** A part that does not run here, and why (always printed, with the per-pass lines). */
  skipPart(name, reason) {
    this.lines.push(`e2e: SKIP: ${name}: ${reason}`);
  }

  /** Prints the per-pass lines and the total, writes the file, exits. */
  finish() {
    for (const line of this.lines) console.log(line);
    console.log(`e2e: ${this.total.passed} passed, ${this.total.failed} failed in the extension host`);
    this.#exit(this.total, this.total.failed > 0 ? 1 : 0);
  }

  /** The whole suite cannot run here: one `SKIP:` line with the reason, counted as one skipped. */
  skipAll(reason) {
    console.log(`SKIP: real VS Code suite: ${reason}`);
    this.#exit({ passed: 0, failed: 0, skipped: 1 }, 0);
  }

  /** Broke before any pass could report: one failure. */
  abort(reason) {
    console.error(`e2e: FAIL: ${reason}`);
    this.#exit({ passed: 0, failed: 1, skipped: 0 }, 1);
  }

  #exit(counts, code) {
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(this.file, JSON.stringify(counts));
    }
    process.exit(code);
  }
}
