// One statement of docs/language.md (its core statements plus the extensions: `memslot VGPU remove gfn A..B`,
// `attach`, `detach`, `print`), from its keyword to just before the end of its line. `repeat`,
// which owns a block, is parser.ts's. Each parser returns the statement or undefined after one
// error; the definitions (`vgpu`, `handler`, `let`) are kept once their name parsed, with a
// missing expression in place of a broken one, so one typo does not make every later use of the
// name an "unknown" error too.

import { PLATFORMS } from '../core/platform';
import { PROFILES } from '../core/profile';
import { HAZARD_NAMES, type BackingName, type Expr, type GpuOutcome, type HazardName, type Ident, type PageSize, type Span, type Stmt, type TrackState, type Width } from './ast';
import { missingExpr, parseExpression, parseRange } from './parseExpression';
import type { Keyword } from './statementSpec';
import type { TokenCursor } from './tokenCursor';

/** `kw` is the keyword's span (it becomes the statement's `keyword`), `word` its text. */
type StatementParser = (c: TokenCursor, kw: Span, word: string) => Stmt | undefined;

const WIDTHS: readonly Width[] = ['u8', 'u16', 'u32', 'u64'];
const TRACK_STATES: readonly TrackState[] = ['tracked', 'untracked', 'registered', 'unregistered', 'stale'];
const BACKINGS: readonly BackingName[] = ['huge', 'contiguous', 'scattered'];
const PAGE_SIZES: ReadonlyMap<bigint, PageSize> = new Map([
  [0x1000n, '4K'],
  [0x10000n, '64K'],
  [0x200000n, '2M'],
  [0x40000000n, '1G'],
]);

const vgpuName = (c: TokenCursor): Ident | undefined => c.ident('a vGPU name');

/** `WORD EXPR`, e.g. `gfn 0x100`. */
function clause(c: TokenCursor, word: string): Expr | undefined {
  return c.word(word) && parseExpression(c);
}

/** The expression after a definition's name, or a missing one (the error is already reported). */
function definitionValue(c: TokenCursor, expr: Expr | undefined): Expr {
  return expr ?? missingExpr(c.start);
}

function vgpuStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const name = c.ident('a vGPU name');
  if (!name) return undefined;
  let memory: Expr | undefined;
  if (!c.atLineEnd()) memory = definitionValue(c, clause(c, 'memory'));
  return { kind: 'vgpu', name, memory, start: kw.start, end: c.lastEnd, keyword: kw };
}

function handlerStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const name = c.ident('a handler name');
  if (!name) return undefined;
  const returns = definitionValue(c, clause(c, 'returns'));
  return { kind: 'handler', name, returns, start: kw.start, end: c.lastEnd, keyword: kw };
}

function letStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const name = c.ident('a name to bind');
  if (!name) return undefined;
  const value = definitionValue(c, c.punct('=') && parseExpression(c));
  return { kind: 'let', name, value, start: kw.start, end: c.lastEnd, keyword: kw };
}

function kernelStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const profile = c.oneOf(PROFILES, 'a kernel profile');
  return profile && { kind: 'kernel', profile, start: kw.start, end: c.lastEnd, keyword: kw };
}

function registerStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const gfn = vgpu && clause(c, 'gfn');
  const handler = gfn && c.word('handler') && c.ident('a handler name');
  if (!vgpu || !gfn || !handler) return undefined;
  if (!c.atWord('priv')) return { kind: 'register', vgpu, gfn, handler, start: kw.start, end: c.lastEnd, keyword: kw };
  c.next();
  if (c.kind !== 'string') return c.error('unexpected-token', `expected a string after 'priv', found ${c.describe()}`);
  const priv = { value: c.tokenText, start: c.start, end: c.end };
  c.next();
  return { kind: 'register', vgpu, gfn, handler, priv, start: kw.start, end: c.lastEnd, keyword: kw };
}

