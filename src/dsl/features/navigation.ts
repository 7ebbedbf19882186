// Go to definition, find references and document highlights for vGPU, handler, `let` and loop
// names, from the checker's SymbolTable. Built-in handlers (`log`, `ppgtt`) have no definition
// in the file: definition is empty for them, references still work.

import type { Span } from '../ast';
import type { Occurrence } from '../symbols';
import type { Analysis } from './analysis';

/** The symbol occurrence under the cursor (its end counts: the cursor just after a name). */
export function occurrenceAt(a: Analysis, offset: number): Occurrence | undefined {
  if (offset < 0 || offset > a.text.length) return undefined;
  return a.symbols.occurrenceAt(offset);
}

export interface DefinitionResult {
  /** The defining name. */
  readonly target: Span;
  /** The whole defining statement (its first line for a `repeat`). */
  readonly statement: Span;
  /** The name under the cursor. */
  readonly origin: Span;
}

export function definition(a: Analysis, offset: number): DefinitionResult | undefined {
  const occ = occurrenceAt(a, offset);
  const d = occ?.def;
  if (!occ || !d?.ident || !d.stmt) return undefined;
  const stmtEnd = d.stmt.kind === 'repeat' ? (d.stmt.body[0]?.start ?? d.stmt.end) : d.stmt.end;
  return { target: d.ident, statement: { start: d.stmt.start, end: Math.max(d.ident.end, Math.min(stmtEnd, lineEnd(a.text, d.stmt.start))) }, origin: occ.span };
}

/** Every occurrence of the symbol under the cursor, in source order. */
export function references(a: Analysis, offset: number, includeDeclaration: boolean): Span[] {
  const occ = occurrenceAt(a, offset);
  return occ ? a.symbols.occurrencesOf(occ.def, includeDeclaration) : [];
}

export interface Highlight {
  readonly span: Span;
  /** A definition or an assignment (`let x = ...` of a bound name). */
  readonly write: boolean;
}

export function highlights(a: Analysis, offset: number): Highlight[] {
  const occ = occurrenceAt(a, offset);
  if (!occ) return [];
  const writes = new Set(a.symbols.references.filter((r) => r.write && r.def === occ.def).map((r) => r.span.start));
  return a.symbols.occurrences()
    .filter((o) => o.def === occ.def)
    .map((o) => ({ span: o.span, write: o.isDefinition || writes.has(o.span.start) }));
}


function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}
