// Every message of the GVT debug adapter beyond standard DAP, declared once and typed: the launch
// arguments, the custom requests the extension sends (`gvt/trackTable`, `gvt/shadowTables`,
// `gvt/trapLog`, `gvt/history`, `gvt/why`, `gvt/exportTrace`, `gvt/exportScenario`), the custom event `gvt/stateChanged`, and the formats of
// memory references and data-breakpoint ids. The extension imports this file with `import type`
// only, so it must stay free of runtime dependencies (constants here are plain literals).

import type { DebugProtocol } from '@vscode/debugprotocol';

// ---- launch ---------------------------------------------------------------------------------

export type KernelProfileName = 'newest' | 'legacy';

/** What the trace in the Debug Console shows: as the CLI (`trace`), with kernel frames (`frames`), or only failures (`quiet`). */
export type TraceOutputMode = 'trace' | 'frames' | 'quiet';

export interface GvtLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Path of the `.gvt` scenario. */
  program: string;
  /** Stop before the first statement. */
  stopOnEntry?: boolean;
  /** Override the scenario's `kernel` line. */
  kernel?: KernelProfileName;
  /** Override the scenario's `platform` lines (`gen8`, `gen9`, `gen11`). */
  platform?: 'gen8' | 'gen9' | 'gen11';
  /** Raise or lower what a run may consume (docs/limits.md): statements, vgpus, guestPages, hostTables, trackRecords, outputLines, fileBytes, historyMiB. */
  limits?: { statements?: number; vgpus?: number; guestPages?: number; hostTables?: number; trackRecords?: number; outputLines?: number; fileBytes?: number; historyMiB?: number };
  /** Run to the end without stopping (breakpoints and exception filters are ignored). */
  noDebug?: boolean;
  /** Log every Debug Adapter Protocol message to the Debug Console. */
  trace?: boolean;
  /** What the Debug Console shows of the scenario's trace (default `trace`). */
  output?: TraceOutputMode;
  /** Stop at the end of the scenario instead of terminating, so it can still be stepped back. */
  stopAtEnd?: boolean;
}

// ---- custom requests and events ---------------------------------------------------------------

export const GvtRequest = {
  trackTable: 'gvt/trackTable',
  shadowTables: 'gvt/shadowTables',
  trapLog: 'gvt/trapLog',
  history: 'gvt/history',
  why: 'gvt/why',
  exportTrace: 'gvt/exportTrace',
  exportScenario: 'gvt/exportScenario',
} as const;

export const GvtEvent = {
  stateChanged: 'gvt/stateChanged',
} as const;

/** gvt/trackTable: the page-track records (one row per vGPU and gfn, gfn order), paged. */
export interface TrackTableArguments {
  /** Only this vGPU (default: all, in creation order). */
  vgpu?: string;
  /** First row of the page (default 0). */
  start?: number;
  /** Rows in the page (default 500, at most 10000). */
  count?: number;
  /** Only gfns in gfnFrom..gfnTo (inclusive). */
  gfnFrom?: number;
  gfnTo?: number;
}

export interface TrackRow {
  vgpu: string;
  gfn: number;
  /** `0x103` */
  gfnHex: string;
  handler: string;
  /** The record's `tracked` flag (as the kernel keeps it; may be stale, see `protected`). */
  tracked: boolean;
  /** KVMGT really write-protects the gfn (it is in the protect table). */
  protected: boolean;
  /** `tracked` but not protected: stores no longer trap and enable returns 0 without protecting. */
  stale: boolean;
  /** The record's priv: for `ppgtt` records the spt (`spt PT mfn 0x100007`), else the scenario's string. */
  priv: string;
  /** Calls of the handler through the dispatcher. */
  hits: number;
  /** Added or changed by the last step (or since the previous stop). */
  changed: boolean;
  /** 1-based scenario line of the statement that registered the record (a `register`, or the `shadow`/write that made an spt). */
  line?: number;
}

export interface TrackTableBody {
  /** Statements executed so far: the timeline position the data belongs to. */
  step: number;
  /** Every vGPU, in creation order. */
  vgpus: string[];
  /** Rows matching the filter (all pages). */
  total: number;
  start: number;
  rows: TrackRow[];
  /** Records that existed at the previous stop and are gone now. */
  removed: Array<{ vgpu: string; gfn: number }>;
}

/** gvt/shadowTables: without `mfn`, the overview (mms and their root spts); with `mfn`, one spt's entries. */
export interface ShadowTablesArguments {
  vgpu?: string;
  /** Host frame of the spt to expand (an SptSummary.mfn). */
  mfn?: number;
}

export type SptLevel = 'PML4' | 'PDP' | 'PD' | 'PT';

export interface SptSummary {
  vgpu: string;
  mfn: number;
  /** The guest page-table page it mirrors; 0 for the sub-table of a split 2M entry. */
  gfn: number;
  level: SptLevel;
  refcount: number;
  /** Its page-track record is tracked (write-protected). */
  tracked: boolean;
  /** Out of sync (OOS page attached, protection off). */
  oos: boolean;
  /** Entries waiting for the post-shadow flush. */
  postShadow: number;
  /** Present shadow entries. */
  present: number;
  /** Entries whose shadow disagrees with the guest. */
  mismatches: number;
  /** A 64K-entry page (its parent PDE has IPS). */
  pdeIps: boolean;
}

