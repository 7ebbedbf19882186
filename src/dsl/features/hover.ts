// Hover: statements (what they do, the kernel function, return codes), names (their definition
// line and known value), numbers (decoded for their slot: numberHover.ts), error codes (errno
// value and meaning) and sub-keywords. Pure: markdown and the span it is about.

import type { Span, Stmt } from '../ast';
import { foldExpression, isFailure } from '../evaluate';
import type { SymbolDef } from '../symbols';
import { formatHex, fromBigInt, type U64 } from '../value';
import type { Analysis } from './analysis';
import { leafAt, slotAt, statementAt } from './astQuery';
import { STATEMENT_GRAMMAR } from './grammar';
import { lineTokens, tokenAt } from './lineTokens';
import { describeNumber } from './numberHover';
import { docMarkdown, docOf, docsOfKeyword } from './statementDocs';
import { BUILTIN_HANDLER_DOCS, WORD_DOCS, errnoMarkdown } from './wordDocs';

export interface HoverResult {
  /** Markdown. */
  readonly contents: string;
  readonly span: Span;
}

export function hover(a: Analysis, offset: number): HoverResult | undefined {
  const text = a.text;
  if (offset < 0 || offset > text.length) return undefined;
  const line = lineTokens(text, offset);
  if (line.comments.some((c) => c.start <= offset && offset < c.end)) return undefined;
  const tok = tokenAt(line.tokens, offset);
  if (!tok) return undefined;
  const span = { start: tok.start, end: tok.end };
  const stmt = statementAt(a.program, tok.start);

  if (tok.kind === 'name') {
    const occ = a.symbols.occurrenceAt(tok.start);
    if (occ && occ.span.start === tok.start) return { contents: symbolMarkdown(occ.def, a), span };
    if (tok === line.tokens[0] && Object.hasOwn(STATEMENT_GRAMMAR, tok.text)) {
      const docs = stmt && stmt.keyword.start === tok.start ? [docOf(stmt)] : docsOfKeyword(tok.text);
      return { contents: docMarkdown(docs), span };
    }
    const word = Object.hasOwn(WORD_DOCS, tok.text) ? WORD_DOCS[tok.text] : undefined;
    return word ? { contents: `**${tok.text}**: ${word}`, span } : undefined;
  }
  if (tok.kind === 'errno') {
    const md = errnoMarkdown(tok.text);
    return md ? { contents: md, span } : undefined;
  }
  if (tok.kind === 'number' && tok.value !== undefined) return { contents: numberMarkdown(a, stmt, tok.start, fromBigInt(tok.value)), span };
  return undefined;
}

function numberMarkdown(a: Analysis, stmt: Stmt | undefined, offset: number, value: U64): string {
  const slot = stmt && slotAt(stmt, offset);
  const leaf = slot && leafAt(slot.expr, offset);
  if (!slot || !leaf || leaf.span.start !== offset) return describeNumber(value, undefined).join('\n\n');
  if (slot.expr === leaf) return describeNumber(value, slot.role, slot.width).join('\n\n');
  // A part of a larger expression: the number itself, then the whole expression if it is known.
  const lines = describeNumber(value, undefined);
  const whole = foldExpression(slot.expr, (_, span) => a.symbols.definitionAt(span.start)?.value);
  if (whole !== undefined && !isFailure(whole)) {
    const src = a.text.slice(slot.expr.span.start, slot.expr.span.end);
    lines.push('---', `\`${src}\` = ${describeNumber(whole, slot.role, slot.width).join('\n\n')}`);
  }
  return lines.join('\n\n');
}

function symbolMarkdown(d: SymbolDef, a: Analysis): string {
  if (!d.ident || !d.stmt) return `**${d.name}** (built-in handler)\n\n${BUILTIN_HANDLER_DOCS[d.name] ?? ''}`;
  const line = a.lines.positionAt(d.ident.start).line;
  const what = { vgpu: 'vGPU', handler: 'handler', let: 'let', loop: 'loop variable' }[d.kind];
  const out = [`**${what}** \`${d.name}\``, `defined at line ${line + 1}:\n\`\`\`gvt\n${a.lines.lineText(line).trim()}\n\`\`\``];
  if (d.kind === 'let' && d.value !== undefined) out.push(`value: \`${formatHex(d.value)}\` = ${d.value}`);
  if (d.kind === 'loop') out.push('0 .. COUNT-1, one value per iteration');
  if (d.kind === 'handler' && d.stmt.kind === 'handler') {
    const code = foldExpression(d.stmt.returns, (_, span) => a.symbols.definitionAt(span.start)?.value);
    if (code !== undefined && !isFailure(code)) out.push(describeNumber(code, 'code').slice(1).join('\n\n'));
  }
  const refs = a.symbols.occurrencesOf(d, false).length;
  out.push(`${refs} reference${refs === 1 ? '' : 's'}`);
  return out.join('\n\n');
}
