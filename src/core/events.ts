// What the core reports while it runs: kernel-function frames (enter/leave, the debugger's
// step-into call stack) and typed state-change notes (the trace). A Tracer is attached only when
// someone listens, so the hot path pays one null check.

import type { Gfn, Gpa, Mfn } from './address';

/** The kernel functions modelled, by their Linux names: shown as frames while stepping in. */
export type KernelFn =
  | 'kvm_page_track_write'
  | 'kvmgt_page_track_write'
  | 'intel_vgpu_page_track_handler'
  | 'intel_vgpu_register_page_track'
  | 'intel_vgpu_unregister_page_track'
  | 'intel_vgpu_enable_page_track'
  | 'intel_vgpu_disable_page_track'
  | 'intel_vgpu_find_page_track'
  | 'intel_gvt_page_track_add'
  | 'intel_gvt_page_track_remove'
  | 'kvmgt_page_track_add'
  | 'kvmgt_page_track_remove'
  | 'kvmgt_page_track_remove_region'
  | 'kvmgt_page_track_flush_slot'
  | 'scenario_handler'
  | 'ppgtt_write_protection_handler'
  | 'ppgtt_handle_guest_write_page_table_bytes'
  | 'ppgtt_handle_guest_write_page_table'
  | 'ppgtt_handle_guest_entry_add'
  | 'ppgtt_handle_guest_entry_removal'
  | 'ppgtt_populate_spt_by_guest_entry'
  | 'ppgtt_populate_spt'
  | 'ppgtt_populate_shadow_entry'
  | 'split_64KB_gtt_entry'
  | 'split_2MB_gtt_entry'
  | 'ppgtt_alloc_spt_gfn'
  | 'ppgtt_invalidate_spt'
  | 'ppgtt_invalidate_spt_by_shadow_entry'
  | 'ppgtt_free_spt'
  | 'ppgtt_set_post_shadow'
  | 'intel_vgpu_flush_post_shadow'
  | 'intel_vgpu_sync_oos_pages'
  | 'ppgtt_set_guest_page_oos'
  | 'ppgtt_set_guest_page_sync'
  | 'intel_vgpu_create_ppgtt_mm'
  | 'shadow_ppgtt_mm'
  | 'invalidate_ppgtt_mm'
  | 'intel_vgpu_destroy_ppgtt_mm'
  | 'prepare_workload'
  | 'enter_failsafe_mode'
  | 'intel_gvt_reset_vgpu_locked'
  | 'intel_vgpu_get_ppgtt_mm'
  | 'intel_vgpu_put_ppgtt_mm'
  | 'intel_vgpu_invalidate_ppgtt'
  | 'intel_vgpu_destroy_all_ppgtt_mm'
  | 'failsafe_emulate_mmio_rw'
  | 'intel_vgpu_open_device'
  | 'intel_vgpu_close_device'
  | 'intel_gvt_dma_map_guest_page'
  | 'intel_gvt_dma_unmap_guest_page'
  | 'gpu_page_walk';

/**
 * Kernel hazards: moments where the modelled kernel does something unsafe (docs/kernel-model.md §6,
 * §7). The simulation cannot crash, so it names them; the debugger can stop on them.
 */
export type HazardKind = 'use-after-free' | 'dangling-record' | 'dma-leak' | 'dma-remap' | 'stale-shadow' | 'undefined-behaviour' | 'leak';

export type FrameArg = number | string | boolean;
export type FrameArgs = Readonly<Record<string, FrameArg>>;

export type CoreEvent =
  | { kind: 'store'; vgpu: string; gpa: Gpa; bytes: number; trapped: boolean }
  | { kind: 'trap'; vgpu: string; gpa: Gpa; bytes: number; record: 'tracked' | 'untracked' | 'none' }
  | { kind: 'trap-ignored'; vgpu: string; gpa: Gpa; ret: number }
  | { kind: 'lock'; vgpu: string; held: boolean; by: KernelFn }
  | { kind: 'record'; vgpu: string; gfn: Gfn; change: 'registered' | 'unregistered' | 'tracked' | 'untracked'; handler: string }
  | { kind: 'handler-call'; vgpu: string; handler: string; gpa: Gpa; bytes: number; ret: number }
  | { kind: 'kernel-log'; vgpu: string; message: string }
  | { kind: 'protect'; vgpu: string; gfn: Gfn; on: boolean }
  | { kind: 'failsafe'; vgpu: string; on: boolean; reason?: string }
  | { kind: 'spt'; vgpu: string; change: 'alloc' | 'free' | 'ref' | 'unref'; mfn: Mfn; gfn: Gfn; level: string; refcount: number }
  | { kind: 'shadow-entry'; vgpu: string; spt: Mfn; gfn: Gfn; index: number; value: bigint }
  | { kind: 'dma'; vgpu: string; change: 'map' | 'unmap'; gfn: Gfn; pages: number; mfn: Mfn }
  | { kind: 'post-shadow'; vgpu: string; gfn: Gfn; index: number; set: boolean }
  | { kind: 'oos'; vgpu: string; gfn: Gfn; change: 'out-of-sync' | 'synced' }
  | { kind: 'mm'; vgpu: string; root: Gfn; change: 'created' | 'shadowed' | 'invalidated' | 'destroyed' | 'ref' | 'unref'; refs?: number }
  /** Failsafe: an MMIO write the guest meant as a request (ELSP, a g2v notification) only updates a register. */
  | { kind: 'mmio-ignored'; vgpu: string; request: string }
  | { kind: 'attach'; vgpu: string; attached: boolean; dropped?: number; stale?: number }
  | { kind: 'dma-fail'; vgpu: string; gfn: Gfn; pages: number; reason: string }
  | { kind: 'hazard'; vgpu: string; hazard: HazardKind; message: string }
  | { kind: 'gpu'; vgpu: string; va: number; outcome: string }
  /** A kernel WARN, a leak, or a modelled surprise (docs/kernel-model.md §6): shown, never hidden. */
  | { kind: 'surprise'; vgpu: string; message: string };

export interface Tracer {
  enter(fn: KernelFn, args: FrameArgs): void;
  leave(fn: KernelFn, ret?: number): void;
  note(e: CoreEvent): void;
  /**
   * Set by a tracer that reads only which function a frame is (the history index): the frames
   * that would format an entry's value (a BigInt and a hex string a frame) pass no arguments.
   */
  readonly framesOnly?: boolean;
  /** When present, shadow-entry changes come here, as the entry's 32-bit halves, instead of as a note with a BigInt value. */
  shadowEntry?(vgpu: string, spt: Mfn, gfn: Gfn, index: number, lo: number, hi: number): void;
}
