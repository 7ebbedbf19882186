// The containers under the kernel model, which the trap path's optimisations reshaped: the
// page-track radix (leaves of 512 gfns, a cached leaf) and guest memory (a cached page, word
// writes for aligned 8-byte stores, copy-on-write pages). They must behave as plain maps would.
import * as assert from 'node:assert/strict';
import * as core from '../../src/core';
import { EEXIST, gfn, gpa } from '../../src/core';
import { MIB, SpyHandler, u64 } from './coreHelpers';

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

    it('alternating lookups between leaves always see the right record (the cached leaf)', () => {
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
