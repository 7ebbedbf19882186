// Text edits as the editor features return them: offsets into the analysed text (the language
// server turns them into LSP ranges). Pure values.

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export const replace = (start: number, end: number, newText: string): TextEdit => ({ start, end, newText });
export const insert = (at: number, newText: string): TextEdit => ({ start: at, end: at, newText });
