// Kernel profiles: where Linux versions differ (docs/kernel-model.md §1), which behaviour to model.
//   newest: about 6.6 and later (the default)
//   legacy: about 4.19 to 5.18 (MPT hooks, kvmgt_page_track_add/remove, lock in the dispatcher)

export type KernelProfile = 'newest' | 'legacy';

/** Every profile, the default first. */
export const PROFILES: readonly KernelProfile[] = ['newest', 'legacy'];

export const PROFILE_DESCRIPTIONS: Record<KernelProfile, string> = {
  newest: 'Linux 6.6+: kvmgt takes vgpu_lock; failsafe removes protection but leaves tracked = true; invalid gfns abort shadowing',
  legacy: 'Linux 4.19-5.18: dispatcher takes vgpu_lock; failsafe calls intel_vgpu_disable_page_track (tracked = false); invalid leaf gfns shadowed to scratch',
};
