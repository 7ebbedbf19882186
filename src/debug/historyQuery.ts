// Questions over the history index: `history [VGPU] gfn GFN | gpa GPA | spt GFN [INDEX] | dma GFN | vgpu` as rows
// (step, line, kernel function, what happened, the value before and after), oldest first. A
// subject reads one or more keys, each through a filter of entry codes; long answers keep their
// first and last rows and count the rest, so a key with a million entries costs one pass over
// its typed array (the meta words) and a few hundred decoded rows.

import { errnoName, gpaToGfn, hex, type Gpa } from '../core';
import { HAZARD_NAMES } from '../dsl/ast';
import { Bit, Code, SLOT_POST_SHADOW, entryOfGpa, slotIndex, slotKey, type HistoryEntry, type HistoryIndex, type KeyKind } from './historyIndex';
import type { HistoryBody, HistoryEntryRow, HistorySubject } from './protocol';

/** Rows kept at the head of a long answer (the rest of the limit goes to its tail). */
const HEAD = 20;
const DEFAULT_HISTORY_LIMIT = 200;
const MAX_HISTORY_LIMIT = 5000;

interface Source {
  kind: KeyKind;
  key: number;
  keep: (code: Code) => boolean;
}

const PAGE_CODES = new Set<Code>([Code.Registered, Code.Unregistered, Code.Tracked, Code.Untracked, Code.ProtectOn, Code.ProtectOff, Code.SptAlloc, Code.SptFree, Code.SptRef, Code.SptUnref, Code.DmaMap, Code.DmaUnmap, Code.DmaFail, Code.OutOfSync, Code.Synced]);
const SPT_PAGE_CODES = new Set<Code>([Code.SptAlloc, Code.SptFree, Code.SptRef, Code.SptUnref, Code.OutOfSync, Code.Synced, Code.ProtectOn, Code.ProtectOff]);
const SHADOW_CODES = new Set<Code>([Code.ShadowEntry, Code.PostShadowSet, Code.PostShadowClear]);
const DMA_CODES = new Set<Code>([Code.DmaMap, Code.DmaUnmap, Code.DmaFail]);
const all = (): boolean => true;

function sources(index: HistoryIndex, vgpu: string, s: HistorySubject): Source[] {
  switch (s.kind) {
    case 'gfn':
      return [{ kind: 'gfn', key: s.gfn, keep: all }];
    case 'gpa': {
      const g = gpaToGfn(s.gpa as Gpa);
      return [
        { kind: 'gfn', key: g, keep: (c) => PAGE_CODES.has(c) },
        { kind: 'slot', key: slotKey(g, entryOfGpa(s.gpa)), keep: all },
      ];
    }
    case 'spt':
      if (s.index !== undefined) return [{ kind: 'gfn', key: s.gfn, keep: (c) => SPT_PAGE_CODES.has(c) }, { kind: 'slot', key: slotKey(s.gfn, s.index), keep: all }];
      return [{ kind: 'gfn', key: s.gfn, keep: (c) => SPT_PAGE_CODES.has(c) }, ...index.keysIn(vgpu, 'slot', slotKey(s.gfn, 0), slotKey(s.gfn, 511)).map((key): Source => ({ kind: 'slot', key, keep: (c) => SHADOW_CODES.has(c) }))];
    case 'dma':
      return [{ kind: 'gfn', key: s.gfn, keep: (c) => DMA_CODES.has(c) }];
    case 'vgpu':
      return [{ kind: 'vgpu', key: 0, keep: all }];
  }
}

function subjectTitle(vgpu: string, s: HistorySubject): string {
  switch (s.kind) {
    case 'gfn':
      return `${vgpu} gfn ${hex(s.gfn)}`;
    case 'gpa':
      return `${vgpu} gpa ${hex(s.gpa)} (gfn ${hex(gpaToGfn(s.gpa as Gpa))} entry ${entryOfGpa(s.gpa)})`;
    case 'spt':
      return s.index === undefined ? `${vgpu} spt of gfn ${hex(s.gfn)}` : `${vgpu} spt of gfn ${hex(s.gfn)} entry ${s.index}`;
    case 'dma':
      return `${vgpu} dma mappings of gfn ${hex(s.gfn)}`;
    case 'vgpu':
      return `${vgpu} (failsafe, attach, mm, hazards)`;
  }
}

export interface HistoryQuery {
  vgpu: string;
  subject: HistorySubject;
  fromStep?: number;
  toStep?: number;
  limit?: number;
}

/** A decoded entry with the key it came from (for values before it). */
interface Found {
  e: HistoryEntry;
  kind: KeyKind;
  key: number;
  i: number;
}

