// The read-only "sources" of kernel frames, served by `source` (sourceReference): for each modelled
// Linux function, what it does in the project's own words (no kernel code; see docs/kernel-model.md),
// then the live arguments of this call, then the call's own events one per line, so that the
// frame's current line moves along them as you step. Knows nothing of DAP.

import { hex, type FrameArg, type KernelFn, type KernelProfile } from '../core';
import { formatEvent } from '../dsl/traceFormat';
import type { RecordedStatement } from './kernelFrames';

interface Explanation {
  readonly file: string;
  readonly text: string;
}

const E = (file: string, text: string): Explanation => ({ file, text });

const EXPLANATIONS: Readonly<Record<KernelFn, Explanation>> = {
  kvm_page_track_write: E('arch/x86/kvm/mmu/page_track.c', 'KVM tells every page-track notifier about a write it has emulated to a write-tracked gfn. The bytes are already in guest memory.'),
  kvmgt_page_track_write: E('gvt/kvmgt.c', 'The KVM notifier of GVT. KVM calls it after it has written the guest\'s bytes into guest memory (one call per page). Newest kernels take vgpu_lock here. If the gfn is in this vGPU\'s protect table it calls the dispatcher, intel_vgpu_page_track_handler, and throws its result away: the notifier returns nothing and the guest\'s write has already happened.'),
  intel_vgpu_page_track_handler: E('gvt/page_track.c', 'The page-track dispatcher. It looks up the record for gpa >> 12: none means -ENXIO and nothing else happens. In failsafe mode it removes write protection and returns 0 without calling the handler (newest kernels leave `tracked` set: stale). Otherwise it calls the record\'s handler with the full gpa, the data and the length, logs "guest page write error" if that fails, and returns the handler\'s result. It never looks at `tracked` and never enters failsafe. Kernels 4.19 to 6.5 take vgpu_lock here; newer ones expect the caller to hold it.'),
  intel_vgpu_register_page_track: E('gvt/page_track.c', 'Creates the page-track record of a gfn: -EEXIST if any record holds the gfn (handler and priv are not compared, the old record is untouched). The new record starts with tracked = false: registering write-protects nothing.'),
  intel_vgpu_unregister_page_track: E('gvt/page_track.c', 'Deletes a gfn\'s record. If the record was tracked, the hypervisor\'s protection is removed (its result ignored). An unknown gfn is a silent no-op.'),
  intel_vgpu_enable_page_track: E('gvt/page_track.c', 'Write-protects a registered gfn: -ENXIO without a record, 0 at once if already tracked, else asks the hypervisor to add protection and sets tracked only if that worked.'),
  intel_vgpu_disable_page_track: E('gvt/page_track.c', 'The mirror of enable: -ENXIO without a record, 0 at once if not tracked, else asks the hypervisor to remove protection and clears tracked only if that worked.'),
  intel_vgpu_find_page_track: E('gvt/page_track.c', 'Looks up a gfn in the vGPU\'s radix tree of records. No side effects.'),
  intel_gvt_page_track_add: E('gvt/kvmgt.c', 'Newest kernels: -ESRCH if the vGPU is not attached; 0 if the gfn is already in the protect table (idempotent); -EINVAL if no memslot holds it; otherwise KVM write-tracks the gfn and it joins the protect table.'),
  intel_gvt_page_track_remove: E('gvt/kvmgt.c', 'Newest kernels: -ESRCH if not attached; 0 if the gfn is not protected; otherwise KVM stops write-tracking it and it leaves the protect table.'),
  kvmgt_page_track_add: E('gvt/kvmgt.c', 'Kernels up to about 5.18, reached through the MPT hooks: -ESRCH for a bad handle, -EINVAL without a memslot, otherwise protect the gfn (if not yet) and return 0.'),
  kvmgt_page_track_remove: E('gvt/kvmgt.c', 'Kernels up to about 5.18: a bad handle returns 0 (unlike add), no memslot gives -EINVAL, otherwise unprotect the gfn (if protected) and return 0.'),
  kvmgt_page_track_remove_region: E('gvt/kvmgt.c', 'A memslot goes away (6.6+): every protected gfn in the range leaves the protect table. GVT\'s records, their tracked flags and spts are not touched, so they go stale.'),
  kvmgt_page_track_flush_slot: E('gvt/kvmgt.c', 'A memslot goes away (older kernels): KVM tracking and the protect-table entry of every protected gfn in the slot are removed. GVT\'s records keep tracked = true.'),
  scenario_handler: E('scenario', 'A handler declared by the scenario (`handler NAME returns CODE`) or the built-in `log`: it records the call and returns its fixed code.'),
  ppgtt_write_protection_handler: E('gvt/gtt.c', 'The handler `shadow` attaches to every guest page-table page. Only 4- and 8-byte writes are understood (-EINVAL otherwise); it forwards to ppgtt_handle_guest_write_page_table_bytes with the spt kept in the record\'s priv.'),
  ppgtt_handle_guest_write_page_table_bytes: E('gvt/gtt.c', 'Index i = (gpa & 0xfff) >> 3. It re-reads the new guest entry from guest memory (the data pointer is never used). A 64K page written at an unused slot is ignored. An 8-byte write goes through "the heart"; a 4-byte write tears the old shadow entry down once, points it at scratch and marks i for the post-shadow flush. Then out-of-sync accounting, if enabled.'),
  ppgtt_handle_guest_write_page_table: E('gvt/gtt.c', '"The heart": read the old shadow entry; if the new guest entry is present, ADD it first (child spt created or reused, or a leaf DMA-mapped), THEN remove the old one (a child\'s refcount drops, freeing the subtree at 0). Add-before-remove keeps the table valid in between. A non-present entry leaves the shadow pointing at scratch with the old flags (present included).'),
  ppgtt_handle_guest_entry_add: E('gvt/gtt.c', 'A table-pointing entry: populate (or reuse) the child spt and write the generated shadow entry. A leaf: ppgtt_populate_shadow_entry.'),
  ppgtt_handle_guest_entry_removal: E('gvt/gtt.c', 'Nothing for a non-present or scratch entry. A table-pointing entry: find the child by mfn (-ENXIO if missing) and invalidate it (drop a reference). A leaf: DMA-unmap.'),
  ppgtt_populate_spt_by_guest_entry: E('gvt/gtt.c', 'Given a guest entry that points at a table: if an spt already exists for that gfn, take a reference (re-populating if IPS changed). Otherwise allocate one, register its gfn with the PPGTT handler, ENABLE write protection, and populate it; any failure frees it.'),
  ppgtt_populate_spt: E('gvt/gtt.c', 'Walks the present guest entries of one table (stride 16 for a 64K page): table-pointing entries recurse and get a shadow entry pointing at the child; leaves are DMA-mapped. Stops at the first error.'),
  ppgtt_populate_shadow_entry: E('gvt/gtt.c', 'Shadows one leaf entry. Not present: nothing written. 4K: DMA-map the gfn (-ENXIO on failure). 64K: split into 16 4K entries. 2M: native, or split into a sub-table. 1G: -EINVAL ("GVT doesn\'t support 1GB entry").'),
  split_64KB_gtt_entry: E('gvt/gtt.c', 'Writes 16 shadow 4K entries at i..i+15, each with GVT\'s private bit 52 and mapping gfn+k.'),
  split_2MB_gtt_entry: E('gvt/gtt.c', 'Makes an untracked PT-level sub-spt (guest gfn 0) with 512 entries mapping gfn+k; the shadow PDE points at it with PS and IPS cleared.'),
  ppgtt_alloc_spt_gfn: E('gvt/gtt.c', 'Allocates an spt (a zeroed host page, refcount 1, in spt_tree by mfn), then REGISTERS a page track for the guest gfn with the PPGTT handler and the spt as priv. It does not enable protection. If registering fails (e.g. -EEXIST: another tracker owns the gfn) the spt is freed.'),
  ppgtt_invalidate_spt: E('gvt/gtt.c', 'Drops one reference. At 0 it walks the present shadow entries (4K leaves unmapped, 2M skipped without unmap, table entries invalidated recursively), then frees the spt. An error aborts the walk and nothing is freed.'),
  ppgtt_invalidate_spt_by_shadow_entry: E('gvt/gtt.c', 'For a table-pointing shadow entry: 0 if it points at this level\'s scratch table, -ENXIO if no spt has that mfn, otherwise invalidate that child.'),
  ppgtt_free_spt: E('gvt/gtt.c', 'DMA-unmaps and frees the shadow page, removes it from spt_tree, and, only if its guest gfn is not 0, detaches any OOS page and UNREGISTERS the page track (removing protection if tracked). A table at gfn 0 keeps a dangling record.'),
  ppgtt_set_post_shadow: E('gvt/gtt.c', 'Sets bit i of the spt\'s post-shadow bitmap and queues the spt once on the vGPU\'s post-shadow list.'),
  intel_vgpu_flush_post_shadow: E('gvt/gtt.c', 'For each queued spt and each set bit (ascending): read the FULL guest entry, run the heart, clear the bit. The first error returns at once, leaving the rest queued.'),
  intel_vgpu_sync_oos_pages: E('gvt/gtt.c', 'With out-of-sync enabled: re-protect and re-shadow every page of the vGPU that is out of sync. A no-op when OOS is off (the default).'),
  ppgtt_set_guest_page_oos: E('gvt/gtt.c', 'Puts a PT page out of sync: it joins the vGPU\'s OOS list and its page track is DISABLED (tracked = false), so later guest writes no longer trap.'),
  ppgtt_set_guest_page_sync: E('gvt/gtt.c', 'Brings an OOS page back: enable the page track, leave the OOS list, and re-shadow the entries whose guest value differs from the snapshot.'),
  intel_vgpu_create_ppgtt_mm: E('gvt/gtt.c', 'Creates an mm for root pointers nobody has yet (refcount 1) and shadows it at once (shadow_ppgtt_mm). A failed create frees the mm.'),
  intel_vgpu_get_ppgtt_mm: E('gvt/gtt.c', 'The guest\'s CREATE notification: looks the mm up by its root pointers (L4: the PML4 only; L3: all four). Found, it only takes a reference (kref_get): nothing is shadowed again. Not found, intel_vgpu_create_ppgtt_mm.'),
  intel_vgpu_put_ppgtt_mm: E('gvt/gtt.c', 'The guest\'s DESTROY notification: -EINVAL for unknown root pointers, else drop one reference. Only the last put releases the mm (invalidate, unregister every table page, free).'),
  intel_vgpu_invalidate_ppgtt: E('gvt/gtt.c', 'vGPU reset: invalidate every shadowed mm (tear its shadow down); the mm objects stay.'),
  intel_vgpu_destroy_all_ppgtt_mm: E('gvt/gtt.c', 'vGPU reset: drops ONE reference per mm (intel_vgpu_destroy_mm is a kref_put), so an mm the guest created twice survives, invalidated.'),
  failsafe_emulate_mmio_rw: E('gvt/handlers.c', 'In failsafe mode every MMIO access only reads or writes the virtual register file. An ELSP write submits nothing and a PVINFO g2v notification creates or destroys nothing: queued post-shadow work stays queued until a reset.'),
  intel_vgpu_open_device: E('gvt/kvmgt.c', 'Attach: registers the KVM page-track notifier and creates an empty protect table. Records that still say tracked are stale: their stores no longer trap, and enable returns 0 without protecting.'),
  intel_vgpu_close_device: E('gvt/kvmgt.c', 'Detach: unregisters the page-track notifier and frees the whole protect table (KVM\'s write tracking is not removed gfn by gfn). No store reaches kvmgt until the next attach.'),
  intel_gvt_dma_map_guest_page: E('gvt/kvmgt.c', 'Pins (every 4K page of the range, host-contiguous for 2M) and maps a guest range for the GPU, cached one entry per gfn: the same gfn and size gains a reference; another size unmaps the cached entry first, whatever its references.'),
  intel_gvt_dma_unmap_guest_page: E('gvt/kvmgt.c', 'Finds the cache entry by DMA address and drops a reference (unpinning at 0). An address no longer cached is silently ignored.'),
  shadow_ppgtt_mm: E('gvt/gtt.c', '0 if already shadowed. Newest kernels: -EINVAL if the vGPU is not attached. Sets shadowed = true BEFORE populating, then populates the child of each present root entry; on failure invalidates the mm (which resets shadowed).'),
  invalidate_ppgtt_mm: E('gvt/gtt.c', 'Tears down each present shadow root (errors ignored), zeroes it, and sets shadowed = false.'),
  intel_vgpu_destroy_ppgtt_mm: E('gvt/gtt.c', 'Releases an mm whose last reference went: invalidate its shadow and unlink it.'),
  prepare_workload: E('gvt/scheduler.c', 'Before the GPU runs a workload: pin (and shadow if needed) each mm, then sync out-of-sync pages, then flush post-shadow (partial) writes. The first error wins.'),
  enter_failsafe_mode: E('gvt/handlers.c', 'Logs the reason and sets vgpu->failsafe. Only a device-model reset clears it. A page-track handler failure never gets here.'),
  intel_gvt_reset_vgpu_locked: E('gvt/vgpu.c', 'Device-model-level reset: invalidate every PPGTT mm and drop one reference each (an mm with more references survives, invalidated), force-free leftover spts ("Why we still has spt not freed?"), clear failsafe.'),
  gpu_page_walk: E('hardware', 'The GPU walks the SHADOW tables of the active mm, as the hardware does: a non-present entry is a GPU page fault; an entry GVT pointed at a scratch table ends on the zero page (reads zeroes, no fault).'),
};

