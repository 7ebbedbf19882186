// One completion item as the language features produce it (the server maps it to LSP's
// CompletionItem). Apart from completion.ts so the snippet tables can build items without importing it.

export type CompletionKind = 'keyword' | 'snippet' | 'vgpu' | 'handler' | 'value' | 'errno' | 'constant' | 'operator';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** What to insert (default: the label); a TextMate snippet when `snippet` is set. */
  readonly insertText?: string;
  readonly snippet?: boolean;
  /** The same insertion without placeholders, for editors without snippet support. */
  readonly plainText?: string;
  readonly filterText?: string;
  /** Sorts within the list (lower first). */
  readonly sortText?: string;
}