function gfnStmt(c: TokenCursor, kw: Span, word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const gfn = vgpu && clause(c, 'gfn');
  if (!vgpu || !gfn) return undefined;
  return { kind: word as 'unregister' | 'enable' | 'disable' | 'find', vgpu, gfn, start: kw.start, end: c.lastEnd, keyword: kw };
}

/** `bytes HH HH ...`: each token's raw text must be two hex digits (`0a` scans as a number run, `ff` as a name). */
function hexBytes(c: TokenCursor): { bytes: number[]; span: Span } | undefined {
  const start = c.start;
  const bytes: number[] = [];
  while (!c.atLineEnd()) {
    const raw = c.raw();
    if ((c.kind !== 'number' && c.kind !== 'name') || !/^[0-9A-Fa-f]{2}$/.test(raw)) {
      return c.error('invalid-hex-byte', `expected a byte as two hex digits (like 0a or ff), found ${c.describe()}`);
    }
    bytes.push(parseInt(raw, 16));
    c.next();
  }
  if (bytes.length === 0) return c.error('invalid-hex-byte', `expected at least one byte (two hex digits, like 0a) after 'bytes'`);
  return { bytes, span: { start, end: c.lastEnd } };
}

function writeStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const gpa = vgpu && clause(c, 'gpa');
  if (!vgpu || !gpa) return undefined;
  if (c.eatWord('bytes')) {
    const b = hexBytes(c);
    return b && { kind: 'write', vgpu, gpa, data: { kind: 'bytes', bytes: b.bytes, span: b.span }, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  const width = c.oneOf([...WIDTHS, 'bytes'], 'a width or bytes') as Width | undefined;
  const value = width && parseExpression(c);
  return value && { kind: 'write', vgpu, gpa, data: { kind: 'value', width: width!, value }, start: kw.start, end: c.lastEnd, keyword: kw };
}

function readStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const gpa = vgpu && clause(c, 'gpa');
  const width = gpa && c.oneOf(WIDTHS, 'a width');
  return vgpu && gpa && width && { kind: 'read', vgpu, gpa, width, start: kw.start, end: c.lastEnd, keyword: kw };
}

/** `pdps A B C D`: the four root pointers of a 32-bit PPGTT (0 = none). */
function pdpList(c: TokenCursor): Expr[] | undefined {
  const out: Expr[] = [];
  for (let i = 0; i < 4; i++) {
    const e = parseExpression(c);
    if (!e) return undefined;
    out.push(e);
  }
  return out;
}

/** `root GFN` or `pdps A B C D`. */
function roots(c: TokenCursor): { root: Expr; pdps?: Expr[] } | undefined {
  if (c.eatWord('pdps')) {
    const pdps = pdpList(c);
    return pdps && { root: pdps[0], pdps };
  }
  const root = clause(c, 'root');
  return root && { root };
}

function dispatchStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const gpa = vgpu && clause(c, 'gpa');
  const bytes = gpa && clause(c, 'bytes');
  return vgpu && gpa && bytes && { kind: 'dispatch', vgpu, gpa, bytes, start: kw.start, end: c.lastEnd, keyword: kw };
}

function pagetableStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const r = vgpu && roots(c);
  const pool = r && c.word('pool') && parseRange(c);
  return vgpu && r && pool && { kind: 'pagetable', vgpu, ...r, pool, start: kw.start, end: c.lastEnd, keyword: kw };
}

function mapStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const va = vgpu && clause(c, 'va');
  const gfn = va && clause(c, 'gfn');
  if (!vgpu || !va || !gfn) return undefined;
  if (!c.eatWord('size')) return { kind: 'map', vgpu, va, gfn, size: '4K', start: kw.start, end: c.lastEnd, keyword: kw };
  const value = c.value;
  const size = c.kind === 'number' && value !== undefined ? PAGE_SIZES.get(value) : undefined;
  if (!size) return c.error('invalid-page-size', `expected a page size (4K, 64K, 2M or 1G), found ${c.describe()}`);
  const sizeSpan = c.span();
  c.next();
  return { kind: 'map', vgpu, va, gfn, size, sizeSpan, start: kw.start, end: c.lastEnd, keyword: kw };
}

function unmapStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const va = vgpu && clause(c, 'va');
  return vgpu && va && { kind: 'unmap', vgpu, va, start: kw.start, end: c.lastEnd, keyword: kw };
}

function shadowStmt(c: TokenCursor, kw: Span, word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const r = vgpu && roots(c);
  return vgpu && r && { kind: word as 'shadow' | 'unshadow', vgpu, ...r, start: kw.start, end: c.lastEnd, keyword: kw };
}

function platformStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const platform = c.oneOf(PLATFORMS, 'a platform (gen8, gen9 or gen11)');
  return platform && { kind: 'platform', platform, start: kw.start, end: c.lastEnd, keyword: kw };
}

/** `oos VGPU on|off` and `ips VGPU on|off`: a per-vGPU switch. */
function switchStmt(c: TokenCursor, kw: Span, word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const onOff = vgpu && c.oneOf(['on', 'off'] as const, 'on or off');
  return vgpu && onOff && { kind: word as 'oos' | 'ips', vgpu, on: onOff === 'on', start: kw.start, end: c.lastEnd, keyword: kw };
}

function backingStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const range = vgpu && c.word('gfn') && parseRange(c);
  const backing = range && c.oneOf(BACKINGS, 'a backing (huge, contiguous or scattered)');
  return vgpu && range && backing && { kind: 'backing', vgpu, range, backing, start: kw.start, end: c.lastEnd, keyword: kw };
}

function vgpuOnlyStmt(c: TokenCursor, kw: Span, word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  return vgpu && { kind: word as 'submit' | 'failsafe' | 'reset' | 'attach' | 'detach', vgpu, start: kw.start, end: c.lastEnd, keyword: kw };
}

function memslotStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const range = vgpu && c.word('remove') && c.word('gfn') && parseRange(c);
  return vgpu && range && { kind: 'memslotRemove', vgpu, range, start: kw.start, end: c.lastEnd, keyword: kw };
}

function gpuStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const vgpu = vgpuName(c);
  const va = vgpu && c.word('read') && clause(c, 'va');
  return vgpu && va && { kind: 'gpuRead', vgpu, va, start: kw.start, end: c.lastEnd, keyword: kw };
}

function printStmt(c: TokenCursor, kw: Span, _word: string): Stmt | undefined {
  const value = parseExpression(c);
  return value && { kind: 'print', value, start: kw.start, end: c.lastEnd, keyword: kw };
}

const isEndKind = (k: string): boolean => k === 'newline' || k === 'eof' || k === '}';

