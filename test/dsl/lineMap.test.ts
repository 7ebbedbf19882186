// Offsets <-> 0-based positions over \n, \r\n and lone \r line breaks.

import { strict as assert } from 'node:assert';
import { LineMap } from '../../src/dsl/lineMap';

describe('dsl/lineMap', () => {
  const text = 'ab\ncd\r\nef\rg\n';
  const m = new LineMap(text);
  const cases: [number, number, number][] = [
    [0, 0, 0], [1, 0, 1], [2, 0, 2], [3, 1, 0], [5, 1, 2], [7, 2, 0], [9, 2, 2], [10, 3, 0], [11, 3, 1], [12, 4, 0],
  ];
  for (const [offset, line, character] of cases) {
    it(`${offset} ↔ ${line}:${character}`, () => {
      assert.deepEqual(m.positionAt(offset), { line, character });
      assert.equal(m.offsetAt({ line, character }), offset);
    });
  }
  it('clamps', () => {
    assert.deepEqual(m.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(m.positionAt(999), { line: 4, character: 0 });
    assert.equal(m.offsetAt({ line: 0, character: 99 }), 2);
    assert.equal(m.offsetAt({ line: 99, character: 0 }), text.length);
  });
  it('line texts', () => {
    assert.equal(m.lineCount, 5);
    assert.deepEqual([0, 1, 2, 3, 4].map((l) => m.lineText(l)), ['ab', 'cd', 'ef', 'g', '']);
  });
  it('empty text', () => {
    const e = new LineMap('');
    assert.deepEqual(e.positionAt(0), { line: 0, character: 0 });
    assert.equal(e.lineCount, 1);
  });
});
