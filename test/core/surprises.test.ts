// docs/kernel-model.md §6 reproduced: the surprising or bug-prone points the core must model
// faithfully (and report as 'surprise' notes), each driven the way a guest or GVT would hit it.
import * as assert from 'node:assert/strict';
import * as core from '../../src/core';
import { EFAULT, EINVAL, ENXIO, GttType, gfn, gpa } from '../../src/core';
import {
  ADDR_4K, PS,
  DATA, MIB, P, PD, PDP, PT, ROOT, RW, Recorder, SpyHandler, at, backing, dmaRefs, entry, pfnOf, scratch,
  shadowValue, shadowed, spt, store64, u32, u64,
} from './coreHelpers';

const G = gfn(0x10);

describe('kernel model §6: surprises', () => {
  describe('stale tracked after failsafe', () => {
    it('newest: failsafe removes protection but leaves tracked = true, so a later enable returns 0 and never re-protects', () => {
      const m = new core.Machine('newest');
      const v = m.createVgpu('vm1', 64 * MIB);
      const rec = new Recorder();
      m.tracer = rec;
      const h = new SpyHandler('h');
      v.pageTrack.register(G, h, null);
      v.pageTrack.enable(G);
      v.enterFailsafe();
      assert.equal(v.guestStore(gpa(0x10000), u64(1n)).trapped, true);
      assert.equal(v.pageTrack.find(G)!.tracked, true);
      assert.equal(v.kvmgt.protectTable.has(G), false);
      assert.ok(rec.surprises().some((s) => s.includes('tracked stays true')));
      v.reset(); // the device-model-level reset clears failsafe; this record is not a PPGTT one
      assert.equal(v.failsafe, false);
      rec.clear();
      assert.equal(v.pageTrack.enable(G), 0);
      assert.equal(rec.adds, 0, 'enable saw tracked == true and did nothing');
      const r = v.guestStore(gpa(0x10000), u64(2n));
      assert.equal(r.trapped, false, 'never re-protected');
      assert.equal(h.calls.length, 0);
    });

    it('legacy (contrast): failsafe goes through disable, so a later enable re-protects', () => {
      const m = new core.Machine('legacy');
      const v = m.createVgpu('vm1', 64 * MIB);
      const h = new SpyHandler('h');
      v.pageTrack.register(G, h, null);
      v.pageTrack.enable(G);
      v.enterFailsafe();
      v.guestStore(gpa(0x10000), u64(1n));
      assert.equal(v.pageTrack.find(G)!.tracked, false);
      v.reset();
      const rec = new Recorder();
      m.tracer = rec;
      assert.equal(v.pageTrack.enable(G), 0);
      assert.equal(rec.count('kvmgt_page_track_add'), 1);
      assert.equal(v.guestStore(gpa(0x10000), u64(2n)).trapped, true);
      assert.equal(h.calls.length, 1);
    });
  });

  it('gfn 0 is a sentinel: a page table at gfn 0 keeps a dangling record (priv → a freed spt) after it is freed', () => {
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 64 * MIB);
    v.builder.pagetable(ROOT, gfn(0), gfn(0x1ff)); // the pool starts at 0: PDP = gfn 0, PD = 1, PT = 2
    v.builder.map(0x1000, DATA, 4096);
    assert.equal(v.shadow(ROOT), 0);
    const pdp0 = spt(v, 0);
    assert.equal(pdp0.shadowType, GttType.PDP_PT);
    const rec = new Recorder();
    m.tracer = rec;
    store64(v, ROOT, 0, 0n); // drop the only reference to the PDP
    assert.equal(pdp0.freed, true);
    assert.equal(v.ppgtt.findSptByMfn(pdp0.mfn), undefined);
    assert.equal(v.pageTrack.find(gfn(1)), undefined, 'the PD (gfn 1) was unregistered');
    assert.equal(v.pageTrack.find(gfn(2)), undefined, 'the PT (gfn 2) was unregistered');
    const dangling = v.pageTrack.find(gfn(0))!;
    assert.ok(dangling, 'the record for gfn 0 remains');
    assert.strictEqual(dangling.priv, pdp0);
    assert.equal(dangling.tracked, true);
    assert.equal(v.kvmgt.protectTable.has(0), true, 'still write-protected');
    assert.ok(rec.surprises().some((s) => s.includes('gfn 0 is not unregistered')));
    // A guest store to gfn 0 now reaches the PPGTT handler with a freed spt.
    rec.clear();
    const r = v.guestStore(at(0, 5), u64(0n));
    assert.equal(r.trapped, true);
    assert.ok(rec.surprises().some((s) => s.includes('use after free')));
  });

  describe('sync_oos_page leaves post-shadow bits behind', () => {
    it('a changed index keeps its bit while the spt leaves the post-shadow list; the next 4-byte write skips the teardown', () => {
      const { v, rec } = shadowed();
      v.oosEnabled = true;
      const pt = spt(v, PT);
      v.guestStore(at(PT, 1), u32(Number(entry(0x600) & 0xffffffffn))); // 4-byte: bit 1, queued, write_cnt 1
      assert.equal(pt.postShadow[1], 1);
      store64(v, PT, 2, entry(0x602)); // 2nd trapped write: out of sync (snapshot taken now)
      assert.equal(v.pageTrack.find(PT)!.tracked, false);
      assert.equal(store64(v, PT, 1, entry(0x601)).trapped, false); // changes index 1 behind GVT's back
      rec.clear();
      assert.equal(v.submit(), 0);
      assert.equal(pfnOf(shadowValue(v, PT, 1)), backing(v, 0x601), 'index 1 re-shadowed by the sync');
      assert.equal(pt.postShadow[1], 1, 'bit left set');
      assert.equal(pt.postShadowCount, 1);
      assert.equal(pt.onPostShadowList, false);
      assert.deepEqual([...v.ppgtt.postShadowList], []);
      assert.ok(rec.surprises().some((s) => s.includes('post-shadow bit(s) left set')));
      // The next partial write to index 1 sees the bit set and skips the teardown.
      rec.clear();
      v.guestStore(at(PT, 1), u32(Number(entry(0x603) & 0xffffffffn)));
      assert.equal(rec.ofKind('shadow-entry').length, 0, 'no teardown');
      assert.equal(pfnOf(shadowValue(v, PT, 1)), backing(v, 0x601), 'the GPU still sees the old page');
      assert.equal(dmaRefs(v, 0x601), 1);
      assert.deepEqual([...v.ppgtt.postShadowList], [pt]);
    });
  });

  describe('sync_oos_page never unmaps what the shadow entry mapped (dma-leak)', () => {
    /** PT out of sync after two trapped writes; DATA (gfn 0x500) is mapped at index 1 (va 0x1000). */
    function outOfSync(): ReturnType<typeof shadowed> {
      const std = shadowed();
      std.v.oosEnabled = true;
      store64(std.v, PT, 2, entry(0x601));
      store64(std.v, PT, 3, entry(0x602)); // second trapped write: out of sync
      assert.equal(std.v.pageTrack.find(PT)!.tracked, false);
      std.rec.clear();
      return std;
    }

    it('an entry changed behind GVT\'s back is mapped over the old one: the old DMA reference is kept, flagged', () => {
      const { v, rec } = outOfSync();
      assert.equal(store64(v, PT, 1, entry(0x600)).trapped, false);
      assert.equal(v.submit(), 0);
      assert.equal(pfnOf(shadowValue(v, PT, 1)), backing(v, 0x600));
      assert.equal(dmaRefs(v, 0x600), 1);
      assert.equal(dmaRefs(v, 0x500), 1, 'the old mapping is never unmapped');
      assert.ok(rec.ofKind('hazard').some((h) => h.hazard === 'dma-leak' && h.message.includes('without unmapping')));
    });

    it('an entry cleared behind GVT\'s back is skipped: the shadow still maps the old page and the GPU reaches it, flagged', () => {
      const { v, rec } = outOfSync();
      assert.equal(store64(v, PT, 1, 0n).trapped, false);
      assert.equal(v.submit(), 0);
      const walk = core.gpuWalk(v, 0x1000).outcome;
      assert.equal(walk.kind === 'page' && walk.gfn, 0x500, 'the GPU still reaches the page the guest unmapped');
      assert.ok(rec.ofKind('hazard').some((h) => h.hazard === 'stale-shadow' && h.message.includes('no longer present')));
    });

    it('an unchanged entry raises nothing', () => {
      const { v, rec } = outOfSync();
      assert.equal(v.submit(), 0);
      assert.equal(rec.ofKind('hazard').length, 0);
    });
  });

  describe('the partial (4-byte) path and the non-present heart leave a "present" shadow entry at scratch', () => {
    it('after a 4-byte write the GPU walk ends on scratch (no fault) until the flush', () => {
      const { v } = shadowed();
      v.guestStore(at(PT, 1), u32(Number(entry(0x600) & 0xffffffffn)));
      const se = shadowValue(v, PT, 1);
      assert.equal(se & P, P);
      assert.equal(pfnOf(se), scratch(v, GttType.PTE_PT));
      assert.equal(core.gpuWalk(v, 0x1000).outcome.kind, 'scratch');
      assert.equal(v.submit(), 0);
      assert.deepEqual(core.gpuWalk(v, 0x1000).outcome, { kind: 'page', mfn: backing(v, 0x600), gfn: 0x600, size: 1 });
    });

    it('a 4-byte write to a native 2M entry keeps PS: a present 2M page at the scratch table\'s frame rounded down, neither scratch nor guest memory (stale-shadow)', () => {
      const { v, rec } = shadowed();
      assert.equal(store64(v, PD, 2, entry(0x2000, P | RW | PS)).ret, 0); // native 2M at va 0x400000
      v.guestStore(at(PD, 2), u32(0)); // low half: the partial path
      const se = shadowValue(v, PD, 2);
      assert.equal(se & PS, PS, 'PS kept');
      assert.equal(pfnOf(se), scratch(v, GttType.PDE_PT) & ~0x1ff, 'the scratch table frame, 2M-masked');
      assert.ok(rec.ofKind('hazard').some((h) => h.hazard === 'stale-shadow' && h.message.includes('keeps PS')));
      const w = core.gpuWalk(v, 0x400000 + 0x1000).outcome;
      assert.equal(w.kind === 'page' && w.hostTable, true, 'the GPU reads one of GVT\'s own pages');
      const far = core.gpuWalk(v, 0x400000 + 0x1ff000).outcome;
      assert.equal(far.kind === 'page' && far.notGuest, true, 'further into the 2M region: host memory nothing mapped');
      rec.clear();
      assert.equal(v.unshadow(ROOT), 0);
      assert.equal(rec.ofKind('hazard').filter((h) => h.hazard === 'dma-leak').length, 0, 'teardown skips the 2M entry, but its mapping was already unmapped: no leak');
    });

    it('an 8-byte write of a non-present PTE also leaves a present shadow entry at scratch', () => {
      const { v } = shadowed();
      store64(v, PT, 1, 0n);
      assert.equal(shadowValue(v, PT, 1) & P, P);
      assert.equal(core.gpuWalk(v, 0x1000).outcome.kind, 'scratch');
      assert.equal(core.guestWalk(v, ROOT, 0x1000).outcome.kind, 'fault', 'the guest sees no mapping');
    });
  });

  describe('misaligned and page-crossing 8-byte writes', () => {
    it('(pa & 7) == 4: only entry floor(off/8) is re-shadowed; the next entry changes in memory but not in the shadow', () => {
      const { v, rec } = shadowed();
      store64(v, PT, 2, entry(0x501));
      rec.clear();
      const bytes = new Uint8Array([...u32(0), ...u32(Number(entry(0x777) & 0xffffffffn))]);
      const r = v.guestStore(gpa(at(PT, 1) + 4), bytes);
      assert.deepEqual(r, { trapped: true, ret: 0, traps: 1 });
      assert.equal(v.memory.readU64(at(PT, 2)), entry(0x777));
      assert.equal(pfnOf(shadowValue(v, PT, 2)), backing(v, 0x501), 'entry 2 is never re-shadowed');
      assert.deepEqual(core.guestWalk(v, ROOT, 0x2000).outcome, { kind: 'page', mfn: backing(v, 0x777), gfn: 0x777, size: 1 });
      assert.deepEqual(core.gpuWalk(v, 0x2000).outcome, { kind: 'page', mfn: backing(v, 0x501), gfn: 0x501, size: 1 });
      assert.ok(rec.surprises().some((s) => s.startsWith('misaligned 8-byte write')));
    });

    it('a store crossing a page boundary is split by KVM into one notification per page', () => {
      const { v, rec } = shadowed();
      // PD (0x102) and PT (0x103) are adjacent: 8 bytes at 0x102ffc = PD[511] high half + PT[0] low half.
      const r = v.guestStore(gpa(PD * 4096 + 0xffc), new Uint8Array(8));
      assert.deepEqual(r, { trapped: true, ret: 0, traps: 2 });
      assert.deepEqual(rec.ofKind('trap').map((t) => [t.gpa, t.bytes]), [[PD * 4096 + 0xffc, 4], [PT * 4096, 4]]);
      assert.equal(spt(v, PD).postShadow[511], 1);
      assert.equal(spt(v, PT).postShadow[0], 1);
    });
  });

  describe('intel_vgpu_flush_post_shadow stops at the first error', () => {
    it('newest: an unmappable gfn aborts the flush; later bits stay set and the spts stay queued', () => {
      const { v } = shadowed('newest');
      const pt = spt(v, PT);
      const pd = spt(v, PD);
      v.guestStore(at(PT, 3), u32(Number(entry(0x4000) & 0xffffffffn))); // gfn 0x4000: no memslot
      v.guestStore(at(PT, 5), u32(Number(entry(0x600) & 0xffffffffn)));
      v.guestStore(at(PD, 3), u32(0));
      assert.deepEqual([...v.ppgtt.postShadowList], [pt, pd]);
      assert.equal(v.submit(), -ENXIO);
      assert.equal(pt.postShadow[3], 1);
      assert.equal(pt.postShadow[5], 1, 'a later bit was never reached');
      assert.equal(pd.postShadow[3], 1);
      assert.deepEqual([...v.ppgtt.postShadowList], [pt, pd]);
      assert.equal(pfnOf(shadowValue(v, PT, 5)), scratch(v, GttType.PTE_PT));
      assert.equal(v.submit(), -ENXIO, 'and again at the next submission');
    });

    it('legacy too: the invalid-gfn pre-check lives only in ppgtt_populate_spt, so the flush and a trapped write still fail with -ENXIO', () => {
      const { v } = shadowed('legacy');
      v.guestStore(at(PT, 3), u32(Number(entry(0x4000) & 0xffffffffn)));
      v.guestStore(at(PT, 5), u32(Number(entry(0x600) & 0xffffffffn)));
      assert.equal(v.submit(), -ENXIO);
      assert.equal(spt(v, PT).postShadow[5], 1);
      assert.equal(store64(v, PT, 6, entry(0x4001)).ret, -ENXIO);
    });
  });

  describe('a failed populate leaks the sibling subtrees populated before the failure', () => {
    function build(profile: core.KernelProfile): { m: core.Machine; v: core.Vgpu } {
      const m = new core.Machine(profile);
      const v = m.createVgpu('vm1', 64 * MIB);
      v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
      v.builder.map(0x1000, DATA, 4096); // PD[0] → PT 0x103 (fine)
      v.builder.map(0x200000, gfn(0x4000), 4096); // PD[1] → PT 0x104 → gfn 0x4000: no memslot
      return { m, v };
    }

    it('newest: shadow fails, the first PT stays allocated, registered and write-protected, reachable from no mm; reset frees it', () => {
      const { m, v } = build('newest');
      const rec = new Recorder();
      m.tracer = rec;
      assert.equal(v.shadow(ROOT), -ENXIO);
      assert.equal(v.mms.length, 0);
      assert.deepEqual(v.pageTrack.all().map((r) => r.gfn), [PT]);
      const leaked = spt(v, PT);
      assert.equal(leaked.refcount, 1);
      assert.equal(v.pageTrack.find(PT)!.tracked, true);
      assert.equal(v.kvmgt.protectTable.has(PT), true);
      assert.equal(v.unreachableSpts(), 1);
      assert.equal(dmaRefs(v, DATA), 1);
      assert.ok(rec.surprises().some((s) => s.includes('leaked by this failed populate')));
      assert.equal(v.guestStore(at(PT, 7), u64(entry(0x600))).trapped, true, 'the leaked table still traps');
      v.reset();
      assert.equal(v.ppgtt.allSpts().length, 0);
      assert.equal(v.pageTrack.size, 0);
      assert.equal(v.kvmgt.protectTable.size, 0);
      assert.ok(rec.ofKind('kernel-log').some((n) => n.message === 'Why we still has spt not freed?'));
    });

    it('legacy (contrast, §7.7): ppgtt_populate_spt writes its local se for every invalid leaf (4K, 64K, 2M): uninitialised in a PT (not present, the GPU faults), the last table pointer in a PD; nothing leaks', () => {
      const { m, v } = build('legacy');
      const rec = new Recorder();
      m.tracer = rec;
      v.builder.map(0x400000, gfn(0x5000), 2097152); // PD[2]: a 2M leaf with no memslot
      v.builder.map(0x610000, gfn(0x6000), 65536); // PD[3] (IPS) → PT, index 16: a 64K leaf with no memslot
      assert.equal(v.shadow(ROOT), 0);
      for (const [table, index] of [[0x105, 16], [0x104, 0]] as const) {
        const se = shadowValue(v, table, index);
        assert.equal(pfnOf(se), core.GGTT_SCRATCH_MFN, 'the GGTT scratch pfn, on an otherwise zero (uninitialised) entry');
        assert.equal(se & 1n, 0n, 'not present');
      }
      // PD[2]: `se` still holds PD[1]'s shadow table pointer (the loop's one local), pfn swapped.
      const pd2 = shadowValue(v, PD, 2);
      assert.equal(pfnOf(pd2), core.GGTT_SCRATCH_MFN);
      assert.equal(pd2 & ~ADDR_4K, shadowValue(v, PD, 1) & ~ADDR_4K, 'the earlier table pointer\'s flags: present, PS clear');
      const walk = core.gpuWalk(v, 0x400000).outcome;
      assert.equal(walk.kind === 'fault' && walk.reason.includes('GGTT scratch page'), true, 'the GPU walks the GGTT scratch page as a table');
      assert.equal(v.dma.size, 1, 'only the valid 4K leaf is mapped');
      assert.equal(v.unreachableSpts(), 0);
      assert.equal(core.gpuWalk(v, 0x200000).outcome.kind, 'fault');
      assert.ok(rec.ofKind('hazard').some((h) => h.hazard === 'undefined-behaviour'));
      assert.ok(rec.ofKind('hazard').some((h) => h.hazard === 'stale-shadow' && h.message.includes('entry 1')));
    });
  });

  it('a handler failure is swallowed and never enters failsafe', () => {
    const { v, rec } = shadowed();
    const h = new SpyHandler('h', -EFAULT);
    v.pageTrack.register(G, h, null);
    v.pageTrack.enable(G);
    for (let i = 0; i < 10; i++) assert.equal(v.guestStore(gpa(0x10000 + 8 * i), u64(1n)).ret, -EFAULT);
    for (let i = 0; i < 10; i++) assert.equal(v.guestStore(at(PT, 1), new Uint8Array(2)).ret, -EINVAL); // PPGTT handler
    assert.equal(h.calls.length, 10);
    assert.equal(v.failsafe, false);
    assert.equal(rec.count('enter_failsafe_mode'), 0);
    assert.equal(rec.ofKind('failsafe').length, 0);
    assert.equal(rec.ofKind('kernel-log').filter((n) => n.message.startsWith('guest page write error')).length, 20);
    assert.equal(v.guestStore(gpa(0x10000), u64(1n)).trapped, true, 'still protected');
  });

  it('an spt is shared by gfn whatever its level: a PT page also used as a PD reuses the PT spt', () => {
    const { v } = shadowed();
    const pt = spt(v, PT);
    store64(v, PDP, 1, entry(PT));
    assert.equal(pt.refcount, 2);
    assert.equal(pt.shadowType, GttType.PTE_PT);
    assert.equal(pfnOf(shadowValue(v, PDP, 1)), pt.mfn);
  });

  it('the OOS allocation result is ignored: with an exhausted pool set_oos WARNs and fails with -EINVAL', () => {
    const m = new core.Machine();
    m.oosPool = new core.OosPool(0);
    const v = m.createVgpu('vm1', 64 * MIB);
    v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
    v.builder.map(0x1000, DATA, 4096);
    v.shadow(ROOT);
    v.oosEnabled = true;
    const rec = new Recorder();
    m.tracer = rec;
    store64(v, PT, 2, entry(0x600));
    const r = store64(v, PT, 3, entry(0x601));
    assert.equal(r.ret, -EINVAL);
    assert.ok(rec.surprises().some((s) => s.includes('should have a oos page')));
    assert.equal(v.pageTrack.find(PT)!.tracked, true, 'still protected');
    assert.equal(pfnOf(shadowValue(v, PT, 3)), backing(v, 0x601), 'the entry itself was shadowed');
  });

  describe('the OOS pool is global: a full pool evicts the oldest page in use, maybe another vGPU\'s (ppgtt_allocate_oos_page)', () => {
    /** Two vGPUs with the same layout, OOS on, sharing a one-page pool. */
    const twoVgpus = (): { m: core.Machine; a: core.Vgpu; b: core.Vgpu } => {
      const m = new core.Machine();
      m.oosPool = new core.OosPool(1);
      const make = (name: string): core.Vgpu => {
        const v = m.createVgpu(name, 64 * MIB);
        v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
        v.builder.map(0x1000, DATA, 4096);
        v.shadow(ROOT);
        v.oosEnabled = true;
        return v;
      };
      return { m, a: make('vm1'), b: make('vm2') };
    };
    const goOutOfSync = (v: core.Vgpu): void => {
      store64(v, PT, 2, entry(0x600));
      store64(v, PT, 3, entry(0x601));
    };

    it("vm2 taking the only page syncs vm1's page back first: vm1 is protected and re-shadowed, vm2 is out of sync", () => {
      const { a, b } = twoVgpus();
      goOutOfSync(a);
      assert.equal(a.pageTrack.find(PT)!.tracked, false);
      store64(a, PT, 7, entry(0x607)); // not trapped: out of sync
      goOutOfSync(b);
      assert.equal(a.pageTrack.find(PT)!.tracked, true, "vm1's page was synced and re-protected");
      assert.equal(spt(a, PT).oosPage, null);
      assert.deepEqual(a.oos.list, []);
      assert.equal(pfnOf(shadowValue(a, PT, 7)), backing(a, 0x607), "vm1's unseen write was shadowed by the sync");
      assert.equal(b.pageTrack.find(PT)!.tracked, false);
      assert.strictEqual(spt(b, PT).oosPage!.user, b.oos);
      assert.deepEqual(b.oos.list, [spt(b, PT)]);
    });

    it('a clone evicts through its own vGPUs, never the original machine\'s', () => {
      const { m, a } = twoVgpus();
      goOutOfSync(a);
      const c = m.clone();
      const ca = c.vgpu('vm1')!;
      const cb = c.vgpu('vm2')!;
      goOutOfSync(cb);
      assert.equal(ca.pageTrack.find(PT)!.tracked, true, "the clone's vm1 was synced");
      assert.equal(a.pageTrack.find(PT)!.tracked, false, "the original's vm1 is untouched");
      assert.strictEqual(spt(a, PT).oosPage!.user, a.oos);
    });
  });

  describe('possible DMA-reference leaks, as the code reads', () => {
    it('ppgtt_invalidate_spt skips native 2M entries without unmapping them', () => {
      const { v, rec } = shadowed('newest', (x) => x.builder.map(0x200000, gfn(0x1000), 2097152));
      store64(v, PDP, 0, 0n); // frees the PD holding the 2M entry
      assert.equal(v.pageTrack.find(PD), undefined);
      assert.equal(dmaRefs(v, 0x1000, 512), 1, 'the 2M mapping is still referenced');
      assert.equal(dmaRefs(v, DATA), 0, 'the 4K leaf below was released');
      assert.ok(rec.surprises().some((s) => s.includes('native 2M shadow entry')));
    });

    it('an IPS change re-populates the PT after clearing it, without releasing the old mappings', () => {
      const { v, rec } = shadowed();
      store64(v, PD, 0, entry(PT, P | RW | 0x800n)); // set IPS on the PDE of an existing PT
      assert.equal(spt(v, PT).pdeIps, true);
      assert.equal(spt(v, PT).refcount, 1);
      assert.equal(dmaRefs(v, DATA), 1, 'the 4K mapping of index 1 is still held, yet no shadow entry refers to it');
      assert.equal(shadowValue(v, PT, 1), 0n);
      assert.ok(rec.surprises().some((s) => s.includes('IPS changed')));
    });
  });
});
