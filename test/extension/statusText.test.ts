// The status-bar item's text while a gvt session is stopped.
import * as assert from 'node:assert/strict';
import { statusModel } from '../../src/extension/common/statusText';
import { vgpu } from './fixtures';

describe('extension: status bar', () => {
  const cases: Array<[string, Parameters<typeof statusModel>, string, boolean]> = [
    ['no vGPU', [[], undefined], '$(chip) no vGPU yet · newest', false],
    ['one vGPU', [[vgpu({ traps: 3 })], 'newest'], '$(chip) vm1 3 traps · newest', false],
    ['failsafe warns', [[vgpu({ traps: 1, failsafe: true })], 'legacy'], '$(warning) vm1 1 trap FAILSAFE · legacy', true],
    ['many vGPUs', [[vgpu(), vgpu({ name: 'vm2' }), vgpu({ name: 'vm3' })], 'newest'], '$(chip) vm1 0 traps · vm2 0 traps · +1 · newest', false],
  ];
  for (const [name, args, text, warning] of cases) {
    it(name, () => {
      const m = statusModel(...args);
      assert.equal(m.text, text);
      assert.equal(m.warning, warning);
    });
  }

  it('the tooltip lists every vGPU and says when stopped inside the kernel', () => {
    const m = statusModel([vgpu({ registered: 4, tracked: 3, spts: 4, mms: 1 }), vgpu({ name: 'vm2', oos: true })], 'newest', true);
    assert.match(m.tooltip, /\| vm1 \| normal \| 0 \| 4 \/ 3 \| 4 \| 1 \| off \|/);
    assert.match(m.tooltip, /\| vm2 \|.*\| on \|/);
    assert.match(m.tooltip, /inside a kernel call/);
  });
});
