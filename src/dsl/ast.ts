// The syntax tree of a `.gvt` scenario: what the parser produces and the checker, interpreter,
// language server and debugger read. Positions are character offsets into the source (line and
// column are computed only at the edge, by LineMap). Of the simulation core it knows only the
// names a `kernel` and a `platform` line may give.

import type { Platform } from '../core/platform';
import type { KernelProfile } from '../core/profile';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Ident extends Span {
  readonly name: string;
}

// ---- expressions -------------------------------------------------------------------------

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';
export type UnaryOp = '-' | '~' | '!';

export type Expr =
  | { readonly kind: 'number'; readonly value: bigint; readonly span: Span }
  /** `-EEXIST` and friends: value is the negative errno. */
  | { readonly kind: 'errno'; readonly name: string; readonly value: bigint; readonly span: Span }
  | { readonly kind: 'name'; readonly ident: Ident; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span };

interface StringLit extends Span {
  /** The unescaped text. */
  readonly value: string;
}

export interface RangeExpr extends Span {
  readonly from: Expr;
  readonly to: Expr;
}

export type Width = 'u8' | 'u16' | 'u32' | 'u64';
export const WIDTH_BYTES: Record<Width, number> = { u8: 1, u16: 2, u32: 4, u64: 8 };

export type PageSize = '4K' | '64K' | '2M' | '1G';

// ---- statements --------------------------------------------------------------------------

interface StmtBase extends Span {
  /** Span of the statement keyword(s), e.g. `register` or `expect`: where hovers and errors point. */
  readonly keyword: Span;
}

type WriteData =
  | { readonly kind: 'value'; readonly width: Width; readonly value: Expr }
  | { readonly kind: 'bytes'; readonly bytes: readonly number[]; readonly span: Span };

export type TrackState = 'tracked' | 'untracked' | 'registered' | 'unregistered' | 'stale';

/** How the host backs a guest range (what pinning a 2M range finds). */
export type BackingName = 'huge' | 'contiguous' | 'scattered';
/** Kernel hazards a scenario can expect (the core's hazard kinds). */
export const HAZARD_NAMES = ['use-after-free', 'dangling-record', 'dma-leak', 'dma-remap', 'stale-shadow', 'undefined-behaviour', 'leak'] as const;
export type HazardName = (typeof HAZARD_NAMES)[number];

export type GpuOutcome =
  | { readonly kind: 'gfn'; readonly gfn: Expr }
  | { readonly kind: 'fault' }
  | { readonly kind: 'scratch' };

