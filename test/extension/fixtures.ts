// Protocol values for the view-model tests, built with defaults so each case states only what it
// is about. Types only from src/debug/protocol.ts.
import type { ShadowEntryRow, SptSummary, TrackRow, TrapLogEntry, VgpuSummary } from '../../src/debug/protocol';

export const row = (o: Partial<TrackRow> = {}): TrackRow => {
  const gfn = o.gfn ?? 0x103;
  return { vgpu: 'vm1', gfn, gfnHex: '0x' + gfn.toString(16), handler: 'ppgtt', tracked: true, protected: true, stale: false, priv: 'spt PT mfn 0x100007', hits: 0, changed: false, ...o };
};

export const spt = (o: Partial<SptSummary> = {}): SptSummary => ({
  vgpu: 'vm1', mfn: 0x100003, gfn: 0x103, level: 'PT', refcount: 1, tracked: true, oos: false, postShadow: 0, present: 2, mismatches: 0, pdeIps: false, ...o,
});

export const entry = (o: Partial<ShadowEntryRow> = {}): ShadowEntryRow => ({
  index: 1,
  guest: '0x801003',
  shadow: '0x200801003',
  guestFlags: ['P', 'RW'],
  shadowFlags: ['P', 'RW'],
  guestGfn: 0x801,
  shadowTarget: { kind: 'page', mfn: 0x200801, gfn: 0x801, pages: 1 },
  scratch: false,
  postShadow: false,
  oos: false,
  guestMemoryReference: 'vm1:gpa:0x103008',
  shadowMemoryReference: 'vm1:spt:0x100003+0x8',
  ...o,
});

export const trap = (o: Partial<TrapLogEntry> = {}): TrapLogEntry => ({ step: 12, line: 22, vgpu: 'vm1', gpa: 0x103010, gfn: 0x103, bytes: 8, record: 'tracked', ...o });

export const vgpu = (o: Partial<VgpuSummary> = {}): VgpuSummary => ({ name: 'vm1', traps: 0, failsafe: false, oos: false, registered: 0, tracked: 0, spts: 0, mms: 0, ...o });
