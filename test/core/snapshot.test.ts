// Machine.clone() is the debugger's snapshot: a deep copy sharing nothing mutable with its source
// (guest memory, records, spts, refcounts, post-shadow state, OOS pages), and the simulation is
// deterministic: the same operations on an original and on its clone give identical states.
import * as assert from 'node:assert/strict';
import * as core from '../../src/core';
import { gfn, gpa } from '../../src/core';
import {
  MIB, PD, PDP, PT, ROOT, Recorder, SpyHandler, at, dumpMachine, entry, shadowed, spt, store64, u32, u64,
} from './coreHelpers';

/** A machine with something in every part of the state: OOS page, post-shadow bit, scenario records, two vGPUs. */
function richMachine(): core.Machine {
  const { m, v } = shadowed();
  m.tracer = null;
  v.oosEnabled = true;
  store64(v, PT, 2, entry(0x600));
  store64(v, PT, 3, entry(0x601)); // PT goes out of sync (an OOS page from the global pool)
  v.guestStore(at(PD, 5), u32(Number(entry(0x190) & 0xffffffffn))); // a post-shadow bit on the PD
  v.memory.writeInPage(at(0x181, 0), u64(entry(0x182)));
  store64(v, PDP, 1, entry(0x181)); // a PD with a child PT, refcounts
  store64(v, PDP, 2, entry(0x181)); // refcount 2
  v.pageTrack.register(gfn(0x20), new core.ScenarioHandler('h', -14), null);
  v.pageTrack.enable(gfn(0x20));
  v.guestStore(gpa(0x20008), u64(0x99n));
  const w = m.createVgpu('vm2', 16 * MIB);
  w.builder.pagetable(gfn(0x300), gfn(0x301), gfn(0x3ff));
  w.builder.map(0x5000, gfn(0x700), 4096);
  w.builder.map(0x200000, gfn(0x800), 2097152);
  w.shadow(gfn(0x300));
  return m;
}

/** Everything a test could change in a machine, as guest and GVT would. */
function mutate(m: core.Machine): void {
  const v = m.vgpu('vm1')!;
  store64(v, PT, 1, entry(0x610)); // untrapped (out of sync): memory only
  v.guestStore(gpa(at(PD, 5) + 4), u32(0)); // second half of the partial write
  store64(v, PDP, 2, 0n); // refcount 2 → 1
  assert.equal(v.submit(), 0); // OOS sync, post-shadow flush
  store64(v, PDP, 1, 0n); // frees 0x181 and 0x182
  v.guestStore(gpa(0x20010), u64(0x42n));
  v.pageTrack.register(gfn(0x21), new SpyHandler('spy'), 'x');
  v.pageTrack.find(gfn(0x20))!.hits += 100;
  v.removeMemslot(gfn(0x20), gfn(0x20));
  v.enterFailsafe();
  v.memory.writeInPage(gpa(0x3000000), u64(0xdeadbeefn));
  const w = m.vgpu('vm2')!;
  w.builder.unmap(0x5000);
  w.reset();
  w.kvmgt.attached = false;
}

