// The containers under the kernel model, which the trap path's optimisations reshaped: the
// page-track radix (leaves of 512 gfns as stretches of one slot array, hit counts beside the
// records), KVM's per-gfn track state (leaves as slices of one typed array) and guest memory (a
// cached page, word writes for aligned 8-byte stores, copy-on-write pages). They must behave as
// plain maps would.
import * as assert from 'node:assert/strict';
import * as core from '../../src/core';
import { EEXIST, gfn, gpa } from '../../src/core';
import { MIB, SpyHandler, shadowed, u64 } from './coreHelpers';
import { PostShadowList } from '../../src/core/postShadowList';
import { GfnRangeSet } from '../../src/core/gfnRangeSet';
import { Spt } from '../../src/core';

describe('storage under the kernel model', () => {
  describe('page-track records (the gfn radix)', () => {
    it('keeps records across leaves in gfn order, counts them, and forgets unregistered ones', () => {
      const m = new core.Machine();
      const v = m.createVgpu('vm1', 8 * 1024 * MIB);
      const gfns = [0x3fe, 0x600, 0, 511, 512, 0x1fffff, 0x12345, 1023, 1024, 0xfffff];
      const h = new SpyHandler('h');
      for (const g of gfns) assert.equal(v.pageTrack.register(gfn(g), h, g), 0);
      assert.equal(v.pageTrack.size, gfns.length);
      assert.deepEqual(v.pageTrack.all().map((r) => r.gfn), [...gfns].sort((a, b) => a - b));
      for (const g of gfns) assert.equal(v.pageTrack.find(gfn(g))!.priv, g);
      assert.equal(v.pageTrack.find(gfn(513)), undefined);
      assert.equal(v.pageTrack.find(gfn(0x7fffffff)), undefined);
      assert.equal(v.pageTrack.register(gfn(512), h, 'again'), -EEXIST);
      v.pageTrack.unregister(gfn(512));
      v.pageTrack.unregister(gfn(512));
      assert.equal(v.pageTrack.size, gfns.length - 1);
      assert.equal(v.pageTrack.find(gfn(512)), undefined);
      assert.equal(v.pageTrack.find(gfn(511))!.priv, 511, 'its neighbour in the leaf stays');
      assert.equal(v.pageTrack.register(gfn(512), h, 'again'), 0);
      assert.equal(v.pageTrack.size, gfns.length);
      const c = m.clone().vgpu('vm1')!;
      assert.deepEqual(c.pageTrack.all().map((r) => [r.gfn, r.priv]), v.pageTrack.all().map((r) => [r.gfn, r.priv]));
      c.pageTrack.unregister(gfn(0));
      assert.equal(c.pageTrack.size, v.pageTrack.size - 1);
      assert.ok(v.pageTrack.find(gfn(0)));
    });

    it('hit counts live beside the records: they follow a record out of the table, into a copy, and start at 0 for a new one', () => {
      const m = new core.Machine();
      const v = m.createVgpu('vm1', 64 * MIB);
      const h = new SpyHandler('h');
      v.pageTrack.register(gfn(0x40), h, null);
      v.pageTrack.register(gfn(0x41), h, null);
      const rec = v.pageTrack.find(gfn(0x40))!;
      for (let i = 0; i < 3; i++) v.pageTrack.dispatch(gpa(0x40000), u64(1n), 8);
      v.pageTrack.dispatch(gpa(0x41000), u64(1n), 8);
      assert.equal(rec.hits, 3);
      assert.equal(v.pageTrack.find(gfn(0x41))!.hits, 1, 'the neighbour counts apart');
      const copy = m.clone().vgpu('vm1')!;
      v.pageTrack.dispatch(gpa(0x40000), u64(1n), 8);
      assert.equal(copy.pageTrack.find(gfn(0x40))!.hits, 3, 'a snapshot keeps the count it had');
      assert.equal(rec.hits, 4);
      v.pageTrack.unregister(gfn(0x40));
      assert.equal(rec.hits, 4, 'an unregistered record keeps its count');
      v.pageTrack.register(gfn(0x40), h, null);
      assert.equal(v.pageTrack.find(gfn(0x40))!.hits, 0, 'a new record at the gfn starts afresh');
      assert.equal(rec.hits, 4, '...and the old one does not see its count');
      rec.hits = 9;
      assert.equal(rec.hits, 9);
      assert.equal(v.pageTrack.find(gfn(0x40))!.hits, 0);
    });

    it('a dispatch to a gfn with no record is -ENXIO, also in a leaf that exists and far beyond memory', () => {
      const v = new core.Machine().createVgpu('vm1', 64 * MIB);
      const h = new SpyHandler('h');
      v.pageTrack.register(gfn(0x40), h, null);
      v.pageTrack.register(gfn(0x7fffffff), h, null);
      assert.equal(v.pageTrack.dispatch(gpa(0x41000), u64(1n), 8), -core.ENXIO, 'same leaf, no record');
      assert.equal(v.pageTrack.dispatch(gpa(0x41000 + 512 * 4096), u64(1n), 8), -core.ENXIO, 'no leaf');
      assert.equal(v.pageTrack.dispatch(gpa(0x7fffffff * 4096), u64(1n), 8), 0, 'a record beyond memory is still found');
      assert.equal(h.calls.length, 1);
    });

    it('behaves as a plain map over random register, unregister, enable, dispatch and clones (gfns near, far and negative)', () => {
      let seed = 7;
      const rand = (n: number): number => {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        return seed % n;
      };
      const m = new core.Machine();
      const v = m.createVgpu('vm1', 64 * MIB);
      const h = new SpyHandler('h');
      // Gfns in a few leaves inside memory, across many leaves (new chunks), beyond memory, negative.
      const pick = (): number => [rand(1500), 512 * rand(200) + rand(4), 0x7fff0000 + rand(3000), -1 - rand(700)][rand(4)];
      type Model = Map<number, { tracked: boolean; hits: number }>;
      const check = (t: core.PageTrackTable, model: Model, what: string): void => {
        assert.equal(t.size, model.size, `${what}: size`);
        assert.deepEqual(t.all().map((r) => r.gfn), [...model.keys()].sort((a, b) => a - b), `${what}: gfns in order`);
        for (const [g, want] of model) {
          const r = t.find(gfn(g))!;
          assert.equal(r.hits, want.hits, `${what}: hits of ${g}`);
          assert.equal(r.tracked, want.tracked, `${what}: tracked of ${g}`);
        }
        assert.equal(t.tracked, [...model.values()].filter((x) => x.tracked).length, `${what}: tracked count`);
      };
      const model: Model = new Map();
      let copies: Array<{ t: core.PageTrackTable; model: Model }> = [];
      for (let n = 0; n < 4000; n++) {
        const g = pick();
        const op = rand(5);
        if (op === 0) {
          const ret = v.pageTrack.register(gfn(g), h, null);
          assert.equal(ret, model.has(g) ? -core.EEXIST : 0);
          if (!model.has(g)) model.set(g, { tracked: false, hits: 0 });
        } else if (op === 1) {
          v.pageTrack.unregister(gfn(g));
          model.delete(g);
        } else if (op === 2) {
          const ret = v.pageTrack.enable(gfn(g));
          const rec = model.get(g);
          if (rec === undefined) assert.equal(ret, -core.ENXIO);
          else if (ret === 0) rec.tracked = true; // gfns beyond memory have no memslot: -EINVAL, untracked
        } else if (op === 3 && g >= 0 && g < 16384) {
          const ret = v.pageTrack.dispatch(gpa(g * 4096), u64(1n), 8);
          const rec = model.get(g);
          assert.equal(ret, rec === undefined ? -core.ENXIO : 0);
          if (rec) rec.hits++;
        } else if (op === 4 && rand(50) === 0) {
          copies.push({ t: m.clone().vgpu('vm1')!.pageTrack, model: new Map([...model].map(([k, x]) => [k, { ...x }])) });
        }
      }
      check(v.pageTrack, model, 'live');
      for (const c of copies) check(c.t, c.model, 'a clone, after the live table went on');
      copies = [];
    });

    it('alternating lookups between leaves always see the right record', () => {
      const v = new core.Machine().createVgpu('vm1', 64 * MIB);
      const h = new SpyHandler('h');
      v.pageTrack.register(gfn(5), h, 'a');
      v.pageTrack.register(gfn(5 + 512 * 3), h, 'b');
      for (let i = 0; i < 4; i++) {
        assert.equal(v.pageTrack.find(gfn(5))!.priv, 'a');
        assert.equal(v.pageTrack.find(gfn(5 + 512))?.priv, undefined);
        assert.equal(v.pageTrack.find(gfn(5 + 512 * 3))!.priv, 'b');
      }
      v.pageTrack.register(gfn(6 + 512), h, 'c'); // a new leaf right after a miss on it
      assert.equal(v.pageTrack.find(gfn(6 + 512))!.priv, 'c');
    });
  });

  describe("KVM's per-gfn track state (leaves as slices of one typed array)", () => {
    it('leaves made out of order and past the first growth keep every gfn apart; a clone is independent', () => {
      const m = new core.Machine();
      const v = m.createVgpu('vm1', 8 * 1024 * MIB);
      const h = new SpyHandler('h');
      // Twelve leaves, made in descending order (more than the first allocation holds).
      const gfns = Array.from({ length: 12 }, (_, k) => (11 - k) * 512 * 37 + k);
      for (const g of gfns) {
        assert.equal(v.pageTrack.register(gfn(g), h, null), 0);
        assert.equal(v.pageTrack.enable(gfn(g)), 0);
      }
      v.kvmgt.trackForAnotherUser(gfn(gfns[3]));
      assert.deepEqual([...v.kvmgt.protectTable], [...gfns].sort((a, b) => a - b), 'ascending, whatever order the leaves were made in');
      assert.equal(v.kvmgt.kvmTrackCount(gfn(gfns[3])), 2);
      assert.equal(v.kvmgt.kvmTrackCount(gfn(gfns[3] + 1)), 0, 'the neighbour in the leaf');
      const c = m.clone().vgpu('vm1')!;
      assert.equal(v.pageTrack.disable(gfn(gfns[0])), 0);
      assert.equal(v.kvmgt.isProtected(gfn(gfns[0])), false);
      assert.equal(c.kvmgt.isProtected(gfn(gfns[0])), true, 'the clone keeps its own cells');
      assert.equal(c.pageTrack.enable(gfn(1)), -core.ENXIO);
      c.pageTrack.register(gfn(1), h, null);
      assert.equal(c.pageTrack.enable(gfn(1)), 0, 'a new leaf in the clone (its cells grow)');
      assert.equal(v.kvmgt.isProtected(gfn(1)), false);
      assert.equal(v.kvmgt.protectTable.size, 11);
      assert.equal(c.kvmgt.protectTable.size, 13);
      assert.equal(v.guestStore(gpa(gfns[5] * 4096), u64(1n)).trapped, true);
      assert.equal(v.guestStore(gpa((gfns[5] + 2) * 4096), u64(1n)).trapped, false);
    });
  });

  describe('guest memory', () => {
    it('an 8-byte store reads back the same through bytes, words and u64, at every alignment', () => {
      const mem = new core.GuestMemory(64 * MIB);
      const value = 0x8877665544332211n;
      for (const off of [0, 1, 2, 3, 4, 5, 6, 7, 8, 0xff4, 0xff8]) {
        const at = gpa(0x5000 + off);
        mem.writeInPage(at, u64(value));
        assert.equal(mem.readU64(at), value, `offset ${off}`);
        assert.deepEqual(mem.readBytes(at, 8), u64(value));
        if (off % 8 === 0) {
          assert.equal(mem.readEntryLo(at), 0x44332211);
          assert.equal(mem.readEntryHi(at), 0x88776655);
          const w = mem.pageWords(gfn(5))!;
          assert.equal(w[off / 4], 0x44332211);
        }
        mem.writeInPage(at, new Uint8Array(8));
      }
      assert.equal(mem.pageWords(gfn(6)), undefined, 'an untouched page has no words');
      assert.equal(mem.readEntryLo(gpa(0x6000)), 0);
    });

    it('a subarray store (bytes at an offset in a bigger buffer) writes the right bytes', () => {
      const mem = new core.GuestMemory(64 * MIB);
      const big = new Uint8Array(16).map((_, i) => i + 1);
      mem.writeInPage(gpa(0x1008), big.subarray(4, 12));
      assert.deepEqual(Array.from(mem.readBytes(gpa(0x1008), 8)), [5, 6, 7, 8, 9, 10, 11, 12]);
    });

    it('copy-on-write holds with the cached page: writes after a clone never reach the other side', () => {
      const mem = new core.GuestMemory(64 * MIB);
      mem.writeInPage(gpa(0x3000), u64(1n));
      mem.readEntryLo(gpa(0x3000)); // the page is now the cached one
      const copy = mem.clone();
      mem.writeInPage(gpa(0x3000), u64(2n));
      copy.writeInPage(gpa(0x3008), u64(3n));
      assert.equal(mem.readU64(gpa(0x3000)), 2n);
      assert.equal(mem.readU64(gpa(0x3008)), 0n);
      assert.equal(copy.readU64(gpa(0x3000)), 1n);
      assert.equal(copy.readU64(gpa(0x3008)), 3n);
      // interleave pages so the cache moves, then come back
      mem.writeInPage(gpa(0x9000), u64(9n));
      assert.equal(mem.readEntryLo(gpa(0x3000)), 2);
      const copy2 = mem.clone();
      mem.zeroPage(gfn(3));
      assert.equal(mem.readU64(gpa(0x3000)), 0n);
      assert.equal(copy2.readU64(gpa(0x3000)), 2n);
      assert.deepEqual(mem.touchedGfns(), [3, 9]);
    });
  });
});

