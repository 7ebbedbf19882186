// A didChange with many edits, applied in one pass over the document's lines. TextDocument.update
// rebuilds the whole text and shifts every later line offset for each edit, so 40,000 edits to a
// 20,000-line document took 13 s; here an edit costs its line(s), not the document. Positions are
// read exactly as TextDocument reads them (a line past the end is the end, a character past the
// line's text is its end, a reversed range is turned round), each against the text left by the
// edits before it. Pure: text and edits in, text out.

import type { Range } from 'vscode-languageserver';

interface Line {
  text: string;
  /** The line break after it: '\r\n', '\r', '\n', or '' for the last line. */
  eol: string;
}

function splitLines(s: string): Line[] {
  const out: Line[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 13 && c !== 10) continue;
    const eol = c === 13 && s.charCodeAt(i + 1) === 10 ? '\r\n' : s[i];
    out.push({ text: s.slice(from, i), eol });
    i += eol.length - 1;
    from = i + 1;
  }
  out.push({ text: s.slice(from), eol: '' });
  return out;
}

/** A position as TextDocument.offsetAt resolves it: [line, character] inside the text. */
function resolve(lines: readonly Line[], line: number, character: number): [number, number] {
  if (line >= lines.length) return [lines.length - 1, lines[lines.length - 1].text.length];
  if (line < 0) return [0, 0];
  return [line, Math.max(0, Math.min(character, lines[line].text.length))];
}

const before = (a: { line: number; character: number }, b: { line: number; character: number }): boolean => a.line < b.line || (a.line === b.line && a.character < b.character);

/** New lines passed to splice as arguments at most (each is one argument on the call stack). */
const SPREAD_MAX = 4096;

/** The text after applying `edits` to `text` in order. */
export function applyEdits(text: string, edits: ReadonlyArray<{ range: Range; text: string }>): string {
  let lines = splitLines(text);
  for (const e of edits) {
    const [s0, e0] = before(e.range.end, e.range.start) ? [e.range.end, e.range.start] : [e.range.start, e.range.end];
    const [start, sc] = resolve(lines, s0.line, s0.character);
    const [el, ec] = resolve(lines, e0.line, e0.character);
    let sl = start;
    let prefix = lines[sl].text.slice(0, sc);
    // A line that ends in a lone CR, followed by text starting with LF, would become one CRLF break.
    if (sc === 0 && sl > 0 && lines[sl - 1].eol === '\r') {
      sl--;
      prefix = lines[sl].text + '\r';
    }
    const joined = prefix + e.text + lines[el].text.slice(ec) + lines[el].eol;
    const fresh = splitLines(joined);
    // The joined text ends where line el did: with its break, or at the document's end.
    if (lines[el].eol !== '') fresh.pop();
    if (fresh.length <= SPREAD_MAX) lines.splice(sl, el - sl + 1, ...fresh);
    else lines = [...lines.slice(0, sl), ...fresh, ...lines.slice(el + 1)]; // as many arguments would overflow the call stack
  }
  let out = '';
  for (const l of lines) out += l.text + l.eol;
  return out;
}