export interface PpgttMmNode {
  vgpu: string;
  /** The PML4's gfn (4-level), or pdps[0] (32-bit). */
  rootGfn: number;
  /** `L4`: 4-level (48-bit); `L3`: 32-bit, four root pointers each naming a page directory. */
  rootType: 'L4' | 'L3';
  /** The guest root pointers: [PML4] or the four page directories (0 = none). */
  pdps: number[];
  shadowed: boolean;
  /** The mm the GPU walks. */
  active: boolean;
  pincount: number;
  /** The kref: CREATE notifications take one, DESTROY and reset drop one; released at 0. */
  refs: number;
  /** The root spt (the shadow PML4, or the first page directory of a 32-bit PPGTT), when shadowed. */
  root?: SptSummary;
  /** Every shadowed root's spt (one for L4; up to four for L3). */
  roots: SptSummary[];
}

/** One entry of kvmgt's DMA cache (one per gfn). */
export interface DmaMappingRow {
  gfn: number;
  /** 1 (4K) or 512 (2M). */
  pages: number;
  /** The host frame / DMA address. */
  mfn: number;
  refs: number;
}

export interface VgpuShadowTables {
  vgpu: string;
  mms: PpgttMmNode[];
  /** All spts allocated. */
  sptCount: number;
  /** spts no mm reaches (leaked by a failed populate, or the gfn-0 surprise). */
  unreachable: SptSummary[];
  /** spts queued for the post-shadow flush, in list order. */
  postShadowQueue: number[];
  /** kvmgt's DMA cache, by gfn (at most 2,000 rows; `dmaTotal` counts all). */
  dma: DmaMappingRow[];
  dmaTotal: number;
  /** Whether a PDE's IPS bit counts on this vGPU (platform, and Gen9's GAMW register). */
  ipsEnabled: boolean;
  /** Whether kvmgt's notifier is registered (attach/detach). */
  attached: boolean;
}

export type EntryTarget =
  | { kind: 'none' }
  | { kind: 'table'; mfn: number; gfn: number }
  | { kind: 'page'; mfn: number; gfn?: number; pages: number }
  | { kind: 'scratch'; mfn: number };

export interface ShadowEntryRow {
  index: number;
  /** The guest entry (hex, 64-bit), read from guest memory. */
  guest: string;
  /** The shadow entry (hex, 64-bit), what the GPU walks. */
  shadow: string;
  guestFlags: string[];
  shadowFlags: string[];
  /** Where the guest entry points (gfn), if present. */
  guestGfn?: number;
  shadowTarget: EntryTarget;
  /** The shadow entry points at a scratch table/page. */
  scratch: boolean;
  /** Why guest and shadow disagree, if they do. */
  mismatch?: string;
  /** A 4-byte write to this index waits for the post-shadow flush. */
  postShadow: boolean;
  /** The page is out of sync: its guest entries may be ahead of the shadow. */
  oos: boolean;
  /** The child spt, for a table-pointing entry (expand it with gvt/shadowTables {mfn}). */
  child?: SptSummary;
  /** memoryReference of the guest entry (8 bytes). */
  guestMemoryReference: string;
  /** memoryReference of the shadow entry (8 bytes). */
  shadowMemoryReference: string;
}

export interface SptDetail {
  spt: SptSummary;
  /** Non-empty entries (guest or shadow non-zero), index order. */
  entries: ShadowEntryRow[];
}

export interface ShadowTablesBody {
  step: number;
  vgpus: VgpuShadowTables[];
  /** Present when `mfn` was given. */
  table?: SptDetail;
}

/** gvt/trapLog: the most recent trapped stores up to the current position. */
export interface TrapLogArguments {
  vgpu?: string;
  /** How many of the most recent entries (default 200, at most the log size 2000). */
  last?: number;
}

export interface TrapLogEntry {
  /** The statement's timeline position (0-based count of statements before it). */
  step: number;
  /** 1-based line of the statement. */
  line: number;
  vgpu: string;
  gpa: number;
  gfn: number;
  bytes: number;
  /** The page-track record when the store trapped. */
  record: 'tracked' | 'untracked' | 'none';
  /** The record's handler (absent when there was no record). */
  handler?: string;
  /** What the dispatcher returned (kvmgt drops it): 0 or -errno. */
  result?: number;
  /** The same, by name (`-EFAULT`). */
  resultText?: string;
}

export interface TrapLogBody {
  step: number;
  /** Traps so far, all vGPUs (exact, from the vGPUs' counters). */
  total: number;
  entries: TrapLogEntry[];
}

export interface VgpuSummary {
  name: string;
  traps: number;
  failsafe: boolean;
  oos: boolean;
  registered: number;
  tracked: number;
  spts: number;
  mms: number;
}

