// One document's analysis: the parse, the check and their diagnostics, computed once per text and
// shared by every editor feature (hover, completion, rename, ...). Pure: no LSP or editor types;
// positions are offsets, and the line map is built only when a feature needs lines.

import type { Program, Span } from '../ast';
import { check, type CheckResult } from '../checker';
import { capDiagnostics, compareDiagnostics, type Diagnostic } from '../diagnostic';
import { LineMap } from '../lineMap';
import { parseScanned, type ParseResult } from '../parser';
import { reparse } from '../reparse';
import { rescan } from '../rescan';
import { scan, type ScanResult } from '../scanner';
import type { SymbolTable } from '../symbols';

export class Analysis {
  readonly parsed: ParseResult;
  readonly checked: CheckResult;
  /** Scanner, parser and checker diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  private lineMap: LineMap | undefined;

  /** The tokens, kept so that the next version of the text is rescanned only where it changed. */
  private readonly scanned: ScanResult;

  /** `previous`: the analysis of an earlier version of the same document, whose tokens are reused. */
  constructor(
    readonly text: string,
    previous?: Analysis,
  ) {
    if (previous) {
      const r = rescan(previous.scanned, previous.text, text);
      this.scanned = r.scanned;
      this.parsed = reparse(text, r.scanned, previous.parsed, r.from);
    } else {
      this.scanned = scan(text);
      this.parsed = parseScanned(text, this.scanned);
    }
    this.checked = check(this.parsed.program, text);
    const all = this.parsed.diagnostics.concat(this.checked.diagnostics);
    this.diagnostics = capDiagnostics(this.checked.diagnostics.length === 0 ? all : all.sort(compareDiagnostics), this.parsed.capped || this.checked.capped);
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

export const analyze = (text: string, previous?: Analysis): Analysis => new Analysis(text, previous);
