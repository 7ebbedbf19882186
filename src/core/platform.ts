// The GPU generation the vGPU runs on, where it changes what GVT shadows: 64K pages (IPS) and
// 2M pages. vgpu_ips_enabled (gtt.c): Gen8 never; Gen9 only when the guest set the 64K IPS field
// of GAMW_ECO_DEV_RW_IA; Gen11 and later always. 2M: whether the host's i915 lists 2M GTT pages
// for the part (HAS_PAGE_SIZES). Gen11+ is the default; GVT-g itself only runs on Gen8 and Gen9
// (is_supported_device), where a 6.6+ kernel splits every 2M entry (docs/kernel-model.md §7.8).

import type { KernelProfile } from './profile';

export type Platform = 'gen8' | 'gen9' | 'gen11';

export const PLATFORMS: readonly Platform[] = ['gen8', 'gen9', 'gen11'];

export const PLATFORM_DESCRIPTIONS: Record<Platform, string> = {
  gen8: 'Gen8 (Broadwell): IPS (64K pages) is never honoured; a table under an IPS PDE is shadowed as 512 4K entries; no 2M GTT pages on 6.6+, so every 2M entry is split',
  gen9: "Gen9 (Skylake to Comet Lake): IPS only when the guest set GAMW_ECO_DEV_RW_IA's 64K IPS field (`ips VGPU on`); no 2M GTT pages on 6.6+, so every 2M entry is split",
  gen11: 'Gen11 and later (Ice Lake on): IPS always honoured, 2M GTT pages (the default; GVT-g itself runs only on Gen8 and Gen9)',
};

/** vgpu_ips_enabled: whether a PDE's IPS bit makes its page table hold 64K entries. */
export function ipsEnabled(platform: Platform, gamwIps64k: boolean): boolean {
  return platform === 'gen11' || (platform === 'gen9' && gamwIps64k);
}

/**
 * HAS_PAGE_SIZES(i915, I915_GTT_PAGE_SIZE_2M), which gates every native 2M shadow entry
 * (is_2MB_gtt_possible on 5.x, try_map_2MB_gtt_entry on 6.6+). i915_pci.c lists 2M for Gen11 and
 * later; for Gen8 (4K | 2M) and Gen9 (4K | 64K | 2M) only until about 5.4: by 5.10 they list 4K and
 * 4K | 64K. The legacy profile takes the early 5.x lists (where its huge-page check matters).
 */
export function hostHas2MGttPages(platform: Platform, profile: KernelProfile): boolean {
  return platform === 'gen11' || profile === 'legacy';
}
