// The GPU generation the vGPU runs on, where it changes what GVT shadows: 64K pages (IPS).
// vgpu_ips_enabled (gtt.c): Gen8 never; Gen9 only when the guest set the 64K IPS field of
// GAMW_ECO_DEV_RW_IA; Gen11 and later always. Gen11+ is the default (docs/kernel-model.md §7.8).

export type Platform = 'gen8' | 'gen9' | 'gen11';

export const PLATFORMS: readonly Platform[] = ['gen8', 'gen9', 'gen11'];

export const PLATFORM_DESCRIPTIONS: Record<Platform, string> = {
  gen8: 'Gen8 (Broadwell): IPS (64K pages) is never honoured; a table under an IPS PDE is shadowed as 512 4K entries',
  gen9: "Gen9 (Skylake to Coffee Lake): IPS only when the guest set GAMW_ECO_DEV_RW_IA's 64K IPS field (`ips VGPU on`)",
  gen11: 'Gen11 and later (Ice Lake on): IPS always honoured (the default)',
};

/** vgpu_ips_enabled: whether a PDE's IPS bit makes its page table hold 64K entries. */
export function ipsEnabled(platform: Platform, gamwIps64k: boolean): boolean {
  return platform === 'gen11' || (platform === 'gen9' && gamwIps64k);
}
