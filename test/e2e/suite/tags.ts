// Tags a test carries in its own file. smokeTest() is a test that also runs in the installed-.vsix
// pass (scripts/e2e/main.mjs sets GVT_E2E_SMOKE=1 there, and index.ts then runs only titles that
// carry the tag); skipBecause() skips a test with a printed reason, never silently.
import type { Context, Func, AsyncFunc } from 'mocha';

/** The marker smokeTest() appends to a test's title; index.ts selects on it. */
export const SMOKE_TAG = '[smoke]';

/** A mocha `test` that is part of the smoke subset the installed .vsix is checked with. */
export function smokeTest(title: string, fn: Func | AsyncFunc): Mocha.Test {
  return test(`${title} ${SMOKE_TAG}`, fn);
}

/** Skips the running test or suite hook, printing why (a skipped test always says so). */
export function skipBecause(ctx: Context, reason: string): never {
  // In a suite hook, the suite it skips; in a test, the test.
  const runnable = ctx.test as (Mocha.Runnable & { type?: string }) | undefined;
  const title = (runnable?.type === 'hook' ? runnable.parent?.fullTitle() : runnable?.fullTitle()) ?? '';
  console.log(`SKIP: ${title}: ${reason}`);
  ctx.skip();
}
