// What each statement does, which kernel function it models and what it sets `ret` to: the text
// of docs/language.md, one entry per statement form, for hovers and completion. `snippet` is the
// statement as completion inserts it (TextMate snippet syntax; `VGPU` stands for a vGPU name).

import type { Stmt, StmtKind } from '../ast';

export interface StatementDoc {
  /** The statement keyword (`expect` for every expect form). */
  readonly keyword: string;
  /** The forms, as the language reference writes them. */
  readonly syntax: readonly string[];
  readonly summary: string;
  /** The kernel function(s) modelled. */
  readonly kernel?: string;
  /** What `ret` becomes. */
  readonly ret?: string;
  readonly snippet: string;
}

type DocId = Exclude<StmtKind, 'expectTrap'> | 'expectTrap' | 'expectNoTrap';

export const STATEMENT_DOCS: Readonly<Record<DocId, StatementDoc>> = {
  kernel: {
    keyword: 'kernel',
    syntax: ['kernel newest|legacy'],
    summary:
      "Must be the first statement. Which kernel's behaviour to model where versions differ: `newest` (default, about Linux 6.6+) or `legacy` (about 4.19 to 5.18). The debugger's `kernel` launch option and the CLI's `--kernel` override it.",
    snippet: 'kernel ${1|newest,legacy|}',
  },
  vgpu: {
    keyword: 'vgpu',
    syntax: ['vgpu NAME [memory SIZE]'],
    summary: 'Create a vGPU with SIZE of guest memory (default `64M`, a multiple of 4K); gfns 0 .. SIZE/4K-1. Memory is sparse: only pages written cost anything.',
    snippet: 'vgpu ${1:VGPU}',
  },
  handler: {
    keyword: 'handler',
    syntax: ['handler NAME returns CODE'],
    summary: 'Declare a page-track handler that records each call and returns CODE. Built-in handlers: `log` (records, returns 0) and `ppgtt` (attached only by `shadow`).',
    snippet: 'handler ${1:name} returns ${2:0}',
  },
  let: {
    keyword: 'let',
    syntax: ['let NAME = EXPR'],
    summary: 'Bind a name for later expressions. A later `let` of the same name rebinds it.',
    snippet: 'let ${1:name} = ${2:0}',
  },
  repeat: {
    keyword: 'repeat',
    syntax: ['repeat COUNT [as NAME] {', '  ...', '}'],
    summary: 'Run the block COUNT times with NAME = 0 .. COUNT-1. `{` ends its line; `}` stands alone; blocks nest.',
    snippet: 'repeat ${1:4} as ${2:i} {\n\t$0\n}',
  },
  register: {
    keyword: 'register',
    syntax: ['register VGPU gfn GFN handler HANDLER [priv STRING]'],
    summary: 'Register a page-track record for the gfn. Registering never write-protects: the record starts with `tracked = false`.',
    kernel: 'intel_vgpu_register_page_track',
    ret: '`0`; `-EEXIST` if any record holds the gfn (the existing record is not changed).',
    snippet: 'register ${1:VGPU} gfn ${2:0x100} handler ${3:log}',
  },
  unregister: {
    keyword: 'unregister',
    syntax: ['unregister VGPU gfn GFN'],
    summary: "Remove the gfn's record. Removes write protection if the record was tracked (the hypervisor's result is ignored); an unknown gfn is a silent no-op.",
    kernel: 'intel_vgpu_unregister_page_track',
    ret: 'always `0`.',
    snippet: 'unregister ${1:VGPU} gfn ${2:0x100}',
  },
  enable: {
    keyword: 'enable',
    syntax: ['enable VGPU gfn GFN'],
    summary: 'Write-protect the gfn at the hypervisor and set the record\'s `tracked` flag.',
    kernel: 'intel_vgpu_enable_page_track → intel_gvt_page_track_add (newest) / kvmgt_page_track_add (legacy)',
    ret: '`-ENXIO` without a record; `0` at once if already tracked; else the hypervisor\'s result (`-ESRCH` detached, `-EINVAL` no memslot).',
    snippet: 'enable ${1:VGPU} gfn ${2:0x100}',
  },
  disable: {
    keyword: 'disable',
    syntax: ['disable VGPU gfn GFN'],
    summary: "Remove the gfn's write protection and clear `tracked`: the mirror of `enable`. A failed hypervisor remove keeps `tracked` true.",
    kernel: 'intel_vgpu_disable_page_track → intel_gvt_page_track_remove (newest) / kvmgt_page_track_remove (legacy)',
    ret: '`-ENXIO` without a record; `0` at once if not tracked; else the hypervisor\'s result.',
    snippet: 'disable ${1:VGPU} gfn ${2:0x100}',
  },
  find: {
    keyword: 'find',
    syntax: ['find VGPU gfn GFN'],
    summary: 'Look the gfn up in the page-track table (no side effects).',
    kernel: 'intel_vgpu_find_page_track',
    ret: '`0` if a record exists, `-ENXIO` if not.',
    snippet: 'find ${1:VGPU} gfn ${2:0x100}',
  },
  write: {
    keyword: 'write',
    syntax: ['write VGPU gpa GPA (u8|u16|u32|u64) VALUE', 'write VGPU gpa GPA bytes HH HH ...'],
    summary:
      'A guest store, little-endian (or raw hex bytes). A store to a write-protected gfn traps: as `emulator_write_phys` does, the bytes are written first, then `kvmgt_page_track_write` calls the dispatcher `intel_vgpu_page_track_handler` with the gpa, data and length. A store that crosses a page boundary is split into one store per page.',
    kernel: 'kvmgt_page_track_write → intel_vgpu_page_track_handler',
    ret: 'the first non-zero dispatcher result (`0` when nothing trapped or every handler returned 0). The guest\'s write always stands.',
    snippet: 'write ${1:VGPU} gpa ${2:0x100000} ${3|u64,u32,u16,u8|} ${4:0}',
  },
  read: {
    keyword: 'read',
    syntax: ['read VGPU gpa GPA (u8|u16|u32|u64)'],
    summary: 'A guest load; the value goes to the trace.',
    snippet: 'read ${1:VGPU} gpa ${2:0x100000} ${3|u64,u32,u16,u8|}',
  },
  pagetable: {
    keyword: 'pagetable',
    syntax: ['pagetable VGPU root GFN pool A..B', 'pagetable VGPU pdps A B C D pool X..Y'],
    summary: 'The guest driver starts a 4-level gen8 PPGTT whose PML4 is page GFN (zeroed by one 4 KiB store); new table pages come from gfns A..B. `map` and `unmap` use the most recent `pagetable`. (extension) `pdps A B C D` starts a 32-bit (3-level) PPGTT instead: four root pointers, each a page directory (0 = none; each zeroed by one 4 KiB store); va bits 31:30 pick one.',
    snippet: 'pagetable ${1:VGPU} root ${2:0x100} pool ${3:0x101}..${4:0x1ff}',
  },
  map: {
    keyword: 'map',
    syntax: ['map VGPU va VA gfn GFN [size 4K|64K|2M|1G]'],
    summary:
      'The guest writes the entries that map VA to GFN, top-down, allocating missing tables from the pool (lowest free gfn first, zeroed by one 4 KiB store); the leaf is written last. Entries are `(pfn << 12) | RW | present`, plus PS for 2M/1G and IPS in the PDE for 64K. VA and GFN must be aligned to the size; a full pool is an error.',
    ret: 'the result of its last store (a trapped write to a shadowed table page goes through `ppgtt_write_protection_handler`).',
    snippet: 'map ${1:VGPU} va ${2:0x0} gfn ${3:0x800}',
  },
  unmap: {
    keyword: 'unmap',
    syntax: ['unmap VGPU va VA'],
    summary: 'The guest clears the leaf entry for VA (an 8-byte store of 0). `unmap` of an unmapped VA is an error.',
    ret: 'the result of its store.',
    snippet: 'unmap ${1:VGPU} va ${2:0x0}',
  },
  shadow: {
    keyword: 'shadow',
    syntax: ['shadow VGPU root GFN', 'shadow VGPU pdps A B C D'],
    summary: "The guest's CREATE notification. For root pointers no mm has yet, GVT creates an mm and shadows the PPGTT: every guest table page reached gets an spt, is registered with the `ppgtt` handler and write-protected. For root pointers an mm already has (a 4-level PPGTT by its PML4, a 32-bit one by all four `pdps`), it only takes a reference: nothing is shadowed again. A failed `shadow` leaves nothing of its failed chain registered. In failsafe the notification is only a register write: nothing happens.",
    kernel: 'intel_vgpu_get_ppgtt_mm → intel_vgpu_create_ppgtt_mm → shadow_ppgtt_mm',
    ret: '`0`, or the first error: `-EEXIST` when another tracker owns a table page, `-EINVAL` for a 1G entry, `-ENXIO` for a leaf gfn without a memslot (newest).',
    snippet: 'shadow ${1:VGPU} root ${2:0x100}',
  },
  unshadow: {
    keyword: 'unshadow',
    syntax: ['unshadow VGPU root GFN', 'unshadow VGPU pdps A B C D'],
    summary: "The guest's DESTROY notification: drops one reference on the mm. Only the last one releases it: shadow pages freed, their gfns unregistered. In failsafe: nothing happens.",
    kernel: 'intel_vgpu_put_ppgtt_mm → invalidate_ppgtt_mm',
    ret: '`0`; `-EINVAL` for a root never shadowed.',
    snippet: 'unshadow ${1:VGPU} root ${2:0x100}',
  },
  submit: {
    keyword: 'submit',
    syntax: ['submit VGPU'],
    summary: 'Workload submission: pins (re-shadows) every mm, syncs out-of-sync pages (`intel_vgpu_sync_oos_pages`), then flushes post-shadow partial writes (`intel_vgpu_flush_post_shadow`). In failsafe the ELSP write is only a register write: nothing happens, and queued work stays queued until `reset`.',
    kernel: 'prepare_workload',
    ret: 'the first error, else `0`.',
    snippet: 'submit ${1:VGPU}',
  },
  failsafe: {
    keyword: 'failsafe',
    syntax: ['failsafe VGPU'],
    summary: 'Enter failsafe mode: the dispatcher then removes protection on a trap instead of calling the handler (newest kernels leave `tracked` stale).',
    kernel: 'enter_failsafe_mode',
    ret: '`0`.',
    snippet: 'failsafe ${1:VGPU}',
  },
  reset: {
    keyword: 'reset',
    syntax: ['reset VGPU'],
    summary: 'Device-model reset: all shadows destroyed (leftover spts force-freed), failsafe cleared.',
    kernel: 'intel_gvt_reset_vgpu_locked',
    ret: '`0`.',
    snippet: 'reset ${1:VGPU}',
  },
  attach: {
    keyword: 'attach',
    syntax: ['attach VGPU'],
    summary: "(extension) Attach the vGPU to KVMGT (its initial state): the page-track notifier is registered with a new, EMPTY protect table. Records that still say `tracked` are stale: their stores do not trap and `enable` returns 0 without protecting.",
    kernel: 'intel_vgpu_open_device',
    ret: '`0`.',
    snippet: 'attach ${1:VGPU}',
  },
  detach: {
    keyword: 'detach',
    syntax: ['detach VGPU'],
    summary: "(extension) Detach the vGPU from KVMGT: the page-track notifier is unregistered and the protect table freed whole, so no store reaches kvmgt (no trap, no handler, no `-ENXIO`). Hypervisor add then fails with `-ESRCH`; remove fails with `-ESRCH` (newest) or returns `0` (legacy).",
    kernel: 'intel_vgpu_close_device',
    ret: '`0`.',
    snippet: 'detach ${1:VGPU}',
  },
  oos: {
    keyword: 'oos',
    syntax: ['oos VGPU on|off'],
    summary: 'The out-of-sync optimisation for shadowed PTE pages, off by default (as in every kernel).',
    kernel: 'enable_out_of_sync',
    snippet: 'oos ${1:VGPU} ${2|on,off|}',
  },
  dispatch: {
    keyword: 'dispatch',
    syntax: ['dispatch VGPU gpa GPA bytes N'],
    summary: "(extension) Call the page-track dispatcher directly with gpa and N bytes of what guest memory holds there, as kvmgt_page_track_write would for a protected gfn, but without a store and without the protect-table check. The way to reach the dispatcher's own cases that no guest store can reach once detach, failsafe and memslot removal are modelled faithfully: no record (`-ENXIO`), a record not tracked (the handler still runs), failsafe. Breakpoints on gfns and the untracked-trap filter see it as a trap; `traps` does not count it.",
    kernel: 'intel_vgpu_page_track_handler',
    ret: "the dispatcher's result: `-ENXIO` without a record, `0` in failsafe, else the handler's.",
    snippet: 'dispatch ${1:VGPU} gpa ${2:0x10000} bytes ${3:8}',
  },
  platform: {
    keyword: 'platform',
    syntax: ['platform gen8|gen9|gen11'],
    summary: '(extension) The GPU generation, which decides whether a PDE\'s IPS bit (64K pages) counts: `gen8` never, `gen9` only when the guest set the 64K IPS field (`ips VGPU on`), `gen11` (the default) always. Without IPS a table under an IPS PDE is shadowed as 512 ordinary 4K entries. It also decides whether the host has 2M GTT pages: `gen11` does; `gen8`/`gen9` (the only parts GVT-g runs on) do not on 6.6+, so every 2M entry is split there (legacy kernels had them).',
    kernel: 'vgpu_ips_enabled; HAS_PAGE_SIZES(i915, I915_GTT_PAGE_SIZE_2M)',
    snippet: 'platform ${1|gen8,gen9,gen11|}',
  },
  ips: {
    keyword: 'ips',
    syntax: ['ips VGPU on|off'],
    summary: "(extension) The guest sets (or clears) the 64K IPS field of GAMW_ECO_DEV_RW_IA. Read only on Gen9 (`platform gen9`); tables already shadowed change when their PDE is written again.",
    kernel: 'vgpu_ips_enabled: GAMW_ECO_DEV_RW_IA & GAMW_ECO_ENABLE_64K_IPS_FIELD',
    snippet: 'ips ${1:VGPU} ${2|on,off|}',
  },
  backing: {
    keyword: 'backing',
    syntax: ['backing VGPU gfn A..B huge|contiguous|scattered'],
    summary: '(extension) How the host backs that guest range: `huge` (transparent huge pages, the default), `contiguous` (4K host pages that are contiguous), `scattered` (4K pages, not contiguous). A native 2M mapping needs contiguous pages (newest) or a huge page (legacy); otherwise the 2M entry is split.',
    kernel: 'gvt_pin_guest_page (contiguity); is_2MB_gtt_possible (5.x: PageTransHuge)',
    snippet: 'backing ${1:VGPU} gfn ${2:0x800}..${3:0x9ff} ${4|huge,contiguous,scattered|}',
  },
  memslotRemove: {
    keyword: 'memslot',
    syntax: ['memslot VGPU remove gfn A..B'],
    summary: "(extension) Drop kvmgt's protect-table entries in the range; GVT's records keep `tracked = true` (stale). Later hypervisor calls for those gfns find no memslot.",
    kernel: 'kvmgt_page_track_remove_region (newest) / kvmgt_page_track_flush_slot (legacy)',
    ret: '`0`.',
    snippet: 'memslot ${1:VGPU} remove gfn ${2:0x800}..${3:0x8ff}',
  },
  gpuRead: {
    keyword: 'gpu',
    syntax: ['gpu VGPU read va VA'],
    summary:
      "The GPU walks the **shadow** PPGTT of the vGPU's active mm. A non-present entry is a GPU page fault (an event, not an error); an entry GVT pointed at a scratch page is no fault: the GPU reads zeroes. PS (2M, 1G) and IPS (64K) are honoured as on Gen11+.",
    snippet: 'gpu ${1:VGPU} read va ${2:0x0}',
  },
  print: {
    keyword: 'print',
    syntax: ['print EXPR'],
    summary: '(extension) Put the value in the trace (hex and decimal).',
    snippet: 'print ${1:0}',
  },
  expectRet: {
    keyword: 'expect',
    syntax: ['expect ret == CODE'],
    summary: "Holds when the last statement's `ret` equals CODE. A failed `expect` is reported with its line and the run goes on.",
    snippet: 'expect ret == ${1|0,-EEXIST,-ENXIO,-EINVAL,-ESRCH,-ENOMEM,-EFAULT|}',
  },
  expectTrap: {
    keyword: 'expect',
    syntax: ['expect trap'],
    summary: 'Holds when the last guest store reached the page-track dispatcher (`intel_vgpu_page_track_handler`).',
    snippet: 'expect trap',
  },
  expectNoTrap: {
    keyword: 'expect',
    syntax: ['expect no trap'],
    summary: 'Holds when the last guest store did not reach the page-track dispatcher.',
    snippet: 'expect no trap',
  },
  expectTrack: {
    keyword: 'expect',
    syntax: ['expect VGPU gfn GFN tracked|untracked|registered|unregistered|stale'],
    summary:
      "`tracked`: a record exists and its `tracked` flag is set; `untracked`: a record exists, flag clear; `registered`: a record exists; `unregistered`: no record; `stale` (extension): the record says tracked but kvmgt's protect table does not hold the gfn (after failsafe on newest kernels, a memslot removal, or a detach), so its stores no longer trap. `tracked` is the record's flag, as in the kernel: whether a store really traps is what `expect trap` tells.",
    snippet: 'expect ${1:VGPU} gfn ${2:0x100} ${3|tracked,untracked,registered,unregistered,stale|}',
  },
  expectMem: {
    keyword: 'expect',
    syntax: ['expect VGPU gpa GPA (u8|u16|u32|u64) == VALUE'],
    summary: 'Holds when guest memory holds VALUE at GPA (little-endian).',
    snippet: 'expect ${1:VGPU} gpa ${2:0x100000} ${3|u64,u32,u16,u8|} == ${4:0}',
  },
  expectGpu: {
    keyword: 'expect',
    syntax: ['expect gpu VGPU va VA -> gfn GFN', 'expect gpu VGPU va VA fault', 'expect gpu VGPU va VA scratch'],
    summary: 'The shadow walk of VA (what the GPU really walks) reaches the host page that backs guest gfn GFN, faults, or ends on a scratch page.',
    snippet: 'expect gpu ${1:VGPU} va ${2:0x0} -> gfn ${3:0x800}',
  },
  expectTraps: {
    keyword: 'expect',
    syntax: ['expect VGPU traps == N'],
    summary: 'Holds when N stores (pages of stores) of this vGPU have trapped so far.',
    snippet: 'expect ${1:VGPU} traps == ${2:1}',
  },
  expectMm: {
    keyword: 'expect',
    syntax: ['expect VGPU mm GFN refs == N'],
    summary: "(extension) Holds when the PPGTT mm whose root (a 4-level PPGTT's PML4, or a 32-bit PPGTT's first page directory) is GFN has reference count N; `0` means there is no such mm. `shadow` takes a reference, `unshadow` and `reset` drop one.",
    kernel: 'struct intel_vgpu_mm: ref (kref)',
    snippet: 'expect ${1:VGPU} mm ${2:0x100} refs == ${3:1}',
  },
  expectDma: {
    keyword: 'expect',
    syntax: ['expect VGPU dma gfn GFN [size 4K|2M] refs == N'],
    summary: "(extension) Holds when kvmgt's DMA cache maps GFN (of that size, if given) with N references; `0` means not mapped. The cache keeps one entry per gfn: mapping it with another size replaces the entry.",
    kernel: 'kvmgt gvt_dma cache (__gvt_cache_find_gfn)',
    snippet: 'expect ${1:VGPU} dma gfn ${2:0x800} refs == ${3:1}',
  },
  expectHazard: {
    keyword: 'expect',
    syntax: ['expect hazard [KIND]', 'expect no hazard'],
    summary: '(extension) Holds when the last statement did (or did not) make the modelled kernel do something unsafe: `use-after-free`, `dangling-record`, `dma-leak`, `dma-remap`, `stale-shadow`, `undefined-behaviour` or `leak` (any, if no KIND is given). Each hazard is also a NOTE in the trace and a stop under the debugger\'s "Kernel hazard" exception filter.',
    snippet: 'expect hazard ${1|use-after-free,dangling-record,dma-leak,dma-remap,stale-shadow,undefined-behaviour,leak|}',
  },
};

/** The documentation of a parsed statement. */
export function docOf(s: Stmt): StatementDoc {
  if (s.kind === 'expectTrap') return s.negated ? STATEMENT_DOCS.expectNoTrap : STATEMENT_DOCS.expectTrap;
  return STATEMENT_DOCS[s.kind];
}

/** Every form that starts with a keyword (one for most, several for `expect`). */
export function docsOfKeyword(keyword: string): StatementDoc[] {
  return Object.values(STATEMENT_DOCS).filter((d) => d.keyword === keyword);
}

/** Markdown for a hover or a completion item's documentation: the forms, then what each does. */
export function docMarkdown(docs: readonly StatementDoc[]): string {
  const syntax = '```gvt\n' + docs.flatMap((d) => d.syntax).join('\n') + '\n```';
  const bodies = docs.map((d) => {
    const lines = [d.summary];
    if (d.kernel) lines.push(`Kernel: \`${d.kernel}\``);
    if (d.ret) lines.push(`\`ret\`: ${d.ret}`);
    return (docs.length > 1 ? `**${d.syntax[0]}**: ` : '') + lines.join('\n\n');
  });
  return [syntax, bodies.join('\n\n---\n\n')].join('\n\n');
}
