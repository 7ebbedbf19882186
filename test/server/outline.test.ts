// Document symbols (src/dsl/features/outline.ts): the tree as indented lines.

import { strict as assert } from 'node:assert';
import { analyze } from '../../src/dsl/features/analysis';
import { outline, type OutlineNode } from '../../src/dsl/features/outline';

function tree(nodes: readonly OutlineNode[], indent = ''): string[] {
  return nodes.flatMap((n) => [`${indent}${n.kind} ${n.name} (${n.detail})`, ...tree(n.children, indent + '  ')]);
}

describe('server features: document symbols', () => {
  it('vGPUs, handlers, lets and repeat blocks as a hierarchy', () => {
    const src = [
      'vgpu vm1 memory 1M',
      'handler h returns -EINVAL',
      'let base = 0x100',
      'pagetable vm1 root 0x10 pool 0x11..0x1f',
      'shadow vm1 root 0x10',
      'repeat 4 as i {',
      '  let x = i',
      '  repeat 2 {',
      '    write vm1 gpa base + x u8 1',
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(tree(outline(analyze(src))), [
      'vgpu vm1 (vGPU, memory 1M)',
      'handler h (handler returns -EINVAL)',
      'let base (= 0x100)',
      'pagetable pagetable vm1 root 0x10 (pool 0x11..0x1f)',
      'shadow shadow vm1 root 0x10 (shadow PPGTT)',
      'repeat repeat 4 as i (2 statements)',
      '  loop i (loop variable)',
      '  let x (= i)',
      '  repeat repeat 2 (1 statement)',
    ]);
  });

  it('selection spans sit inside their symbol spans', () => {
    const src = 'vgpu vm1\nrepeat 2 as i {\n  let y = i\n}\n';
    const check = (nodes: readonly OutlineNode[]): void => {
      for (const n of nodes) {
        assert.ok(n.span.start <= n.selection.start && n.selection.end <= n.span.end, n.name);
        check(n.children);
      }
    };
    check(outline(analyze(src)));
  });

  it('works on a file with errors (an unclosed block keeps its body)', () => {
    assert.deepEqual(tree(outline(analyze('vgpu vm1\nrepeat 2 {\nlet a = 1\nfrob\n'))), ['vgpu vm1 (vGPU)', 'repeat repeat 2 (1 statement)', '  let a (= 1)']);
  });
});
