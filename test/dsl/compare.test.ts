// The comparison itself, on hand-made outcomes: digests decide, trace-only differences are listed
// apart, and steps only one side executed are divergences.
import * as assert from 'node:assert/strict';
import { compareRuns } from '../../src/dsl/compare/compareRuns';
import { recordOutcomes } from '../../src/dsl/compare/outcome';
import { loadScenario } from '../../src/dsl/scenario';
import type { StatementOutcome } from '../../src/dsl/compare/outcome';

const step = (line: number, outcome: string[], traceOnly: string[] = [], digest = outcome.join('|').length, traceDigest = traceOnly.join('|').length): StatementOutcome => ({ line, offset: line * 10, digest, outcome, traceOnly, traceDigest });

describe('compareRuns', () => {
  it('equal outcomes: no divergence; different frames: trace-only', () => {
    const r = compareRuns([step(1, ['ret = 0'], ['kvmgt_page_track_add(gfn=0x1)'])], [step(1, ['ret = 0'], ['intel_gvt_page_track_add(gfn=0x1)'])]);
    assert.deepEqual(r.divergences, []);
    assert.equal(r.traceOnly.length, 1);
    assert.equal(r.traceOnly[0].line, 1);
  });

  it('equal digests but different text still diverge (collision guard)', () => {
    const r = compareRuns([step(2, ['ret = 0'], [], 7)], [step(2, ['ret = 1'], [], 7)]);
    assert.deepEqual(r.divergences, [{ step: 1, line: 2, a: ['ret = 0'], b: ['ret = 1'] }]);
  });

  it('a step only one side executed is a divergence with null for the other', () => {
    const r = compareRuns([step(1, []), step(2, ['expect ok'])], [step(1, [])]);
    assert.deepEqual(r.divergences, [{ step: 2, line: 2, a: ['expect ok'], b: null }]);
  });
});

describe('compareRuns on long runs', () => {
  it('lists the first maxListed divergences and counts them all', () => {
    const a = Array.from({ length: 10 }, (_, i) => step(i + 1, ['ret = 0']));
    const b = Array.from({ length: 10 }, (_, i) => step(i + 1, ['ret = 1']));
    const r = compareRuns(a, b, 3);
    assert.deepEqual(r.divergences.map((d) => d.step), [1, 2, 3]);
    assert.equal(r.divergenceCount, 10);
  });

  it('reads the two runs in lockstep (one statement of each at a time, nothing read ahead)', () => {
    const order: string[] = [];
    function* side(name: string, n: number): Generator<StatementOutcome> {
      for (let i = 1; i <= n; i++) {
        order.push(`${name}${i}`);
        yield step(i, ['ret = 0']);
      }
    }
    compareRuns(side('a', 3), side('b', 2));
    assert.deepEqual(order, ['a1', 'b1', 'a2', 'b2', 'a3']);
  });
});

describe('recordOutcomes', () => {
  it('records one outcome per executed statement, loop bodies once per iteration, with a digest', () => {
    const s = loadScenario('loop.gvt', 'vgpu vm1\nrepeat 3 {\n  print 1\n}\n');
    assert.deepEqual(s.diagnostics.filter((d) => d.severity === 'error'), []);
    const out = recordOutcomes(s, { profile: 'newest' });
    const prints = out.filter((o) => o.line === 3);
    assert.equal(prints.length, 3);
    assert.deepEqual(prints[0].outcome, ['print 0x1 (1)']);
    assert.equal(prints[0].digest, prints[2].digest);
  });

  it('keeps at most 1,000 lines of one statement (a note counts the rest) while the digest covers every event', () => {
    const text = (last: number): string => `vgpu vm1\npagetable vm1 root 0x100 pool 0x101..0x1ff\nrepeat 1536 as i {\n  map vm1 va i << 12 gfn 0x800 + i\n}\nmap vm1 va 1535 << 12 gfn ${last}\nshadow vm1 root 0x100\n`;
    const shadowOf = (last: number): StatementOutcome => recordOutcomes(loadScenario('big.gvt', text(last)), { profile: 'newest' }).find((o) => o.line === 7)!;
    const a = shadowOf(0xdff);
    assert.equal(a.outcome.length, 1001);
    assert.match(a.outcome[1000], /^… \d+ more events of this statement \(not shown; compared by digest\)$/);
    const b = shadowOf(0xe00); // differs only in the last entry populated, past the lines kept
    assert.deepEqual(a.outcome.slice(0, 1000), b.outcome.slice(0, 1000));
    assert.notEqual(a.digest, b.digest, 'the digest sees the difference');
    assert.equal(compareRuns([a], [b]).divergences.length, 1);
  });

  it('trace-only lines past the kept ones still count: their own digest differs', () => {
    const kept = Array.from({ length: 1000 }, (_, i) => `enter f${i}`);
    const r = compareRuns([step(1, ['ret = 0'], [...kept, '… 5 more trace-only events of this statement'], 7, 1)], [step(1, ['ret = 0'], [...kept, '… 5 more trace-only events of this statement'], 7, 2)]);
    assert.deepEqual(r.divergences, []);
    assert.equal(r.traceOnlyCount, 1);
  });
});
