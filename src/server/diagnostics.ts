// Diagnostics as you type: after each change the document is re-checked once the client has been
// quiet for `diagnosticsDelay` ms (a debounce), and the result is published with the version it
// was computed for. A result whose version is no longer the document's is dropped; closing a
// document clears its diagnostics. Timers never throw: a failure is logged and publishes nothing.

import { DiagnosticSeverity, type Connection, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { ServerConfig } from './config';
import { SOURCE, toDiagnostic } from './convert';
import type { DocumentStore } from './documentStore';

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly config: () => ServerConfig,
  ) {}

  /** Re-check uri after the debounce (or at once with delay 0, e.g. on open). */
  schedule(uri: string, delay = this.config().diagnosticsDelay): void {
    this.cancel(uri);
    const version = this.store.get(uri)?.version;
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri, version);
      }, delay),
    );
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(uri);
  }

  /** On close: forget the document's problems. */
  clear(uri: string): void {
    this.cancel(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  dispose(): void {
    for (const uri of [...this.timers.keys()]) this.cancel(uri);
  }

  private publish(uri: string, version: number | undefined): void {
    try {
      const doc = this.store.get(uri);
      if (!doc || doc.version !== version) return; // closed or changed since: a newer timer is due
      const diagnostics = this.compute(uri);
      if (this.store.get(uri)?.version !== version) return; // stale
      void this.connection.sendDiagnostics({ uri, version, diagnostics }).catch(() => undefined);
    } catch (e) {
      this.connection.console.error(`gvt: diagnostics for ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  compute(uri: string): LspDiagnostic[] {
    const doc = this.store.get(uri);
    if (!doc) return [];
    const cfg = this.config();
    const a = this.store.analysis(uri);
    if (!a) {
      const length = doc.getText().length;
      return [info(`file too large to check (${length} characters; the limit is ${cfg.maxDocumentLength})`)];
    }
    const all = a.diagnostics;
    const shown = all.length > cfg.maxDiagnostics ? all.slice(0, cfg.maxDiagnostics) : all;
    const out = shown.map((d) => toDiagnostic(a.lines, d));
    if (all.length > shown.length) {
      const last = out[out.length - 1].range.start;
      out.push({ ...info(`${all.length - shown.length} more problems not shown`), range: { start: last, end: last } });
    }
    return out;
  }
}

function info(message: string): LspDiagnostic {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: SOURCE, code: 'not-checked', message };
}
