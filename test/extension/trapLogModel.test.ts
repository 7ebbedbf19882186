// The Trap Log: one item per trapped store, newest first.
import * as assert from 'node:assert/strict';
import { ItemContext } from '../../src/extension/common/ids';
import { Color } from '../../src/extension/common/itemModel';
import { trapItem, trapLogDescription, trapsNewestFirst } from '../../src/extension/common/trapLogModel';
import { trap } from './fixtures';

describe('extension: Trap Log model', () => {
  it('an entry: gpa on the label; vGPU, bytes, record and line in the description', () => {
    const item = trapItem(trap(), 20);
    assert.equal(item.label, 'gpa 0x103010');
    assert.equal(item.description, 'vm1 · 8 bytes · tracked record · line 22');
    assert.equal(item.contextValue, ItemContext.trap);
    assert.match(item.tooltip ?? '', /gfn `0x103`, offset `0x10`/);
  });

  const icons: Array<[NonNullable<Parameters<typeof trap>[0]>, string]> = [
    [{ record: 'tracked' }, 'debug-breakpoint-data'],
    [{ record: 'untracked' }, 'circle-slash'],
    [{ record: 'none' }, 'warning'],
  ];
  for (const [o, icon] of icons) it(`record ${o.record}: $(${icon})`, () => assert.equal(trapItem(trap(o), 99).icon?.id, icon));

  it('the last statement\'s traps are colored', () => {
    assert.equal(trapItem(trap({ step: 12 }), 13).icon?.color, Color.changed);
    assert.equal(trapItem(trap({ step: 11 }), 13).icon?.color, undefined);
  });

  it('shows handler and result when the adapter sends them', () => {
    const item = trapItem({ ...trap({ bytes: 1 }), handler: 'audit', result: -22 }, 0);
    assert.equal(item.description, 'vm1 · 1 byte · → audit · ret -22 · tracked record · line 22');
    assert.equal(item.icon?.id, 'warning');
  });

  it('newest first; the description counts', () => {
    const body = { step: 30, total: 2500, entries: [trap({ step: 1 }), trap({ step: 2 })] };
    assert.deepEqual(trapsNewestFirst(body).map((e) => e.step), [2, 1]);
    assert.deepEqual(body.entries.map((e) => e.step), [1, 2], 'the body is not reordered');
    assert.equal(trapLogDescription(body), 'last 2 of 2500');
    assert.equal(trapLogDescription({ step: 3, total: 1, entries: [trap()] }), '1 trap');
    assert.equal(trapLogDescription({ step: 3, total: 0, entries: [] }), '');
  });
});
