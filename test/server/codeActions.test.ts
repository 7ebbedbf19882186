// Quick fixes (src/dsl/features/codeActions.ts): source → each fix's title and the text after
// applying it; applying the preferred fix removes the diagnostic it fixes.

import { strict as assert } from 'node:assert';
import { analyze } from '../../src/dsl/features/analysis';
import { codeActions } from '../../src/dsl/features/codeActions';
import type { TextEdit } from '../../src/dsl/features/edits';

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function fixes(src: string): [string, string][] {
  const a = analyze(src);
  return codeActions(a, { start: 0, end: src.length }).map((x) => [x.title, apply(src, x.edits)]);
}

describe('server features: quick fixes', () => {
  const cases: [string, [string, string][]][] = [
    [
      'vgpu vm1\nenable vm1 gfn 0x100',
      [['Register gfn 0x100 first (handler log)', 'vgpu vm1\nregister vm1 gfn 0x100 handler log\nenable vm1 gfn 0x100']],
    ],
    [
      'vgpu vm1\nrepeat 2 {\n  disable vm1 gfn 4 * 2\n}',
      [['Register gfn 4 * 2 first (handler log)', 'vgpu vm1\nrepeat 2 {\n  register vm1 gfn 4 * 2 handler log\n  disable vm1 gfn 4 * 2\n}']],
    ],
    [
      'kernel legacy\nvgpu vm1\nsubmit vm2',
      [
        ["Change 'vm2' to 'vm1'", 'kernel legacy\nvgpu vm1\nsubmit vm1'],
        ["Define vGPU 'vm2' at the top", 'kernel legacy\nvgpu vm2\nvgpu vm1\nsubmit vm2'],
      ],
    ],
    ['# header\n\nsubmit gpu0', [["Define vGPU 'gpu0' at the top", '# header\n\nvgpu gpu0\nsubmit gpu0']]],
    ['kernel newest\nsubmit zz', [["Define vGPU 'zz' at the top", 'kernel newest\nvgpu zz\nsubmit zz']]],
    ['kernel newest', []],
    ['vgpu vm1\nregistr vm1 gfn 1 handler log', [["Change 'registr' to 'register'", 'vgpu vm1\nregister vm1 gfn 1 handler log']]],
    [
      'vgpu vm1\nhandler audit returns 0\nregister vm1 gfn 1 handler audt',
      [
        ["Change 'audt' to 'audit'", 'vgpu vm1\nhandler audit returns 0\nregister vm1 gfn 1 handler audit'],
        ["Declare handler 'audt' returning 0", 'handler audt returns 0\nvgpu vm1\nhandler audit returns 0\nregister vm1 gfn 1 handler audt'],
      ],
    ],
    ['vgpu vm1\nregister vm1 gfn 1 handlr log', [["Change 'handlr' to 'handler'", 'vgpu vm1\nregister vm1 gfn 1 handler log']]],
    ['vgpu vm1\nwrite vm1 gpa 0 u46 1', [["Change 'u46' to 'u64'", 'vgpu vm1\nwrite vm1 gpa 0 u64 1']]],
    ['vgpu vm1\nexpect vm1 gfn 1 trakced', [["Change 'trakced' to 'tracked'", 'vgpu vm1\nexpect vm1 gfn 1 tracked']]],
    ['vgpu vm1 memory 64m', [["Change '64m' to '64M'", 'vgpu vm1 memory 64M']]],
    ['let base = 1\nprint bse', [["Change 'bse' to 'base'", 'let base = 1\nprint base']]],
    ['vgpu vm1\r\nsubmit vm9x', [["Define vGPU 'vm9x' at the top", 'vgpu vm9x\r\nvgpu vm1\r\nsubmit vm9x']]],
  ];
  for (const [src, want] of cases) it(JSON.stringify(src), () => assert.deepEqual(fixes(src), want));

  it('only diagnostics touching the range are fixed', () => {
    const src = 'vgpu vm1\nsubmit vm2\nsubmit vm3';
    const a = analyze(src);
    const line2 = src.indexOf('vm2');
    assert.deepEqual(codeActions(a, { start: line2, end: line2 }).map((x) => x.title), ["Change 'vm2' to 'vm1'", "Define vGPU 'vm2' at the top"]);
  });

  it('the preferred fix removes its diagnostic', () => {
    for (const src of ['vgpu vm1\nenable vm1 gfn 0x100', 'vgpu vm1\nregistr vm1 gfn 1 handler log', 'submit gpu0', 'vgpu vm1\nwrite vm1 gpa 0 u46 1']) {
      const a = analyze(src);
      const fix = codeActions(a, { start: 0, end: src.length }).find((x) => x.preferred)!;
      const after = analyze(apply(src, fix.edits));
      assert.ok(!after.diagnostics.some((d) => d.code === fix.diagnostic.code), `${src} → ${apply(src, fix.edits)}`);
    }
  });
});
