// The names of a scenario: every definition (vGPUs, handlers with the built-ins `log` and `ppgtt`,
// `let` names, `repeat ... as` loop variables) and every reference resolved to one. The checker
// fills it; the language server answers go-to-definition, find-references, rename, document
// symbols and completion from it, all by offset.
//
// Three namespaces: vGPUs, handlers and values (`let` and loop names); the same word may name a
// vGPU and a handler. vGPUs and handlers are visible from their definition to the end of the file
// (the simulation's machine is global), values from their definition to the end of their block.

import type { Ident, Span, Stmt } from './ast';
import type { U64 } from './value';

export type SymbolKind = 'vgpu' | 'handler' | 'let' | 'loop';
export type Namespace = 'vgpu' | 'handler' | 'value';

export const namespaceOf = (kind: SymbolKind): Namespace => (kind === 'let' || kind === 'loop' ? 'value' : kind);

export interface SymbolDef {
  readonly kind: SymbolKind;
  readonly name: string;
  /** The defining name; undefined for the built-in handlers. */
  readonly ident: Ident | undefined;
  /** The defining statement (`vgpu`, `handler`, `let` or `repeat`); undefined for the built-ins. */
  readonly stmt: Stmt | undefined;
  /** Where the name may be used (a built-in: everywhere). */
  readonly scope: Span;
  /** A `let` bound once, to a constant: its value (for hovers). */
  value?: U64;
}

export interface SymbolRef {
  readonly name: string;
  /** The referring identifier. */
  readonly span: Span;
  readonly namespace: Namespace;
  /** Undefined when the name resolves to nothing (the checker reported it). */
  readonly def: SymbolDef | undefined;
  /** A `let` of a name already bound (an assignment), or a second `vgpu`/`handler` of a name. */
  readonly write: boolean;
}

/** An identifier that names a symbol: its definition or one of its references. */
export interface Occurrence {
  readonly span: Span;
  readonly def: SymbolDef;
  readonly isDefinition: boolean;
}

export class SymbolTable {
  /** In source order (built-ins first). */
  readonly definitions: SymbolDef[] = [];
  /** In source order of the referring statements. */
  readonly references: SymbolRef[] = [];
  private sorted: Occurrence[] | undefined;

  define(def: SymbolDef): SymbolDef {
    this.definitions.push(def);
    this.sorted = undefined;
    return def;
  }

  reference(ref: SymbolRef): void {
    this.references.push(ref);
    this.sorted = undefined;
  }

  /** Every definition and resolved reference, by start offset. */
  occurrences(): readonly Occurrence[] {
    if (!this.sorted) {
      const all: Occurrence[] = [];
      for (const d of this.definitions) if (d.ident) all.push({ span: d.ident, def: d, isDefinition: true });
      for (const r of this.references) if (r.def) all.push({ span: r.span, def: r.def, isDefinition: false });
      this.sorted = all.sort((a, b) => a.span.start - b.span.start);
    }
    return this.sorted;
  }

  /** The occurrence whose identifier contains offset (its end counts: the cursor just after a name). */
  occurrenceAt(offset: number): Occurrence | undefined {
    const all = this.occurrences();
    let lo = 0;
    let hi = all.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid].span.start <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Where two identifiers touch (`a` ends where `b` starts cannot happen in this grammar), prefer the later.
    return found >= 0 && offset <= all[found].span.end ? all[found] : undefined;
  }

  /** The definition of the name at offset, whether offset is on the definition or on a reference. */
  definitionAt(offset: number): SymbolDef | undefined {
    return this.occurrenceAt(offset)?.def;
  }

  /** The spans of every occurrence of a symbol, in source order (for find-references and rename). */
  occurrencesOf(def: SymbolDef, includeDefinition = true): Span[] {
    return this.occurrences()
      .filter((o) => o.def === def && (includeDefinition || !o.isDefinition))
      .map((o) => o.span);
  }

  /** The names visible at offset (defined before it, in scope there), optionally of one namespace. */
  scopeAt(offset: number, namespace?: Namespace): SymbolDef[] {
    const seen = new Set<string>();
    const out: SymbolDef[] = [];
    for (let i = this.definitions.length - 1; i >= 0; i--) {
      const d = this.definitions[i];
      const ns = namespaceOf(d.kind);
      if (namespace !== undefined && ns !== namespace) continue;
      if (d.ident && (d.ident.end > offset || offset > d.scope.end)) continue;
      const key = `${ns}:${d.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    return out.reverse();
  }
}
