// Quick fixes for common mistakes, from the analysis's own diagnostics (never the client's copy):
// - a "did you mean" (unknown statement, vGPU, handler or name): replace with the suggestion;
// - an unknown vGPU: insert `vgpu NAME` at the top (after `kernel`); an unknown handler: declare it;
// - enable/disable of a gfn never registered: insert `register VGPU gfn X handler log` above;
// - a misspelled sub-keyword (`handlr`, `u46`): replace with the closest word the grammar expects;
// - a size with a lower-case suffix (`4k`): upper-case it.

import type { Span, Stmt } from '../ast';
import type { Diagnostic } from '../diagnostic';
import { closest } from '../suggest';
import type { Analysis } from './analysis';
import { statementAt } from './astQuery';
import { insert, replace, type TextEdit } from './edits';
import { expectationsAfter } from './expectations';
import { lineStartOf, lineTokens, tokenAt } from './lineTokens';

export interface CodeActionEntry {
  readonly title: string;
  readonly kind: 'quickfix';
  /** The diagnostic this fixes. */
  readonly diagnostic: Diagnostic;
  readonly edits: TextEdit[];
  readonly preferred?: boolean;
}

/** The fixes for diagnostics that touch span. */
export function codeActions(a: Analysis, span: Span): CodeActionEntry[] {
  const out: CodeActionEntry[] = [];
  for (const d of a.diagnostics) {
    if (d.end < span.start || d.start > span.end) continue;
    out.push(...fixesFor(a, d));
  }
  return out;
}

function fixesFor(a: Analysis, d: Diagnostic): CodeActionEntry[] {
  const fix = (title: string, edits: TextEdit[], preferred = false): CodeActionEntry => ({ title, kind: 'quickfix', diagnostic: d, edits, preferred });
  const word = a.text.slice(d.start, d.end);
  const out: CodeActionEntry[] = [];
  if (d.suggestion !== undefined) out.push(fix(`Change '${word}' to '${d.suggestion}'`, [replace(d.start, d.end, d.suggestion)], true));
  switch (d.code) {
    case 'unknown-vgpu':
      out.push(fix(`Define vGPU '${word}' at the top`, [insert(topInsertion(a), `vgpu ${word}${eol(a.text)}`)], d.suggestion === undefined));
      break;
    case 'unknown-handler':
      out.push(fix(`Declare handler '${word}' returning 0`, [insert(topInsertion(a), `handler ${word} returns 0${eol(a.text)}`)], d.suggestion === undefined));
      break;
    case 'enable-unregistered': {
      const s = statementAt(a.program, d.start);
      if (s && (s.kind === 'enable' || s.kind === 'disable')) out.push(fix(`Register gfn ${word} first (handler log)`, [registerAbove(a, s)], true));
      break;
    }
    case 'unexpected-token': {
      const guess = keywordGuess(a, d.start);
      if (guess) out.push(fix(`Change '${guess.word}' to '${guess.fix}'`, [replace(guess.span.start, guess.span.end, guess.fix)], true));
      break;
    }
    case 'invalid-number':
      if (/^[0-9]+[kmg]$/.test(word)) out.push(fix(`Change '${word}' to '${word.toUpperCase()}'`, [replace(d.start, d.end, word.toUpperCase())], true));
      break;
  }
  return out;
}

const eol = (text: string): string => (text.includes('\r\n') ? '\r\n' : '\n');

/** Where a new definition goes: after a leading `kernel` line, else before the first statement. */
function topInsertion(a: Analysis): number {
  const first = a.program.statements[0];
  if (!first) return a.text.length === 0 || /[\r\n]$/.test(a.text) ? a.text.length : 0;
  if (first.kind !== 'kernel') return lineStartOf(a.text, first.start);
  const line = a.lines.positionAt(first.end).line;
  if (line + 1 < a.lines.lineCount) return a.lines.lineStart(line + 1);
  return a.text.length; // `kernel` is the last line: the edit starts a new one
}

/** `register VGPU gfn X handler log` on its own line above an enable/disable, at its indentation. */
function registerAbove(a: Analysis, s: Extract<Stmt, { kind: 'unregister' | 'enable' | 'disable' | 'find' }>): TextEdit {
  const start = lineStartOf(a.text, s.start);
  const indent = a.text.slice(start, s.start);
  const gfn = a.text.slice(s.gfn.span.start, s.gfn.span.end);
  return insert(start, `${indent}register ${s.vgpu.name} gfn ${gfn} handler log${eol(a.text)}`);
}

/** A name where the grammar wanted a keyword, and the closest keyword it wanted. */
function keywordGuess(a: Analysis, offset: number): { word: string; fix: string; span: Span } | undefined {
  const line = lineTokens(a.text, offset);
  const tok = tokenAt(line.tokens, offset);
  if (!tok || tok.kind !== 'name' || tok.start !== offset) return undefined;
  const before = line.tokens.filter((t) => t.end <= tok.start);
  const words = expectationsAfter(before).flatMap((x) => (x.kind === 'word' ? [x.word] : []));
  const fix = closestKeyword(tok.text, words);
  return fix ? { word: tok.text, fix, span: tok } : undefined;
}

/** closest(), but a word with the same letters (a swap: `u46` → `u64`) wins a tie. */
function closestKeyword(word: string, words: readonly string[]): string | undefined {
  const letters = (w: string): string => [...w].sort().join('');
  const guess = closest(word, words);
  const anagram = words.find((w) => w !== word && letters(w) === letters(word));
  return anagram !== undefined && guess !== undefined ? anagram : guess;
}
