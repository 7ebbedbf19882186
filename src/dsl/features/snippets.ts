// Completion items for the start of a line: one per statement form (inserted as a snippet with
// placeholders), and snippets for common blocks such as "shadow a 4-level PPGTT".

import type { SymbolTable } from '../symbols';
import type { CompletionEntry } from './completionEntry';
import { STATEMENT_DOCS, docMarkdown, type StatementDoc } from './statementDocs';

/** The vGPU name to put in snippets: the last one defined before the cursor, else `vm1`. */
export function vgpuPlaceholder(symbols: SymbolTable, at: number): string {
  const visible = symbols.scopeAt(at, 'vgpu');
  return visible[visible.length - 1]?.name ?? 'vm1';
}

/** A vGPU name not defined yet: vm1, vm2, ... */
function freshVgpu(symbols: SymbolTable): string {
  const taken = new Set(symbols.definitions.filter((d) => d.kind === 'vgpu').map((d) => d.name));
  let i = 1;
  while (taken.has(`vm${i}`)) i++;
  return `vm${i}`;
}

/** `${1:VGPU}` → `${1:vm1}`. */
const fill = (snippet: string, vgpu: string): string => snippet.replace(/\bVGPU\b/g, vgpu);

const PLACEHOLDER = /\$\{(\d+)(?::([^}]*)|\|([^|]*)\|)\}|\$(\d+)/g;

/** The snippet as plain text: each placeholder (and each `$n` that repeats it) becomes its default. */
export function plainOf(snippet: string): string {
  const defaults = new Map<string, string>();
  for (const m of snippet.matchAll(PLACEHOLDER)) {
    if (m[1] !== undefined && !defaults.has(m[1])) defaults.set(m[1], m[2] ?? (m[3] ?? '').split(',')[0]);
  }
  return snippet.replace(PLACEHOLDER, (_, n: string | undefined, d: string | undefined, choice: string | undefined, ref: string | undefined) =>
    n !== undefined ? (d ?? (choice ?? '').split(',')[0]) : (defaults.get(ref!) ?? ''),
  ).replace(/\t/g, '  ');
}

const EXPECT_LABELS: Readonly<Record<string, string>> = {
  expectRet: 'expect ret ==',
  expectTrap: 'expect trap',
  expectNoTrap: 'expect no trap',
  expectTrack: 'expect VGPU gfn GFN tracked',
  expectMem: 'expect VGPU gpa GPA u64 ==',
  expectGpu: 'expect gpu VGPU va VA -> gfn',
  expectTraps: 'expect VGPU traps ==',
};

export function statementItems(vgpu: string): CompletionEntry[] {
  return Object.entries(STATEMENT_DOCS).map(([id, d]: [string, StatementDoc]) => {
    const snippet = fill(d.snippet, vgpu);
    const label = EXPECT_LABELS[id] ?? d.keyword;
    return {
      label,
      kind: 'keyword',
      detail: d.syntax.join(' / '),
      documentation: docMarkdown([d]),
      insertText: snippet,
      snippet: true,
      plainText: plainOf(snippet),
      filterText: label,
      sortText: `0${label}`,
    };
  });
}

interface Block {
  readonly label: string;
  readonly detail: string;
  readonly body: (vgpu: string, fresh: string) => string;
}

const BLOCKS: readonly Block[] = [
  {
    label: 'shadow a 4-level PPGTT',
    detail: 'vgpu, pagetable, map, shadow and the expects that check it',
    body: (_, fresh) =>
      [
        `vgpu \${1:${fresh}}`,
        'pagetable $1 root ${2:0x100} pool ${3:0x101}..${4:0x1ff}',
        'map $1 va ${5:0x0} gfn ${6:0x800}',
        'shadow $1 root $2',
        'expect ret == 0',
        'expect $1 gfn $2 tracked',
        'expect gpu $1 va $5 -> gfn $6',
        '$0',
      ].join('\n'),
  },
  {
    label: 'register and enable a gfn',
    detail: 'register, enable and check that the gfn is tracked',
    body: (vgpu) =>
      [`register \${1:${vgpu}} gfn \${2:0x100} handler \${3:log}`, 'expect ret == 0', 'enable $1 gfn $2', 'expect ret == 0', 'expect $1 gfn $2 tracked', '$0'].join('\n'),
  },
  {
    label: 'trapped write',
    detail: 'a guest store to a tracked page and the expects on its trap',
    body: (vgpu) => [`write \${1:${vgpu}} gpa \${2:0x100000} \${3|u64,u32,u16,u8|} \${4:0}`, 'expect trap', 'expect ret == ${5:0}', '$0'].join('\n'),
  },
  {
    label: 'repeat block',
    detail: 'repeat COUNT as NAME { ... }',
    body: () => 'repeat ${1:4} as ${2:i} {\n\t$0\n}',
  },
];

export function BLOCK_SNIPPETS(symbols: SymbolTable, at: number): CompletionEntry[] {
  const vgpu = vgpuPlaceholder(symbols, at);
  const fresh = freshVgpu(symbols);
  return BLOCKS.map((b) => {
    const snippet = b.body(vgpu, fresh);
    return {
      label: b.label,
      kind: 'snippet',
      detail: b.detail,
      documentation: '```gvt\n' + plainOf(snippet) + '\n```',
      insertText: snippet,
      snippet: true,
      plainText: plainOf(snippet),
      sortText: `1${b.label}`,
    };
  });
}
