// The write path's object-free heart for 4K leaves (guestTableWrite.ts writeLeaf4k) against the
// general one: the same random stores, one machine with no tracer (the fast path runs) and one with
// a tracer (traces describe entries, so the general path runs), must leave the same machine: shadow
// entries, DMA mappings and references, records, return codes and hazards.
import * as assert from 'node:assert/strict';
import * as core from '../../src/core';
import { gfn } from '../../src/core';
import { Recorder, dumpMachine, entry, shadowed, spt, store64 } from './coreHelpers';

/** A small deterministic generator (the test must fail the same way every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MEM_PAGES = (64 * 1024 * 1024) / 4096;

/** A random 8-byte PTE value: present or not, inside or beyond guest memory, 0, scratch, odd flag and high bits. */
function randomPte(r: () => number, scratchPt: number, pt: number): bigint {
  const pick = r();
  const flags = BigInt(Math.floor(r() * 0x1000)) | (r() < 0.1 ? 1n << 52n : 0n) | (r() < 0.1 ? 1n << 63n : 0n);
  if (pick < 0.1) return 0n;
  if (pick < 0.2) return entry(0x800 + Math.floor(r() * 4), flags & ~1n); // not present
  if (pick < 0.3) return entry(MEM_PAGES + Math.floor(r() * 100), flags | 1n); // no memslot: -ENXIO
  if (pick < 0.35) return entry(scratchPt, flags | 1n);
  if (pick < 0.4) return entry(pt, 3n); // the PT page itself, as a leaf
  return entry(0x800 + Math.floor(r() * 8), (flags | 1n) & ~0x80n);
}

function run(seed: number, profile: core.KernelProfile, traced: boolean): { dump: unknown; rets: number[]; hazards: number } {
  const s = shadowed(profile);
  s.m.tracer = traced ? new Recorder() : null;
  const r = lcg(seed);
  const scratchPt = s.v.ppgtt.scratch.get(core.GttType.PTE_PT)!;
  const rets: number[] = [];
  for (let n = 0; n < 3000; n++) {
    const i = r() < 0.5 ? Math.floor(r() * 4) : Math.floor(r() * 512);
    const st = store64(s.v, s.pt, i, randomPte(r, scratchPt, s.pt));
    rets.push(st.ret);
  }
  return { dump: dumpMachine(s.m), rets, hazards: s.m.hazards.total };
}

describe('core/trapped 4K leaf writes: the object-free path equals the general one', () => {
  for (const profile of ['newest', 'legacy'] as core.KernelProfile[]) {
    for (const seed of [1, 2, 3]) {
      it(`${profile}, seed ${seed}: 3000 random PTE writes leave the same machine`, () => {
        const fast = run(seed, profile, false);
        const general = run(seed, profile, true);
        assert.deepEqual(fast.rets, general.rets);
        assert.ok(fast.rets.some((x) => x !== 0), 'some writes failed (-ENXIO): the failure branch ran');
        assert.equal(fast.hazards, general.hazards);
        assert.deepEqual(fast.dump, general.dump);
      });
    }
  }

  it('the fast path ran: no entry objects were traced, yet shadow and DMA cache moved together', () => {
    const s = shadowed();
    s.m.tracer = null;
    const g = 0x900;
    store64(s.v, s.pt, 7, entry(g));
    const pt = spt(s.v, s.pt);
    assert.equal(pt.getShadowEntry(7).pfn(), s.v.host.backingFrame(s.v.index, gfn(g)));
    assert.equal(s.v.dma.find(gfn(g))?.refs, 1);
    store64(s.v, s.pt, 7, 0n);
    assert.equal(s.v.dma.find(gfn(g)), undefined, 'the old page was unmapped');
    assert.equal(pt.getShadowEntry(7).pfn(), s.v.ppgtt.scratch.get(core.GttType.PTE_PT), 'a non-present entry points at scratch');
  });
});