/** The answer, oldest first; `here` is the position shown (rows after it are marked `later`). */
export function history(index: HistoryIndex, q: HistoryQuery, here: number, describeEdit: (step: number) => string | undefined): Omit<HistoryBody, 'text'> {
  // At least one row each side of the omitted ones; a whole number.
  const limit = Math.floor(Math.min(MAX_HISTORY_LIMIT, Math.max(2, q.limit ?? DEFAULT_HISTORY_LIMIT)));
  const from = q.fromStep ?? 0;
  const to = q.toStep ?? Infinity;
  const matched: Array<{ src: Source; idx: Int32Array }> = [];
  let total = 0;
  for (const src of sources(index, q.vgpu, q.subject)) {
    const idx = index.matching(q.vgpu, src.kind, src.key, from, to, src.keep);
    if (idx.length === 0) continue;
    matched.push({ src, idx });
    total += idx.length;
  }
  const decode = (m: { src: Source; idx: Int32Array }, j: number): Found => ({ e: index.entryAt(q.vgpu, m.src.kind, m.src.key, m.idx[j]), kind: m.src.kind, key: m.src.key, i: m.idx[j] });
  const byOrder = (x: Found, y: Found): number => x.e.seq - y.e.seq;
  let rows: Found[];
  let omitted: HistoryBody['omitted'];
  if (total <= limit) {
    rows = matched.flatMap((m) => [...m.idx.keys()].map((j) => decode(m, j))).sort(byOrder);
  } else {
    const headN = Math.min(HEAD, limit >> 1);
    const tailN = limit - headN;
    const head = matched.flatMap((m) => [...Array(Math.min(headN, m.idx.length)).keys()].map((j) => decode(m, j))).sort(byOrder).slice(0, headN);
    const tail = matched.flatMap((m) => [...Array(Math.min(tailN, m.idx.length)).keys()].map((j) => decode(m, m.idx.length - 1 - j))).sort(byOrder).slice(-tailN);
    omitted = { count: total - head.length - tail.length, fromStep: head[head.length - 1].e.step, toStep: tail[0].e.step, at: head.length };
    rows = [...head, ...tail];
  }
  return {
    title: subjectTitle(q.vgpu, q.subject),
    vgpu: q.vgpu,
    step: here,
    total,
    indexedFrom: index.indexedFrom,
    entries: rows.map((f) => row(index, q.vgpu, f, here, describeEdit)),
    ...(omitted ? { omitted } : {}),
  };
}

function row(index: HistoryIndex, vgpu: string, f: Found, here: number, describeEdit: (step: number) => string | undefined): HistoryEntryRow {
  const e = f.e;
  const { what, before, after } = describe(index, vgpu, f);
  const r: HistoryEntryRow = { step: e.step, line: e.line + 1, what, before, after, later: e.step > here || (e.step === here && !e.edit) };
  if (e.fn) r.fn = e.fn;
  if (e.edit) r.edit = describeEdit(e.step) ?? 'a change made while stopped';
  return r;
}

const STATE_NAMES: Array<[number, string]> = [[Bit.registered, 'registered'], [Bit.tracked, 'tracked'], [Bit.protected, 'write-protected'], [Bit.shadowed, 'shadowed'], [Bit.oos, 'out of sync'], [Bit.dma, 'dma-mapped']];

export function stateText(bits: number): string {
  const names = STATE_NAMES.filter(([b]) => bits & b).map(([, n]) => n);
  if ((bits & (Bit.tracked | Bit.protected)) === Bit.tracked) names.push('STALE');
  return names.length ? names.join(', ') : 'no record';
}

const value = (e: HistoryEntry): bigint => (BigInt(e.b) << 32n) | BigInt(e.a);

/** The value of the same kind before entry `i` of a slot key ('?' when it was thinned away). */
function previousValue(index: HistoryIndex, vgpu: string, f: Found, codes: readonly Code[]): string {
  const p = index.previous(vgpu, f.kind, f.key, f.i, codes);
  if (p) return hex(value(p));
  return index.indexedFrom > 0 ? '? (older steps thinned)' : '0x0';
}

/** The dispatcher's result a trap entry carries. */
function trapRet(e: HistoryEntry): string {
  const neg = (e.b >>> 16) & 0xfff;
  return neg ? `ret ${errnoName(-neg)}` : 'ret 0';
}

/** What a page-state event says (its before and after are the page's state bits). */
const PAGE_EVENTS: Partial<Record<Code, (e: HistoryEntry) => string>> = {
  [Code.Registered]: () => 'page-track record registered',
  [Code.Unregistered]: () => 'page-track record unregistered',
  [Code.Tracked]: () => 'record marked tracked',
  [Code.Untracked]: () => 'record marked untracked',
  [Code.ProtectOn]: () => 'KVMGT write protection added',
  [Code.ProtectOff]: () => 'KVMGT write protection removed',
  [Code.Trap]: (e) => {
    const rec = ['tracked', 'untracked', 'no'][(e.b >>> 13) & 3] ?? '?';
    return `TRAP: ${e.b & 0x1fff}-byte store at offset ${hex(e.a)}, ${rec} record, ${trapRet(e)}`;
  },
  [Code.UntrappedStore]: (e) => `${e.b}-byte store at offset ${hex(e.a)} NOT trapped (not write-protected)`,
  [Code.SptAlloc]: (e) => `spt allocated: mfn ${hex(e.a)}, refcount ${e.b}`,
  [Code.SptFree]: (e) => `spt freed: mfn ${hex(e.a)}`,
  [Code.SptRef]: (e) => `spt referenced: mfn ${hex(e.a)}, refcount ${e.b}`,
  [Code.SptUnref]: (e) => `spt dereferenced: mfn ${hex(e.a)}, refcount ${e.b}`,
  [Code.DmaMap]: (e) => `dma mapped to mfn ${hex(e.a)} (${e.b === 1 ? '4K' : `${e.b} pages`})`,
  [Code.DmaUnmap]: (e) => `dma unmapped (mfn ${hex(e.a)})`,
  [Code.DmaFail]: (e) => `dma map failed (${e.b} pages)`,
  [Code.OutOfSync]: () => 'page set out of sync (protection dropped)',
  [Code.Synced]: () => 'page synced (protection back)',
};

