// A 50,000-line scenario (the language server re-checks on every change): correct results only,
// no timing assertion (timings are for `npm run bench`, not for a shared CI machine).

import { strict as assert } from 'node:assert';
import { check } from '../../src/dsl/checker';
import { parse } from '../../src/dsl/parser';
import { largeScenario } from './largeScenario';

describe('dsl: a 50,000-line scenario', () => {
  it('parses and checks without diagnostics', () => {
    const text = largeScenario();
    assert.equal(text.split('\n').length - 1, 50_000);
    const p = parse(text);
    const c = check(p.program, text);
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(c.diagnostics, []);
    assert.ok(p.program.statements.length > 30_000);
    assert.ok(c.symbols.references.length > 40_000);
  });
});
