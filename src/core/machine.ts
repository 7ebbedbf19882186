// The whole simulated host: the vGPUs, host memory, the global OOS pool, the kernel profile.
// Deterministic; clone() is the snapshot the debugger's step-back and step-into replays start from.


import { GuestMemory } from './guestMemory';
import { HazardLog } from './hazardLog';
import { HostMemory } from './hostMemory';
import type { Tracer } from './events';
import { OosPool, type OosPageUser } from './oosPool';
import type { KernelProfile } from './profile';
import type { Platform } from './platform';
import type { Spt } from './spt';
import { Vgpu, type TrapObserver, type VgpuHost } from './vgpu';

export class Machine implements VgpuHost {
  profile: KernelProfile;
  /** The GPU generation (what IPS does); Gen11+ by default. */
  platform: Platform = 'gen11';
  hazards = new HazardLog();
  guestPagesWritten = 0;
  guestPagesCopied = 0;
  tracer: Tracer | null = null;
  trapObserver: TrapObserver | null = null;
  origin: unknown = null;
  readonly vgpus = new Map<string, Vgpu>();

  /**
   * host and oosPool are given by clone(): fields set once, at construction, stay constant for
   * V8, so optimised code that read them is not thrown away when the first snapshot is taken.
   */
  constructor(
    profile: KernelProfile = 'newest',
    readonly host = new HostMemory(),
    public oosPool = new OosPool<Spt>(),
  ) {
    this.profile = profile;
  }

  createVgpu(name: string, memoryBytes: number): Vgpu {
    const v = new Vgpu(name, this.vgpus.size, new GuestMemory(memoryBytes), this);
    this.vgpus.set(name, v);
    return v;
  }

  /** A deep copy sharing nothing mutable (guest pages are copy-on-write). Tracer and observer are not copied. */
  clone(): Machine {
    const { pool, pages } = this.oosPool.clone();
    const m = new Machine(this.profile, this.host.clone(), pool);
    m.platform = this.platform;
    m.guestPagesWritten = this.guestPagesWritten;
    m.guestPagesCopied = this.guestPagesCopied;
    this.hazards.cloneInto(m.hazards);
    // spts are shared between pieces (and OOS pages between vGPUs): each is copied once, on first sight.
    const spts = new Map<Spt, Spt>();
    const copySpt = (s: Spt): Spt => {
      let c = spts.get(s);
      if (c) return c;
      c = s.cloneWith(m.host.table(s.mfn) ?? s.shadow.slice());
      spts.set(s, c);
      if (s.oosPage) {
        const p = pages.get(s.oosPage)!;
        c.oosPage = p;
        p.spt = c;
      }
      return c;
    };
    const copies = new Map<Vgpu, Vgpu>();
    for (const v of this.vgpus.values()) {
      const c = new Vgpu(v.name, v.index, v.memory.clone(), m, false);
      copies.set(v, c);
      m.vgpus.set(v.name, c);
    }
    for (const [v, c] of copies) v.cloneInto(c, copySpt);
    const oosCopies = new Map<unknown, OosPageUser<Spt>>([...copies].map(([v, c]) => [v.oos, c.oos]));
    for (const [p, c] of pages) c.user = p.user ? (oosCopies.get(p.user) ?? null) : null;
    return m;
  }

  vgpu(name: string): Vgpu | undefined {
    return this.vgpus.get(name);
  }
}


