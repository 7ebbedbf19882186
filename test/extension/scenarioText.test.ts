// What the extension reads from scenario text itself: the kernel line, registration lines.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickRegistration, registrationCandidates, scenarioKernel } from '../../src/extension/common/scenarioText';

const ROOT = join(__dirname, '..', '..', '..');
const sample = (name: string): string => readFileSync(join(ROOT, 'samples', name), 'utf8');

describe('extension: scenario text', () => {
  const kernels: Array<[string, string | undefined]> = [
    ['kernel legacy\nvgpu vm1\n', 'legacy'],
    ['# comment\n\n  kernel newest  # the default\n', 'newest'],
    ['vgpu vm1\nkernel legacy\n', undefined],
    ['kernel ancient\n', undefined],
    ['', undefined],
  ];
  for (const [text, want] of kernels) it(`kernel of ${JSON.stringify(text)}: ${want}`, () => assert.equal(scenarioKernel(text), want));

  it('the samples that say legacy are legacy', () => {
    assert.equal(scenarioKernel(sample('04-failsafe-legacy.gvt')), 'legacy');
    assert.equal(scenarioKernel(sample('05-shadow-ppgtt-lifecycle.gvt')), undefined);
  });

  const text = [
    'vgpu vm1', // 1
    'handler audit returns 0', // 2
    'register vm1 gfn 0x100 handler audit priv "a # not a comment"', // 3
    'register vm1 gfn 256 handler log', // 4  (same gfn, decimal)
    '# register vm1 gfn 0x100 handler log', // 5 (comment)
    'unregister vm1 gfn 0x100', // 6
    'register vm1 gfn 0x1_00 handler audit', // 7
    'register vm2 gfn 0x100 handler audit', // 8 (other vGPU)
    'register vm1 gfn 0x100 + 1 handler audit', // 9 (an expression: not a literal match)
  ].join('\n');

  it('finds register lines with a literal gfn, in any spelling, for that vGPU only', () => {
    assert.deepEqual(registrationCandidates(text, 'vm1', 0x100, 'audit'), [3, 4, 7]);
    assert.deepEqual(registrationCandidates(text, 'vm2', 0x100, 'audit'), [8]);
    assert.deepEqual(registrationCandidates(text, 'vm1', 0x101, 'audit'), []);
  });

  it('picks the last registration at or before the stop, else the first', () => {
    assert.equal(pickRegistration(text, 'vm1', 0x100, 'audit', 5), 4);
    assert.equal(pickRegistration(text, 'vm1', 0x100, 'audit', 8), 7);
    assert.equal(pickRegistration(text, 'vm1', 0x100, 'audit', 1), 3);
    assert.equal(pickRegistration(text, 'vm1', 0x100, 'audit', undefined), 7);
    assert.equal(pickRegistration(text, 'vm1', 0x999, 'audit', 5), undefined);
  });

  it('ppgtt records: the shadow line that covers the stop (samples/05)', () => {
    const s = sample('05-shadow-ppgtt-lifecycle.gvt');
    const lines = s.split('\n');
    const shadowLine = lines.findIndex((l) => l.startsWith('shadow vm1 root 0x100')) + 1;
    assert.ok(shadowLine > 0);
    assert.equal(pickRegistration(s, 'vm1', 0x103, 'ppgtt', shadowLine + 5), shadowLine);
    assert.ok(registrationCandidates(s, 'vm1', 0x104, 'ppgtt').length > 1, 'map lines are candidates too');
  });

  it('register lines of samples/01 are found', () => {
    const s = sample('01-page-track-basics.gvt');
    const line = pickRegistration(s, 'vm1', 0x100, 'audit', undefined);
    assert.ok(line !== undefined);
    assert.match(s.split('\n')[line - 1], /^register vm1 gfn 0x100 handler audit/);
  });
});
