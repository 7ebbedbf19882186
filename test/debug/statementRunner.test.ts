// The batch loop of a long run (StatementRunner.runFast): with no line breakpoint and no filter
// that compares state around a statement it takes a lean loop; both loops must end every batch at
// the same statement, with the same hits, whatever the batch size.
import * as assert from 'node:assert/strict';
import { BreakpointStore, StatementLines } from '../../src/debug/breakpoints';
import { StatementRunner } from '../../src/debug/statementRunner';
import { Timeline } from '../../src/debug/timeline';
import { loadScenario } from '../../src/dsl/scenario';

const SCENARIO = `vgpu vm1
handler busy returns -EINVAL
register vm1 gfn 0x40 handler log
enable vm1 gfn 0x40
register vm1 gfn 0x41 handler busy
enable vm1 gfn 0x41
repeat 400 as i {
  write vm1 gpa 0x40000 + (i % 16) * 8 u64 i
  expect ret == 0
  write vm1 gpa 0x41000 u64 i
  expect ret == 0
  write vm1 gpa 0x50000 + i u8 i
}
expect vm1 traps == 1
write vm1 gpa 0x7fffffff000 u64 1
`;

/** Every batch of a whole run: where it ended, whether it found something, and what. */
function batches(max: number, lean: boolean, stopOnExpects: boolean): string[] {
  const sc = loadScenario('t.gvt', SCENARIO);
  const tl = new Timeline(sc.program, {}, 256, 0);
  const store = new BreakpointStore();
  const lines = new StatementLines(sc);
  store.setGfns([{ name: 'gfn 0x40', hitCondition: '% 37' }, { name: 'gfn 0x41', condition: 'gfn == 0x41', hitCondition: '% 101' }], lines);
  // kernel-hazard on takes runFast's full loop; no hazard happens in this scenario. Without the
  // expect-failed filter a failed expect still ends a batch (its message is shown), as no hit.
  store.filters.clear();
  if (stopOnExpects) store.filters.add('expect-failed');
  if (!lean) store.filters.add('kernel-hazard');
  store.version++;
  const runner = new StatementRunner(tl, store, lines, () => {});
  const out: string[] = [];
  while (!tl.interp.done) {
    const found = runner.runFast(max);
    out.push(`${runner.ran}@${runner.lastPos}:${found}:${runner.failedExpect}:${JSON.stringify(runner.lastHits)}`);
  }
  out.push(`error ${tl.interp.error?.message ?? '-'} at ${tl.position}`);
  return out;
}

describe('statement runner', () => {
  for (const stopOnExpects of [true, false]) {
    for (const max of [1, 7, 10_000]) {
      it(`the lean loop ends each batch of ${max} where the full loop does, with the same hits${stopOnExpects ? '' : ' (expect-failed filter off)'}`, () => {
        const lean = batches(max, true, stopOnExpects);
        assert.deepEqual(lean, batches(max, false, stopOnExpects));
        assert.ok(lean.some((b) => b.includes('function breakpoint')), 'gfn breakpoints hit');
        assert.ok(lean.some((b) => (stopOnExpects ? b.includes('expect-failed') : /:true:true:\[\]$/.test(b))), 'expects fail');
        assert.match(lean[lean.length - 1], /^error .+ at \d+/);
      });
    }
  }
});
