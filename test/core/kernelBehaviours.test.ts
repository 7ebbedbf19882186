// The 25 behaviours of docs/kernel-model.md §5, one `it` (or a small `describe`) each, titled by
// their number and the kernel function. Hypervisor add/remove calls are counted by their frames
// (intel_gvt_page_track_add/remove on newest, kvmgt_page_track_add/remove on legacy); KVM's own
// write-track changes by 'protect' notes. §5.14-§5.25 drive the shadow PPGTT through guest stores.
import * as assert from 'node:assert/strict';
import * as core from '../../src/core';
import { EEXIST, EFAULT, EINVAL, ENXIO, ESRCH, GttType, gfn, gpa } from '../../src/core';
import {
  ADDR_4K, BIT52, DATA, IPS, MIB, P, PD, PDP, PS, PT, ROOT, RW, Recorder, SpyHandler, at, backing, dmaRefs, entry,
  pfnOf, scratch, shadowValue, shadowed, spt, store64, u32, u64,
} from './coreHelpers';

const G = gfn(0x10);
const PROFILES: core.KernelProfile[] = ['newest', 'legacy'];

function fresh(profile: core.KernelProfile = 'newest'): { m: core.Machine; v: core.Vgpu; rec: Recorder } {
  const m = new core.Machine(profile);
  const v = m.createVgpu('vm1', 64 * MIB);
  const rec = new Recorder();
  m.tracer = rec;
  return { m, v, rec };
}

const removeFrame = (p: core.KernelProfile): core.KernelFn => (p === 'newest' ? 'intel_gvt_page_track_remove' : 'kvmgt_page_track_remove');
const addFrame = (p: core.KernelProfile): core.KernelFn => (p === 'newest' ? 'intel_gvt_page_track_add' : 'kvmgt_page_track_add');