/** A deterministic random source: rand(n) in 0..n-1. */
function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
}

describe('Kvmgt removed memslot regions', () => {
  it('answer hasMemslot as the list of every removal would, however the removals overlap, touch or repeat', () => {
    const rand = seeded(3);
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 8 * MIB); // 2,048 pages: every gfn looked at has memory
    const removed: Array<[number, number]> = [];
    for (let k = 0; k < 300; k++) {
      const from = rand(1000);
      const to = from + rand(k % 10 === 0 ? 60 : 4);
      v.removeMemslot(core.gfn(from), core.gfn(to));
      removed.push([from, to]);
      if (k % 25 === 0 || k === 299) {
        for (let g = 0; g < 1070; g++) assert.equal(v.kvmgt.hasMemslot(core.gfn(g)), !removed.some(([a, b]) => g >= a && g <= b), `gfn ${g} after ${k + 1} removals`);
      }
    }
    const copy = m.clone().vgpus.get('vm1')!;
    for (let g = 0; g < 1070; g++) assert.equal(copy.kvmgt.hasMemslot(core.gfn(g)), v.kvmgt.hasMemslot(core.gfn(g)), `clone, gfn ${g}`);
  });

  it('stay merged and exact over thousands of removals in any order (the ranges are kept in blocks that split and merge)', () => {
    const rand = seeded(7);
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 128 * MIB); // 32,768 pages
    const PAGES = 32_768;
    const removed = new Uint8Array(PAGES);
    const check = (when: string, kv = v.kvmgt): void => {
      for (let g = 0; g < PAGES; g++) assert.equal(kv.hasMemslot(core.gfn(g)), removed[g] === 0, `gfn ${g} ${when}`);
    };
    // Descending single pages with gaps (each lands at the front), then ascending, then random
    // spans that swallow many ranges across blocks.
    for (let g = 20_000; g >= 10_000; g -= 3) {
      v.removeMemslot(core.gfn(g), core.gfn(g));
      removed[g] = 1;
    }
    for (let g = 21_000; g < 26_000; g += 4) {
      v.removeMemslot(core.gfn(g), core.gfn(g + 1));
      removed.fill(1, g, g + 2);
    }
    check('after the ordered removals');
    for (let k = 0; k < 400; k++) {
      const from = rand(PAGES - 1000);
      const to = from + rand(k % 20 === 0 ? 900 : 5);
      v.removeMemslot(core.gfn(from), core.gfn(to));
      removed.fill(1, from, to + 1);
    }
    check('after the random removals');
    check('in a clone', m.clone().vgpus.get('vm1')!.kvmgt);
    v.removeMemslot(core.gfn(0), core.gfn(PAGES - 1));
    removed.fill(1);
    check('after removing everything');
  });

  it('400,000 removals in descending order, each its own range, answer exactly', () => {
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 4096 * MIB); // 1 Mi pages
    for (let i = 399_999; i >= 0; i--) v.removeMemslot(core.gfn(2 * i + 1), core.gfn(2 * i + 1));
    for (const g of [0, 1, 2, 3, 499_998, 499_999, 799_999, 800_000, 800_001]) {
      assert.equal(v.kvmgt.hasMemslot(core.gfn(g)), g % 2 === 0 || g >= 800_000, `gfn ${g}`);
    }
  });

  it('a removal unprotects exactly the protected gfns of its range, across leaf edges', () => {
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 8 * MIB);
    const h = new SpyHandler('h');
    const tracked = [0, 1, 510, 511, 512, 513, 1023, 1024, 1500, 2047];
    for (const g of tracked) {
      v.pageTrack.register(gfn(g), h, null);
      assert.equal(v.pageTrack.enable(gfn(g)), 0);
    }
    v.removeMemslot(gfn(511), gfn(1024));
    assert.deepEqual(tracked.filter((g) => v.kvmgt.protectTable.has(g)), [0, 1, 510, 1500, 2047]);
    v.removeMemslot(gfn(2047), gfn(5_000_000)); // past the end of memory
    assert.deepEqual([...v.kvmgt.protectTable], [0, 1, 510, 1500]);
  });

  it('a machine with 150,000 separate removed regions still clones (a snapshot for step back)', () => {
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 2048 * MIB);
    for (let i = 0; i < 150_000; i++) v.removeMemslot(core.gfn(i * 2), core.gfn(i * 2));
    const copy = m.clone().vgpus.get('vm1')!;
    assert.equal(copy.kvmgt.hasMemslot(core.gfn(299_998)), false);
    assert.equal(copy.kvmgt.hasMemslot(core.gfn(299_999)), true);
  });
});

