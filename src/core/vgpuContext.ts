// What every piece of a vGPU reads from the vGPU itself: its identity, the kernel profile, the
// tracer, the flags the kernel tests on its paths, and the two things any piece may do to it (take
// vgpu_lock, report a kernel hazard). The pieces get their neighbours (guest memory, kvmgt, the
// page-track table, the shadow PPGTT) as constructor arguments; only vgpu.ts knows them all.

import type { HazardKind, KernelFn, Tracer } from './events';
import type { HostMemory } from './hostMemory';
import type { KernelProfile } from './profile';

export interface VgpuContext {
  readonly name: string;
  /** The vGPU's index on the machine (which host frames back its guest pages). */
  readonly index: number;
  readonly profile: KernelProfile;
  readonly tracer: Tracer | null;
  /** Whoever is driving the machine (the interpreter's current statement); stamped on new records. */
  readonly origin: unknown;
  readonly host: HostMemory;
  /** vgpu->failsafe: the dispatcher removes protection instead of calling handlers. */
  readonly failsafe: boolean;
  /** gvt->gtt.enable_out_of_sync. */
  readonly oosEnabled: boolean;
  /** vgpu_ips_enabled: the platform, and on Gen9 the guest's GAMW register. */
  readonly ipsEnabled: boolean;
  /** HAS_PAGE_SIZES(i915, I915_GTT_PAGE_SIZE_2M): the platform and the kernel (platform.ts). */
  readonly host2M: boolean;
  /** A kernel hazard (docs/kernel-model.md §6, §7): logged whether or not anyone traces, and noted. */
  hazard(kind: HazardKind, message: string): void;
  /** vgpu_lock taken or released by `by`. */
  setLock(held: boolean, by: KernelFn): void;
}
