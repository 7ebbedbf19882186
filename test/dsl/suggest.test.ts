// "Did you mean": the closest name within a distance, and a per-file budget on the work, counted in
// candidates and in cells of the distance tables.
import * as assert from 'node:assert/strict';
import { SuggestBudget, closest } from '../../src/dsl/suggest';

describe('dsl/suggest', () => {
  it('suggests the closest name within a third of the word, case first', () => {
    assert.equal(closest('regster', ['register', 'unregister']), 'register');
    assert.equal(closest('BASE', ['base', 'bass']), 'base');
    assert.equal(closest('xyz', ['register']), undefined);
  });

  it('stops suggesting once a file has spent its cells: 64-character names that differ at their ends', () => {
    const names = Array.from({ length: 700 }, (_, k) => 'a'.repeat(61) + k.toString(36).padStart(3, 'b'));
    const budget = new SuggestBudget();
    let suggested = 0;
    let asked = 0;
    for (let k = 0; k < 300; k++) {
      asked++;
      if (closest('a'.repeat(61) + String(k).padStart(3, '0'), names, budget) !== undefined) suggested++;
      if (budget.cells < 0) break;
    }
    assert.ok(suggested > 0, 'the first ones get a suggestion');
    assert.ok(asked < 300, `the budget ran out (${asked} asked, ${suggested} suggested)`);
    assert.equal(closest('a'.repeat(61) + 'zzz', names, budget), undefined, 'none once it is spent');
  });
});
