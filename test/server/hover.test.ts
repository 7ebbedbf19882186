// Hover (src/dsl/features/hover.ts): one line a case, source with the cursor `¦` → fragments the
// markdown must contain (or undefined: no hover).

import { strict as assert } from 'node:assert';
import { analyze } from '../../src/dsl/features/analysis';
import { hover } from '../../src/dsl/features/hover';
import { entryText } from '../../src/dsl/features/numberHover';
import { cursor } from './cursor';

const P = 'vgpu vm1\nhandler audit returns -EEXIST\nlet base = 0x102000\n';

function hoverText(src: string): string | undefined {
  const { text, offset } = cursor(src);
  return hover(analyze(text), offset)?.contents;
}

describe('server features: hover', () => {
  const cases: [string, string[] | undefined][] = [
    // statements: what they do, the kernel function, ret
    [P + '¦register vm1 gfn 0x100 handler log', ['register VGPU gfn GFN handler HANDLER', 'intel_vgpu_register_page_track', '-EEXIST', 'tracked = false']],
    [P + 'ena¦ble vm1 gfn 0x100', ['intel_vgpu_enable_page_track', '-ENXIO', '-ESRCH']],
    [P + 'disable¦ vm1 gfn 0x100', ['intel_vgpu_disable_page_track']],
    [P + '¦find vm1 gfn 1', ['intel_vgpu_find_page_track', '-ENXIO']],
    [P + '¦unregister vm1 gfn 1', ['intel_vgpu_unregister_page_track', 'always `0`']],
    [P + '¦shadow vm1 root 0x100', ['shadow_ppgtt_mm', '-EEXIST', '-EINVAL']],
    [P + '¦unshadow vm1 root 0x100', ['invalidate_ppgtt_mm']],
    [P + '¦submit vm1', ['prepare_workload']],
    [P + '¦write vm1 gpa 0 u8 1', ['intel_vgpu_page_track_handler', 'traps']],
    [P + '¦memslot vm1 remove gfn 1..2', ['kvmgt_page_track_remove_region']],
    [P + '¦reset vm1', ['intel_gvt_reset_vgpu_locked']],
    [P + '¦failsafe vm1', ['enter_failsafe_mode']],
    [P + '¦oos vm1 on', ['enable_out_of_sync']],
    [P + '¦map vm1 va 0 gfn 0x800', ['(pfn << 12) | RW | present']],
    [P + '¦expect ret == 0', ['expect ret == CODE']],
    [P + '¦expect no trap', ['expect no trap', 'did not reach']],
    [P + '¦expect vm1 gfn 1 tracked', ['tracked']],
    [P + '¦expect gpu vm1 va 0 fault', ['shadow walk']],
    [P + '¦expect bogus', ['expect ret == CODE', 'expect trap', 'expect VGPU traps == N']],
    // the statements of the kernel model's round two
    [P + '¦platform gen9', ['platform gen8|gen9|gen11', 'vgpu_ips_enabled']],
    [P + '¦ips vm1 on', ['GAMW_ECO_DEV_RW_IA']],
    [P + '¦backing vm1 gfn 1..2 huge', ['gvt_pin_guest_page', 'is_2MB_gtt_possible']],
    [P + '¦dispatch vm1 gpa 0 bytes 8', ['intel_vgpu_page_track_handler', '-ENXIO']],
    [P + '¦shadow vm1 pdps 1 2 0 3', ['shadow VGPU pdps A B C D', 'intel_vgpu_get_ppgtt_mm', 'only takes a reference']],
    [P + '¦unshadow vm1 root 1', ['intel_vgpu_put_ppgtt_mm', 'one reference']],
    [P + '¦pagetable vm1 pdps 1 2 0 3 pool 4..9', ['32-bit']],
    [P + '¦detach vm1', ['intel_vgpu_close_device', 'no store reaches kvmgt']],
    [P + '¦attach vm1', ['intel_vgpu_open_device', 'stale']],
    [P + '¦expect vm1 mm 0x100 refs == 1', ['expect VGPU mm GFN refs == N', 'kref']],
    [P + '¦expect vm1 dma gfn 1 refs == 1', ['one entry per gfn']],
    [P + '¦expect hazard use-after-free', ['expect hazard [KIND]', 'Kernel hazard']],
    [P + '¦expect vm1 gfn 1 stale', ['stale', 'protect table']],
    // names: their definition line
    [P + 'submit v¦m1', ['**vGPU** `vm1`', 'line 1', 'vgpu vm1']],
    [P + 'register vm1 gfn 1 handler au¦dit', ['**handler** `audit`', 'line 2', '-EEXIST', 'File exists']],
    [P + 'register vm1 gfn 1 handler lo¦g', ['built-in', 'returns 0']],
    [P + 'print ba¦se', ['**let** `base`', 'line 3', '`0x102000`']],
    [P + 'repeat 2 as i {\n  print ¦i\n}', ['loop variable', 'repeat 2 as i {']],
    // numbers: decimal and hex, as gfn / gpa / va / PTE
    [P + 'register vm1 gfn 0x1¦00 handler log', ['`0x100` = 256', 'gpa `0x100000`..`0x100fff`']],
    [P + 'write vm1 gpa 0x102¦ff8 u64 0', ['gfn `0x102` + offset `0xff8`', 'entry 511']],
    [P + 'gpu vm1 read va 0x20¦1000', ['PML4[0] PDP[0] PD[1] PT[1]']],
    [P + 'write vm1 gpa 0 u64 0x80¦0003', ['present ✓', 'RW ✓', 'PS ✗', 'pfn `0x800`']],
    [P + 'write vm1 gpa 0 u64 0x20¦0083', ['PS ✓']],
    [P + 'expect ret == -1¦7', ['17']],
    [P + 'vgpu vm2 memory 64¦M', ['64 MiB', 'gfns 0..`0x3fff`']],
    [P + 'write vm1 gpa base + 0x¦10 u8 1', ['`0x10` = 16', '`base + 0x10` = `0x102010`', 'gfn `0x102` + offset `0x10`']],
    [P + 'print 1¦2', ['`0xc` = 12']],
    // error codes
    [P + 'expect ret == -EEX¦IST', ['-EEXIST** = -17', 'File exists']],
    [P + 'expect ret == -E¦SRCH', ['= -3', 'detached']],
    // sub-keywords
    [P + 'register vm1 g¦fn 1 handler log', ['guest frame number']],
    [P + 'expect vm1 gfn 1 untra¦cked', ['clear']],
    // nothing
    [P + '# a comm¦ent', undefined],
    [P + 'const¦ructor vm1', undefined],
    [P + 'print __pro¦to__', undefined],
    [P + 'print base ¦ ', undefined],
  ];
  for (const [src, want] of cases) {
    it(JSON.stringify(src.slice(P.length)), () => {
      const got = hoverText(src);
      if (want === undefined) return assert.equal(got, undefined);
      assert.ok(got !== undefined, 'a hover');
      for (const w of want) assert.ok(got.includes(w), `expected ${JSON.stringify(w)} in\n${got}`);
    });
  }

  it('the hover span is the token under the cursor', () => {
    const { text, offset } = cursor(P + 'register vm1 gfn 0x1¦00 handler log');
    const h = hover(analyze(text), offset)!;
    assert.equal(text.slice(h.span.start, h.span.end), '0x100');
  });

  it('answers nothing for offsets outside the text', () => {
    const a = analyze(P);
    assert.equal(hover(a, -1), undefined);
    assert.equal(hover(a, P.length + 10), undefined);
  });

  const entries: [bigint, string][] = [
    [0x800003n, 'present ✓, RW ✓, PS ✗, IPS ✗, pfn `0x800` (gpa `0x800000`)'],
    [0x200083n, 'present ✓, RW ✓, PS ✓, IPS ✗, pfn `0x200` (gpa `0x200000`)'],
    [0x103803n, 'present ✓, RW ✓, PS ✗, IPS ✓, pfn `0x103` (gpa `0x103000`)'],
    [(1n << 52n) | 0x5001n, 'present ✓, RW ✗, PS ✗, IPS ✗, pfn `0x5` (gpa `0x5000`), 64K-split'],
  ];
  for (const [v, want] of entries) it(`entry 0x${v.toString(16)}`, () => assert.equal(entryText(v), want));
});
