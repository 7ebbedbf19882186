// docs/kernel-model.md §7 reproduced: what a deeper reading of gtt.c, kvmgt.c, handlers.c and
// mmio.c found, each point driven the way a guest or GVT would hit it, on both kernel profiles
// where they differ.
import * as assert from 'node:assert/strict';
import * as core from '../../src/core';
import { EINVAL, ENXIO, gfn, gpa } from '../../src/core';
import {
  DATA, IPS, MIB, P, PD, PS, PT, ROOT, RW, Recorder, SpyHandler, at, dmaRefs, entry, pfnOf, shadowValue, shadowed, spt,
  store64, u32, u64,
} from './coreHelpers';

const PROFILES: core.KernelProfile[] = ['newest', 'legacy'];
const G = gfn(0x10);

describe('docs/kernel-model.md §7: round two', () => {
  describe('§7.1 PPGTT mm objects are reference counted (intel_vgpu_get_ppgtt_mm / intel_vgpu_put_ppgtt_mm)', () => {
    for (const profile of PROFILES) {
      it(`§7.1 ${profile}: CREATE twice takes a reference and re-shadows nothing; DESTROY once keeps the tables shadowed, tracked and trapping`, () => {
        const { v, rec } = shadowed(profile);
        assert.equal(v.shadow(ROOT), 0);
        assert.equal(v.mms.length, 1);
        assert.equal(v.mms[0].refs, 2);
        assert.equal(rec.count('shadow_ppgtt_mm'), 0, 'nothing re-shadowed');
        assert.equal(rec.count('ppgtt_alloc_spt_gfn'), 0);
        assert.equal(v.unshadow(ROOT), 0);
        assert.equal(v.mms[0].refs, 1);
        assert.equal(v.mms[0].shadowed, true);
        assert.equal(v.pageTrack.find(PT)!.tracked, true);
        assert.equal(store64(v, PT, 5, entry(0x600)).trapped, true);
        assert.equal(v.unshadow(ROOT), 0, 'the last DESTROY releases');
        assert.equal(v.mms.length, 0);
        assert.equal(v.pageTrack.size, 0);
        assert.equal(v.unshadow(ROOT), -EINVAL, 'unknown root pointers');
      });
    }

    for (const profile of PROFILES) {
    it(`§7.1 ${profile}: a vGPU reset drops one reference per mm: an mm created twice survives, invalidated, and the next submit shadows it again`, () => {
      const { v, rec } = shadowed(profile);
      v.shadow(ROOT);
      v.reset();
      assert.equal(v.mms.length, 1);
      assert.equal(v.mms[0].refs, 1);
      assert.equal(v.mms[0].shadowed, false);
      assert.equal(v.pageTrack.size, 0, 'its tables were torn down');
      assert.ok(rec.surprises().some((s) => s.includes('survive the reset')));
      assert.equal(v.submit(), 0);
      assert.equal(v.mms[0].shadowed, true);
      assert.equal(v.pageTrack.find(PT)!.tracked, true);
    });
    }
  });

  describe('§7.2 detach stops notification altogether (intel_vgpu_close_device / open_device)', () => {
    for (const profile of PROFILES) {
      it(`§7.2 ${profile}: while detached no store reaches kvmgt; after attach the records are stale: no trap, enable returns 0 and protects nothing`, () => {
        const m = new core.Machine(profile);
        const v = m.createVgpu('vm1', 64 * MIB);
        const rec = new Recorder();
        m.tracer = rec;
        const h = new SpyHandler('h');
        v.pageTrack.register(G, h, null);
        assert.equal(v.pageTrack.enable(G), 0);
        v.detach();
        assert.equal(v.kvmgt.protectTable.size, 0, 'the protect table is freed whole');
        assert.equal(v.kvmgt.isWriteTracked(G), true, "KVM's write tracking is left as it was");
        const r = v.guestStore(gpa(0x10000), u64(1n));
        assert.equal(r.trapped, false);
        assert.equal(r.ret, 0, 'no -ENXIO either');
        assert.equal(h.calls.length, 0);
        assert.equal(rec.count('kvmgt_page_track_write'), 0);
        v.attach();
        assert.equal(v.pageTrack.find(G)!.tracked, true, 'the record still says tracked');
        assert.equal(v.guestStore(gpa(0x10000), u64(2n)).trapped, false, '...but it is stale');
        assert.ok(rec.surprises().some((s) => s.includes('stale')));
        rec.clear();
        assert.equal(v.pageTrack.enable(G), 0);
        assert.equal(rec.adds, 0, 'enable sees tracked and returns early');
        assert.equal(v.guestStore(gpa(0x10000), u64(3n)).trapped, false);
      });

      it(`§7.2 ${profile}: closing the device destroys the DMA cache (gvt_cache_destroy); the shadow PPGTT survives, pointing at unpinned pages; detached, a DMA map fails and an unmap does nothing`, () => {
        const { v, rec } = shadowed(profile, (w) => w.builder.map(0x5000, gfn(0x600), 4096));
        assert.equal(dmaRefs(v, 0x600), 1);
        v.detach();
        assert.equal(v.dma.mappings().length, 0, 'every mapping unmapped, whatever its references');
        assert.ok(rec.surprises().some((s) => s.includes('no longer pinned')));
        assert.equal(v.mms.length, 1, 'the mm is not destroyed');
        const walk = core.gpuWalk(v, 0x5000).outcome;
        assert.equal(walk.kind === 'page' && walk.unpinned, true);
        assert.equal(v.dmaMapper.map(gfn(0x700), 1), undefined, 'intel_gvt_dma_map_guest_page: -EINVAL while detached');
        assert.ok(rec.ofKind('dma-fail').some((f) => f.reason.includes('detached')));
        v.attach();
        assert.ok(v.dmaMapper.map(gfn(0x700), 1) !== undefined, 'attached again, maps work');
        assert.equal(dmaRefs(v, 0x700), 1);
      });
    }
  });

  describe('§7.3 a 2M DMA map pins every one of its 512 pages (gvt_pin_guest_page)', () => {
    function twoMeg(profile: core.KernelProfile): { m: core.Machine; v: core.Vgpu } {
      const m = new core.Machine(profile);
      const v = m.createVgpu('vm1', 64 * MIB);
      v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
      v.builder.map(0x1000, DATA, 4096);
      assert.equal(v.shadow(ROOT), 0);
      return { m, v };
    }

    it('§7.3 newest: a memslot hole in the middle of the range fails the 2M map; the split fails at the same page; the add fails and the old shadow entry stays', () => {
      const { m, v } = twoMeg('newest');
      v.removeMemslot(gfn(0x2000 + 300), gfn(0x2000 + 300));
      const before = shadowValue(v, PD, 1);
      const rec = new Recorder();
      m.tracer = rec;
      const r = store64(v, PD, 1, entry(0x2000, P | RW | PS));
      assert.equal(r.ret, -EINVAL);
      assert.equal(shadowValue(v, PD, 1), before, 'the old shadow entry stays');
      assert.ok(rec.ofKind('dma-fail').some((f) => f.reason.includes(`gfn 0x${(0x2000 + 300).toString(16)}`)));
      assert.equal(v.dma.mappings().filter((d) => d.gfn >= 0x2000 && d.gfn < 0x2200).length, 0, 'the split unmapped what it mapped');
      assert.equal(v.ppgtt.allSpts().filter((s) => s.guestGfn === 0).length, 0, 'and freed its sub-table');
    });

    it('§7.3 newest: scattered host backing fails the 2M pin (not contiguous), the 4K split succeeds', () => {
      const { v } = twoMeg('newest');
      v.backing.set(gfn(0x2000), gfn(0x21ff), 'scattered');
      assert.equal(store64(v, PD, 1, entry(0x2000, P | RW | PS)).ret, 0);
      assert.equal(dmaRefs(v, 0x2000, 512), 0);
      assert.equal(dmaRefs(v, 0x2000, 1), 1);
      assert.equal(core.gpuWalk(v, 0x200000 + 0x5000).outcome.kind, 'page');
    });
  });

  describe('§7.4 kvmgt keeps one DMA cache entry per gfn', () => {
    it('§7.4 mapping a gfn again with another size unmaps the live mapping; the later unmap of the old one finds nothing; the GPU reaches an unpinned page', () => {
      const { v, rec } = shadowed();
      assert.equal(store64(v, PD, 1, entry(0x2000, P | RW | PS)).ret, 0); // native 2M of gfn 0x2000
      assert.equal(dmaRefs(v, 0x2000, 512), 1);
      assert.equal(store64(v, PT, 7, entry(0x2000)).ret, 0); // a 4K PTE mapping the same gfn
      assert.equal(dmaRefs(v, 0x2000, 512), 0, 'the 2M mapping is gone');
      assert.equal(dmaRefs(v, 0x2000, 1), 1);
      const hazard = rec.ofKind('hazard').find((h) => h.hazard === 'dma-remap');
      assert.ok(hazard, 'flagged as it happens');
      assert.match(hazard.message, /same gfn with different size/);
      const walk = core.gpuWalk(v, 0x200000).outcome;
      assert.equal(walk.kind, 'page');
      assert.equal(walk.kind === 'page' && walk.unpinned, true, 'the live 2M shadow entry points at pages no longer pinned');
      rec.clear();
      store64(v, PD, 1, 0n); // tear the 2M entry down: unmap by its DMA address
      assert.equal(dmaRefs(v, 0x2000, 1), 1, 'the 4K mapping is untouched');
      assert.ok(rec.ofKind('kernel-log').some((n) => n.message.includes('no cache entry')));
    });

    for (const profile of PROFILES) {
      it(`§7.4 ${profile}: a gfn cached with the same size only gains a reference (kref_get): no new pin, so a removed memslot does not fail it`, () => {
        const { v } = shadowed(profile);
        assert.equal(store64(v, PT, 7, entry(0x2000)).ret, 0);
        v.removeMemslot(gfn(0x2000), gfn(0x2002));
        assert.equal(store64(v, PT, 8, entry(0x2000)).ret, 0, 'the cached mapping is reused');
        assert.equal(dmaRefs(v, 0x2000, 1), 2);
        assert.equal(store64(v, PT, 9, entry(0x2002)).ret, -ENXIO, 'control: an uncached gfn of the removed slot fails its pin');
      });

      it(`§7.4 ${profile}: when the re-map with another size fails, the old mapping is already gone (unmapped before the map is tried)`, () => {
        const { v, rec } = shadowed(profile);
        assert.equal(store64(v, PT, 7, entry(0x2000)).ret, 0); // a live 4K mapping of gfn 0x2000
        assert.equal(dmaRefs(v, 0x2000, 1), 1);
        v.removeMemslot(gfn(0x2000 + 300), gfn(0x2000 + 300)); // the 2M pin (and a split) fail at this page
        const r = store64(v, PD, 1, entry(0x2000, P | RW | PS));
        assert.notEqual(r.ret, 0, 'the 2M add fails');
        assert.equal(dmaRefs(v, 0x2000, 1), 0, 'the live 4K mapping was unmapped anyway');
        assert.equal(dmaRefs(v, 0x2000, 512), 0);
        assert.ok(rec.ofKind('hazard').some((h) => h.hazard === 'dma-remap'), 'flagged');
        const walk = core.gpuWalk(v, 7 * 4096).outcome; // the PTE that still points at gfn 0x2000
        assert.equal(walk.kind === 'page' && walk.unpinned, true, 'the GPU reaches a page no longer pinned');
      });
    }
  });

  describe('§7.5 failsafe swallows MMIO (failsafe_emulate_mmio_rw)', () => {
    for (const profile of PROFILES) {
      it(`§7.5 ${profile}: submit, shadow and unshadow do nothing but say so; queued post-shadow work stays queued until reset`, () => {
        const { v, rec } = shadowed(profile);
        v.guestStore(at(PT, 4), u32(0x600003)); // a partial write: queued
        assert.equal(v.ppgtt.postShadowList.length, 1);
        v.enterFailsafe();
        assert.equal(v.submit(), 0);
        assert.equal(v.ppgtt.postShadowList.length, 1, 'not flushed');
        assert.equal(v.shadow(gfn(0x180)), 0);
        assert.equal(v.mms.length, 1, 'no new mm');
        assert.equal(v.unshadow(ROOT), 0);
        assert.equal(v.mms[0].refs, 1, 'no reference dropped');
        assert.equal(rec.ofKind('mmio-ignored').length, 3);
        v.reset();
        assert.equal(v.ppgtt.postShadowList.length, 0);
      });
    }
  });

  describe('§7.6 the post-shadow flush can walk freed memory (list_for_each_safe)', () => {
    it('§7.6 flushing a PD entry that drops the last reference to the next queued PT flags the use-after-free at that moment', () => {
      const { v, rec } = shadowed();
      const B = 0x130;
      v.guestStore(at(PD, 5), u32(0)); // 1st partial write to PD[5]: teardown (nothing), post-shadow bit set, PD queued
      store64(v, B, 0, 0n); // B is not a table yet: plain store
      assert.equal(store64(v, PD, 5, entry(B)).ret, 0); // PD[5] → new PT B (bit 5 stays set)
      assert.equal(spt(v, B).refcount, 1);
      v.guestStore(at(B, 3), u32(0x600003)); // partial write into B: B queued after PD
      v.guestStore(at(PD, 5), u32(0)); // clear PD[5]'s low half: bit already set, no teardown
      assert.deepEqual([...v.ppgtt.postShadowList].map((s) => s.guestGfn), [PD, B]);
      rec.clear();
      assert.equal(v.submit(), 0);
      const uaf = rec.ofKind('hazard').find((h) => h.hazard === 'use-after-free');
      assert.ok(uaf);
      assert.match(uaf.message, /intel_vgpu_flush_post_shadow/);
      assert.equal(v.ppgtt.postShadowList.length, 0);
    });
  });

  describe('§7.7 legacy: invalid gfn at populate is an uninitialised entry', () => {
    it('§7.7 legacy: the leaf is not present (zero-initialised model), the GPU faults, flagged as undefined behaviour', () => {
      const m = new core.Machine('legacy');
      const v = m.createVgpu('vm1', 64 * MIB);
      v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
      v.builder.map(0x1000, gfn(0x9000), 4096); // beyond 64M: no memslot
      const rec = new Recorder();
      m.tracer = rec;
      assert.equal(v.shadow(ROOT), 0);
      assert.equal(shadowValue(v, PT, 1) & 1n, 0n);
      assert.equal(pfnOf(shadowValue(v, PT, 1)), core.GGTT_SCRATCH_MFN);
      assert.equal(core.gpuWalk(v, 0x1000).outcome.kind, 'fault');
      assert.ok(rec.ofKind('hazard').some((h) => h.hazard === 'undefined-behaviour'));
    });

    it('§7.7 newest (contrast): the same scenario fails shadowing with -ENXIO', () => {
      const m = new core.Machine('newest');
      const v = m.createVgpu('vm1', 64 * MIB);
      v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
      v.builder.map(0x1000, gfn(0x9000), 4096);
      assert.equal(v.shadow(ROOT), -ENXIO);
    });
  });

  describe('§7.8 IPS depends on the platform (vgpu_ips_enabled)', () => {
    function ipsTable(platform: core.Platform, gamw = false): core.Vgpu {
      const m = new core.Machine();
      m.platform = platform;
      const v = m.createVgpu('vm1', 64 * MIB);
      v.gamwIps64k = gamw;
      v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
      v.builder.map(0x10000, gfn(0x600), 65536);
      assert.equal(v.shadow(ROOT), 0);
      return v;
    }

    const cases: Array<[core.Platform, boolean, boolean]> = [
      ['gen8', true, false], ['gen9', false, false], ['gen9', true, true], ['gen11', false, true],
    ];
    for (const [platform, gamw, ips] of cases) {
      it(`§7.8 ${platform}${platform === 'gen9' ? ` with the 64K IPS field ${gamw ? 'set' : 'clear'}` : ''}: ${ips ? '64K split into 16 shadow entries' : '512 ordinary 4K entries'}`, () => {
        const v = ipsTable(platform, gamw);
        assert.equal(spt(v, 0x103).pdeIps, ips);
        const sub = shadowValue(v, 0x103, 17);
        if (ips) assert.equal(pfnOf(sub), v.host.backingFrame(v.index, gfn(0x601)), 'sub-entry 1 maps gfn+1');
        else assert.equal(sub, 0n, 'index 17 is an ordinary (empty) 4K slot');
        assert.equal(shadowValue(v, PD, 0) & IPS, 0n);
      });
    }
  });

  describe('§7.8 2M GTT pages depend on the platform and the kernel (HAS_PAGE_SIZES(i915, I915_GTT_PAGE_SIZE_2M))', () => {
    for (const [profile, platform, native] of [
      ['newest', 'gen8', false], ['newest', 'gen9', false], ['newest', 'gen11', true],
      ['legacy', 'gen8', true], ['legacy', 'gen9', true], ['legacy', 'gen11', true],
    ] as Array<[core.KernelProfile, core.Platform, boolean]>) {
      it(`§7.8 ${profile} on ${platform}: a 2M entry over a huge page is ${native ? 'native' : 'split, with no 2M pin tried'}`, () => {
        const { v, rec } = shadowed(profile, (_x, m) => {
          m.platform = platform;
        });
        assert.equal(store64(v, PD, 1, entry(0x2000, P | RW | PS)).ret, 0);
        assert.equal((shadowValue(v, PD, 1) & PS) !== 0n, native);
        assert.equal(dmaRefs(v, 0x2000, 512), native ? 1 : 0);
        assert.equal(dmaRefs(v, 0x21ff, 1), native ? 0 : 1);
        const pins2M = rec.ofKind('dma').filter((e) => e.change === 'map' && e.pages === 512);
        assert.equal(pins2M.length, native ? 1 : 0, 'the 2M pin is asked only with 2M GTT pages');
      });
    }

    it('§7.8 the platform may change mid-scenario: entries written after it follow the new page sizes', () => {
      const { v, m } = shadowed('newest');
      assert.equal(store64(v, PD, 1, entry(0x2000, P | RW | PS)).ret, 0);
      m.platform = 'gen9';
      assert.equal(store64(v, PD, 2, entry(0x2200, P | RW | PS)).ret, 0);
      assert.notEqual(shadowValue(v, PD, 1) & PS, 0n, 'written on gen11: native');
      assert.equal(shadowValue(v, PD, 2) & PS, 0n, 'written on gen9: split');
      assert.equal(m.clone().vgpus.get('vm1')!.host2M, false, 'a snapshot keeps the platform');
    });
  });

  describe('§7.9 host backing decides native 2M (is_2MB_gtt_possible, gvt_pin_guest_page)', () => {
    for (const [profile, kind, native] of [
      ['newest', 'huge', true], ['newest', 'contiguous', true], ['newest', 'scattered', false],
      ['legacy', 'huge', true], ['legacy', 'contiguous', false], ['legacy', 'scattered', false],
    ] as Array<[core.KernelProfile, core.BackingKind, boolean]>) {
      it(`§7.9 ${profile}, ${kind} backing: 2M ${native ? 'native' : 'split'}`, () => {
        const { v } = shadowed(profile, (x) => x.backing.set(gfn(0x2000), gfn(0x21ff), kind));
        assert.equal(store64(v, PD, 1, entry(0x2000, P | RW | PS)).ret, 0);
        assert.equal(dmaRefs(v, 0x2000, 512), native ? 1 : 0);
        assert.equal((shadowValue(v, PD, 1) & PS) !== 0n, native);
      });
    }

    it('§7.9 legacy: a failing split drops a reference on the PARENT directory and leaks the sub-table', () => {
      const { v, rec } = shadowed('legacy', (x) => x.backing.set(gfn(0x2000), gfn(0x21ff), 'contiguous'));
      v.removeMemslot(gfn(0x2005), gfn(0x2005));
      spt(v, PD).refcount++; // a second parent keeps the PD alive, so only the count shows the bug
      const before = spt(v, PD).refcount;
      assert.equal(store64(v, PD, 1, entry(0x2000, P | RW | PS)).ret, -EINVAL);
      assert.equal(spt(v, PD).refcount, before - 1, 'the parent lost a reference it never gave');
      assert.equal(v.ppgtt.allSpts().filter((s) => s.guestGfn === 0).length, 1, 'the sub-table leaks');
      assert.ok(rec.ofKind('hazard').some((h) => h.hazard === 'leak' && h.message.includes('split_2MB_gtt_entry')));
    });
  });

  describe('§7.10 32-bit PPGTTs (ROOT_L3)', () => {
    function l3(): { m: core.Machine; v: core.Vgpu } {
      const m = new core.Machine();
      const v = m.createVgpu('vm1', 64 * MIB);
      const pdps = [gfn(0x100), gfn(0x101), gfn(0), gfn(0x102)];
      v.builder.pagetable32(pdps, gfn(0x110), gfn(0x1ff));
      assert.ok(!('error' in v.builder.map(0x1000, gfn(0x500), 4096)));
      assert.ok(!('error' in v.builder.map(0xc0000000 + 0x3000, gfn(0x501), 4096)));
      assert.equal(v.shadowRoots('L3', pdps), 0);
      return { m, v };
    }

    it('§7.10 four root pointers each name a page directory; the PDP level is not a guest page and is not tracked', () => {
      const { v } = l3();
      assert.deepEqual(v.pageTrack.all().map((r) => r.gfn), [0x100, 0x101, 0x102, 0x110, 0x111]);
      assert.equal(v.mms[0].rootType, 'L3');
      assert.equal(v.mms[0].shadowPdps[2].present(), false);
    });

    it('§7.10 the GPU walks PD then PT below the root pointer va bits 31:30 choose', () => {
      const { v } = l3();
      const a = core.gpuWalk(v, 0x1000);
      assert.deepEqual(a.steps.map((s) => s.level), ['PD', 'PT']);
      assert.equal(a.outcome.kind === 'page' && a.outcome.gfn, 0x500);
      const d = core.gpuWalk(v, 0xc0003000).outcome;
      assert.equal(d.kind === 'page' && d.gfn, 0x501);
      assert.equal(core.gpuWalk(v, 0x80000000).outcome.kind, 'fault', 'pdps[2] is empty');
    });

    it('§7.10 the mm is found by all four pointers: the same four take a reference, a different set is another mm', () => {
      const { v } = l3();
      assert.equal(v.shadowRoots('L3', [gfn(0x100), gfn(0x101), gfn(0), gfn(0x102)]), 0);
      assert.equal(v.mms.length, 1);
      assert.equal(v.mms[0].refs, 2);
      assert.equal(v.shadowRoots('L3', [gfn(0x100), gfn(0x101), gfn(0), gfn(0)]), 0);
      assert.equal(v.mms.length, 2);
    });

    it('§7.1/§7.10 intel_vgpu_find_ppgtt_mm matches by the stored mm\'s type: an L3 request whose first pointer is an L4 mm\'s PML4 finds it (a reference, no second mm)', () => {
      const { v } = shadowed();
      assert.equal(v.shadowRoots('L3', [ROOT, gfn(0), gfn(0), gfn(0)]), 0);
      assert.equal(v.mms.length, 1);
      assert.equal(v.mms[0].rootType, 'L4');
      assert.equal(v.mms[0].refs, 2);
      assert.equal(v.unshadowRoots('L3', [ROOT, gfn(0x999), gfn(0), gfn(0)]), 0, 'DESTROY finds it the same way');
      assert.equal(v.unshadow(ROOT), 0);
      assert.equal(v.mms.length, 0);
      assert.equal(v.pageTrack.size, 0, 'released: unregistered');
    });

    it('§7.10 an L4 request finds an L3 mm only when all four pointers match (the three it does not name count as 0)', () => {
      const { v } = l3();
      assert.equal(v.shadow(gfn(0x100)), 0);
      assert.equal(v.mms.length, 2, 'pdps 0x100 0x101 0 0x102 is not 0x100 0 0 0');
    });

    it('§7.10 a trapped PTE write under a 32-bit PPGTT is shadowed like any other', () => {
      const { v } = l3();
      assert.equal(store64(v, 0x110, 2, entry(0x777)).trapped, true);
      const w = core.gpuWalk(v, 0x2000).outcome;
      assert.equal(w.kind === 'page' && w.gfn, 0x777);
    });
  });
});