/** One line of explanation for hovers and stack-frame names. */
export function kernelFileOf(fn: KernelFn): string {
  return EXPLANATIONS[fn]?.file ?? 'gvt';
}

function wrap(text: string, width: number, prefix: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(prefix + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(prefix + line);
  return out;
}

function argText(v: FrameArg): string {
  return typeof v === 'number' ? `${hex(v)} (${v})` : String(v);
}

export interface KernelSourceDocument {
  readonly content: string;
  /** 1-based line of each of the call's events, by event index. */
  readonly lineOfEvent: ReadonlyMap<number, number>;
  /** 1-based line of the function header (for a frame at its entry). */
  readonly headerLine: number;
}

/** The document for one call: explanation, arguments, and the call's own events, one a line. */
export function renderKernelSource(rec: RecordedStatement, enterIndex: number, profile: KernelProfile): KernelSourceDocument {
  const enter = rec.events[enterIndex];
  if (enter.kind !== 'enter') throw new Error('renderKernelSource: not an enter event');
  const ex = EXPLANATIONS[enter.fn];
  const lines: string[] = [];
  lines.push(`// ${enter.fn}  (${ex.file}, as modelled by the GVT page-track simulator; kernel profile: ${profile})`);
  lines.push('//');
  lines.push(...wrap(ex.text, 96, '// '));
  lines.push('//');
  lines.push('// This call, with its live arguments:');
  lines.push(`${enter.fn}(`);
  const entries = Object.entries(enter.args);
  entries.forEach(([k, v], i) => lines.push(`    ${k} = ${argText(v)}${i < entries.length - 1 ? ',' : ''}`));
  lines.push(') {');
  const headerLine = lines.length;
  const lineOfEvent = new Map<number, number>();
  lineOfEvent.set(enterIndex, headerLine);
  for (const i of rec.callEvents(enterIndex)) {
    if (i === enterIndex) continue;
    const e = rec.events[i];
    let text: string;
    if (e.kind === 'enter') text = `${formatEvent(e)};`;
    else if (e.kind === 'leave' && e.depth < enter.depth + 1) text = `return${e.ret === undefined ? '' : ` ${e.ret}`}; // ${formatEvent(e)}`;
    else if (e.kind === 'leave') text = `// ${formatEvent(e)}`;
    else text = `// ${formatEvent(e)}`;
    lines.push(`    ${text}`);
    lineOfEvent.set(i, lines.length);
  }
  lines.push('}');
  return { content: lines.join('\n') + '\n', lineOfEvent, headerLine };
}

/** The line of a frame at position k: its latest own event at or before k. */
export function lineInCall(doc: KernelSourceDocument, rec: RecordedStatement, enterIndex: number, k: number): number {
  let best = doc.headerLine;
  for (const i of rec.callEvents(enterIndex)) {
    if (i > k) break;
    const l = doc.lineOfEvent.get(i);
    if (l !== undefined) best = l;
  }
  return best;
}