describe('kernel model §5: kernel behaviours', () => {
  // ---- page_track.c ----------------------------------------------------------------------

  it('§5.1 register of a gfn that has a record returns -EEXIST and leaves the first record unchanged (intel_vgpu_register_page_track)', () => {
    const { v, rec } = fresh();
    const first = new SpyHandler('first');
    const second = new SpyHandler('second');
    assert.equal(v.pageTrack.register(G, first, 'priv-1'), 0);
    assert.equal(v.pageTrack.enable(G), 0);
    const before = v.pageTrack.find(G)!;
    rec.clear();
    assert.equal(v.pageTrack.register(G, second, 'priv-2'), -EEXIST);
    assert.equal(v.pageTrack.register(G, first, 'priv-1'), -EEXIST, 'handler and priv are not compared');
    const after = v.pageTrack.find(G)!;
    assert.strictEqual(after, before);
    assert.strictEqual(after.handler, first);
    assert.equal(after.priv, 'priv-1');
    assert.equal(after.tracked, true);
    assert.equal(rec.adds + rec.removes, 0);
    v.guestStore(gpa(0x10000), u64(1n));
    assert.equal(first.calls.length, 1);
    assert.equal(second.calls.length, 0);
  });

  it('§5.2 a fresh registration has tracked == false and makes no hypervisor add (intel_vgpu_register_page_track)', () => {
    const { v, rec } = fresh();
    const h = new SpyHandler('h');
    assert.equal(v.pageTrack.register(G, h, null), 0);
    assert.equal(v.pageTrack.find(G)!.tracked, false);
    assert.equal(rec.adds, 0);
    assert.equal(rec.kvmCalls(), 0);
    assert.equal(v.kvmgt.protectTable.has(G), false);
    assert.equal(v.guestStore(gpa(0x10008), u64(7n)).trapped, false, 'registering does not write-protect');
    assert.equal(h.calls.length, 0);
  });

  it('§5.3 enable and disable of an unregistered gfn return -ENXIO (intel_vgpu_enable_page_track / intel_vgpu_disable_page_track)', () => {
    const { v, rec } = fresh();
    assert.equal(v.pageTrack.enable(G), -ENXIO);
    assert.equal(v.pageTrack.disable(G), -ENXIO);
    assert.equal(rec.adds + rec.removes, 0);
    assert.equal(v.pageTrack.find(G), undefined);
  });

  it('§5.4 enable twice makes one hypervisor add; disable of an untracked record returns 0 with no call (intel_vgpu_enable_page_track)', () => {
    for (const p of PROFILES) {
      const { v, rec } = fresh(p);
      v.pageTrack.register(G, new SpyHandler('h'), null);
      assert.equal(v.pageTrack.disable(G), 0, `${p}: disable untracked`);
      assert.equal(rec.removes, 0, `${p}: no remove for an untracked record`);
      assert.equal(v.pageTrack.enable(G), 0);
      assert.equal(v.pageTrack.enable(G), 0);
      assert.equal(rec.count(addFrame(p)), 1, `${p}: exactly one ${addFrame(p)}`);
      assert.equal(rec.kvmCalls(true), 1);
      assert.equal(v.pageTrack.find(G)!.tracked, true);
      assert.equal(v.pageTrack.disable(G), 0);
      assert.equal(v.pageTrack.disable(G), 0);
      assert.equal(rec.count(removeFrame(p)), 1, `${p}: exactly one ${removeFrame(p)}`);
      assert.equal(v.pageTrack.find(G)!.tracked, false);
    }
  });

  describe('§5.5 a failed hypervisor add or remove leaves tracked as it was (intel_vgpu_enable_page_track, intel_gvt_page_track_add/remove)', () => {
    it('§5.5 enable returns -ESRCH when the vGPU is not attached; tracked stays false (intel_gvt_page_track_add)', () => {
      for (const p of PROFILES) {
        const { v, rec } = fresh(p);
        v.pageTrack.register(G, new SpyHandler('h'), null);
        v.kvmgt.attached = false;
        assert.equal(v.pageTrack.enable(G), -ESRCH, p);
        assert.equal(v.pageTrack.find(G)!.tracked, false);
        assert.equal(rec.count(addFrame(p)), 1);
        assert.equal(rec.kvmCalls(), 0);
      }
    });

    it('§5.5 enable returns -EINVAL for a gfn with no memslot; tracked stays false (kvm_write_track_add_gfn)', () => {
      for (const p of PROFILES) {
        const { v } = fresh(p);
        const outside = gfn(0x4000); // 64M guest = gfns 0..0x3fff
        v.pageTrack.register(outside, new SpyHandler('h'), null);
        assert.equal(v.pageTrack.enable(outside), -EINVAL, p);
        assert.equal(v.pageTrack.find(outside)!.tracked, false);
        assert.equal(v.kvmgt.protectTable.size, 0);
      }
    });

    it('§5.5 a failed remove makes disable return the error and keep tracked true (intel_vgpu_disable_page_track)', () => {
      // newest: a detached vGPU gives -ESRCH on remove
      const a = fresh('newest');
      a.v.pageTrack.register(G, new SpyHandler('h'), null);
      a.v.pageTrack.enable(G);
      a.v.kvmgt.attached = false;
      assert.equal(a.v.pageTrack.disable(G), -ESRCH);
      assert.equal(a.v.pageTrack.find(G)!.tracked, true);
      // legacy: a bad handle returns 0 on remove (unlike add), so it takes a missing memslot
      const b = fresh('legacy');
      b.v.pageTrack.register(G, new SpyHandler('h'), null);
      b.v.pageTrack.enable(G);
      b.v.kvmgt.attached = false;
      assert.equal(b.v.pageTrack.disable(G), 0, 'legacy kvmgt_page_track_remove returns 0 for an invalid handle');
      b.v.kvmgt.attached = true;
      b.v.pageTrack.enable(G);
      b.v.removeMemslot(gfn(0), gfn(0x3fff));
      assert.equal(b.v.pageTrack.disable(G), -EINVAL);
      assert.equal(b.v.pageTrack.find(G)!.tracked, true);
    });
  });

  it('§5.6 unregister: unknown gfn is a silent no-op; tracked gfn makes one remove and can be registered again; untracked makes none (intel_vgpu_unregister_page_track)', () => {
    for (const p of PROFILES) {
      const { v, rec } = fresh(p);
      v.pageTrack.unregister(gfn(0x77));
      assert.equal(rec.removes, 0);
      assert.equal(v.pageTrack.size, 0);

      v.pageTrack.register(G, new SpyHandler('h'), null);
      v.pageTrack.enable(G);
      rec.clear();
      v.pageTrack.unregister(G);
      assert.equal(rec.count(removeFrame(p)), 1, p);
      assert.equal(rec.kvmCalls(false), 1);
      assert.equal(v.pageTrack.find(G), undefined);
      assert.equal(v.kvmgt.protectTable.has(G), false);
      assert.equal(v.guestStore(gpa(0x10000), u64(1n)).trapped, false);
      assert.equal(v.pageTrack.register(G, new SpyHandler('again'), null), 0);

      rec.clear();
      v.pageTrack.unregister(G); // untracked
      assert.equal(rec.removes, 0);
      assert.equal(v.pageTrack.find(G), undefined);
    }
  });

  it('§5.7 the dispatcher on a gpa whose gfn has no record returns -ENXIO and calls no handler (intel_vgpu_page_track_handler)', () => {
    const { v } = fresh();
    const h = new SpyHandler('h');
    v.pageTrack.register(gfn(0x11), h, null);
    assert.equal(v.pageTrack.dispatch(gpa(0x10008), u64(1n), 8), -ENXIO);
    assert.equal(h.calls.length, 0);
    // Reached through KVM: a gfn protected at kvmgt but with no GVT record.
    assert.equal(v.kvmgt.add(G), 0);
    const r = v.guestStore(gpa(0x10010), u64(2n));
    assert.deepEqual(r, { trapped: true, ret: -ENXIO, traps: 1 });
    assert.equal(h.calls.length, 0);
    assert.equal(v.failsafe, false);
  });

  it('§5.8 the dispatcher passes gpa (with offset), data and bytes unchanged and returns the handler result as is; non-zero does not set failsafe (intel_vgpu_page_track_handler)', () => {
    const { v, rec } = fresh();
    for (const code of [-EFAULT, 5, -EINVAL, 0]) {
      const h = new SpyHandler(`h${code}`, code);
      const g = gfn(0x20 + Math.abs(code));
      v.pageTrack.register(g, h, null);
      const data = u64(0x1122334455667788n);
      const addr = gpa(g * 4096 + 0x7f8);
      assert.equal(v.pageTrack.dispatch(addr, data, 8), code);
      assert.equal(h.calls.length, 1);
      assert.equal(h.calls[0].gpa, addr);
      assert.deepEqual(h.calls[0].data, data);
      assert.equal(h.calls[0].bytes, 8);
      const odd = v.pageTrack.dispatch(gpa(g * 4096 + 3), new Uint8Array(3), 3);
      assert.equal(odd, code);
      assert.equal(h.calls[1].gpa, g * 4096 + 3);
      assert.equal(h.calls[1].bytes, 3);
    }
    assert.equal(v.failsafe, false);
    assert.equal(rec.count('enter_failsafe_mode'), 0);
    assert.ok(rec.ofKind('kernel-log').some((n) => n.message.startsWith('guest page write error, gpa 0x')));
  });

  it('§5.9 the dispatcher calls the handler even when tracked == false (intel_vgpu_page_track_handler)', () => {
    const { v } = fresh();
    const h = new SpyHandler('h', 0);
    v.pageTrack.register(G, h, null);
    assert.equal(v.pageTrack.find(G)!.tracked, false);
    assert.equal(v.pageTrack.dispatch(gpa(0x10004), u32(9), 4), 0);
    assert.equal(h.calls.length, 1);
    assert.equal(h.calls[0].tracked, false);
  });

  describe('§5.10 failsafe: the dispatcher returns 0, skips the handler and removes protection (intel_vgpu_page_track_handler)', () => {
    for (const p of PROFILES) {
      it(`§5.10 ${p}: tracked ${p === 'newest' ? 'stays true (intel_gvt_page_track_remove called directly)' : 'becomes false (through intel_vgpu_disable_page_track)'} (intel_vgpu_page_track_handler)`, () => {
        const { v, rec } = fresh(p);
        const h = new SpyHandler('h', -EFAULT);
        v.pageTrack.register(G, h, null);
        v.pageTrack.enable(G);
        v.enterFailsafe();
        rec.clear();
        const r = v.guestStore(gpa(0x10008), u64(0xabn));
        assert.deepEqual(r, { trapped: true, ret: 0, traps: 1 });
        assert.equal(h.calls.length, 0);
        assert.equal(rec.count(removeFrame(p)), 1);
        assert.equal(rec.kvmCalls(false), 1);
        assert.equal(rec.count('intel_vgpu_disable_page_track'), p === 'newest' ? 0 : 1);
        assert.equal(v.kvmgt.protectTable.has(G), false);
        assert.equal(v.pageTrack.find(G)!.tracked, p === 'newest');
        assert.equal(v.guestStore(gpa(0x10008), u64(0xacn)).trapped, false, 'no more traps');
        assert.equal(v.memory.readU64(gpa(0x10008)), 0xacn);
      });
    }
  });

  describe('§5.11 kvmgt_page_track_write calls the dispatcher only for gfns in the protect table and ignores its result (kvmgt_page_track_write)', () => {
    it('§5.11 a store to a gfn with a record but not in the protect table does not reach the dispatcher (kvmgt_page_track_write)', () => {
      const { v, rec } = fresh();
      const h = new SpyHandler('h');
      v.pageTrack.register(G, h, null);
      assert.equal(v.guestStore(gpa(0x10000), u64(1n)).trapped, false);
      // KVM write-tracks the gfn for someone else (its counter is per gfn): kvmgt is notified but
      // the gfn is not in this vGPU's protect table, so the dispatcher is not called.
      v.kvmgt.trackForAnotherUser(G);
      rec.clear();
      const r = v.guestStore(gpa(0x10000), u64(2n));
      assert.equal(rec.count('kvmgt_page_track_write'), 1);
      assert.equal(rec.count('intel_vgpu_page_track_handler'), 0);
      assert.equal(r.trapped, false);
      assert.equal(h.calls.length, 0);
      assert.equal(v.traps, 0);
      assert.equal(v.memory.readU64(gpa(0x10000)), 2n, 'the write still reached guest memory');
    });

    it('§5.11 the dispatcher error goes nowhere but ret: memory written, no failsafe, record unchanged, still trapping (kvmgt_page_track_write)', () => {
      const { v, rec } = fresh();
      const h = new SpyHandler('h', -EFAULT);
      v.pageTrack.register(G, h, 'p');
      v.pageTrack.enable(G);
      const r = v.guestStore(gpa(0x10010), u64(0x55n));
      assert.deepEqual(r, { trapped: true, ret: -EFAULT, traps: 1 });
      assert.equal(v.memory.readU64(gpa(0x10010)), 0x55n);
      assert.equal(v.failsafe, false);
      assert.equal(v.pageTrack.find(G)!.tracked, true);
      assert.equal(v.kvmgt.protectTable.has(G), true);
      assert.equal(rec.returns.find((x) => x.fn === 'kvmgt_page_track_write')!.ret, undefined, 'the notifier returns nothing');
      assert.deepEqual(rec.ofKind('trap-ignored').map((n) => n.ret), [-EFAULT]);
      assert.equal(v.guestStore(gpa(0x10010), u64(0x56n)).trapped, true);
      assert.equal(h.calls.length, 2);
    });
  });

  it('§5.12 the hypervisor add is idempotent per vGPU and removing an unprotected gfn returns 0 (intel_gvt_page_track_add/remove)', () => {
    for (const p of PROFILES) {
      const { v, rec } = fresh(p);
      assert.equal(v.kvmgt.add(G), 0);
      assert.equal(v.kvmgt.add(G), 0);
      assert.equal(rec.kvmCalls(true), 1, `${p}: one KVM add`);
      assert.equal(v.kvmgt.kvmTrackCount(G), 1);
      assert.equal(v.kvmgt.remove(gfn(0x11)), 0);
      assert.equal(rec.kvmCalls(false), 0, `${p}: no KVM remove`);
      assert.equal(v.kvmgt.remove(G), 0);
      assert.equal(v.kvmgt.remove(G), 0);
      assert.equal(rec.kvmCalls(false), 1);
      assert.equal(v.kvmgt.isWriteTracked(G), false);
    }
  });

  /** A tracked record at G whose memslot (gfns 0x10..0x1f) is then removed. */
  const trackedThenSlotRemoved = (profile: core.KernelProfile): ReturnType<typeof fresh> => {
    const f = fresh(profile);
    f.v.pageTrack.register(G, new SpyHandler('h'), null);
    f.v.pageTrack.enable(G);
    f.v.removeMemslot(gfn(0x10), gfn(0x1f));
    return f;
  };

  describe('§5.13 memslot removal drops protect-table entries but leaves tracked == true (kvmgt_page_track_remove_region / kvmgt_page_track_flush_slot)', () => {
    it('§5.13 newest: a later disable returns 0 and clears tracked without a KVM call (kvmgt_page_track_remove_region)', () => {
      const { v, rec } = trackedThenSlotRemoved('newest');
      assert.equal(rec.count('kvmgt_page_track_remove_region'), 1);
      assert.equal(v.kvmgt.protectTable.has(G), false);
      assert.equal(v.pageTrack.find(G)!.tracked, true, 'stale');
      assert.ok(rec.surprises().some((s) => s.includes('stale')));
      rec.clear();
      assert.equal(v.pageTrack.disable(G), 0);
      assert.equal(v.pageTrack.find(G)!.tracked, false);
      assert.equal(rec.count('intel_gvt_page_track_remove'), 1);
      assert.equal(rec.kvmCalls(), 0, 'no KVM call');
    });

    it('§5.13 legacy: disable fails with -EINVAL (no memslot) and tracked stays true (kvmgt_page_track_flush_slot)', () => {
      const { v, rec } = trackedThenSlotRemoved('legacy');
      assert.equal(rec.count('kvmgt_page_track_flush_slot'), 1);
      assert.equal(v.kvmgt.protectTable.has(G), false);
      assert.equal(v.kvmgt.isWriteTracked(G), false);
      assert.equal(v.pageTrack.find(G)!.tracked, true);
      rec.clear();
      assert.equal(v.pageTrack.disable(G), -EINVAL);
      assert.equal(v.pageTrack.find(G)!.tracked, true);
      assert.equal(rec.kvmCalls(), 0);
    });
  });

  // ---- gtt.c: the shadow PPGTT -------------------------------------------------------------

  it('§5.14 the PPGTT handler rejects bytes of 1, 2 or 16 with -EINVAL and leaves shadow state untouched (ppgtt_write_protection_handler)', () => {
    for (const [bytes, data] of [[1, new Uint8Array([0x07])], [2, new Uint8Array([0x03, 0x70])], [16, new Uint8Array([...u64(entry(0x600)), ...u64(entry(0x601))])]] as const) {
      const { v, rec } = shadowed();
      const before = Array.from(spt(v, PT).shadow);
      const dma = v.dma.mappings().map((d) => ({ ...d }));
      const r = v.guestStore(at(PT, 1), data);
      assert.deepEqual(r, { trapped: true, ret: -EINVAL, traps: 1 }, `${bytes} bytes`);
      assert.equal(rec.returns.find((x) => x.fn === 'ppgtt_write_protection_handler')!.ret, -EINVAL);
      assert.deepEqual(Array.from(spt(v, PT).shadow), before);
      assert.deepEqual(v.dma.mappings(), dma);
      assert.equal(spt(v, PT).postShadowCount, 0);
      assert.equal(v.ppgtt.postShadowList.length, 0);
      assert.deepEqual(v.memory.readBytes(at(PT, 1), bytes), data, 'guest memory write stands');
    }
  });

  it('§5.15 the handler shadows the entry read back from guest memory, not the data buffer (ppgtt_handle_guest_write_page_table_bytes)', () => {
    const { v } = shadowed();
    v.memory.writeInPage(at(PT, 4), u64(entry(0x600)));
    assert.equal(v.pageTrack.dispatch(at(PT, 4), u64(entry(0x700)), 8), 0);
    assert.equal(pfnOf(shadowValue(v, PT, 4)), backing(v, 0x600));
    assert.equal(dmaRefs(v, 0x600), 1);
    assert.equal(dmaRefs(v, 0x700), 0);
  });

  it('§5.16 an 8-byte present 4K PTE at offset 8k updates shadow index k with the same flags and the new host pfn, releasing the old mapping (ppgtt_handle_guest_write_page_table)', () => {
    const { v, rec } = shadowed();
    assert.equal(pfnOf(shadowValue(v, PT, 1)), backing(v, DATA));
    const value = entry(0x600, P | RW | 0x18n | 0x40n); // PWT, PCD, dirty
    const r = store64(v, PT, 1, value);
    assert.deepEqual(r, { trapped: true, ret: 0, traps: 1 });
    const se = shadowValue(v, PT, 1);
    assert.equal(se & ~ADDR_4K, value & ~ADDR_4K, 'flag bits kept');
    assert.equal(pfnOf(se), backing(v, 0x600));
    assert.equal(dmaRefs(v, DATA), 0, 'old mapping released');
    assert.equal(dmaRefs(v, 0x600), 1);
    assert.deepEqual(rec.ofKind('dma').map((d) => `${d.change} 0x${d.gfn.toString(16)}`), ['map 0x600', 'unmap 0x500'], 'add before remove');
    // the other indices are untouched
    for (let i = 0; i < 512; i++) if (i !== 1) assert.equal(shadowValue(v, PT, i), 0n);
  });

  describe('§5.17 an 8-byte write clearing present points the shadow entry at scratch_pt[level], keeping the other old bits (ppgtt_handle_guest_write_page_table)', () => {
    it('§5.17 PT level: pfn = scratch_pt[PTE_PT], present kept, mapping released (ppgtt_handle_guest_write_page_table)', () => {
      const { v } = shadowed();
      const old = shadowValue(v, PT, 1);
      store64(v, PT, 1, entry(0x600, RW)); // not present
      const se = shadowValue(v, PT, 1);
      assert.equal(se & ~ADDR_4K, old & ~ADDR_4K, 'old flags, present included');
      assert.equal(se & P, P);
      assert.equal(pfnOf(se), scratch(v, GttType.PTE_PT));
      assert.equal(dmaRefs(v, DATA), 0);
    });

    it('§5.17 PD level: pfn = scratch_pt[PDE_PT] and the child table is freed (ppgtt_handle_guest_write_page_table)', () => {
      const { v } = shadowed();
      const old = shadowValue(v, PD, 0);
      store64(v, PD, 0, 0n);
      const se = spt(v, PD).getShadowEntry(0).value;
      assert.equal(se & ~ADDR_4K, old & ~ADDR_4K);
      assert.equal(pfnOf(se), scratch(v, GttType.PDE_PT));
      assert.equal(v.pageTrack.find(PT), undefined);
    });
  });

  it('§5.18 4-byte writes: the first tears down at once and queues the spt once, the second does no teardown, the flush shadows the full entry (ppgtt_set_post_shadow, intel_vgpu_flush_post_shadow)', () => {
    const { v, rec } = shadowed();
    const pt = spt(v, PT);
    const old = shadowValue(v, PT, 1);
    const next = entry(0x600);
    // low half first
    let r = v.guestStore(at(PT, 1), u32(Number(next & 0xffffffffn)));
    assert.deepEqual(r, { trapped: true, ret: 0, traps: 1 });
    assert.equal(dmaRefs(v, DATA), 0, 'old mapping torn down at once');
    assert.equal(shadowValue(v, PT, 1), (old & ~ADDR_4K) | (BigInt(scratch(v, GttType.PTE_PT)) << 12n));
    assert.equal(pt.postShadow[1], 1);
    assert.deepEqual([...v.ppgtt.postShadowList], [pt]);
    // high half: no further teardown, nothing rewritten, still queued once
    rec.clear();
    r = v.guestStore(gpa(at(PT, 1) + 4), u32(Number(next >> 32n)));
    assert.equal(r.ret, 0);
    assert.equal(rec.ofKind('shadow-entry').length, 0);
    assert.equal(rec.ofKind('dma').length, 0);
    assert.deepEqual([...v.ppgtt.postShadowList], [pt]);
    // another index of the same page: queued once still
    v.guestStore(at(PT, 2), u32(Number(entry(0x601) & 0xffffffffn)));
    assert.deepEqual([...v.ppgtt.postShadowList], [pt]);
    assert.equal(pt.postShadowCount, 2);
    // the flush (through prepare_workload)
    assert.equal(v.submit(), 0);
    assert.equal(shadowValue(v, PT, 1), (next & ~ADDR_4K) | (BigInt(backing(v, 0x600)) << 12n));
    assert.equal(pfnOf(shadowValue(v, PT, 2)), backing(v, 0x601));
    assert.equal(pt.postShadow[1], 0);
    assert.equal(pt.postShadow[2], 0);
    assert.equal(pt.postShadowCount, 0);
    assert.deepEqual([...v.ppgtt.postShadowList], []);
    assert.equal(pt.onPostShadowList, false);
  });

  describe('§5.19 writing an entry that points at a never-seen table creates, registers, tracks and populates an spt; a second pointer shares it (ppgtt_populate_spt_by_guest_entry)', () => {
    it('§5.19 a PDE to a new PT page: record tracked, refcount 1, leaves shadowed (ppgtt_populate_spt_by_guest_entry)', () => {
      const { v, rec } = shadowed();
      v.memory.writeInPage(at(0x180, 0), u64(entry(0x700)));
      v.memory.writeInPage(at(0x180, 3), u64(entry(0x701)));
      const r = store64(v, PD, 1, entry(0x180));
      assert.deepEqual(r, { trapped: true, ret: 0, traps: 1 });
      const rec180 = v.pageTrack.find(gfn(0x180))!;
      assert.equal(rec180.tracked, true);
      assert.strictEqual(rec180.handler, v.ppgtt.writeHandler);
      const s = spt(v, 0x180);
      assert.strictEqual(rec180.priv, s);
      assert.equal(s.refcount, 1);
      assert.equal(s.shadowType, GttType.PTE_PT);
      assert.equal(rec.count('intel_vgpu_register_page_track'), 1);
      assert.equal(rec.adds, 1);
      assert.equal(v.kvmgt.protectTable.has(0x180), true);
      assert.equal(pfnOf(s.getShadowEntry(0).value), backing(v, 0x700));
      assert.equal(pfnOf(s.getShadowEntry(3).value), backing(v, 0x701));
      assert.equal(pfnOf(shadowValue(v, PD, 1)), s.mfn);
      // a second PDE to the same page reuses the spt
      rec.clear();
      store64(v, PD, 2, entry(0x180));
      assert.strictEqual(spt(v, 0x180), s);
      assert.equal(s.refcount, 2);
      assert.equal(rec.count('intel_vgpu_register_page_track'), 0);
      assert.equal(rec.adds, 0);
      assert.equal(pfnOf(shadowValue(v, PD, 2)), s.mfn);
      assert.equal(dmaRefs(v, 0x700), 1, 'not mapped twice');
    });

    it('§5.19 a PDP entry to a new PD page: nested tables get tracked too (ppgtt_populate_spt_by_guest_entry)', () => {
      const { v, rec } = shadowed();
      v.memory.writeInPage(at(0x181, 0), u64(entry(0x182)));
      v.memory.writeInPage(at(0x182, 0), u64(entry(0x702)));
      store64(v, PDP, 1, entry(0x181));
      for (const g of [0x181, 0x182]) {
        assert.equal(v.pageTrack.find(gfn(g))!.tracked, true);
        assert.equal(spt(v, g).refcount, 1);
      }
      assert.equal(spt(v, 0x181).shadowType, GttType.PDE_PT);
      assert.equal(spt(v, 0x182).shadowType, GttType.PTE_PT);
      assert.equal(rec.adds, 2);
      assert.equal(core.gpuWalk(v, 2 ** 30 + 0).outcome.kind, 'page');
    });
  });

  describe('§5.20 clearing or redirecting the last reference frees the child subtree recursively (ppgtt_handle_guest_entry_removal, ppgtt_invalidate_spt, ppgtt_free_spt)', () => {
    it('§5.20 with refcount 2 nothing is freed; the last clear frees, unregisters, unprotects and unmaps (ppgtt_invalidate_spt)', () => {
      const { v, rec } = shadowed();
      v.memory.writeInPage(at(0x180, 0), u64(entry(0x700)));
      v.memory.writeInPage(at(0x180, 1), u64(entry(0x701)));
      store64(v, PD, 1, entry(0x180));
      store64(v, PD, 2, entry(0x180));
      const s = spt(v, 0x180);
      rec.clear();
      store64(v, PD, 1, 0n);
      assert.equal(s.refcount, 1);
      assert.equal(s.freed, false);
      assert.equal(rec.count('intel_vgpu_unregister_page_track') + rec.removes, 0);
      assert.equal(dmaRefs(v, 0x700), 1);
      store64(v, PD, 2, 0n);
      assert.equal(s.freed, true);
      assert.equal(v.pageTrack.find(gfn(0x180)), undefined);
      assert.equal(v.kvmgt.protectTable.has(0x180), false);
      assert.equal(rec.count('intel_vgpu_unregister_page_track'), 1);
      assert.equal(rec.removes, 1);
      assert.equal(dmaRefs(v, 0x700) + dmaRefs(v, 0x701), 0);
      assert.equal(v.ppgtt.findSptByMfn(s.mfn), undefined);
      assert.equal(v.guestStore(at(0x180, 0), u64(0n)).trapped, false);
    });

    it('§5.20 clearing a PDP entry frees the PD and PT below it, each unregistered (ppgtt_invalidate_spt)', () => {
      const { v, rec } = shadowed();
      const pdSpt = spt(v, PD);
      const ptSpt = spt(v, PT);
      store64(v, PDP, 0, 0n);
      assert.equal(pdSpt.freed && ptSpt.freed, true);
      assert.deepEqual(v.pageTrack.all().map((r) => r.gfn), [ROOT, PDP]);
      assert.deepEqual(rec.ofKind('record').filter((n) => n.change === 'unregistered').map((n) => n.gfn).sort(), [PD, PT]);
      assert.equal(rec.removes, 2);
      assert.equal(v.dma.size, 0);
      assert.equal(core.gpuWalk(v, 0x1000).outcome.kind, 'scratch');
    });

    it('§5.20 redirecting a PDE to another table frees the old one (ppgtt_handle_guest_write_page_table)', () => {
      const { v } = shadowed();
      const old = spt(v, PT);
      v.memory.writeInPage(at(0x180, 1), u64(entry(0x700)));
      store64(v, PD, 0, entry(0x180));
      assert.equal(old.freed, true);
      assert.equal(v.pageTrack.find(PT), undefined);
      assert.equal(dmaRefs(v, DATA), 0);
      assert.equal(spt(v, 0x180).refcount, 1);
      assert.deepEqual(core.gpuWalk(v, 0x1000).outcome, { kind: 'page', mfn: backing(v, 0x700), gfn: 0x700, size: 1 });
    });
  });

  it('§5.21 rewriting an entry with its current value keeps the child: refcount 1 → 2 → 1, no unregister or re-register (ppgtt_handle_guest_write_page_table)', () => {
    const { v, rec } = shadowed();
    const child = spt(v, PT);
    const se = shadowValue(v, PD, 0);
    store64(v, PD, 0, entry(PT));
    assert.strictEqual(spt(v, PT), child);
    assert.equal(child.refcount, 1);
    assert.equal(child.freed, false);
    assert.equal(rec.count('intel_vgpu_register_page_track') + rec.count('intel_vgpu_unregister_page_track'), 0);
    assert.equal(rec.adds + rec.removes, 0);
    assert.deepEqual(rec.ofKind('spt').filter((n) => n.gfn === PT).map((n) => `${n.change} ${n.refcount}`), ['ref 2', 'unref 1']);
    assert.equal(shadowValue(v, PD, 0), se);
    assert.equal(dmaRefs(v, DATA), 1);
  });

  describe('§5.22 a PT under an IPS PDE holds 64K entries: unused slots ignored, used ones split into 16 shadow 4K entries (split_64KB_gtt_entry)', () => {
    function ips64k(enabled = true): { v: core.Vgpu; rec: Recorder } {
      const m = new core.Machine();
      const v = m.createVgpu('vm1', 64 * MIB);
      m.platform = enabled ? 'gen11' : 'gen8';
      v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
      v.builder.map(0x10000, gfn(0x600), 65536); // PT index 16
      assert.equal(v.shadow(ROOT), 0);
      const rec = new Recorder();
      m.tracer = rec;
      return { v, rec };
    }

    it('§5.22 the 64K entry at i % 16 == 0 becomes 16 4K shadow entries with bit 52 set (split_64KB_gtt_entry)', () => {
      const { v } = ips64k();
      assert.equal(spt(v, PT).pdeIps, true);
      assert.equal(shadowValue(v, PD, 0) & IPS, 0n, 'IPS cleared in the shadow PDE');
      for (let k = 0; k < 16; k++) {
        const se = shadowValue(v, PT, 16 + k);
        assert.equal(se & BIT52, BIT52);
        assert.equal(se & 0xfffn, P | RW);
        assert.equal(pfnOf(se), backing(v, 0x600 + k));
        assert.deepEqual(core.gpuWalk(v, 0x10000 + k * 4096 + 0x10).outcome, { kind: 'page', mfn: backing(v, 0x600 + k), gfn: 0x600 + k, size: 1 });
      }
      assert.equal(shadowValue(v, PT, 32), 0n);
    });

    it('§5.22 a write to an index with i % 16 != 0 is ignored: ret 0, nothing changes (ppgtt_handle_guest_write_page_table_bytes)', () => {
      const { v, rec } = ips64k();
      const before = Array.from(spt(v, PT).shadow);
      const r = store64(v, PT, 17, entry(0x700));
      assert.deepEqual(r, { trapped: true, ret: 0, traps: 1 });
      assert.deepEqual(Array.from(spt(v, PT).shadow), before);
      assert.equal(dmaRefs(v, 0x700), 0);
      assert.equal(rec.count('ppgtt_handle_guest_write_page_table'), 0);
      assert.equal(v.guestStore(at(PT, 18), u32(3)).ret, 0, '4-byte too');
      assert.equal(spt(v, PT).postShadowCount, 0);
    });

    it('§5.22 clearing the 64K entry resets all 16 shadow entries to scratch with bit 52 cleared (ppgtt_handle_guest_write_page_table)', () => {
      const { v, rec } = ips64k();
      store64(v, PT, 16, 0n);
      for (let k = 0; k < 16; k++) {
        const se = shadowValue(v, PT, 16 + k);
        assert.equal(se & BIT52, 0n);
        assert.equal(pfnOf(se), scratch(v, GttType.PTE_PT));
        assert.equal(se & P, P, 'present kept');
      }
      // Only sub-entry 0 is unmapped (§6): the other 15 references stay.
      assert.equal(dmaRefs(v, 0x600), 0);
      assert.equal(dmaRefs(v, 0x601), 1);
      assert.ok(rec.surprises().some((s) => s.includes('only sub-entry 0')));
    });

    it('§5.22 with IPS not honoured the same entry is an ordinary 4K PTE (vgpu_ips_enabled)', () => {
      const { v } = ips64k(false);
      assert.equal(spt(v, PT).pdeIps, false);
      assert.equal(shadowValue(v, PT, 16) & BIT52, 0n);
      assert.equal(pfnOf(shadowValue(v, PT, 16)), backing(v, 0x600));
      assert.equal(shadowValue(v, PT, 17), 0n);
    });
  });

  describe('§5.23 1G entries fail with -EINVAL; 2M entries are shadowed natively or split into an untracked sub-table (ppgtt_populate_shadow_entry, split_2MB_gtt_entry)', () => {
    it('§5.23 a guest 1G entry fails shadowing with -EINVAL (ppgtt_populate_shadow_entry)', () => {
      const m = new core.Machine();
      const v = m.createVgpu('vm1', 64 * MIB);
      v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
      v.builder.map(2 ** 30, gfn(0x40000), 1073741824);
      assert.equal(v.shadow(ROOT), -EINVAL);
      assert.equal(v.mms.length, 0);
      assert.equal(v.pageTrack.size, 0);
      assert.equal(v.ppgtt.allSpts().length, 0);
    });

    it('§5.23 a trapped 1G write into a shadowed PDP returns -EINVAL and leaves the shadow entry (ppgtt_populate_shadow_entry)', () => {
      const { v } = shadowed();
      const r = store64(v, PDP, 1, entry(0x40000, P | RW | PS));
      assert.equal(r.ret, -EINVAL);
      assert.equal(shadowValue(v, PDP, 1), 0n);
    });

    it('§5.23 a 2M entry is shadowed natively when the host has 2M pages (ppgtt_populate_shadow_entry)', () => {
      const { v } = shadowed('newest', (x) => x.builder.map(0x200000, gfn(0x1000), 2097152));
      const se = shadowValue(v, PD, 1);
      assert.equal(se & PS, PS);
      assert.equal(pfnOf(se), backing(v, 0x1000));
      assert.equal(dmaRefs(v, 0x1000, 512), 1);
      assert.equal(v.ppgtt.allSpts().length, 4);
      assert.deepEqual(core.gpuWalk(v, 0x200000 + 5 * 4096).outcome, { kind: 'page', mfn: backing(v, 0x1005), gfn: 0x1005, size: 512 });
    });

    it('§5.23 without 2M GTT pages (6.6+ on Gen8) a 2M entry is split into an untracked PTE-level sub-table (split_2MB_gtt_entry)', () => {
      const pat = 0x1000n; // PAT of a large page (bit 12) → PAT of a 4K page (bit 7)
      const { v } = shadowed('newest', (x, m) => {
        m.platform = 'gen8';
        x.memory.writeInPage(at(PD, 1), u64(entry(0x1000, P | RW | PS | pat | 0x40n)));
      });
      const se = shadowValue(v, PD, 1);
      assert.equal(se & (PS | 0x40n | IPS), 0n, 'PS, dirty and IPS cleared');
      const sub = v.ppgtt.findSptByMfn(pfnOf(se))!;
      assert.ok(sub);
      assert.equal(sub.guestGfn, 0);
      assert.equal(sub.shadowType, GttType.PTE_PT);
      assert.equal(v.pageTrack.size, 4, 'no record for the sub-table');
      assert.equal(v.pageTrack.find(gfn(0)), undefined);
      assert.equal(v.pageTrack.find(gfn(0x1000)), undefined);
      for (const k of [0, 1, 511]) {
        const e = sub.getShadowEntry(k).value;
        assert.equal(pfnOf(e), backing(v, 0x1000 + k));
        assert.equal(e & 0xfffn, P | RW | 0x80n | 0x40n, 'PAT copied to bit 7');
      }
      assert.equal(dmaRefs(v, 0x1000, 512), 0);
      assert.equal(dmaRefs(v, 0x11ff), 1);
      assert.deepEqual(core.gpuWalk(v, 0x200000 + 7 * 4096).outcome, { kind: 'page', mfn: backing(v, 0x1007), gfn: 0x1007, size: 1 });
      // and through a trapped write
      store64(v, PD, 2, entry(0x1200, P | RW | PS));
      const sub2 = v.ppgtt.findSptByMfn(pfnOf(shadowValue(v, PD, 2)))!;
      assert.equal(sub2.guestGfn, 0);
      assert.equal(v.pageTrack.size, 4);
      // clearing it frees the sub-table and its mappings
      store64(v, PD, 2, 0n);
      assert.equal(sub2.freed, true);
      assert.equal(dmaRefs(v, 0x1200), 0);
    });
  });

  describe('§5.24 out of sync: off by default; when on, the 2nd trapped write to a PT page drops protection and sync restores it (can_do_out_of_sync, ppgtt_set_guest_page_oos/sync)', () => {
    it('§5.24 with OOS disabled write_cnt never changes and intel_vgpu_sync_oos_pages is a no-op (intel_vgpu_sync_oos_pages)', () => {
      const { v, rec } = shadowed();
      for (let i = 0; i < 4; i++) store64(v, PT, 2 + i, entry(0x600 + i));
      assert.equal(spt(v, PT).writeCnt, 0);
      assert.equal(v.pageTrack.find(PT)!.tracked, true);
      assert.equal(v.oos.syncAll(), 0);
      assert.equal(v.submit(), 0);
      assert.equal(rec.count('intel_vgpu_sync_oos_pages'), 0);
      assert.equal(rec.count('ppgtt_set_guest_page_oos'), 0);
    });

    it('§5.24 with OOS enabled: 2nd write unprotects, later writes do not trap, sync re-protects and re-shadows (ppgtt_set_guest_page_oos, ppgtt_set_guest_page_sync)', () => {
      const { v } = shadowed();
      v.oosEnabled = true;
      const pt = spt(v, PT);
      assert.equal(store64(v, PT, 2, entry(0x600)).trapped, true);
      assert.equal(pt.writeCnt, 1);
      assert.equal(v.pageTrack.find(PT)!.tracked, true);
      assert.equal(store64(v, PT, 3, entry(0x601)).trapped, true);
      assert.equal(v.pageTrack.find(PT)!.tracked, false);
      assert.equal(v.kvmgt.protectTable.has(PT), false);
      assert.ok(pt.oosPage);
      assert.deepEqual(v.oos.list, [pt]);
      // out of sync: not trapped, not shadowed
      assert.equal(store64(v, PT, 7, entry(0x607)).trapped, false);
      assert.equal(shadowValue(v, PT, 7), 0n);
      assert.equal(v.submit(), 0);
      assert.equal(v.pageTrack.find(PT)!.tracked, true);
      assert.equal(v.kvmgt.protectTable.has(PT), true);
      assert.equal(pfnOf(shadowValue(v, PT, 7)), backing(v, 0x607));
      assert.equal(pfnOf(shadowValue(v, PT, 3)), backing(v, 0x601));
      assert.equal(pt.writeCnt, 0);
      assert.deepEqual(v.oos.list, []);
      assert.equal(store64(v, PT, 8, entry(0x608)).trapped, true, 'protected again');
    });

    it('§5.24 with OOS enabled a PD page never goes out of sync (can_do_out_of_sync)', () => {
      const { v } = shadowed();
      v.oosEnabled = true;
      for (let i = 1; i < 5; i++) store64(v, PD, i, 0n);
      assert.equal(spt(v, PD).writeCnt, 4);
      assert.equal(v.pageTrack.find(PD)!.tracked, true);
      assert.deepEqual(v.oos.list, []);
    });
  });

  describe('§5.25 a gfn owned by a non-PPGTT tracker makes spt allocation fail with -EEXIST and keeps the other record (ppgtt_alloc_spt_gfn, intel_vgpu_find_spt_by_gfn)', () => {
    for (const enabled of [false, true]) {
      it(`§5.25 shadow fails with -EEXIST, the other tracker's ${enabled ? 'tracked' : 'untracked'} record stays, find_spt_by_gfn is NULL (ppgtt_alloc_spt_gfn)`, () => {
        const m = new core.Machine();
        const v = m.createVgpu('vm1', 64 * MIB);
        v.builder.pagetable(ROOT, gfn(0x101), gfn(0x1ff));
        v.builder.map(0x1000, DATA, 4096);
        const other = new SpyHandler('other');
        v.pageTrack.register(PT, other, 'mine');
        if (enabled) v.pageTrack.enable(PT);
        const rec = new Recorder();
        m.tracer = rec;
        assert.equal(v.shadow(ROOT), -EEXIST);
        const r = v.pageTrack.find(PT)!;
        assert.strictEqual(r.handler, other);
        assert.equal(r.priv, 'mine');
        assert.equal(r.tracked, enabled);
        assert.equal(v.kvmgt.protectTable.has(PT), enabled);
        assert.equal(v.ppgtt.findSptByGfn(PT), undefined);
        assert.deepEqual(v.pageTrack.all().map((x) => x.gfn), [PT], 'the partial PML4/PDP/PD spts were freed');
        assert.equal(v.ppgtt.allSpts().length, 0);
        assert.equal(rec.returns.find((x) => x.fn === 'ppgtt_alloc_spt_gfn' && x.ret !== 0)!.ret, -EEXIST);
        assert.equal(v.mms.length, 0);
      });
    }

    it('§5.25 the same through a trapped PDE write into a shadowed PD (ppgtt_populate_spt_by_guest_entry)', () => {
      const { v } = shadowed();
      const other = new SpyHandler('other');
      v.pageTrack.register(gfn(0x180), other, null);
      const r = store64(v, PD, 1, entry(0x180));
      assert.equal(r.ret, -EEXIST);
      assert.strictEqual(v.pageTrack.find(gfn(0x180))!.handler, other);
      assert.equal(v.ppgtt.findSptByGfn(gfn(0x180)), undefined);
      assert.equal(shadowValue(v, PD, 1), 0n);
    });
  });
});
