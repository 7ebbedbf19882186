// The server's settings: defaults, overridden by the client's `initializationOptions`. Every value
// is checked (a client may send anything); a bad one keeps its default.

export interface ServerConfig {
  /** Milliseconds between the last change and re-checking the document (debounce). */
  readonly diagnosticsDelay: number;
  /** Documents longer than this (in characters) are not analysed: one diagnostic says so. */
  readonly maxDocumentLength: number;
  /**
   * Characters the kept analyses of all open documents may cover together (an analysis costs 60-150
   * bytes a character); past it the least recently used are dropped and redone on demand.
   */
  readonly maxAnalysedLength: number;
  /** At most this many diagnostics are published per document. */
  readonly maxDiagnostics: number;
  /** Spaces per `repeat` level when formatting (the client's tabSize is not used: the style is fixed). */
  readonly indent: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  diagnosticsDelay: 100,
  maxDocumentLength: 16 * 1024 * 1024,
  maxAnalysedLength: 16 * 1024 * 1024,
  maxDiagnostics: 1000,
  indent: 2,
};

/**
 * The largest maxDocumentLength a client may set: 80 Mi characters, whose didOpen (6 bytes a
 * character at worst in JSON) stays under V8's longest string (512 Mi), so it can still be read.
 */
const MAX_DOCUMENT_LENGTH = 80 * 1024 * 1024;

function intIn(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

export function readConfig(initializationOptions: unknown): ServerConfig {
  const o = typeof initializationOptions === 'object' && initializationOptions !== null ? (initializationOptions as Record<string, unknown>) : {};
  return {
    diagnosticsDelay: intIn(o.diagnosticsDelay, 0, 10_000) ?? DEFAULT_CONFIG.diagnosticsDelay,
    maxDocumentLength: intIn(o.maxDocumentLength, 0, MAX_DOCUMENT_LENGTH) ?? DEFAULT_CONFIG.maxDocumentLength,
    maxAnalysedLength: intIn(o.maxAnalysedLength, 0, MAX_DOCUMENT_LENGTH) ?? DEFAULT_CONFIG.maxAnalysedLength,
    maxDiagnostics: intIn(o.maxDiagnostics, 1, 100_000) ?? DEFAULT_CONFIG.maxDiagnostics,
    indent: intIn(o.indent, 0, 8) ?? DEFAULT_CONFIG.indent,
  };
}
