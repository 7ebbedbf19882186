// Completion, rename, formatting and quick fixes: params → pure feature (src/dsl/features) → LSP
// shapes. Rename problems (a keyword, a built-in, a bad or clashing name) are RequestFailed
// errors with the reason, which editors show to the user.

import {
  CodeActionKind,
  InsertTextFormat,
  LSPErrorCodes,
  MarkupKind,
  ResponseError,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { codeActions } from '../dsl/features/codeActions';
import { complete } from '../dsl/features/completion';
import { format } from '../dsl/features/format';
import { prepareRename, rename } from '../dsl/features/rename';
import { atDocument, atPosition, invalidParams, type AtDocument, type ServerContext } from './context';
import { COMPLETION_KIND, toDiagnostic, toRange, toTextEdit } from './convert';
import { field, rangeOf } from './params';

export function onCompletion(cx: ServerContext, params: unknown): CompletionList | ResponseError<void> {
  const at = atPosition(cx, params);
  if (at instanceof ResponseError) return at;
  const a = at.analysis;
  if (!a) return { isIncomplete: false, items: [] };
  const r = complete(a, at.offset);
  const range = toRange(a.lines, r.replace);
  const snippets = cx.client().textDocument?.completion?.completionItem?.snippetSupport === true;
  const items = r.items.map((i): CompletionItem => {
    const useSnippet = i.snippet === true && snippets;
    const newText = useSnippet ? i.insertText! : i.snippet ? (i.plainText ?? i.label) : (i.insertText ?? i.label);
    const item: CompletionItem = { label: i.label, kind: COMPLETION_KIND[i.kind], textEdit: { range, newText } };
    if (useSnippet) item.insertTextFormat = InsertTextFormat.Snippet;
    if (i.detail) item.detail = i.detail;
    if (i.documentation) item.documentation = { kind: MarkupKind.Markdown, value: i.documentation };
    if (i.filterText) item.filterText = i.filterText;
    if (i.sortText) item.sortText = i.sortText;
    return item;
  });
  return { isIncomplete: false, items };
}

export function onPrepareRename(cx: ServerContext, params: unknown): { range: Range; placeholder: string } | null | ResponseError<void> {
  const at = atPosition(cx, params);
  if (at instanceof ResponseError) return at;
  const a = at.analysis;
  if (!a) return null;
  const r = prepareRename(a, at.offset);
  if ('error' in r) return new ResponseError(LSPErrorCodes.RequestFailed, r.error);
  return { range: toRange(a.lines, r.span), placeholder: r.placeholder };
}

export function onRename(cx: ServerContext, params: unknown): WorkspaceEdit | null | ResponseError<void> {
  const at = atPosition(cx, params);
  if (at instanceof ResponseError) return at;
  const newName = field(params, 'newName');
  if (typeof newName !== 'string') return invalidParams('newName');
  const a = at.analysis;
  if (!a) return null;
  const r = rename(a, at.offset, newName);
  if ('error' in r) return new ResponseError(LSPErrorCodes.RequestFailed, r.error);
  return { changes: { [at.uri]: r.edits.map((e) => toTextEdit(a.lines, e)) } };
}

export function onFormatting(cx: ServerContext, params: unknown): TextEdit[] | ResponseError<void> {
  const d = atDocument(cx, params);
  if (d instanceof ResponseError) return d;
  const a = d.analysis;
  if (!a) return [];
  return format(a, { indent: cx.config().indent }).map((e) => toTextEdit(a.lines, e));
}

/** The analysis and `range` a range request names; an error response when either is missing. */
function atRange(cx: ServerContext, params: unknown): { uri: string; a: AtDocument['analysis']; range: Range } | ResponseError<void> {
  const d = atDocument(cx, params);
  if (d instanceof ResponseError) return d;
  const range = rangeOf(params);
  return range ? { uri: d.uri, a: d.analysis, range } : invalidParams('range');
}

export function onRangeFormatting(cx: ServerContext, params: unknown): TextEdit[] | ResponseError<void> {
  const at = atRange(cx, params);
  if (at instanceof ResponseError) return at;
  const { a, range } = at;
  if (!a) return [];
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return format(a, { indent: cx.config().indent }, range.start.line, last).map((e) => toTextEdit(a.lines, e));
}

export function onCodeAction(cx: ServerContext, params: unknown): CodeAction[] | ResponseError<void> {
  const at = atRange(cx, params);
  if (at instanceof ResponseError) return at;
  const { uri, a, range } = at;
  if (!a) return [];
  const only = field(field(params, 'context'), 'only');
  if (Array.isArray(only) && !only.some((k) => typeof k === 'string' && (k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === ''))) return [];
  const span = { start: a.lines.offsetAt(range.start), end: a.lines.offsetAt(range.end) };
  return codeActions(a, span).map((x) => ({
    title: x.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toDiagnostic(a.lines, x.diagnostic)],
    isPreferred: x.preferred === true,
    edit: { changes: { [uri]: x.edits.map((e) => toTextEdit(a.lines, e)) } },
  }));
}
