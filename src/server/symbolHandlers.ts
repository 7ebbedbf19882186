// Document symbols: the outline of src/dsl/features/outline.ts as a DocumentSymbol tree, or as a
// flat SymbolInformation list for clients without hierarchical support.

import { ResponseError, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { LineMap } from '../dsl/lineMap';
import { outline, type OutlineNode } from '../dsl/features/outline';
import { atDocument, type ServerContext } from './context';
import { SYMBOL_KIND, toRange } from './convert';

export function onDocumentSymbol(cx: ServerContext, params: unknown): DocumentSymbol[] | SymbolInformation[] | ResponseError<void> {
  const d = atDocument(cx, params);
  if (d instanceof ResponseError) return d;
  const a = d.analysis;
  if (!a) return [];
  const tree = outline(a);
  if (cx.client().textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport) return tree.map((n) => toSymbol(a.lines, n));
  const flat: SymbolInformation[] = [];
  const walk = (nodes: readonly OutlineNode[], container?: string): void => {
    for (const n of nodes) {
      flat.push({ name: nameOf(n), kind: SYMBOL_KIND[n.kind], location: { uri: d.uri, range: toRange(a.lines, n.span) }, ...(container ? { containerName: container } : {}) });
      walk(n.children, nameOf(n));
    }
  };
  walk(tree);
  return flat;
}

/** Editors reject an empty symbol name. */
const nameOf = (n: OutlineNode): string => (n.name.trim() === '' ? n.kind : n.name);

function toSymbol(lines: LineMap, n: OutlineNode): DocumentSymbol {
  return {
    name: nameOf(n),
    detail: n.detail,
    kind: SYMBOL_KIND[n.kind],
    range: toRange(lines, n.span),
    selectionRange: toRange(lines, { start: n.selection.start, end: n.selection.end }),
    children: n.children.map((c) => toSymbol(lines, c)),
  };
}
