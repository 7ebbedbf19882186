// Generated valid scenarios for the fuzzer: a guest with a shadowed 4-level PPGTT, then a random
// mix of what a guest, GVT and a user can do (maps, partial and full table writes, submits,
// failsafe, resets, detach/attach, memslot removal, OOS, host backing, IPS, direct page-track
// calls, GPU reads). Every line is valid; a run may still stop at a runtime error (a full pool).

const hex = (n: number): string => '0x' + n.toString(16);

export function generateScenario(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (n: number): number => Math.floor(r() * n);
  const out: string[] = [];
  if (r() < 0.4) out.push(`kernel ${pick(['newest', 'legacy'])}`);
  if (r() < 0.3) out.push(`platform ${pick(['gen8', 'gen9', 'gen11'])}`);
  out.push('vgpu vm1', 'pagetable vm1 root 0x100 pool 0x101..0x17f');
  const mapped: number[] = [];
  const map = (): string => {
    const size = pick(['4K', '4K', '4K', '64K', '2M']);
    const unit = size === '4K' ? 0x1000 : size === '64K' ? 0x10000 : 0x200000;
    const va = unit * int(size === '2M' ? 8 : 64);
    const gfn = (size === '2M' ? 0x2000 + 512 * int(4) : 0x800 + (unit / 0x1000) * int(32));
    mapped.push(va);
    return `map vm1 va ${hex(va)} gfn ${hex(gfn)}${size === '4K' ? '' : ` size ${size}`}`;
  };
  for (let i = int(4); i >= 0; i--) out.push(map());
  out.push('shadow vm1 root 0x100');
  const tablePage = (): number => 0x101 + int(8);
  const ops: Array<() => string> = [
    map,
    map,
    () => `write vm1 gpa ${hex(tablePage() * 0x1000 + 8 * int(512))} u64 ${hex(((0x800 + int(64)) << 12) | (r() < 0.8 ? 3 : 0))}`,
    () => `write vm1 gpa ${hex(tablePage() * 0x1000 + 8 * int(512) + (r() < 0.5 ? 0 : 4))} u32 ${hex(r() < 0.5 ? 0 : ((0x800 + int(64)) << 12) | 3)}`,
    () => 'submit vm1',
    () => 'submit vm1',
    () => (r() < 0.2 ? 'failsafe vm1' : 'submit vm1'),
    () => 'reset vm1',
    () => 'shadow vm1 root 0x100',
    () => 'unshadow vm1 root 0x100',
    () => pick(['detach vm1', 'attach vm1']),
    () => `memslot vm1 remove gfn ${hex(0x800 + int(64))}..${hex(0x840 + int(64))}`,
    () => `oos vm1 ${pick(['on', 'off'])}`,
    () => `backing vm1 gfn 0x2000..0x27ff ${pick(['huge', 'contiguous', 'scattered'])}`,
    () => `ips vm1 ${pick(['on', 'off'])}`,
    () => `dispatch vm1 gpa ${hex(tablePage() * 0x1000 + 8 * int(512))} bytes ${pick([4, 8, 2])}`,
    () => `register vm1 gfn ${hex(0x10 + int(8))} handler log`,
    () => `enable vm1 gfn ${hex(0x10 + int(8))}`,
    () => `disable vm1 gfn ${hex(0x10 + int(8))}`,
    () => `unregister vm1 gfn ${hex(0x10 + int(8))}`,
    () => `write vm1 gpa ${hex((0x10 + int(8)) * 0x1000 + 8 * int(512))} u64 ${int(1000)}`,
    () => `gpu vm1 read va ${hex(mapped.length ? pick(mapped) : 0)}`,
  ];
  for (let i = 8 + int(40); i > 0; i--) out.push(pick(ops)());
  return out.join('\n') + '\n';
}