describe('HostBacking ranges', () => {
  it('answer kindOf and the 2M contiguity check as the list of every backing statement would, kept disjoint and merged', () => {
    const rand = seeded(11);
    const kinds: core.BackingKind[] = ['huge', 'contiguous', 'scattered'];
    const b = new core.HostBacking();
    const naive: Array<[number, number, core.BackingKind]> = [];
    const kindOf = (g: number): core.BackingKind => naive.reduce<core.BackingKind>((k, [f, t, kind]) => (g >= f && g <= t ? kind : k), 'huge');
    for (let n = 0; n < 400; n++) {
      const from = rand(600);
      const to = from + rand(n % 7 === 0 ? 200 : 8);
      const kind = kinds[rand(3)];
      assert.equal(b.set(gfn(from), gfn(to), kind), true);
      naive.push([from, to, kind]);
      if (n % 20 === 0 || n === 399) {
        for (let g = 0; g < 820; g++) assert.equal(b.kindOf(g), kindOf(g), `gfn ${g} after ${n + 1} sets`);
        for (let g = 0; g < 800; g += 37) {
          let want = -1;
          for (let k = 0; k < 64 && want < 0; k++) if (kindOf(g + k) === 'scattered') want = g + k;
          assert.equal(b.firstNonContiguous(g, 64), want, `pin of 64 at ${g}`);
        }
        const r = b.ranges();
        for (let i = 1; i < r.length; i++) {
          assert.ok(r[i].from > r[i - 1].to, 'disjoint, ascending');
          assert.ok(!(r[i].from === r[i - 1].to + 1 && r[i].kind === r[i - 1].kind), 'touching ranges of one kind are merged');
        }
      }
    }
  });

  it('the same range set again and again keeps one range; more than 100,000 separate ones are refused', () => {
    const b = new core.HostBacking();
    for (let n = 0; n < 10_000; n++) b.set(gfn(0), gfn(0), 'contiguous');
    assert.equal(b.ranges().length, 1);
    const c = new core.HostBacking();
    for (let i = 0; i < core.MAX_BACKING_RANGES; i++) assert.equal(c.set(gfn(i * 2), gfn(i * 2), 'scattered'), true);
    assert.equal(c.set(gfn(1e7), gfn(1e7), 'scattered'), false);
    assert.equal(c.kindOf(1e7), 'huge', 'nothing changed');
    assert.equal(c.set(gfn(0), gfn(0), 'huge'), true, 'setting huge removes a range');
  });
});

