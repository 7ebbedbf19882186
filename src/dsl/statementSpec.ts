// What each statement kind is, stated once: the keyword that opens it, whether it is a guest store
// (its `ret` is the dispatcher's when it traps: the debugger's handler-error filter reads that),
// and whether it reports nothing of its own (the CLI still prints its line). The keyword tables
// of the parser, completion and the console are typed by `Keyword`, so a new kind's keyword that
// lacks a parser or a completion grammar fails to compile; docs/statement-spec.md says what else
// a new statement needs.

import type { StmtKind } from './ast';

interface KindSpec {
  readonly keyword: string;
  /** A guest store (or a direct dispatcher call): `ret` is the dispatcher's result when it trapped. */
  readonly stores?: true;
  /** Reports no event of its own. */
  readonly silent?: true;
}

const KIND_SPECS = {
  kernel: { keyword: 'kernel', silent: true },
  platform: { keyword: 'platform', silent: true },
  vgpu: { keyword: 'vgpu', silent: true },
  handler: { keyword: 'handler', silent: true },
  let: { keyword: 'let', silent: true },
  repeat: { keyword: 'repeat' },
  register: { keyword: 'register' },
  unregister: { keyword: 'unregister' },
  enable: { keyword: 'enable' },
  disable: { keyword: 'disable' },
  find: { keyword: 'find' },
  write: { keyword: 'write', stores: true },
  read: { keyword: 'read' },
  dispatch: { keyword: 'dispatch' },
  pagetable: { keyword: 'pagetable', stores: true },
  map: { keyword: 'map', stores: true },
  unmap: { keyword: 'unmap', stores: true },
  shadow: { keyword: 'shadow' },
  unshadow: { keyword: 'unshadow' },
  submit: { keyword: 'submit' },
  failsafe: { keyword: 'failsafe' },
  reset: { keyword: 'reset' },
  attach: { keyword: 'attach' },
  detach: { keyword: 'detach' },
  oos: { keyword: 'oos', silent: true },
  ips: { keyword: 'ips', silent: true },
  backing: { keyword: 'backing', silent: true },
  memslotRemove: { keyword: 'memslot' },
  gpuRead: { keyword: 'gpu' },
  print: { keyword: 'print' },
  expectRet: { keyword: 'expect' },
  expectTrap: { keyword: 'expect' },
  expectTrack: { keyword: 'expect' },
  expectMem: { keyword: 'expect' },
  expectGpu: { keyword: 'expect' },
  expectTraps: { keyword: 'expect' },
  expectMm: { keyword: 'expect' },
  expectDma: { keyword: 'expect' },
  expectHazard: { keyword: 'expect' },
} as const satisfies Record<StmtKind, KindSpec>;

/** Every statement keyword (`expect` opens several kinds; `repeat` is the parser's own). */
export type Keyword = (typeof KIND_SPECS)[StmtKind]['keyword'];

const SPECS: Readonly<Record<StmtKind, KindSpec>> = KIND_SPECS;

export const STATEMENT_KEYWORDS: readonly Keyword[] = [...new Set(Object.values(SPECS).map((s) => s.keyword as Keyword))];

export const isKeyword = (word: string): word is Keyword => (STATEMENT_KEYWORDS as readonly string[]).includes(word);

/** Guest stores: their `ret` is the dispatcher's result when they trapped. */
export const isStoreStatement = (kind: StmtKind): boolean => SPECS[kind].stores === true;

/** `expect` statements (every kind named expect…): they check the machine and change nothing. */
export const isExpect = (kind: StmtKind): boolean => kind.startsWith('expect');

/** Statements that report no event of their own. */
export const isSilent = (kind: StmtKind): boolean => SPECS[kind].silent === true;