function describe(index: HistoryIndex, vgpu: string, f: Found): { what: string; before: string; after: string } {
  const e = f.e;
  const pageEvent = PAGE_EVENTS[e.code];
  if (pageEvent) return { what: pageEvent(e), before: stateText(e.before), after: stateText(e.after) };
  switch (e.code) {
    case Code.GuestStore:
    case Code.GuestStoreTrapped:
      return { what: `guest wrote entry ${slotIndex(f.key)}${e.code === Code.GuestStoreTrapped ? ' (trapped)' : ' (not trapped)'}`, before: previousValue(index, vgpu, f, [Code.GuestStore, Code.GuestStoreTrapped]), after: hex(value(e)) };
    case Code.ShadowEntry:
      return { what: `shadow entry ${slotIndex(f.key)} written`, before: previousValue(index, vgpu, f, [Code.ShadowEntry]), after: hex(value(e)) };
    case Code.PostShadowSet:
    case Code.PostShadowClear: {
      const q = (bits: number): string => (bits & SLOT_POST_SHADOW ? 'queued for post-shadow' : 'not queued');
      return { what: e.code === Code.PostShadowSet ? `entry ${slotIndex(f.key)} queued for the post-shadow flush (partial write)` : `entry ${slotIndex(f.key)} re-shadowed by the post-shadow flush`, before: q(e.before), after: q(e.after) };
    }
    case Code.FailsafeOn:
      return { what: 'vGPU entered failsafe', before: 'normal', after: 'failsafe' };
    case Code.FailsafeOff:
      return { what: 'vGPU left failsafe', before: 'failsafe', after: 'normal' };
    case Code.Attached:
      return { what: `kvmgt attached (${e.a} stale record(s))`, before: 'detached', after: 'attached' };
    case Code.Detached:
      return { what: `kvmgt detached (${e.a} protection(s) dropped)`, before: 'attached', after: 'detached' };
    case Code.MmCreated:
    case Code.MmShadowed:
    case Code.MmInvalidated:
    case Code.MmDestroyed: {
      const what = { [Code.MmCreated]: 'created', [Code.MmShadowed]: 'shadowed', [Code.MmInvalidated]: 'invalidated', [Code.MmDestroyed]: 'destroyed' }[e.code];
      return { what: `ppgtt mm of root gfn ${hex(e.a)} ${what}`, before: '', after: e.b ? `${e.b} reference(s)` : '' };
    }
    case Code.Hazard:
      return { what: `kernel hazard: ${HAZARD_NAMES[e.a] ?? '?'}`, before: '', after: '' };
    default:
      return { what: `(code ${e.code})`, before: '', after: '' };
  }
}


/** The console text of an answer: a header, then one line per row (`goto STEP` travels there). */
export function formatHistory(b: Omit<HistoryBody, 'text'>, file: string): string {
  const lines = [`history of ${b.title}: ${b.total} entr${b.total === 1 ? 'y' : 'ies'}${b.indexedFrom > 0 ? ` (indexed from step ${b.indexedFrom})` : ''}; you are at step ${b.step}; \`goto STEP\` travels`];
  if (b.total === 0) lines.push('  nothing changed it or trapped on it so far');
  let hereShown = false;
  b.entries.forEach((r, i) => {
    if (!hereShown && r.later) {
      lines.push(`  ▶ step ${b.step}: you are here (the rows below are later in the recorded run)`);
      hereShown = true;
    }
    if (b.omitted && i === b.omitted.at) lines.push(`  … ${b.omitted.count} more between steps ${b.omitted.fromStep} and ${b.omitted.toStep} (narrow with \`from STEP to STEP\`)`);
    lines.push('  ' + formatRow(r, file));
  });
  return lines.join('\n');
}

export function formatRow(r: HistoryEntryRow, file: string): string {
  const where = r.edit ? `console: ${r.edit}` : `${file}:${r.line}`;
  const change = !r.before && !r.after ? '' : r.before === r.after ? `  [${r.before}]` : `  [${r.before || '-'} → ${r.after || '-'}]`;
  return `step ${r.step}  ${where}  ${r.fn ? `${r.fn}: ` : ''}${r.what}${change}`;
}