describe('host-memory limits across snapshots', () => {
  it('a clone counts its page-track records once (a clone of a clone still holds up to the limit, and not one more)', () => {
    let m = new core.Machine();
    m.host.recordLimit = 100;
    const h = new SpyHandler('h');
    m.createVgpu('vm1', 8 * MIB);
    for (let g = 0; g < 60; g++) assert.equal(m.vgpus.get('vm1')!.pageTrack.register(gfn(g), h, null), 0);
    for (let k = 0; k < 3; k++) m = m.clone();
    const v = m.vgpus.get('vm1')!;
    for (let g = 60; g < 100; g++) assert.equal(v.pageTrack.register(gfn(g), h, null), 0, `gfn ${g}`);
    assert.throws(() => v.pageTrack.register(gfn(100), h, null), core.HostLimitReached);
    assert.equal(v.pageTrack.size, 100, 'nothing changed by the refused one');
  });
});

describe('PostShadowList', () => {
  it('keeps queue order through removals at the head, middle and tail; the one after; no spt twice', () => {
    const s = (n: number): Spt => new Spt(core.mfn(n), core.GttType.PTE_PT, new Uint32Array(1024));
    const [a, b, c, d] = [s(1), s(2), s(3), s(4)];
    const l = new PostShadowList();
    for (const x of [a, b, c, d, b]) l.push(x);
    assert.deepEqual([...l], [a, b, c, d]);
    assert.equal(l.after(b), c);
    l.remove(c);
    assert.equal(l.after(b), d, 'the middle unlinked');
    l.remove(a);
    assert.equal(l.first, b, 'the head unlinked');
    l.remove(d);
    assert.equal(l.after(b), undefined, 'the tail unlinked');
    l.push(a);
    assert.deepEqual([...l], [b, a]);
    assert.equal(l.after(c), undefined, 'not queued');
    l.clear();
    assert.equal(l.length, 0);
    assert.equal(l.first, undefined);
  });

  it('a flush of 60,000 queued tables handles each once, in queue order', () => {
    const { v } = shadowed();
    const tables: number[] = [];
    for (let k = 0; k < 60_000; k++) {
      const x = new Spt(core.mfn(0x900000 + k), core.GttType.PTE_PT, new Uint32Array(1024));
      x.onPostShadowList = true;
      v.ppgtt.postShadowList.push(x);
      tables.push(0x900000 + k);
    }
    const order = [...v.ppgtt.postShadowList].map((x) => x.mfn as number);
    assert.deepEqual(order, tables);
    assert.equal(v.submit(), 0);
    assert.equal(v.ppgtt.postShadowList.length, 0);
  });
});

