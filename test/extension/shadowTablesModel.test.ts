// The Shadow Page Tables view: spts by level, entries guest beside shadow, marks.
import * as assert from 'node:assert/strict';
import { ItemContext } from '../../src/extension/common/ids';
import { Color } from '../../src/extension/common/itemModel';
import { dmaGroupItem, dmaItem, entryItem, mmItem, sizeOfPages, sptItem, sptMarks, targetText, unreachableGroupItem, vgpuShadowItem } from '../../src/extension/common/shadowTablesModel';
import type { PpgttMmNode, VgpuShadowTables } from '../../src/debug/protocol';
import { entry, spt } from './fixtures';

const mm = (o: Partial<PpgttMmNode> = {}): PpgttMmNode => ({
  vgpu: 'vm1', rootGfn: 0x100, rootType: 'L4', pdps: [0x100], shadowed: true, active: true, pincount: 0, refs: 1, roots: [], ...o,
});
const tables = (o: Partial<VgpuShadowTables> = {}): VgpuShadowTables => ({
  vgpu: 'vm1', mms: [], sptCount: 0, unreachable: [], postShadowQueue: [], dma: [], dmaTotal: 0, ipsEnabled: true, attached: true, ...o,
});

describe('extension: Shadow Page Tables model', () => {
  it('a vGPU: mms, spts, leaks and the post-shadow queue', () => {
    const item = vgpuShadowItem(tables({ mms: [mm({ pincount: 1 })], sptCount: 4, unreachable: [spt()], postShadowQueue: [1, 2] }));
    assert.equal(item.description, '1 PPGTT · 4 spts · 1 unreachable · 2 queued for post-shadow');
    assert.equal(item.icon?.color, Color.warning);
    assert.equal(vgpuShadowItem(tables({ vgpu: 'vm2' })).collapsible, 'none');
    assert.equal(unreachableGroupItem(3).description, '3: no PPGTT reaches them');
  });

  it('an mm: root gfn, shadowed, active, refcount, pincount', () => {
    const root = spt({ level: 'PML4', gfn: 0x100, mfn: 0x100000 });
    const item = mmItem(mm({ pincount: 2, refs: 2, root, roots: [root] }));
    assert.equal(item.label, 'PPGTT root gfn 0x100');
    assert.equal(item.description, 'shadowed · active (the GPU walks it) · refcount 2 · pincount 2');
    assert.match(String(item.tooltip), /Reference count 2/);
    assert.equal(item.collapsible, 'expanded');
    assert.equal(mmItem(mm({ rootGfn: 0x200, pdps: [0x200], shadowed: false, active: false, pincount: 0 })).collapsible, 'none');
  });

  it('a 32-bit mm: its four root pointers on the label', () => {
    const item = mmItem(mm({ rootType: 'L3', pdps: [0x100, 0x101, 0, 0x102] }));
    assert.equal(item.label, 'PPGTT (32-bit) pdps 0x100 0x101 0x0 0x102');
    assert.match(String(item.tooltip), /32-bit/);
  });

  it("kvmgt's DMA cache: a group with counts, a row per gfn with size, host frame and references", () => {
    const v = tables({ dma: [{ gfn: 0x800, pages: 1, mfn: 0x1000800, refs: 2 }, { gfn: 0x2000, pages: 512, mfn: 0x1002000, refs: 1 }], dmaTotal: 2 });
    assert.equal(dmaGroupItem(v).description, '2 gfn(s) pinned and mapped · 3 references');
    assert.equal(vgpuShadowItem(v).description, '0 PPGTTs · 0 spts · 2 DMA mappings');
    assert.equal(dmaItem(v.dma[1]).description, '2M → mfn 0x1002000 · 1 reference');
    assert.equal(vgpuShadowItem(tables({ attached: false })).description, '0 PPGTTs · 0 spts · detached');
  });

  const spts: Array<[string, Parameters<typeof spt>[0], string, string | undefined]> = [
    // case, summary, icon, marks
    ['clean', {}, 'symbol-structure', ''],
    ['mismatch first', { mismatches: 2, oos: true, postShadow: 1 }, 'error', '2 mismatches,out of sync,1 post-shadow'],
    ['out of sync', { oos: true }, 'sync-ignored', 'out of sync'],
    ['post-shadow', { postShadow: 3 }, 'history', '3 post-shadow'],
    ['post-shadow before out of sync, as for an entry', { postShadow: 1, oos: true }, 'history', 'out of sync,1 post-shadow'],
  ];
  for (const [name, o, icon, marks] of spts) {
    it(`an spt (${name}): $(${icon}), marks "${marks}"`, () => {
      const s = spt(o);
      assert.equal(sptItem(s).icon?.id, icon);
      assert.equal(sptMarks(s).join(','), marks);
    });
  }

  it('an entry and its table rank the same states alike: mismatch, post-shadow, out of sync', () => {
    assert.equal(entryItem(entry({ mismatch: 'x', postShadow: true, oos: true }), spt()).icon?.id, 'error');
    assert.equal(entryItem(entry({ postShadow: true, oos: true }), spt()).icon?.id, 'history');
    assert.equal(entryItem(entry({ oos: true }), spt()).icon?.id, 'sync-ignored');
    assert.equal(sptItem(spt({ postShadow: 1, oos: true })).icon?.id, entryItem(entry({ postShadow: true, oos: true }), spt()).icon?.id);
  });

  it('an spt: level and guest page on the label, shadow page and counts in the description', () => {
    const item = sptItem(spt({ pdeIps: true }));
    assert.equal(item.label, 'PT gfn 0x103');
    assert.equal(item.description, '→ mfn 0x100003 · 2 present · ref 1 · tracked · 64K');
    assert.equal(item.contextValue, ItemContext.sptWithGuest);
    const split = sptItem(spt({ gfn: 0 }));
    assert.equal(split.label, 'PT split 2M');
    assert.equal(split.contextValue, ItemContext.sptShadowOnly);
  });

  const targets: Array<[Parameters<typeof targetText>[0], string]> = [
    [{ kind: 'none' }, 'not present'],
    [{ kind: 'table', mfn: 0x100002, gfn: 0x102 }, 'table mfn 0x100002 (gfn 0x102)'],
    [{ kind: 'page', mfn: 0x200801, gfn: 0x801, pages: 1 }, '4K page mfn 0x200801 (gfn 0x801)'],
    [{ kind: 'page', mfn: 0x200a00, pages: 512 }, '2M page mfn 0x200a00'],
    [{ kind: 'scratch', mfn: 0x1000 }, 'scratch mfn 0x1000'],
  ];
  for (const [t, text] of targets) it(`target ${t.kind}: "${text}"`, () => assert.equal(targetText(t), text));
  it('page sizes', () => assert.deepEqual([1, 16, 512, 512 * 512, 3].map(sizeOfPages), ['4K', '64K', '2M', '1G', '3 pages']));

  it('an entry: guest on the label, shadow in the description', () => {
    const item = entryItem(entry(), spt());
    assert.equal(item.label, '[1] guest P RW → gfn 0x801');
    assert.equal(item.description, 'shadow P RW → 4K page mfn 0x200801 (gfn 0x801)');
    assert.equal(item.collapsible, 'none');
    assert.equal(item.contextValue, ItemContext.sptWithGuest);
    assert.match(item.tooltip ?? '', /\| value \| `0x801003` \| `0x200801003` \|/);
  });

  const entries: Array<[string, Parameters<typeof entry>[0], string, RegExp]> = [
    ['mismatch', { mismatch: 'guest maps gfn 0x802, shadow reaches gfn 0x801' }, 'error', /^≠ shadow/],
    ['post-shadow', { postShadow: true }, 'history', /^post-shadow shadow/],
    ['out of sync', { oos: true }, 'sync-ignored', /^oos shadow/],
    ['scratch', { scratch: true, shadowTarget: { kind: 'scratch', mfn: 0x1000 } }, 'circle-slash', /→ scratch mfn 0x1000$/],
    ['empty guest', { guest: '0x0', guestFlags: [], guestGfn: undefined }, 'symbol-field', /shadow P RW/],
  ];
  for (const [name, o, icon, description] of entries) {
    it(`an entry (${name}): $(${icon})`, () => {
      const item = entryItem(entry(o), spt());
      assert.equal(item.icon?.id, icon);
      assert.match(item.description ?? '', description);
    });
  }
  it('an empty guest entry reads "empty"; a mismatch highlights the index and explains', () => {
    assert.equal(entryItem(entry({ guest: '0x0', guestFlags: [], guestGfn: undefined }), spt()).label, '[1] guest empty');
    const m = entryItem(entry({ index: 12, mismatch: 'guest maps gfn 0x802, shadow reaches gfn 0x801' }), spt());
    assert.deepEqual(m.highlights, [[0, 4]]);
    assert.match(m.tooltip ?? '', /\*\*Mismatch:\*\* guest maps gfn 0x802/);
  });

  it('an entry pointing at a shadow table expands to it and carries its level and marks', () => {
    const child = spt({ level: 'PD', gfn: 0x102, mfn: 0x100002, mismatches: 1 });
    const item = entryItem(entry({ index: 0, guestGfn: 0x102, shadowTarget: { kind: 'table', mfn: 0x100002, gfn: 0x102 }, child }), spt({ level: 'PDP' }));
    assert.equal(item.collapsible, 'collapsed');
    assert.equal(item.description, 'shadow P RW → PD table mfn 0x100002 (gfn 0x102) (1 mismatch)');
  });
});
