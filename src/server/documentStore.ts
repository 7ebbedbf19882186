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
/**
 * Documents longer than this are analysed from scratch, the last analysis dropped first: an edit
 * then never holds two analyses of a big file at once (each costs 60-150 bytes a character), and
 * past this size the incremental path saves little.
 */
const INCREMENTAL_MAX = 4 * 1024 * 1024;

interface Entry {
  doc: TextDocument;
  analysis?: Analysis;
  analysisVersion?: number;
  /** The last analysis computed, kept across changes: the next one rescans only the changed lines. */
  previous?: Analysis;
  /** Characters the kept analysis covers (counted against the budget), and when it was last used. */
  kept: number;
  lastUse: number;
}

export class DocumentStore {
  private readonly entries = new Map<string, Entry>();
  /** Characters covered by every kept analysis. */
  private keptTotal = 0;
  private uses = 0;

  /**
   * maxLength: longer documents are not analysed. budget: characters the kept analyses of all open
   * documents may cover together (never less than maxLength, so any one document fits); past it the
   * least recently used are dropped, to be redone when next asked for.
   */
  constructor(
    private readonly maxLength: () => number,
    private readonly budget: () => number = maxLength,
  ) {}

  open(uri: string, languageId: string, version: number, text: string): void {
    const old = this.entries.get(uri);
    if (old) this.drop(old);
    this.entries.set(uri, { doc: TextDocument.create(uri, languageId, version, text), kept: 0, lastUse: 0 });
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
      // One change at a time, its range clamped to the text as it stands: the library trusts a range,
      // and one past the end (a line number of 2^31) broke its line table for good.
      let doc = e.doc;
      for (const c of valid) {
        const clamped = 'range' in c ? { range: { start: doc.positionAt(doc.offsetAt(c.range.start)), end: doc.positionAt(doc.offsetAt(c.range.end)) }, text: c.text } : c;
        doc = TextDocument.update(doc, [clamped], version);
      }
      e.doc = doc;
    }
    e.analysis = undefined;
    return true;
  }

  close(uri: string): boolean {
    const e = this.entries.get(uri);
    if (e) this.drop(e);
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
    e.lastUse = ++this.uses;
    if (e.analysis && e.analysisVersion === e.doc.version) return e.analysis;
    const text = e.doc.getText();
    if (text.length > this.maxLength()) {
      this.drop(e); // grown past the limit: its old analysis no longer counts against the budget
      return undefined;
    }
    if (text.length > INCREMENTAL_MAX) this.drop(e);
    this.makeRoom(text.length, e);
    e.analysis = analyze(text, e.previous);
    e.previous = e.analysis;
    e.analysisVersion = e.doc.version;
    this.keptTotal += text.length - e.kept;
    e.kept = text.length;
    return e.analysis;
  }

  /** Characters the kept analyses cover now (tests check the budget with it). */
  get analysedLength(): number {
    return this.keptTotal;
  }

  /** Drops the least recently used other analyses until `length` more characters fit the budget. */
  private makeRoom(length: number, keep: Entry): void {
    const budget = Math.max(this.budget(), this.maxLength());
    if (this.keptTotal - keep.kept + length <= budget) return;
    const others = [...this.entries.values()].filter((x) => x !== keep && x.kept > 0).sort((a, b) => a.lastUse - b.lastUse);
    for (const x of others) {
      if (this.keptTotal - keep.kept + length <= budget) return;
      this.drop(x);
    }
  }

  /** Forgets an entry's analyses (the next request analyses its text from scratch). */
  private drop(e: Entry): void {
    this.keptTotal -= e.kept;
    e.kept = 0;
    e.analysis = undefined;
    e.previous = undefined;
  }
}
