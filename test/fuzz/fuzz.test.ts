// The fuzzer with a fixed seed, as part of `npm test` (`npm run fuzz` runs it long): no input
// throws, hangs or misplaces a diagnostic, and generated scenarios keep the core's invariants.
import * as assert from 'node:assert/strict';
import { analyze } from '../../src/dsl/features/analysis';
import { Interpreter } from '../../src/dsl/interpreter';
import { exerciseRun, fuzz, rng } from './fuzzer';
import { checkInvariants } from './invariants';
import { generateScenario } from './generator';

describe('fuzz (fixed seed)', function () {
  this.timeout(120_000);

  it('5,000 mutated and generated scenarios through every feature and the interpreter: no failure', () => {
    const failures = fuzz(20261128, 5000);
    assert.deepEqual(failures.slice(0, 3).map((f) => `${f.problem}\n--- input ---\n${f.input.slice(0, 2000)}`), []);
  });

  it('the invariant checks can fail: a refcount changed behind the core\'s back is caught', () => {
    const text = generateScenario(rng(5)).split('\n').slice(0, 4).join('\n') + '\nshadow vm1 root 0x100\n';
    assert.equal(exerciseRun(text, true), undefined);
    const a = analyze(text);
    const interp = new Interpreter(a.program);
    while (!interp.done) interp.step();
    const spt = interp.machine.vgpu('vm1')!.ppgtt.allSpts()[0];
    spt.refcount += 1;
    assert.match(checkInvariants(interp, a.program.statements[0], { staleAllowed: new Set(), afterSubmit: false }) ?? '', /refcount/);
  });
});
