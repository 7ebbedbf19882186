// One document's analysis: the parse, the check and their diagnostics, computed once per text and
// shared by every editor feature (hover, completion, rename, ...). Pure: no LSP or editor types;
// positions are offsets, and the line map is built only when a feature needs lines.

import type { Program, Span } from '../ast';
import { check, type CheckResult } from '../checker';
import { PHASE_DIAGNOSTICS, capDiagnostics, compareDiagnostics, type Diagnostic } from '../diagnostic';
import { LineMap } from '../lineMap';
import { parse, type ParseResult } from '../parser';
import type { SymbolTable } from '../symbols';

export class Analysis {
  readonly parsed: ParseResult;
  readonly checked: CheckResult;
  /** Scanner, parser and checker diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  private lineMap: LineMap | undefined;

  constructor(readonly text: string) {
    this.parsed = parse(text);
    this.checked = check(this.parsed.program, text);
    const all = this.parsed.diagnostics.concat(this.checked.diagnostics);
    this.diagnostics = capDiagnostics(this.checked.diagnostics.length === 0 ? all : all.sort(compareDiagnostics), this.parsed.capped || this.checked.diagnostics.length >= PHASE_DIAGNOSTICS);
  }

  get program(): Program {
    return this.parsed.program;
  }

  get symbols(): SymbolTable {
    return this.checked.symbols;
  }

  get comments(): readonly Span[] {
    return this.parsed.comments;
  }

  get lines(): LineMap {
    return (this.lineMap ??= new LineMap(this.text));
  }
}

export const analyze = (text: string): Analysis => new Analysis(text);
