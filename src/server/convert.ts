// Offsets and src/dsl values to LSP types and back. Positions are UTF-16 based on both sides
// (LineMap counts UTF-16 code units, LSP's default encoding). A position past the end of its line
// or of the document is clamped, never an error.

import {
  CompletionItemKind,
  DiagnosticSeverity,
  SymbolKind,
  type Diagnostic as LspDiagnostic,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { Span } from '../dsl/ast';
import type { Diagnostic, Severity } from '../dsl/diagnostic';
import type { LineMap } from '../dsl/lineMap';
import type { CompletionKind } from '../dsl/features/completionEntry';
import type { TextEdit } from '../dsl/features/edits';
import type { OutlineKind } from '../dsl/features/outline';

export const SOURCE = 'gvt';

export function toRange(lines: LineMap, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(lines: LineMap, d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = { range: toRange(lines, d), severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error, code: d.code, source: SOURCE, message: d.message };
  if (d.suggestion !== undefined) out.data = { suggestion: d.suggestion };
  return out;
}

export const toTextEdit = (lines: LineMap, e: TextEdit): LspTextEdit => ({ range: toRange(lines, e), newText: e.newText });

export const COMPLETION_KIND: Readonly<Record<CompletionKind, CompletionItemKind>> = {
  keyword: CompletionItemKind.Keyword,
  snippet: CompletionItemKind.Snippet,
  vgpu: CompletionItemKind.Module,
  handler: CompletionItemKind.Function,
  value: CompletionItemKind.Variable,
  errno: CompletionItemKind.Constant,
  constant: CompletionItemKind.Value,
  operator: CompletionItemKind.Operator,
};

export const SYMBOL_KIND: Readonly<Record<OutlineKind, SymbolKind>> = {
  vgpu: SymbolKind.Module,
  handler: SymbolKind.Function,
  let: SymbolKind.Variable,
  loop: SymbolKind.Variable,
  repeat: SymbolKind.Namespace,
  pagetable: SymbolKind.Struct,
  shadow: SymbolKind.Event,
};