/** gvt/stateChanged: sent after every stop (and after REPL statements, writeMemory, setVariable). */
export interface StateChangedEventBody {
  /** Why: a DAP stop reason, or `edit` after a change made while stopped. */
  reason: string;
  step: number;
  /** 1-based line of the scenario frame. */
  line?: number;
  /** Stopped inside a kernel call (the data is the state at that point of the statement). */
  inKernel: boolean;
  vgpus: VgpuSummary[];
  /** Page-track rows changed since the previous stop. */
  changed: Array<{ vgpu: string; gfn: number }>;
}

/** What a history question is about (docs/answers.md). */
export type HistorySubject =
  | { kind: 'gfn'; gfn: number }
  | { kind: 'gpa'; gpa: number }
  | { kind: 'spt'; gfn: number; index?: number }
  /** kvmgt's DMA mappings of the gfn: map, unmap, failed pins. */
  | { kind: 'dma'; gfn: number }
  | { kind: 'vgpu' };

/** gvt/history: every step of the recorded run that changed the subject or trapped on it, oldest first. */
export interface HistoryArguments {
  /** Default: the vGPU of the statement shown, else the first. */
  vgpu?: string;
  subject: HistorySubject;
  /** Only steps in fromStep..toStep (inclusive). */
  fromStep?: number;
  toStep?: number;
  /** Rows at most (default 200, 2 to 5000, whole): the oldest 20 (half, if fewer) and the newest rest, the others counted in `omitted`. */
  limit?: number;
}

export interface HistoryEntryRow {
  /** The statement's timeline position (`goto` it to travel there). */
  step: number;
  /** 1-based line of the statement; 0 for a change made while stopped (see `edit`). */
  line: number;
  /** A change made while stopped at this step: what it was. */
  edit?: string;
  /** The kernel function that made the change (absent: the scenario statement itself). */
  fn?: string;
  what: string;
  before: string;
  after: string;
  /** After the position shown (later in the recorded run). */
  later: boolean;
}

export interface HistoryBody {
  title: string;
  vgpu: string;
  /** The position shown. */
  step: number;
  /** Matching entries in the range (rows beyond `limit` are counted in `omitted`). */
  total: number;
  /** Steps before this are no longer indexed (the index's memory budget). */
  indexedFrom: number;
  entries: HistoryEntryRow[];
  /** Rows left out between the oldest and the newest shown; `at`: the index in `entries` of the first newer row. */
  omitted?: { count: number; fromStep: number; toStep: number; at: number };
  /** The answer as the Debug Console's `history` prints it (the views print it too). */
  text: string;
}

/** What a why question is about. */
export type WhySubject = { kind: 'gfn'; gfn: number } | { kind: 'spt'; gfn: number; index: number } | { kind: 'gpuVa'; va: number };

export interface WhyArguments {
  vgpu?: string;
  subject: WhySubject;
}

export interface WhyLink {
  /** The step of the cause (absent for a fact of the present state). */
  step?: number;
  /** 1-based line (0: a change made while stopped, or no step). */
  line: number;
  /** The kernel rule at this link, in words. */
  text: string;
  fn?: string;
}

export interface WhyBody {
  /** The present state, one sentence. */
  state: string;
  /** Causes, newest first. */
  chain: WhyLink[];
  step: number;
  vgpu: string;
  /** The answer as the Debug Console's `why` prints it (the views print it too). */
  text: string;
}

/** gvt/exportTrace: the recorded run (up to the position shown, or all it reached) as the CLI's JSON lines. */
export interface ExportTraceArguments {
  /** `here` (default): up to the position shown; `all`: up to the furthest position reached. */
  upTo?: 'here' | 'all';
}

export interface ExportTraceBody {
  /** JSON lines, one event each, as `gvt-scenario run --json` prints them. */
  text: string;
  lines: number;
  steps: number;
}

/** gvt/exportScenario: a self-contained scenario that reproduces the state at the position shown. */
export interface ExportScenarioBody {
  text: string;
  /** Statements written. */
  statements: number;
  step: number;
}

/** Typed view of the custom requests, for `session.customRequest(command, args)`. */
export interface GvtRequests {
  'gvt/trackTable': { arguments: TrackTableArguments; body: TrackTableBody };
  'gvt/shadowTables': { arguments: ShadowTablesArguments; body: ShadowTablesBody };
  'gvt/trapLog': { arguments: TrapLogArguments; body: TrapLogBody };
  'gvt/history': { arguments: HistoryArguments; body: HistoryBody };
  'gvt/why': { arguments: WhyArguments; body: WhyBody };
  'gvt/exportTrace': { arguments: ExportTraceArguments; body: ExportTraceBody };
  'gvt/exportScenario': { arguments: Record<string, never>; body: ExportScenarioBody };
}

// ---- memory references and data breakpoints ----------------------------------------------------

/**
 * memoryReference strings: `VGPU:gpa:0xADDR` (guest physical memory) and `VGPU:spt:0xMFN` (a host
 * shadow or scratch table page, 4096 bytes, offsets from its start).
 */
export type MemorySpace = 'gpa' | 'spt';


/** Exception-breakpoint filter ids. */
export type GvtExceptionFilter = 'expect-failed' | 'handler-error' | 'untracked-trap' | 'gpu-fault' | 'kernel-hazard';
