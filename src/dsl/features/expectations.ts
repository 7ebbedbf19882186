// What may come next on a line, given the tokens typed before the cursor: the grammar of
// grammar.ts run over them, every alternative at once (the forms are tiny). Expressions follow
// the parser's rule: an operand, then `OP operand` for as long as a binary operator follows; a
// name directly after a complete operand ends the expression.

import type { Token, TokenKind } from '../scanner';
import type { Keyword } from '../statementSpec';
import { ALL_KEYWORDS, STATEMENT_GRAMMAR, type Elem } from './grammar';

/** A grammar leaf as an expectation: its `k` becomes `kind`, the rest is kept. */
type AsExpectation<E> = E extends { readonly k: infer K } ? { readonly kind: K } & Omit<E, 'k'> : never;

/** What may come next: a statement, one keyword (a grammar `word` offers each of its words), or a grammar leaf. */
export type Expectation =
  | { readonly kind: 'statement' }
  | { readonly kind: 'word'; readonly word: string; readonly phrase?: string }
  | AsExpectation<Exclude<Elem, { readonly k: 'word' | 'bytes' | 'opt' | 'alt' }>>;

const BINARY = new Set<TokenKind>(['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '==', '!=', '<', '<=', '>', '>=', '&&', '||']);
const UNARY = new Set<TokenKind>(['-', '~', '!']);

/**
 * What may follow `tokens`, the complete tokens of a line before the cursor. With `isVgpu`, a
 * keyword that names no vGPU is not read as one (`expect gpu` is the GPU form unless a vGPU is
 * called `gpu`).
 */
export function expectationsAfter(tokens: readonly Token[], isVgpu?: (name: string) => boolean): Expectation[] {
  if (tokens.length === 0) return [{ kind: 'statement' }];
  const first = tokens[0];
  const form = first.kind === 'name' && Object.hasOwn(STATEMENT_GRAMMAR, first.text) ? STATEMENT_GRAMMAR[first.text as Keyword] : undefined;
  if (!form) return [];
  const out: Expectation[] = [];
  match(form, tokens, 1, out, isVgpu);
  return dedupe(out);
}

function match(seq: readonly Elem[], toks: readonly Token[], i: number, out: Expectation[], isVgpu?: (name: string) => boolean): void {
  if (seq.length === 0) return;
  const el = seq[0];
  const rest = seq.slice(1);
  if (el.k === 'opt') {
    match([...el.seq, ...rest], toks, i, out, isVgpu);
    match(rest, toks, i, out, isVgpu);
    return;
  }
  if (el.k === 'alt') {
    for (const s of el.seqs) match([...s, ...rest], toks, i, out, isVgpu);
    return;
  }
  if (i >= toks.length) {
    out.push(...expectationsOf(el));
    return;
  }
  const t = toks[i];
  switch (el.k) {
    case 'word':
      if (t.kind === 'name' && el.words.includes(t.text)) match(rest, toks, i + 1, out, isVgpu);
      return;
    case 'vgpu':
      if (t.kind === 'name' && !(isVgpu && !isVgpu(t.text) && ALL_KEYWORDS.has(t.text))) match(rest, toks, i + 1, out, isVgpu);
      return;
    case 'handler':
    case 'define':
      if (t.kind === 'name') match(rest, toks, i + 1, out, isVgpu);
      return;
    case 'punct':
      if (t.kind === el.p) match(rest, toks, i + 1, out, isVgpu);
      return;
    case 'string':
      if (t.kind === 'string') match(rest, toks, i + 1, out, isVgpu);
      return;
    case 'pageSize':
      if (t.kind === 'number') match(rest, toks, i + 1, out, isVgpu);
      return;
    case 'bytes':
      return; // the rest of the line
    case 'expr': {
      const r = matchExpression(toks, i);
      if (r.needOperand) out.push({ kind: 'expr', role: el.role });
      if (r.end !== undefined) match(rest, toks, r.end, out, isVgpu);
      return;
    }
  }
}

function expectationsOf(el: Exclude<Elem, { k: 'opt' | 'alt' }>): Expectation[] {
  switch (el.k) {
    case 'word':
      return el.words.map((word) => (el.phrase ? { kind: 'word', word, phrase: el.phrase } : { kind: 'word', word }));
    case 'vgpu':
    case 'handler':
    case 'string':
    case 'pageSize':
      return [{ kind: el.k }];
    case 'define':
      return [{ kind: 'define', what: el.what }];
    case 'expr':
      return [{ kind: 'expr', role: el.role }];
    case 'punct':
      return [{ kind: 'punct', p: el.p }];
    case 'bytes':
      return [];
  }
}

interface ExprMatch {
  /** Where a complete expression may end (the index of the next token), if it can. */
  readonly end?: number;
  /** The tokens ran out where an operand was wanted. */
  readonly needOperand: boolean;
}

/** An expression from token i, greedily, as parseExpression reads it. */
function matchExpression(toks: readonly Token[], i: number): ExprMatch {
  const n = toks.length;
  let depth = 0;
  let j = i;
  for (;;) {
    while (j < n && UNARY.has(toks[j].kind)) j++;
    if (j >= n) return { needOperand: true };
    const k = toks[j].kind;
    if (k === '(') {
      depth++;
      j++;
      continue;
    }
    if (k !== 'number' && k !== 'name' && k !== 'errno') return { needOperand: false };
    j++;
    while (j < n && depth > 0 && toks[j].kind === ')') {
      depth--;
      j++;
    }
    if (j < n && BINARY.has(toks[j].kind)) {
      j++;
      continue;
    }
    return depth === 0 ? { end: j, needOperand: false } : { needOperand: false };
  }
}

function dedupe(xs: Expectation[]): Expectation[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const key = JSON.stringify(x);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