/** `expect ...`: the form is told apart by one or two words of lookahead, so `ret`, `trap` and `gpu` can still name vGPUs. */
function expectStmt(c: TokenCursor, kw: Span): Stmt | undefined {
  if (c.atWord('ret') && c.peekKind(1) === '==') {
    c.next();
    c.next();
    const code = parseExpression(c);
    return code && { kind: 'expectRet', code, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (c.atWord('trap') && isEndKind(c.peekKind(1))) {
    c.next();
    return { kind: 'expectTrap', negated: false, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (c.atWord('no') && c.peekIsWord(1, 'trap')) {
    c.next();
    c.next();
    return { kind: 'expectTrap', negated: true, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (c.atWord('hazard') && (isEndKind(c.peekKind(1)) || (c.peekKind(1) === 'name' && isEndKind(c.peekKind(2))))) {
    c.next();
    if (isEndKind(c.kind)) return { kind: 'expectHazard', negated: false, start: kw.start, end: c.lastEnd, keyword: kw };
    const hazard = c.oneOf(HAZARD_NAMES, 'a hazard kind') as HazardName | undefined;
    return hazard && { kind: 'expectHazard', negated: false, hazard, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (c.atWord('no') && c.peekIsWord(1, 'hazard')) {
    c.next();
    c.next();
    return { kind: 'expectHazard', negated: true, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (c.atWord('gpu') && c.peekKind(1) === 'name' && c.peekIsWord(2, 'va')) {
    c.next();
    return expectGpu(c, kw);
  }
  if (c.kind !== 'name') {
    return c.error('unexpected-token', `expected 'ret ==', 'trap', 'no trap', 'hazard', 'no hazard', 'gpu' or a vGPU name after 'expect', found ${c.describe()}`);
  }
  const vgpu = vgpuName(c)!;
  const what = c.oneOf(['gfn', 'gpa', 'traps', 'mm', 'dma'] as const, 'what to expect');
  if (what === 'mm') {
    const root = parseExpression(c);
    const count = root && c.word('refs') && c.punct('==') && parseExpression(c);
    return root && count && { kind: 'expectMm', vgpu, root, count, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (what === 'dma') {
    const gfn = clause(c, 'gfn');
    if (!gfn) return undefined;
    let size: '4K' | '2M' | undefined;
    if (c.eatWord('size')) {
      const v = c.value;
      const kind: string = c.kind;
      const ps = kind === 'number' && v !== undefined ? PAGE_SIZES.get(v) : undefined;
      if (ps !== '4K' && ps !== '2M') return c.error('invalid-page-size', `expected a DMA mapping size (4K or 2M), found ${c.describe()}`);
      size = ps;
      c.next();
    }
    const count = c.word('refs') && c.punct('==') && parseExpression(c);
    return count && { kind: 'expectDma', vgpu, gfn, size, count, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (what === 'gfn') {
    const gfn = parseExpression(c);
    const state = gfn && c.oneOf(TRACK_STATES, 'a track state');
    return gfn && state && { kind: 'expectTrack', vgpu, gfn, state, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (what === 'gpa') {
    const gpa = parseExpression(c);
    const width = gpa && c.oneOf(WIDTHS, 'a width');
    const value = width && c.punct('==') && parseExpression(c);
    return gpa && width && value && { kind: 'expectMem', vgpu, gpa, width, value, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  if (what === 'traps') {
    const count = c.punct('==') && parseExpression(c);
    return count && { kind: 'expectTraps', vgpu, count, start: kw.start, end: c.lastEnd, keyword: kw };
  }
  return undefined;
}

function expectGpu(c: TokenCursor, kw: Span): Stmt | undefined {
  const vgpu = vgpuName(c);
  const va = vgpu && clause(c, 'va');
  if (!vgpu || !va) return undefined;
  let outcome: GpuOutcome | undefined;
  if (c.at('->')) {
    c.next();
    const gfn = clause(c, 'gfn');
    outcome = gfn && { kind: 'gfn', gfn };
  } else {
    const o = c.oneOf(['fault', 'scratch'] as const, "'-> gfn GFN', 'fault' or 'scratch'");
    outcome = o && { kind: o };
  }
  return outcome && { kind: 'expectGpu', vgpu, va, outcome, start: kw.start, end: c.lastEnd, keyword: kw };
}

/** Statement parsers by keyword (`repeat` is parser.ts's: it owns a block). */
export const STATEMENT_PARSERS: Readonly<Record<Exclude<Keyword, 'repeat'>, StatementParser>> = {
  kernel: kernelStmt,
  vgpu: vgpuStmt,
  handler: handlerStmt,
  let: letStmt,
  register: registerStmt,
  unregister: gfnStmt,
  enable: gfnStmt,
  disable: gfnStmt,
  find: gfnStmt,
  write: writeStmt,
  read: readStmt,
  dispatch: dispatchStmt,
  pagetable: pagetableStmt,
  map: mapStmt,
  unmap: unmapStmt,
  shadow: shadowStmt,
  unshadow: shadowStmt,
  submit: vgpuOnlyStmt,
  failsafe: vgpuOnlyStmt,
  reset: vgpuOnlyStmt,
  attach: vgpuOnlyStmt,
  detach: vgpuOnlyStmt,
  oos: switchStmt,
  platform: platformStmt,
  ips: switchStmt,
  backing: backingStmt,
  memslot: memslotStmt,
  gpu: gpuStmt,
  print: printStmt,
  expect: expectStmt,
};
