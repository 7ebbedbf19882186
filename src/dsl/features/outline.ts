// Document symbols: vGPUs, handlers, `let` names and `repeat` blocks as a tree (a block holds the
// names bound inside it and the blocks nested in it). Built from the syntax tree, so it needs no
// checking and works on a file with errors.

import type { Span, Stmt } from '../ast';
import type { Analysis } from './analysis';

export type OutlineKind = 'vgpu' | 'handler' | 'let' | 'repeat' | 'loop' | 'pagetable' | 'shadow';

export interface OutlineNode {
  readonly name: string;
  readonly detail: string;
  readonly kind: OutlineKind;
  /** The whole statement (a block: to its `}`). */
  readonly span: Span;
  /** The name, or the keyword when there is none. */
  readonly selection: Span;
  readonly children: OutlineNode[];
}

export function outline(a: Analysis): OutlineNode[] {
  return nodes(a.program.statements, a.text);
}

function nodes(list: readonly Stmt[], text: string): OutlineNode[] {
  const out: OutlineNode[] = [];
  for (const s of list) {
    const span = { start: s.start, end: s.end };
    const src = (x: Span): string => text.slice(x.start, x.end);
    switch (s.kind) {
      case 'vgpu':
        out.push({ name: s.name.name, detail: s.memory ? `vGPU, memory ${src(s.memory.span)}` : 'vGPU', kind: 'vgpu', span, selection: s.name, children: [] });
        break;
      case 'handler':
        out.push({ name: s.name.name, detail: `handler returns ${src(s.returns.span)}`, kind: 'handler', span, selection: s.name, children: [] });
        break;
      case 'let':
        out.push({ name: s.name.name, detail: `= ${src(s.value.span)}`, kind: 'let', span, selection: s.name, children: [] });
        break;
      case 'pagetable':
        out.push({ name: `pagetable ${s.vgpu.name} root ${src(s.root.span)}`, detail: `pool ${src(s.pool)}`, kind: 'pagetable', span, selection: s.keyword, children: [] });
        break;
      case 'shadow':
        out.push({ name: `shadow ${s.vgpu.name} root ${src(s.root.span)}`, detail: 'shadow PPGTT', kind: 'shadow', span, selection: s.keyword, children: [] });
        break;
      case 'repeat': {
        const children = nodes(s.body, text);
        if (s.as) children.unshift({ name: s.as.name, detail: 'loop variable', kind: 'loop', span: s.as, selection: s.as, children: [] });
        const count = src(s.count.span);
        out.push({ name: `repeat ${count}${s.as ? ` as ${s.as.name}` : ''}`, detail: `${s.body.length} statement${s.body.length === 1 ? '' : 's'}`, kind: 'repeat', span, selection: s.keyword, children });
        break;
      }
    }
  }
  return out;
}
