// Rename of vGPU, handler, `let` and loop names. prepareRename says whether the cursor is on a
// renameable name (not a keyword, not a built-in handler); rename checks the new name (a valid
// name, not a keyword, no clash with a name of the same kind in the same scope) and returns one
// edit per occurrence. Problems are values, as the rest of src/dsl.

import type { Span } from '../ast';
import { namespaceOf, type SymbolDef } from '../symbols';
import type { Analysis } from './analysis';
import type { TextEdit } from './edits';
import { ALL_KEYWORDS } from './grammar';
import { NAME_PATTERN, lineTokens, tokenAt } from './lineTokens';
import { occurrenceAt } from './navigation';
import { ERRNO_NAMES } from './wordDocs';

export type PrepareRenameResult = { readonly span: Span; readonly placeholder: string } | { readonly error: string };
export type RenameResult = { readonly edits: TextEdit[] } | { readonly error: string };

export function prepareRename(a: Analysis, offset: number): PrepareRenameResult {
  const occ = occurrenceAt(a, offset);
  if (!occ) {
    const tok = tokenAt(lineTokens(a.text, Math.max(0, Math.min(offset, a.text.length))).tokens, offset);
    if (tok?.kind === 'name' && ALL_KEYWORDS.has(tok.text)) return { error: `'${tok.text}' is a keyword and cannot be renamed` };
    return { error: 'Only vGPU, handler, let and loop names can be renamed' };
  }
  if (!occ.def.ident) return { error: `'${occ.def.name}' is a built-in handler and cannot be renamed` };
  return { span: occ.span, placeholder: occ.def.name };
}

export function rename(a: Analysis, offset: number, newName: string): RenameResult {
  const prepared = prepareRename(a, offset);
  if ('error' in prepared) return prepared;
  const def = a.symbols.definitionAt(offset)!;
  const problem = checkNewName(a, def, newName);
  if (problem) return { error: problem };
  if (newName === def.name) return { edits: [] };
  return { edits: a.symbols.occurrencesOf(def).map((s) => ({ start: s.start, end: s.end, newText: newName })) };
}

/** Why newName cannot replace def's name, or undefined if it can. */
function checkNewName(a: Analysis, def: SymbolDef, newName: string): string | undefined {
  if (!NAME_PATTERN.test(newName)) return `'${newName}' is not a valid name (letters, digits, '_' and inner '-'; not starting with a digit)`;
  if (ALL_KEYWORDS.has(newName)) return `'${newName}' is a keyword`;
  if (def.kind === 'handler' && (newName === 'log' || newName === 'ppgtt')) return `'${newName}' is a built-in handler`;
  if (ERRNO_NAMES.includes(newName)) return `'${newName}' reads as an error code after '-'`;
  if (newName === def.name) return undefined;
  const ns = namespaceOf(def.kind);
  const clash = a.symbols.definitions.find((d) => d !== def && namespaceOf(d.kind) === ns && d.name === newName && overlaps(d.scope, def.scope));
  if (clash) {
    const where = clash.ident ? ` (line ${a.lines.positionAt(clash.ident.start).line + 1})` : '';
    return `'${newName}' is already defined${where}`;
  }
  // An unresolved use of newName in the symbol's scope would start to mean the renamed symbol.
  const captured = a.symbols.references.find((r) => !r.def && r.namespace === ns && r.name === newName && overlaps(r.span, def.scope));
  if (captured) return `'${newName}' is used at line ${a.lines.positionAt(captured.span.start).line + 1} (unresolved): the rename would change what it means`;
  return undefined;
}

const overlaps = (x: Span, y: Span): boolean => x.start <= y.end && y.start <= x.end;
