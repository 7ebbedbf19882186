// A compact, stable text form of the syntax tree for golden files: one statement a line (repeat
// bodies indented), expressions as s-expressions, every span as @start:end. Generic over node
// fields, so a field added to ast.ts shows up in the golden diff rather than silently missing.

import type { Expr, Stmt } from '../../src/dsl/ast';

const at = (s: { start: number; end: number }): string => `@${s.start}:${s.end}`;

export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return `${e.value}${at(e.span)}`;
    case 'errno':
      return `-${e.name}(${e.value})${at(e.span)}`;
    case 'name':
      return `${e.ident.name}${at(e.span)}`;
    case 'unary':
      return `(${e.op} ${exprText(e.operand)})${at(e.span)}`;
    case 'binary':
      return `(${e.op} ${exprText(e.left)} ${exprText(e.right)})${at(e.span)}`;
  }
}

function valueText(v: unknown): string {
  if (typeof v !== 'object' || v === null) return typeof v === 'bigint' ? `${v}n` : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(' ')}]`;
  const o = v as Record<string, unknown>;
  if ('span' in o && 'kind' in o && ['number', 'errno', 'name', 'unary', 'binary'].includes(o.kind as string)) return exprText(o as unknown as Expr);
  if ('name' in o && 'start' in o && Object.keys(o).length === 3) return `${o.name as string}${at(o as { start: number; end: number })}`;
  if ('value' in o && 'start' in o && Object.keys(o).length === 3) return `${JSON.stringify(o.value)}${at(o as { start: number; end: number })}`;
  if ('from' in o && 'to' in o) return `${valueText(o.from)}..${valueText(o.to)}${at(o as { start: number; end: number })}`;
  if ('start' in o && 'end' in o && Object.keys(o).length === 2) return at(o as { start: number; end: number });
  return `{${Object.entries(o)
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => `${k}=${valueText(x)}`)
    .join(' ')}}`;
}

export function stmtText(s: Stmt, indent = ''): string {
  const fields = Object.entries(s)
    .filter(([k, v]) => v !== undefined && !['kind', 'start', 'end', 'keyword', 'body'].includes(k))
    .map(([k, v]) => `${k}=${valueText(v)}`);
  const head = `${indent}${s.kind}${at(s)} kw${at(s.keyword)}${fields.length ? ' ' + fields.join(' ') : ''}`;
  if (s.kind !== 'repeat') return head;
  return [head, ...s.body.map((b) => stmtText(b, indent + '  '))].join('\n');
}

export const programText = (stmts: readonly Stmt[]): string => stmts.map((s) => stmtText(s)).join('\n') + '\n';