describe('Machine.clone: snapshots', () => {
  it('a clone starts with exactly the state of its source', () => {
    const m = richMachine();
    const before = dumpMachine(m);
    const c = m.clone();
    assert.deepEqual(dumpMachine(c), before);
    assert.deepEqual(dumpMachine(m), before, 'cloning does not disturb the source');
    assert.equal(c.tracer, null);
  });

  it('mutating the clone changes nothing in the original', () => {
    const m = richMachine();
    const before = dumpMachine(m);
    const c = m.clone();
    mutate(c);
    assert.notDeepEqual(dumpMachine(c), before, 'the mutation did something');
    assert.deepEqual(dumpMachine(m), before);
  });

  it('mutating the original changes nothing in the clone', () => {
    const m = richMachine();
    const before = dumpMachine(m);
    const c = m.clone();
    mutate(m);
    assert.deepEqual(dumpMachine(c), before);
  });

  it('shares no mutable object: spts, shadow pages, records, OOS pages, lists', () => {
    const m = richMachine();
    const c = m.clone();
    const v = m.vgpu('vm1')!;
    const cv = c.vgpu('vm1')!;
    assert.notStrictEqual(cv, v);
    for (const s of v.ppgtt.allSpts()) {
      const cs = cv.ppgtt.findSptByMfn(s.mfn)!;
      assert.ok(cs);
      assert.notStrictEqual(cs, s);
      assert.notStrictEqual(cs.shadow, s.shadow);
      assert.notStrictEqual(cs.postShadow, s.postShadow);
      if (s.guestGfn !== 0) assert.strictEqual(cv.pageTrack.find(s.guestGfn)!.handler, cv.ppgtt.writeHandler, "the clone's records use the clone's PPGTT handler");
      assert.strictEqual(cs.shadow, c.host.table(s.mfn), 'the clone spt shadows its own host page');
      if (s.oosPage) {
        assert.notStrictEqual(cs.oosPage, s.oosPage);
        assert.strictEqual(cs.oosPage!.spt, cs);
        assert.strictEqual(cs.oosPage!.user, cv.oos, "an eviction syncs through the clone's OOS list");
      }
    }
    for (const r of v.pageTrack.all()) {
      const cr = cv.pageTrack.find(r.gfn)!;
      assert.notStrictEqual(cr, r);
      if (r.priv instanceof core.Spt) assert.strictEqual(cr.priv, cv.ppgtt.findSptByMfn(r.priv.mfn));
    }
    assert.notStrictEqual(cv.ppgtt.postShadowList, v.ppgtt.postShadowList);
    assert.strictEqual(cv.ppgtt.postShadowList.first, cv.ppgtt.findSptByMfn(v.ppgtt.postShadowList.first!.mfn));
    assert.strictEqual(cv.oos.list[0], cv.ppgtt.findSptByMfn(v.oos.list[0].mfn));
    assert.notStrictEqual(c.oosPool, m.oosPool);
    assert.strictEqual(cv.oos.pool, c.oosPool);
    assert.notStrictEqual(cv.kvmgt.protectTable, v.kvmgt.protectTable);
    assert.notStrictEqual(cv.mms[0], v.mms[0]);
  });

  it('guest memory is copy-on-write both ways, across repeated snapshots', () => {
    const m = richMachine();
    const v = m.vgpu('vm1')!;
    const snaps = [m.clone()];
    v.memory.writeInPage(gpa(0x10000), u64(1n));
    snaps.push(m.clone());
    v.memory.writeInPage(gpa(0x10000), u64(2n));
    snaps.push(m.clone());
    snaps[0].vgpu('vm1')!.memory.writeInPage(gpa(0x10000), u64(7n));
    assert.deepEqual(snaps.map((s) => s.vgpu('vm1')!.memory.readU64(gpa(0x10000))), [7n, 1n, 2n]);
    assert.equal(v.memory.readU64(gpa(0x10000)), 2n);
    // The PT page itself (read by the handler) is independent too.
    store64(snaps[1].vgpu('vm1')!, PT, 9, entry(0x777));
    assert.equal(v.memory.readU64(at(PT, 9)), 0n);
  });

  it('a dangling record (page table at gfn 0) is cloned with its freed spt', () => {
    const m = new core.Machine();
    const v = m.createVgpu('vm1', 64 * MIB);
    v.builder.pagetable(ROOT, gfn(0), gfn(0x1ff));
    v.builder.map(0x1000, gfn(0x500), 4096);
    v.shadow(ROOT);
    store64(v, ROOT, 0, 0n);
    const c = m.clone();
    const cr = c.vgpu('vm1')!.pageTrack.find(gfn(0))!;
    assert.ok(cr.priv instanceof core.Spt);
    assert.equal(cr.priv.freed, true);
    assert.notStrictEqual(cr.priv, v.pageTrack.find(gfn(0))!.priv);
    assert.deepEqual(dumpMachine(c), dumpMachine(m));
  });

  describe('determinism', () => {
    /** A seeded mix of guest stores (8- and 4-byte, tables and leaves), submissions and resets. */
    function script(seed: number, n: number): Array<(m: core.Machine) => void> {
      let x = seed >>> 0;
      const rnd = (k: number): number => {
        x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
        return x % k;
      };
      const ops: Array<(m: core.Machine) => void> = [];
      for (let i = 0; i < n; i++) {
        const kind = rnd(10);
        const idx = rnd(32);
        const target = 0x600 + rnd(64);
        const table = [PT, PD, 0x180, 0x181][rnd(4)];
        const child = 0x180 + rnd(3);
        ops.push((m) => {
          const v = m.vgpu('vm1')!;
          switch (kind) {
            case 0: case 1: case 2: store64(v, PT, idx, entry(target)); break;
            case 3: store64(v, table, idx % 4, 0n); break;
            case 4: v.guestStore(at(PT, idx), u32(Number(entry(target) & 0xffffffffn))); break;
            case 5: store64(v, PD, 1 + (idx % 3), entry(child)); break;
            case 6: store64(v, child, idx, entry(target)); break;
            case 7: v.submit(); break;
            case 8: v.guestStore(gpa(0x20000 + idx * 8), u64(BigInt(target))); break;
            default: if (idx === 0) { v.reset(); v.shadow(ROOT); } else store64(v, 0x181, idx % 8, entry(child)); break;
          }
        });
      }
      return ops;
    }

    function start(): core.Machine {
      const { m, v } = shadowed();
      m.tracer = null;
      v.oosEnabled = true;
      v.pageTrack.register(gfn(0x20), new core.ScenarioHandler('h', 0), null);
      v.pageTrack.enable(gfn(0x20));
      return m;
    }

    const noteText = (rec: Recorder): string[] =>
      rec.notes.map((n) => JSON.stringify(n, (_k, val) => (typeof val === 'bigint' ? `0x${val.toString(16)}` : val)));

    it('the same operations on an original and on its clone give identical states and traces', () => {
      const m = start();
      const ops = script(12345, 600);
      for (const op of ops.slice(0, 100)) op(m);
      const c = m.clone();
      const rm = new Recorder();
      const rc = new Recorder();
      m.tracer = rm;
      c.tracer = rc;
      for (let i = 100; i < ops.length; i++) {
        ops[i](m);
        ops[i](c);
        if (i % 100 === 99) assert.deepEqual(dumpMachine(c), dumpMachine(m), `after op ${i}`);
      }
      assert.deepEqual(dumpMachine(c), dumpMachine(m));
      assert.ok(rm.notes.length > 1000, 'the script did work');
      assert.deepEqual(noteText(rc), noteText(rm));
      assert.ok(m.vgpu('vm1')!.traps > 150, 'many stores trapped');
    });

    it('two machines built from scratch by the same operations end identical (same mfns, same traps)', () => {
      const a = start();
      const b = start();
      for (const op of script(777, 400)) {
        op(a);
        op(b);
      }
      assert.deepEqual(dumpMachine(a), dumpMachine(b));
      assert.equal(a.vgpu('vm1')!.traps, b.vgpu('vm1')!.traps);
    });

    it('replaying from a snapshot reproduces the run exactly (step back, then forward again)', () => {
      const m = start();
      const ops = script(4242, 300);
      for (const op of ops.slice(0, 150)) op(m);
      const snap = m.clone();
      for (const op of ops.slice(150)) op(m);
      const end = dumpMachine(m);
      const replay = snap.clone();
      for (const op of ops.slice(150)) op(replay);
      assert.deepEqual(dumpMachine(replay), end);
      // and the snapshot itself is still at step 150
      const again = snap.clone();
      for (const op of ops.slice(150)) op(again);
      assert.deepEqual(dumpMachine(again), end);
      assert.ok(spt(m.vgpu('vm1')!, PT));
    });
  });
});