describe('HostMemory table frames', () => {
  it('once the table range is used up, reuse the lowest free frames after the wrap, never a frame that backs guest memory', () => {
    const h = new core.HostMemory();
    const first = h.allocTable();
    const second = h.allocTable();
    h.freeTable(first);
    // Jump to the last frame of the table range (15.7 M allocations later).
    (h as unknown as { nextTableMfn: number }).nextTableMfn = h.backingBase(0) - 1;
    const last = h.allocTable();
    assert.equal(last, h.backingBase(0) - 1);
    assert.equal(h.allocTable(), first, 'wrapped to the lowest free frame');
    const next = h.allocTable();
    assert.notEqual(next, second, 'a live frame is skipped');
    assert.equal(next, second + 1);
    assert.equal(h.guestFrameOf(0, next), undefined);
  });
});

describe('GfnRangeSet', () => {
  it('counts its ranges through merges across blocks, and says when an add makes a range of its own', () => {
    const rand = seeded(5);
    const s = new GfnRangeSet();
    const PAGES = 20_000;
    const on = new Uint8Array(PAGES + 2);
    const runs = (): number => {
      let n = 0;
      for (let g = 0; g < PAGES; g++) if (on[g] && !(g > 0 && on[g - 1])) n++;
      return n;
    };
    for (let k = 0; k < 3000; k++) {
      const from = rand(PAGES - 600);
      const to = from + rand(k % 50 === 0 ? 500 : 3);
      const alone = !on.subarray(Math.max(0, from - 1), to + 2).some((x) => x === 1);
      assert.equal(s.addsRange(from, to), alone, `addsRange ${from}..${to}`);
      s.add(from, to);
      on.fill(1, from, to + 1);
      if (k % 100 === 0) assert.equal(s.rangeCount, runs(), `after ${k + 1} adds`);
    }
    assert.equal(s.rangeCount, runs());
    const copy = new GfnRangeSet();
    s.copyInto(copy);
    assert.equal(copy.rangeCount, s.rangeCount);
  });
});
