// Numbers as users type them in the gfn filter and as scenarios spell them.
import * as assert from 'node:assert/strict';
import { formatGfnRange, parseGfnRange, parseNumber } from '../../src/extension/common/numbers';

describe('extension: numbers', () => {
  const numbers: Array<[string, number | undefined]> = [
    ['42', 42], ['0x2a', 42], ['0X2A', 42], ['0x4000_0000', 0x40000000], ['1_000', 1000], [' 7 ', 7],
    ['', undefined], ['0x', undefined], ['12a', undefined], ['_1', undefined], ['1__0', undefined], ['-1', undefined], ['0x1_', undefined],
  ];
  for (const [text, want] of numbers) it(`parseNumber(${JSON.stringify(text)}) = ${want}`, () => assert.equal(parseNumber(text), want));

  const MAX = Number.MAX_SAFE_INTEGER;
  const ranges: Array<[string, { from: number; to: number } | undefined | RegExp]> = [
    ['', undefined], ['   ', undefined],
    ['0x100', { from: 0x100, to: 0x100 }],
    ['0x100..0x1ff', { from: 0x100, to: 0x1ff }],
    ['0x100 .. 0x1ff', { from: 0x100, to: 0x1ff }],
    ['256-511', { from: 256, to: 511 }],
    ['0x100..', { from: 0x100, to: MAX }],
    ['..0x1ff', { from: 0, to: 0x1ff }],
    ['0x200..0x100', /empty/],
    ['zz', /not a number/],
    ['1..2..3', /not a gfn or a range/],
  ];
  for (const [text, want] of ranges) {
    it(`parseGfnRange(${JSON.stringify(text)})`, () => {
      const r = parseGfnRange(text);
      if (want instanceof RegExp) assert.match(String(r), want);
      else assert.deepEqual(r, want);
    });
  }

  it('formats ranges the way the filter box reads them back', () => {
    assert.equal(formatGfnRange({ from: 0x100, to: 0x100 }), 'gfn 0x100');
    assert.equal(formatGfnRange({ from: 0x100, to: 0x1ff }), 'gfn 0x100..0x1ff');
    assert.equal(formatGfnRange({ from: 0x100, to: MAX }), 'gfn 0x100..');
    for (const r of [{ from: 0x100, to: 0x100 }, { from: 1, to: 0x1ff }, { from: 0x100, to: MAX }]) {
      assert.deepEqual(parseGfnRange(formatGfnRange(r).replace(/^gfn /, '')), r);
    }
  });
});