export type Stmt =
  | (StmtBase & { readonly kind: 'kernel'; readonly profile: KernelProfile })
  | (StmtBase & { readonly kind: 'vgpu'; readonly name: Ident; readonly memory?: Expr })
  | (StmtBase & { readonly kind: 'handler'; readonly name: Ident; readonly returns: Expr })
  | (StmtBase & { readonly kind: 'let'; readonly name: Ident; readonly value: Expr })
  | (StmtBase & { readonly kind: 'repeat'; readonly count: Expr; readonly as?: Ident; readonly body: readonly Stmt[]; readonly close?: Span })
  | (StmtBase & { readonly kind: 'register'; readonly vgpu: Ident; readonly gfn: Expr; readonly handler: Ident; readonly priv?: StringLit })
  | (StmtBase & { readonly kind: 'unregister' | 'enable' | 'disable' | 'find'; readonly vgpu: Ident; readonly gfn: Expr })
  | (StmtBase & { readonly kind: 'write'; readonly vgpu: Ident; readonly gpa: Expr; readonly data: WriteData })
  | (StmtBase & { readonly kind: 'read'; readonly vgpu: Ident; readonly gpa: Expr; readonly width: Width })
  /** Extension: `dispatch VGPU gpa GPA bytes N`: intel_vgpu_page_track_handler called directly. */
  | (StmtBase & { readonly kind: 'dispatch'; readonly vgpu: Ident; readonly gpa: Expr; readonly bytes: Expr })
  /** `root GFN` (4-level), or `pdps A B C D` (32-bit: root is pdps[0]). */
  | (StmtBase & { readonly kind: 'pagetable'; readonly vgpu: Ident; readonly root: Expr; readonly pdps?: readonly Expr[]; readonly pool: RangeExpr })
  | (StmtBase & { readonly kind: 'map'; readonly vgpu: Ident; readonly va: Expr; readonly gfn: Expr; readonly size: PageSize; readonly sizeSpan?: Span })
  | (StmtBase & { readonly kind: 'unmap'; readonly vgpu: Ident; readonly va: Expr })
  | (StmtBase & { readonly kind: 'shadow' | 'unshadow'; readonly vgpu: Ident; readonly root: Expr; readonly pdps?: readonly Expr[] })
  | (StmtBase & { readonly kind: 'submit' | 'failsafe' | 'reset' | 'attach' | 'detach'; readonly vgpu: Ident })
  | (StmtBase & { readonly kind: 'oos'; readonly vgpu: Ident; readonly on: boolean })
  /** Extension: `platform gen8|gen9|gen11`. */
  | (StmtBase & { readonly kind: 'platform'; readonly platform: Platform })
  /** Extension: `ips VGPU on|off`: the guest sets GAMW_ECO_DEV_RW_IA's 64K IPS field (read on Gen9). */
  | (StmtBase & { readonly kind: 'ips'; readonly vgpu: Ident; readonly on: boolean })
  /** Extension: `backing VGPU gfn A..B huge|contiguous|scattered`. */
  | (StmtBase & { readonly kind: 'backing'; readonly vgpu: Ident; readonly range: RangeExpr; readonly backing: BackingName })
  /** Extension: `memslot VGPU remove gfn A..B` (kvmgt_page_track_remove_region / flush_slot). */
  | (StmtBase & { readonly kind: 'memslotRemove'; readonly vgpu: Ident; readonly range: RangeExpr })
  | (StmtBase & { readonly kind: 'gpuRead'; readonly vgpu: Ident; readonly va: Expr })
  /** Extension: `print EXPR` puts a value in the trace. */
  | (StmtBase & { readonly kind: 'print'; readonly value: Expr })
  | (StmtBase & { readonly kind: 'expectRet'; readonly code: Expr })
  | (StmtBase & { readonly kind: 'expectTrap'; readonly negated: boolean })
  | (StmtBase & { readonly kind: 'expectTrack'; readonly vgpu: Ident; readonly gfn: Expr; readonly state: TrackState })
  | (StmtBase & { readonly kind: 'expectMem'; readonly vgpu: Ident; readonly gpa: Expr; readonly width: Width; readonly value: Expr })
  | (StmtBase & { readonly kind: 'expectGpu'; readonly vgpu: Ident; readonly va: Expr; readonly outcome: GpuOutcome })
  | (StmtBase & { readonly kind: 'expectTraps'; readonly vgpu: Ident; readonly count: Expr })
  /** Extension: `expect VGPU mm GFN refs == N` (0: no such mm). */
  | (StmtBase & { readonly kind: 'expectMm'; readonly vgpu: Ident; readonly root: Expr; readonly count: Expr })
  /** Extension: `expect VGPU dma gfn GFN [size 4K|2M] refs == N` (0: not mapped). */
  | (StmtBase & { readonly kind: 'expectDma'; readonly vgpu: Ident; readonly gfn: Expr; readonly size?: '4K' | '2M'; readonly count: Expr })
  /** Extension: `expect hazard [KIND]` / `expect no hazard`: the last statement raised (no) kernel hazard. */
  | (StmtBase & { readonly kind: 'expectHazard'; readonly negated: boolean; readonly hazard?: HazardName });

export type StmtKind = Stmt['kind'];

export interface Program {
  readonly statements: readonly Stmt[];
}
