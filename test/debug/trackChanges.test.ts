// TrackChanges (what the Page Track Table marks as changed or removed at a stop) against the plain
// definition: a row changed when its shown fields differ from the previous stop's, or it is new;
// removed when the previous stop listed it and this one does not, in the previous stop's order.

import * as assert from 'node:assert/strict';
import { LOG_HANDLER, Machine, gfn, gpa, isProtected, type Vgpu } from '../../src/core';
import { TrackChanges, privText } from '../../src/debug/stateViews';

/** The definition, written the obvious way. */
class Reference {
  private previous = new Map<string, string>();
  changed: Array<{ vgpu: string; gfn: number }> = [];
  removed: Array<{ vgpu: string; gfn: number }> = [];
  update(m: Machine): void {
    const now = new Map<string, string>();
    this.changed = [];
    for (const v of m.vgpus.values()) {
      for (const r of v.pageTrack.all()) {
        const k = `${v.name}\u0000${r.gfn}`;
        const sig = JSON.stringify([r.handler.name, r.tracked, isProtected(v, r.gfn), r.hits, privText(r)]);
        now.set(k, sig);
        if (this.previous.get(k) !== sig) this.changed.push({ vgpu: v.name, gfn: r.gfn });
      }
    }
    this.removed = [...this.previous.keys()].filter((k) => !now.has(k)).map((k) => ({ vgpu: k.split('\u0000')[0], gfn: Number(k.split('\u0000')[1]) }));
    this.previous = now;
  }
}

/** A deterministic random source (the same steps on every run). */
function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
}

/** Page-track call `op` on gfn g (0 register, 1 unregister, 2 enable, 3 disable), else a 1-byte guest store into it. */
function recordStep(v: Vgpu, g: number, op: number, rand: (n: number) => number, priv: () => unknown): void {
  switch (op) {
    case 0:
      v.pageTrack.register(gfn(g), LOG_HANDLER, priv());
      break;
    case 1:
      v.pageTrack.unregister(gfn(g));
      break;
    case 2:
      v.pageTrack.enable(gfn(g));
      break;
    case 3:
      v.pageTrack.disable(gfn(g));
      break;
    default:
      v.guestStore(gpa(g * 4096 + 8 * rand(512)), new Uint8Array([rand(256)]));
  }
}

/** Both at this stop: the same changed and removed rows. */
function agreeAt(stop: number, m: Machine, changes: TrackChanges, ref: Reference): void {
  changes.update(m);
  ref.update(m);
  assert.deepEqual(changes.changed(), ref.changed, `changed at stop ${stop}`);
  assert.deepEqual(changes.removed(), ref.removed, `removed at stop ${stop}`);
}

describe('debug/TrackChanges', () => {
  it('marks changed and removed rows as the definition does, over random steps', () => {
    const rand = seeded(7);
    const m = new Machine();
    const vgpus: Vgpu[] = [m.createVgpu('vm1', 64 * 1024 * 1024), m.createVgpu('vm2', 64 * 1024 * 1024)];
    const changes = new TrackChanges();
    const ref = new Reference();
    for (let stop = 0; stop < 300; stop++) {
      for (let k = rand(14); k > 0; k--) {
        const v = vgpus[rand(2)];
        const g = 0x40 + rand(24);
        recordStep(v, g, rand(5), rand, () => (rand(3) === 0 ? `p${rand(3)}` : null));
      }
      if (stop === 150) {
        changes.reset();
        ref.update(new Machine()); // the reference forgets too: an empty previous stop
      }
      agreeAt(stop, m, changes, ref);
      for (const v of vgpus) for (const r of v.pageTrack.all()) assert.equal(changes.isChanged(v.name, r.gfn), ref.changed.some((c) => c.vgpu === v.name && c.gfn === r.gfn));
    }
  });

  it('agrees with the definition when more gfns changed between two stops than the table lists (its leaves are compared then)', () => {
    const rand = seeded(5);
    const m = new Machine();
    const v = m.createVgpu('vm1', 64 * 1024 * 1024);
    // 3,000 tracked gfns over six leaves; a burst stores into up to 2,000 of them between stops.
    for (let g = 0x1000; g < 0x1000 + 3000; g++) {
      v.pageTrack.register(gfn(g), LOG_HANDLER, null);
      if (g % 3 !== 0) v.pageTrack.enable(gfn(g));
    }
    const changes = new TrackChanges();
    const ref = new Reference();
    for (let stop = 0; stop < 60; stop++) {
      const burst = [0, 1, 3, 1023, 1024, 1025, 2000][rand(7)];
      for (let k = 0; k < burst; k++) {
        const g = 0x1000 + ((stop * 7919 + k * 13) % 3000);
        const op = rand(50);
        if (op === 0) v.pageTrack.unregister(gfn(g));
        else if (op === 1) v.pageTrack.register(gfn(g), LOG_HANDLER, 'again');
        else v.guestStore(gpa(g * 4096), new Uint8Array([k & 0xff]));
      }
      agreeAt(stop, m, changes, ref);
    }
  });

  it('incremental updates (the same machine) and full ones (a restored copy) agree with the definition, through failsafe, detach, memslot removal and shadow tables', () => {
    const rand = seeded(11);
    let m = new Machine();
    // vm2's table pool starts at gfn 0: its PDP sits there, and freeing it leaves the record
    // dangling (the gfn-0 sentinel), a row whose priv shows the spt freed with no record change.
    const setup = (v: Vgpu, poolFrom: number): void => {
      v.builder.pagetable(gfn(0x100), gfn(poolFrom), gfn(poolFrom + 0xfe));
      v.builder.map(0x1000, gfn(0x800), 4096);
      v.shadow(gfn(0x100));
    };
    setup(m.createVgpu('vm1', 64 * 1024 * 1024), 0x101);
    setup(m.createVgpu('vm2', 64 * 1024 * 1024), 0);
    const changes = new TrackChanges();
    const ref = new Reference();
    for (let stop = 0; stop < 400; stop++) {
      for (let k = rand(10); k > 0; k--) {
        const v = [...m.vgpus.values()][rand(2)];
        const g = rand(3) === 0 ? 0x1000 + rand(2000) : 0x40 + rand(24);
        const op = rand(13);
        switch (op) {
          case 4:
            v.builder.map(rand(64) * 4096, gfn(0x800 + rand(64)), 4096); // trapped PTE writes, new tables
            break;
          case 5:
            v.builder.unmap(rand(64) * 4096);
            break;
          case 6:
            if (rand(8) === 0) v.enterFailsafe();
            break;
          case 7:
            if (rand(3) === 0) v.detach();
            else v.attach();
            break;
          case 8:
            if (rand(3) === 0) v.removeMemslot(gfn(0x40 + rand(24)), gfn(0x40 + rand(24) + 2));
            break;
          case 9:
            if (rand(6) === 0) v.reset();
            break;
          case 10:
            if (rand(2) === 0) v.unshadow(gfn(0x100));
            else v.shadow(gfn(0x100));
            break;
          default:
            recordStep(v, g, op, rand, () => null); // 0-3: the page-track calls; 11, 12: a store
        }
      }
      if (rand(7) === 0) m = m.clone(); // a restore: the debugger shows a copy from then on
      agreeAt(stop, m, changes, ref);
    }
  });
});
