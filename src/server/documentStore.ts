// The open documents and their analyses. Text is kept as vscode-languageserver-textdocument's
// TextDocument (incremental changes applied in place); the analysis is computed on first use per
// version and shared by diagnostics and every request. Params are checked here: a malformed
// open/change/close is ignored (and reported to the log), never thrown.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { analyze, type Analysis } from '../dsl/features/analysis';
import { isRange } from './params';
import { applyEdits } from './editBatch';

/** Batches longer than this are applied line by line (editors send a few edits a change). */
const LINE_BY_LINE_FROM = 16;

interface Entry {
  doc: TextDocument;
  analysis?: Analysis;
  analysisVersion?: number;
  /** The last analysis computed, kept across changes: the next one rescans only the changed lines. */
  previous?: Analysis;
}

export class DocumentStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxLength: () => number) {}

  open(uri: string, languageId: string, version: number, text: string): void {
    this.entries.set(uri, { doc: TextDocument.create(uri, languageId, version, text) });
  }

  /** Apply changes; returns false (and changes nothing) when they are malformed. */
  change(uri: string, version: number, changes: unknown[]): boolean {
    const e = this.entries.get(uri);
    if (!e) return false;
    const valid: TextDocumentContentChangeEvent[] = [];
    for (const c of changes) {
      if (typeof c !== 'object' || c === null || typeof (c as { text?: unknown }).text !== 'string') return false;
      const range = (c as { range?: unknown }).range;
      if (range !== undefined && !isRange(range)) return false;
      valid.push(range === undefined ? { text: (c as { text: string }).text } : { range, text: (c as { text: string }).text });
    }
    // A long batch of range edits goes line by line (editBatch.ts); TextDocument.update costs the
    // whole document per edit. A full-text change anywhere in the batch leaves it to the library.
    if (valid.length > LINE_BY_LINE_FROM && valid.every((c) => 'range' in c)) {
      const text = applyEdits(e.doc.getText(), valid as Array<{ range: Range; text: string }>);
      e.doc = TextDocument.create(e.doc.uri, e.doc.languageId, version, text);
    } else {
      e.doc = TextDocument.update(e.doc, valid, version);
    }
    e.analysis = undefined;
    return true;
  }

  close(uri: string): boolean {
    return this.entries.delete(uri);
  }

  get(uri: string): TextDocument | undefined {
    return this.entries.get(uri)?.doc;
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  tooLarge(uri: string): boolean {
    const doc = this.get(uri);
    return doc !== undefined && doc.getText().length > this.maxLength();
  }

  /** The analysis of the document's current text (computed once per version); undefined when unknown or too large. */
  analysis(uri: string): Analysis | undefined {
    const e = this.entries.get(uri);
    if (!e) return undefined;
    if (e.analysis && e.analysisVersion === e.doc.version) return e.analysis;
    const text = e.doc.getText();
    if (text.length > this.maxLength()) return undefined;
    e.analysis = analyze(text, e.previous);
    e.previous = e.analysis;
    e.analysisVersion = e.doc.version;
    return e.analysis;
  }
}
