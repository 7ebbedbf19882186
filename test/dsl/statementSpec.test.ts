// Every statement kind has everything a statement needs: a keyword with a parser and a completion
// grammar, documentation naming what it does, operands defined in one place, highlighting of its
// keyword by the TextMate grammar, and a section in docs/language.md. A new kind that misses one
// fails here (or, for the typed tables, at compile time).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAZARD_NAMES, type StmtKind } from '../../src/dsl/ast';
import { parse } from '../../src/dsl/parser';
import { PLATFORMS, PROFILES } from '../../src/core';
import { STATEMENT_GRAMMAR } from '../../src/dsl/features/grammar';
import { STATEMENT_DOCS } from '../../src/dsl/features/statementDocs';
import { STATEMENT_PARSERS } from '../../src/dsl/parseStatement';
import { STATEMENT_KEYWORDS, isSilent, isStoreStatement } from '../../src/dsl/statementSpec';

const ROOT = join(__dirname, '..', '..', '..');
const language = readFileSync(join(ROOT, 'docs', 'language.md'), 'utf8');
const tm = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'gvt.tmLanguage.json'), 'utf8')) as { repository: { statement: { patterns: Array<{ match: string }> } } };
const statementPatterns = tm.repository.statement.patterns.map((p) => new RegExp(p.match));

const KINDS = Object.keys(STATEMENT_DOCS).filter((k) => k !== 'expectNoTrap') as StmtKind[];

describe('dsl: one specification per statement kind', () => {
  it('every keyword has a parser (but repeat, which the parser owns) and a completion grammar', () => {
    for (const k of STATEMENT_KEYWORDS) {
      assert.ok(Object.hasOwn(STATEMENT_GRAMMAR, k), `grammar for ${k}`);
      if (k !== 'repeat') assert.ok(Object.hasOwn(STATEMENT_PARSERS, k), `parser for ${k}`);
    }
  });

  for (const kind of KINDS) {
    it(`${kind}: documented, highlighted, in the language reference`, () => {
      const doc = STATEMENT_DOCS[kind as keyof typeof STATEMENT_DOCS];
      assert.ok(doc.summary.length > 20, 'a summary');
      assert.ok(doc.syntax.length > 0 && doc.syntax[0].startsWith(doc.keyword), 'its form starts with its keyword');
      assert.ok(statementPatterns.some((re) => re.test(`${doc.keyword} vm1`)), `the TextMate grammar highlights '${doc.keyword}'`);
      assert.ok(language.includes('`' + doc.syntax[0].split(' ')[0]), `docs/language.md has '${doc.keyword}'`);
    });
  }

  it('stores and silence are facts of the kind', () => {
    assert.deepEqual(KINDS.filter(isStoreStatement).sort(), ['map', 'pagetable', 'unmap', 'write']);
    assert.ok(isSilent('vgpu') && isSilent('platform') && !isSilent('write'));
  });
});

describe('dsl: the front end names what the core models', () => {
  it('kernel and platform lines take exactly the core\'s profiles and platforms', () => {
    const errors = (text: string): number => parse(text).diagnostics.filter((d) => d.severity === 'error').length;
    for (const p of PROFILES) assert.equal(errors(`kernel ${p}\n`), 0, p);
    for (const p of PLATFORMS) assert.equal(errors(`platform ${p}\n`), 0, p);
    assert.ok(errors('kernel oldest\n') > 0 && errors('platform gen12\n') > 0);
  });

  it('hazard names are the core\'s hazard kinds', () => {
    const kinds: Array<import('../../src/core').HazardKind> = [...HAZARD_NAMES];
    assert.equal(new Set(kinds).size, HAZARD_NAMES.length);
  });
});

