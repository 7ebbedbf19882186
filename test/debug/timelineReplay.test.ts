// Step back over the timeline's finer snapshots (those a replay leaves behind): every position
// reached backwards, forwards, across an edit, is exactly the state the run had there.

import * as assert from 'node:assert/strict';
import { Timeline } from '../../src/debug/timeline';
import { loadScenario } from '../../src/dsl/scenario';
import type { Interpreter } from '../../src/dsl/interpreter';

const text = 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nrepeat 60000 as i {\n  write vm1 gpa 0x40000 + (i % 512) * 8 u64 i * 3\n}\n';

function state(i: Interpreter): string {
  const v = i.machine.vgpu('vm1');
  return `${i.stepCount}:${v?.traps ?? -1}:${v ? v.memory.readU64(0x40000 as never) + ':' + v.memory.readU64(0x40ff8 as never) : 0}:${i.state.slots.join(',')}`;
}

describe('debug/timeline replay snapshots', () => {
  it('stepping back one position at a time, then jumping and stepping again, is exact', () => {
    const t = new Timeline(loadScenario('t.gvt', text).program, {}, undefined, 1);
    const truth: string[] = [state(t.interp)];
    while (!t.interp.done) {
      t.interp.step();
      t.afterStep();
      truth.push(state(t.interp));
    }
    const end = t.position;
    t.prepareStepBack();
    assert.equal(state(t.interp), truth[end], 'prepareStepBack leaves the state as it was');
    for (let p = end - 1; p > end - 400; p--) {
      t.seek(p);
      assert.equal(state(t.interp), truth[p], `back to ${p}`);
    }
    for (const at of [45_000, 12_345, 59_000, 30_001, 3]) {
      t.seek(at);
      assert.equal(state(t.interp), truth[at], `goto ${at}`);
      for (let p = at - 1; p >= Math.max(0, at - 150); p -= 7) {
        t.seek(p);
        assert.equal(state(t.interp), truth[p], `back to ${p} after ${at}`);
      }
      t.seek(at + 90);
      assert.equal(state(t.interp), truth[at + 90], `forward to ${at + 90}`);
    }
  });

  it('an edit invalidates what was replayed after it', () => {
    const t = new Timeline(loadScenario('t.gvt', text).program, {}, undefined, 1);
    while (!t.interp.done) {
      t.interp.step();
      t.afterStep();
    }
    const end = t.position;
    t.seek(end - 2_000); // leaves replay snapshots between the checkpoint and here
    t.seek(end - 20_000);
    t.seek(end - 10_000);
    t.addEdit({ description: 'poke', apply: (i) => i.machine.vgpu('vm1')!.memory.writeInPage(0x40ff8 as never, new Uint8Array([0xaa, 0, 0, 0, 0, 0, 0, 0])) });
    const poked = (): number => Number(t.interp.machine.vgpu('vm1')!.memory.readU64(0x40ff8 as never));
    // Statement positions after the edit see it until the loop writes that entry again (every 512 iterations).
    t.seek(end - 10_000 + 3);
    assert.equal(poked(), 0xaa);
    t.seek(end - 10_001);
    assert.notEqual(poked(), 0xaa);
    t.seek(end - 10_000 + 1);
    assert.equal(poked(), 0xaa);
  });
});
