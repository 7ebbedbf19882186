// The simulated GPU walks the shadow tables GVT built: translation to the backing host frame,
// a fault on a never-shadowed entry, the zero page after a PTE is cleared, 2M native and split,
// 64K split. guestWalk (the guest's own tables) is the reference the shadow must agree with.
import * as assert from 'node:assert/strict';
import * as core from '../../src/core';
import { gfn } from '../../src/core';
import { DATA, MIB, PT, ROOT, backing, entry, shadowed, store64 } from './coreHelpers';

const walk = (v: core.Vgpu, va: number): core.WalkOutcome => core.gpuWalk(v, va).outcome;
const page = (v: core.Vgpu, g: number, size = 1): core.WalkOutcome => ({ kind: 'page', mfn: backing(v, g) as core.Mfn, gfn: g as core.Gfn, size });

describe('gpuWalk', () => {
  it('translates a mapped va to the host frame backing its gfn, at every offset in the page', () => {
    const { v } = shadowed();
    for (const off of [0, 0x8, 0xfff]) assert.deepEqual(walk(v, 0x1000 + off), page(v, DATA));
    const w = core.gpuWalk(v, 0x1234);
    assert.deepEqual(w.steps.map((s) => [s.level, s.index]), [['PML4', 0], ['PDP', 0], ['PD', 0], ['PT', 1]]);
    assert.equal(w.steps[0].table, v.mms[0].shadowRoot.pfn(), 'the walk starts at the shadow PML4');
    assert.deepEqual(core.guestWalk(v, ROOT, 0x1234).outcome, walk(v, 0x1234), 'the shadow agrees with the guest');
  });

  it('follows a guest remap once the trapped write is shadowed', () => {
    const { v } = shadowed();
    store64(v, PT, 1, entry(0x600));
    assert.deepEqual(walk(v, 0x1000), page(v, 0x600));
    store64(v, PT, 300, entry(0x601));
    assert.deepEqual(walk(v, 300 * 4096), page(v, 0x601));
  });

  it('a va past 48 bits faults, in the shadow and the guest walk alike, instead of wrapping onto va 0', () => {
    const { v } = shadowed();
    for (const w of [core.gpuWalk(v, 2 ** 48 + 0x1000), core.guestWalk(v, ROOT, 2 ** 48 + 0x1000)]) {
      assert.equal(w.outcome.kind, 'fault');
      assert.match(w.outcome.kind === 'fault' ? w.outcome.reason : '', /beyond the 48-bit PPGTT/);
    }
    assert.deepEqual(walk(v, 0x1000), page(v, DATA), 'va 0x1000 itself still maps');
  });

  it('faults before any shadowing, and on an entry that was never shadowed', () => {
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 64 * MIB);
    v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
    v.builder.map(0x1000, DATA, 4096);
    assert.deepEqual(walk(v, 0x1000), { kind: 'fault', level: 'root', index: 0, reason: 'no shadowed PPGTT root' });
    assert.equal(v.shadow(ROOT), 0);
    assert.deepEqual(walk(v, 0x2000), { kind: 'fault', level: 'PT', index: 2, reason: 'entry not present' });
    assert.deepEqual(walk(v, 0x200000), { kind: 'fault', level: 'PD', index: 1, reason: 'entry not present' });
    assert.deepEqual(walk(v, 2 ** 39), { kind: 'fault', level: 'PML4', index: 1, reason: 'entry not present' });
  });

  it('ends on the scratch page (no fault) after a PTE is cleared: the shadow entry stays present', () => {
    const { v } = shadowed();
    const r = v.builder.unmap(0x1000);
    assert.ok(!('error' in r) && r.trapped);
    assert.deepEqual(walk(v, 0x1000), { kind: 'scratch', level: 'PT' });
    assert.equal(core.guestWalk(v, ROOT, 0x1000).outcome.kind, 'fault');
  });

  it('ends on scratch through the scratch PT after a PDE is cleared', () => {
    const { v } = shadowed();
    store64(v, 0x102, 0, 0n);
    const w = core.gpuWalk(v, 0x1000);
    assert.deepEqual(w.outcome, { kind: 'scratch', level: 'PT' });
    assert.equal(w.steps[3].scratch, true, 'the last table read is scratch_pt[PDE_PT]');
  });

  it('2M native: one PS entry at the PD level covers 512 frames', () => {
    const { v } = shadowed('newest', (x) => x.builder.map(0x400000, gfn(0x2000), 2097152));
    for (const k of [0, 1, 511]) assert.deepEqual(walk(v, 0x400000 + k * 4096 + 0x10), page(v, 0x2000 + k, 512));
    assert.equal(core.gpuWalk(v, 0x400000).steps.length, 3, 'the walk stops at the PD');
    assert.deepEqual(walk(v, 0x600000), { kind: 'fault', level: 'PD', index: 3, reason: 'entry not present' });
  });

  it('2M split (6.6+ on Gen9: no 2M GTT pages): the same addresses go through an untracked sub-PT of 4K entries', () => {
    const { v } = shadowed('newest', (x, m) => {
      m.platform = 'gen9';
      x.builder.map(0x400000, gfn(0x2000), 2097152);
    });
    for (const k of [0, 1, 511]) assert.deepEqual(walk(v, 0x400000 + k * 4096), page(v, 0x2000 + k));
    const w = core.gpuWalk(v, 0x400000);
    assert.equal(w.steps.length, 4);
    const sub = v.ppgtt.findSptByMfn(w.steps[3].table)!;
    assert.equal(sub.guestGfn, 0);
    assert.equal(core.guestWalk(v, ROOT, 0x400000 + 5 * 4096).outcome.kind, 'page');
  });

  it('64K split: 16 shadow 4K entries, each frame of the 64K page reached', () => {
    const { v } = shadowed('newest', (x) => x.builder.map(0x210000, gfn(0x3000), 65536));
    for (let k = 0; k < 16; k++) assert.deepEqual(walk(v, 0x210000 + k * 4096 + 0x44), page(v, 0x3000 + k));
    const g = core.guestWalk(v, ROOT, 0x210000 + 5 * 4096);
    assert.deepEqual(g.outcome, { kind: 'page', mfn: backing(v, 0x3005), gfn: 0x3005, size: 16 }, 'the guest sees one 64K page');
    assert.deepEqual(walk(v, 0x220000), { kind: 'fault', level: 'PT', index: 32, reason: 'entry not present' });
  });

  it('faults on a table whose host page was freed (a stale shadow pointer)', () => {
    const { v } = shadowed();
    const ptMfn = core.gpuWalk(v, 0x1000).steps[3].table;
    v.host.freeTable(ptMfn as core.Mfn);
    const o = walk(v, 0x1000);
    assert.equal(o.kind, 'fault');
    assert.equal(o.kind === 'fault' && o.reason.includes('not a live host page'), true);
  });
});

describe('GuestPpgttBuilder pool', () => {
  it('each missing table takes the lowest free pool page, skipping page directories inside the pool, until the pool is full', () => {
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 64 * MIB);
    v.builder.pagetable32([gfn(0x12), gfn(0x14), gfn(0), gfn(0)], gfn(0x10), gfn(0x16));
    const ptOf = (va: number): number => v.memory.readEntryLo(core.gpa(0x12 * 4096 + (va >>> 21) * 8)) >>> 12;
    const tables: number[] = [];
    for (let k = 0; k < 5; k++) {
      const r = v.builder.map(k * 0x200000, gfn(0x800), 4096);
      assert.ok(!('error' in r), `map ${k}`);
      tables.push(ptOf(k * 0x200000));
    }
    assert.deepEqual(tables, [0x10, 0x11, 0x13, 0x15, 0x16]);
    const full = v.builder.map(5 * 0x200000, gfn(0x800), 4096);
    assert.deepEqual(full, { error: 'page-table pool 0x10..0x16 is full' });
    assert.ok(!('error' in v.builder.map(0x1000, gfn(0x801), 4096)), 'a map under an existing table needs no new page');
  });
});
