// Hover, go to definition, find references and document highlights: params → pure feature
// (src/dsl/features) → LSP shapes.

import {
  DocumentHighlightKind,
  MarkupKind,
  ResponseError,
  type DocumentHighlight,
  type Hover,
  type Location,
  type LocationLink,
} from 'vscode-languageserver';
import { hover } from '../dsl/features/hover';
import { definition, highlights, references } from '../dsl/features/navigation';
import { atPosition, type ServerContext } from './context';
import { toRange } from './convert';
import { field, isObject } from './params';

export function onHover(cx: ServerContext, params: unknown): Hover | null | ResponseError<void> {
  const at = atPosition(cx, params);
  if (at instanceof ResponseError) return at;
  const a = at.analysis;
  const h = a && hover(a, at.offset);
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: toRange(a.lines, h.span) } : null;
}

export function onDefinition(cx: ServerContext, params: unknown): Location[] | LocationLink[] | ResponseError<void> {
  const at = atPosition(cx, params);
  if (at instanceof ResponseError) return at;
  const a = at.analysis;
  const d = a && definition(a, at.offset);
  if (!d) return [];
  if (cx.client().textDocument?.definition?.linkSupport) {
    return [{ originSelectionRange: toRange(a.lines, d.origin), targetUri: at.uri, targetRange: toRange(a.lines, d.statement), targetSelectionRange: toRange(a.lines, d.target) }];
  }
  return [{ uri: at.uri, range: toRange(a.lines, d.target) }];
}

export function onReferences(cx: ServerContext, params: unknown): Location[] | ResponseError<void> {
  const at = atPosition(cx, params);
  if (at instanceof ResponseError) return at;
  const a = at.analysis;
  if (!a) return [];
  const context = field(params, 'context');
  const includeDeclaration = isObject(context) ? context.includeDeclaration !== false : true;
  return references(a, at.offset, includeDeclaration).map((s) => ({ uri: at.uri, range: toRange(a.lines, s) }));
}

export function onDocumentHighlight(cx: ServerContext, params: unknown): DocumentHighlight[] | ResponseError<void> {
  const at = atPosition(cx, params);
  if (at instanceof ResponseError) return at;
  const a = at.analysis;
  if (!a) return [];
  return highlights(a, at.offset).map((h) => ({ range: toRange(a.lines, h.span), kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}
