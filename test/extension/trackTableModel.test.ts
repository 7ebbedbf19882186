// The Page Track Table's rows, vGPU nodes, paging and filter, from gvt/trackTable data.
import * as assert from 'node:assert/strict';
import { Color } from '../../src/extension/common/itemModel';
import { ItemContext } from '../../src/extension/common/ids';
import {
  MAX_REQUEST_ROWS, TrackPager, loadMoreItem, protectionOf, removedRowItem, trackRowItem, vgpuChildren, vgpuItem,
} from '../../src/extension/common/trackTableModel';
import { row, vgpu } from './fixtures';

describe('extension: Page Track Table model', () => {
  const protection: Array<[boolean, boolean, string, string]> = [
    // tracked, protected, text, icon
    [true, true, 'tracked', 'lock'],
    [false, false, 'untracked', 'unlock'],
    [true, false, 'tracked (not protected)', 'warning'],
    [false, true, 'untracked (protected)', 'shield'],
  ];
  for (const [tracked, prot, text, icon] of protection) {
    it(`tracked=${tracked} protected=${prot} reads "${text}" with $(${icon})`, () => {
      assert.deepEqual([protectionOf({ tracked, protected: prot }).text, protectionOf({ tracked, protected: prot }).icon], [text, icon]);
      const item = trackRowItem(row({ tracked, protected: prot }));
      assert.equal(item.icon?.id, icon);
      assert.ok(item.description?.includes(text), item.description);
    });
  }

  it('a row: gfn label; handler, state, hits and priv in the description; a context menu', () => {
    const item = trackRowItem(row({ gfn: 0x103, hits: 3 }));
    assert.equal(item.label, '0x103');
    assert.equal(item.description, 'ppgtt · tracked · 3 hits · spt PT mfn 0x100007');
    assert.equal(item.contextValue, ItemContext.trackRow);
    assert.equal(item.highlights, undefined);
    assert.match(item.tooltip ?? '', /gpa \| `0x103000\.\.0x103fff`/);
    assert.equal(trackRowItem(row({ hits: 1, priv: '' })).description, 'ppgtt · tracked · 1 hit');
  });

  it('a row the last step changed is highlighted: label, colored icon, marked description', () => {
    const item = trackRowItem(row({ changed: true }));
    assert.deepEqual(item.highlights, [[0, 5]]);
    assert.equal(item.icon?.color, Color.changed);
    assert.ok(item.description?.startsWith('● '));
    assert.match(item.tooltip ?? '', /changed by the last step/);
  });

  it('removed rows are greyed; vGPU nodes summarise', () => {
    assert.equal(removedRowItem(0x104).icon?.color, Color.muted);
    const v = vgpuItem('vm1', vgpu({ registered: 4, tracked: 3, traps: 5, failsafe: true }), 2, { from: 0x100, to: 0x1ff });
    assert.equal(v.description, '4 records · 3 tracked · 5 traps · FAILSAFE · 2 changed · gfn 0x100..0x1ff');
    assert.equal(v.icon?.color, Color.error);
    assert.equal(v.collapsible, 'expanded');
  });

  it('pages: first page, Load more adds a page, reset keeps the filter', () => {
    const p = new TrackPager(200);
    assert.deepEqual(p.requests('vm1'), [{ vgpu: 'vm1', start: 0, count: 200 }]);
    p.loadMore('vm1');
    assert.deepEqual(p.requests('vm1'), [{ vgpu: 'vm1', start: 0, count: 400 }]);
    assert.deepEqual(p.requests('vm2'), [{ vgpu: 'vm2', start: 0, count: 200 }], 'per vGPU');
    p.setFilter({ from: 0x100, to: 0x1ff });
    assert.deepEqual(p.requests('vm1'), [{ vgpu: 'vm1', start: 0, count: 200, gfnFrom: 0x100, gfnTo: 0x1ff }], 'a new filter starts over');
    p.setFilter({ from: 0x100, to: Number.MAX_SAFE_INTEGER });
    assert.deepEqual(p.requests('vm1'), [{ vgpu: 'vm1', start: 0, count: 200, gfnFrom: 0x100 }], 'an open end sends no gfnTo');
    p.loadMore('vm1');
    p.reset();
    assert.equal(p.rowsWanted('vm1'), 200);
    assert.deepEqual(p.filter, { from: 0x100, to: Number.MAX_SAFE_INTEGER });
  });

  it(`asks for at most ${MAX_REQUEST_ROWS} rows per request`, () => {
    const p = new TrackPager(9_000);
    p.loadMore('vm1'); // 18000 rows
    assert.deepEqual(p.requests('vm1').map((a) => [a.start, a.count]), [[0, 10_000], [10_000, 8_000]]);
  });

  it('children: rows, removed rows in the filter, Load more while rows remain, or a message', () => {
    const p = new TrackPager(2);
    const kinds = (rows: number, total: number, removed: number[]) =>
      vgpuChildren({ rows: Array.from({ length: rows }, (_, i) => row({ gfn: 0x100 + i })), total, removed }, p).map((c) => c.kind).join(',');
    assert.equal(kinds(2, 2, []), 'row,row');
    assert.equal(kinds(2, 5, [0x300]), 'row,row,removed,more');
    assert.equal(kinds(0, 0, []), 'empty');
    p.setFilter({ from: 0x100, to: 0x1ff });
    assert.equal(kinds(1, 1, [0x300, 0x150]), 'row,removed');
    const [empty] = vgpuChildren({ rows: [], total: 0, removed: [] }, p);
    assert.deepEqual(empty, { kind: 'empty', text: 'No records in gfn 0x100..0x1ff' });
  });

  it('Load more says how many rows are shown and come next', () => {
    assert.equal(loadMoreItem(200, 450, 200).description, '200 of 450 rows shown; next 200');
    assert.equal(loadMoreItem(400, 450, 200).description, '400 of 450 rows shown; next 50');
  });

  it('formats a first page of a 100k-row table quickly', () => {
    const rows = Array.from({ length: 200 }, (_, i) => row({ gfn: i, hits: i, changed: i % 7 === 0 }));
    const t0 = performance.now();
    const p = new TrackPager();
    for (const c of vgpuChildren({ rows, total: 100_000, removed: [] }, p)) if (c.kind === 'row') trackRowItem(c.row);
    const ms = performance.now() - t0;
    assert.ok(ms < 20, `${ms.toFixed(1)} ms`);
  });
});
