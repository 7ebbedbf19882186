// Completion: what may be typed at the cursor. The tokens before the cursor on its line decide
// (expectations.ts): statement keywords and block snippets at the start of a line, sub-keywords
// in context (`write vm1 gpa X` → u8..u64, bytes), vGPU names where a vGPU goes, handler names
// after `handler`, error codes after `expect ret ==` and `returns`, `let` and loop names in
// expressions. Pure: the language server maps the result to LSP items.

import type { Span } from '../ast';
import { BUILTIN_HANDLER_DOCS, ERRNO_NAMES, WORD_DOCS, errnoMarkdown } from './wordDocs';
import type { Analysis } from './analysis';
import { expectationsAfter, type Expectation } from './expectations';
import { PAGE_SIZES, type ExprRole } from './grammar';
import { lineTokens } from './lineTokens';
import { BLOCK_SNIPPETS, statementItems, vgpuPlaceholder } from './snippets';
import type { SymbolDef } from '../symbols';
import type { CompletionEntry } from './completionEntry';

export interface CompletionResult {
  /** The span the items replace: the word being typed, or the empty span at the cursor. */
  readonly replace: Span;
  readonly items: CompletionEntry[];
}

const NONE = (at: number): CompletionResult => ({ replace: { start: at, end: at }, items: [] });

export function complete(a: Analysis, offset: number): CompletionResult {
  const text = a.text;
  const at = Math.max(0, Math.min(offset, text.length));
  const line = lineTokens(text, at, at);
  if (line.comments.length > 0 || line.inString) return NONE(at); // inside a comment or a string
  const tokens = line.tokens;
  const last = tokens[tokens.length - 1];
  let replace: Span = { start: at, end: at };
  if (last && last.end === at && (last.kind === 'name' || last.kind === 'number')) {
    replace = { start: last.start, end: last.end };
    tokens.pop();
  }
  const items: CompletionEntry[] = [];
  const afterMinus = text.charCodeAt(replace.start - 1) === 45; /* - */
  const vgpus = new Set(a.symbols.definitions.filter((d) => d.kind === 'vgpu').map((d) => d.name));
  for (const x of expectationsAfter(tokens, (n) => vgpus.has(n))) {
    for (const item of itemsFor(x, a, at, afterMinus)) items.push(item); // not push(...): 150 k names overflow the call stack
  }
  return { replace, items: dedupe(items) };
}

function itemsFor(x: Expectation, a: Analysis, at: number, afterMinus: boolean): CompletionEntry[] {
  switch (x.kind) {
    case 'statement':
      return [...statementItems(vgpuPlaceholder(a.symbols, at)), ...BLOCK_SNIPPETS(a.symbols, at)];
    case 'word': {
      const label = x.phrase ?? x.word;
      return [{ label, kind: 'keyword', detail: WORD_DOCS[x.word], sortText: `0${label}` }];
    }
    case 'vgpu':
      return names(a, at, 'vgpu');
    case 'handler':
      return names(a, at, 'handler').filter((i) => i.label !== 'ppgtt');
    case 'expr':
      return exprItems(x.role, a, at, afterMinus);
    case 'pageSize':
      return PAGE_SIZES.map((s, i) => ({ label: s, kind: 'constant', detail: 'page size', sortText: `0${i}` }));
    case 'punct':
      return x.p === '==' || x.p === '->' || x.p === '=' || x.p === '..' || x.p === '{' ? [{ label: x.p, kind: 'operator', sortText: `1${x.p}` }] : [];
    case 'define':
    case 'string':
      return [];
  }
}

function names(a: Analysis, at: number, ns: 'vgpu' | 'handler' | 'value'): CompletionEntry[] {
  return a.symbols.scopeAt(at, ns).map((d) => nameItem(d, a));
}

function nameItem(d: SymbolDef, a: Analysis): CompletionEntry {
  const kind = d.kind === 'vgpu' ? 'vgpu' : d.kind === 'handler' ? 'handler' : 'value';
  const where = d.ident ? `line ${a.lines.positionAt(d.ident.start).line + 1}` : 'built-in';
  const detail = d.kind === 'loop' ? `loop variable (${where})` : d.kind === 'let' ? `let (${where})` : `${d.kind === 'vgpu' ? 'vGPU' : 'handler'} (${where})`;
  const documentation = !d.ident ? BUILTIN_HANDLER_DOCS[d.name] : d.stmt ? '```gvt\n' + a.text.slice(d.stmt.start, d.stmt.kind === 'repeat' ? lineEnd(a.text, d.stmt.start) : d.stmt.end) + '\n```' : undefined;
  return { label: d.name, kind, detail, documentation, sortText: `2${d.name}` };
}

function lineEnd(text: string, from: number): number {
  const i = text.slice(from).search(/[\r\n]/);
  return i < 0 ? text.length : from + i;
}

function exprItems(role: ExprRole, a: Analysis, at: number, afterMinus: boolean): CompletionEntry[] {
  const out = names(a, at, 'value');
  if (role === 'code') {
    if (!afterMinus) out.push({ label: '0', kind: 'constant', detail: 'success', sortText: '00' });
    for (const n of ERRNO_NAMES) {
      out.push({
        label: `-${n}`,
        kind: 'errno',
        insertText: afterMinus ? n : `-${n}`,
        filterText: afterMinus ? n : `-${n}`,
        documentation: errnoMarkdown(n),
        sortText: `1${n}`,
      });
    }
  } else if (role === 'memory') {
    for (const [i, s] of ['64M', '1G', '4G', '16M'].entries()) out.push({ label: s, kind: 'constant', detail: 'guest memory size', sortText: `0${i}` });
  }
  return out;
}

function dedupe(items: CompletionEntry[]): CompletionEntry[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.kind}:${i.label}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
