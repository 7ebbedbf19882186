// The whole simulated host: the vGPUs, host memory, the global OOS pool, the kernel profile.
// Deterministic; clone() is the snapshot the debugger's step-back and step-into replays start from.


import { HazardLog } from './hazardLog';
import { HostMemory } from './hostMemory';
import type { Tracer } from './events';
import { OosPool, type OosPage } from './oosPool';
import type { KernelProfile } from './profile';
import type { Platform } from './platform';
import { Spt } from './spt';
import { Vgpu, type TrapObserver, type VgpuHost } from './vgpu';

export class Machine implements VgpuHost {
  host = new HostMemory();
  oosPool = new OosPool();
  profile: KernelProfile = 'newest';
  /** The GPU generation (what IPS does); Gen11+ by default. */
  platform: Platform = 'gen11';
  hazards = new HazardLog();
  guestPagesWritten = 0;
  guestPagesCopied = 0;
  tracer: Tracer | null = null;
  trapObserver: TrapObserver | null = null;
  origin: unknown = null;
  readonly vgpus = new Map<string, Vgpu>();

  constructor(profile: KernelProfile = 'newest') {
    this.profile = profile;
  }

  createVgpu(name: string, memoryBytes: number): Vgpu {
    const v = new Vgpu(name, this.vgpus.size, memoryBytes, this);
    this.vgpus.set(name, v);
    return v;
  }

  /** A deep copy sharing nothing mutable (guest pages are copy-on-write). Tracer and observer are not copied. */
  clone(): Machine {
    const m = new Machine(this.profile);
    m.platform = this.platform;
    m.guestPagesWritten = this.guestPagesWritten;
    m.guestPagesCopied = this.guestPagesCopied;
    this.hazards.cloneInto(m.hazards);
    m.host = this.host.clone();
    const { pool, pages } = this.oosPool.clone();
    m.oosPool = pool;
    const spts = new Map<Spt, Spt>();
    const vgpuCopies = new Map<Vgpu, Vgpu>();
    const copySpt = (s: Spt): Spt => {
      let c = spts.get(s);
      if (c) return c;
      c = new Spt(s.mfn, s.shadowType, m.host.table(s.mfn) ?? s.shadow.slice());
      spts.set(s, c);
      c.vgpu = vgpuCopies.get(s.vgpu)!;
      c.refcount = s.refcount;
      c.freed = s.freed;
      c.guestGfn = s.guestGfn;
      c.guestType = s.guestType;
      c.pdeIps = s.pdeIps;
      c.writeCnt = s.writeCnt;
      c.postShadow = s.postShadow.slice();
      c.postShadowCount = s.postShadowCount;
      c.onPostShadowList = s.onPostShadowList;
      if (s.oosPage) {
        const p = pages.get(s.oosPage) as OosPage;
        c.oosPage = p;
        p.spt = c;
      }
      return c;
    };
    for (const v of this.vgpus.values()) {
      const c = new Vgpu(v.name, v.index, v.memory.sizeBytes, m, false);
      vgpuCopies.set(v, c);
      m.vgpus.set(v.name, c);
    }
    for (const [v, c] of vgpuCopies) {
      c.memory = v.memory.clone();
      c.memory.onNewPage = () => m.guestPagesWritten++;
      c.memory.onCopiedPage = () => m.guestPagesCopied++;
      v.kvmgt.cloneInto(c.kvmgt);
      v.dma.cloneInto(c.dma);
      v.builder.cloneInto(c.builder);
      for (const [k, s] of v.ppgtt.sptByMfn) c.ppgtt.sptByMfn.set(k, copySpt(s));
      for (const [k, s] of v.ppgtt.scratch) c.ppgtt.setScratch(k, s);
      c.ppgtt.postShadowList = v.ppgtt.postShadowList.map(copySpt);
      c.ppgtt.host2M = v.ppgtt.host2M;
      c.oos.list = v.oos.list.map(copySpt);
      v.pageTrack.cloneInto(c.pageTrack, (priv) => (priv instanceof Spt ? copySpt(priv) : priv));
      v.mmList.cloneInto(c.mmList);
      v.backing.cloneInto(c.backing);
      c.gamwIps64k = v.gamwIps64k;
      c.failsafe = v.failsafe;
      c.oosEnabled = v.oosEnabled;
      c.traps = v.traps;
      c.handlerCalls = new Map(v.handlerCalls);
      c.lockHeld = v.lockHeld;
      c.lockHolder = v.lockHolder;
    }
    return m;
  }

  vgpu(name: string): Vgpu | undefined {
    return this.vgpus.get(name);
  }
}


