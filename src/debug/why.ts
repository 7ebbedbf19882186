// `why`: the causes of the present state of a gfn, a shadow entry or a GPU address, newest first,
// each a step of the recorded run (from the history index) with the kernel rule that made it so
// (docs/kernel-model.md). The present facts come from the state shown (inspect.ts, the walkers,
// the shadow view); the past comes only from the index: no replay. Deterministic: the same run and
// position give the same chain.

import { gpuWalk, hex, isProtected, oosPages, recordFacts, type Gfn, type Vgpu } from '../core';
import { Code, orderOfStep, slotKey, type HistoryEntry, type HistoryIndex, type KeyKind } from './historyIndex';
import type { WhyBody, WhyLink, WhySubject } from './protocol';
import { entryRow } from './shadowView';

interface Past {
  index: HistoryIndex;
  vgpu: string;
  /** The position shown: entries of statement `here` have not happened yet. */
  here: number;
}

/** The newest entry of a key before the present with one of `codes` (edits made at the present have happened). */
function last(p: Past, kind: KeyKind, key: number, codes: readonly Code[]): HistoryEntry | undefined {
  return p.index.newestBefore(p.vgpu, kind, key, orderOfStep(p.here, false), new Set<number>(codes));
}

function link(e: HistoryEntry, text: string): WhyLink {
  return { step: e.step, line: e.line + 1, text, ...(e.fn ? { fn: e.fn } : {}) };
}

const at = (e: HistoryEntry): string => (e.edit ? `step ${e.step} (a console edit)` : `line ${e.line + 1}`);

const newestFirst = (links: Array<WhyLink | undefined>): WhyLink[] => (links.filter(Boolean) as WhyLink[]).sort((a, b) => (b.step ?? -1) - (a.step ?? -1));

/** One link as the console prints it: its step and where (a fact of the present has none), then the rule. */
export function formatLink(l: WhyLink, file: string): string {
  return `${l.step === undefined ? '' : `step ${l.step}  ${l.line ? `${file}:${l.line}` : 'console'}  `}${l.text}`;
}

/** The answer as the console prints it: the present state, then the causes newest first. */
export function formatWhy(b: Omit<WhyBody, 'text'>, file: string): string {
  return [`why: ${b.state}`, ...b.chain.map((l) => '  ' + formatLink(l, file))].join('\n');
}

export function why(index: HistoryIndex, v: Vgpu, here: number, subject: WhySubject): Omit<WhyBody, 'text'> {
  const p: Past = { index, vgpu: v.name, here };
  const r = subject.kind === 'gfn' ? whyGfn(p, v, subject.gfn) : subject.kind === 'spt' ? sptAnswer(whySpt(p, v, subject.gfn, subject.index)) : whyGpuVa(p, v, subject.va);
  if (index.indexedFrom > 0) r.chain.push({ line: 0, text: `(steps before ${index.indexedFrom} are no longer indexed: older causes are not shown)` });
  return { ...r, step: here, vgpu: v.name };
}

const sptAnswer = (w: SptWhy): { state: string; chain: WhyLink[] } => ({ state: w.state, chain: w.chain });

function whyGfn(p: Past, v: Vgpu, gfn: number): { state: string; chain: WhyLink[] } {
  const g = hex(gfn);
  const rec = v.pageTrack.find(gfn as Gfn);
  const prot = isProtected(v, gfn);
  const registered = last(p, 'gfn', gfn, [Code.Registered]);
  const spt = last(p, 'gfn', gfn, [Code.SptAlloc]);
  const registeredLink = registered && link(registered, spt && spt.step === registered.step ? `registered by shadowing at ${at(registered)}: a guest page-table page is tracked through its spt (ppgtt_alloc_spt_gfn → intel_vgpu_register_page_track)` : `page-track record registered at ${at(registered)}`);
  const trap = last(p, 'gfn', gfn, [Code.Trap]);
  const trapLink = trap && link(trap, `last trapped store at ${at(trap)}: kvmgt_page_track_write found gfn ${g} in the protect table and called the dispatcher`);
  const untrapped = last(p, 'gfn', gfn, [Code.UntrappedStore]);
  const untrappedLink = untrapped && link(untrapped, `a store at ${at(untrapped)} was not trapped: KVM emulated it without telling GVT (gfn ${g} not write-protected)`);
  if (!rec) {
    const gone = last(p, 'gfn', gfn, [Code.Unregistered]);
    const freed = last(p, 'gfn', gfn, [Code.SptFree]);
    return {
      state: `${v.name} gfn ${g} has no page-track record: stores to it are not reported to GVT${prot ? ' (but KVMGT still write-protects it: a store traps and the dispatcher finds no record, -ENXIO)' : ''}`,
      chain: newestFirst([
        gone && link(gone, freed && freed.step === gone.step ? `its shadow page table was freed at ${at(gone)} (ppgtt_free_spt), which unregisters the page` : `the record was unregistered at ${at(gone)} (intel_vgpu_unregister_page_track)`),
        registeredLink,
        !gone && !registered ? { line: 0, text: `gfn ${g} was never registered in the run so far` } : undefined,
      ]),
    };
  }
  const f = recordFacts(v, rec);
  if (f.stale) {
    const off = last(p, 'gfn', gfn, [Code.ProtectOff]);
    const failsafe = last(p, 'vgpu', 0, [Code.FailsafeOn]);
    const detached = last(p, 'vgpu', 0, [Code.Detached]);
    const attached = last(p, 'vgpu', 0, [Code.Attached]);
    let cause: WhyLink | undefined;
    const byFailsafe = off !== undefined && failsafe !== undefined && failsafe.seq < off.seq;
    if (byFailsafe) {
      cause = link(off, `stale: failsafe removed protection at ${at(off)} and newest kernels leave \`tracked\` set (in failsafe the dispatcher calls intel_gvt_page_track_remove directly, not the record's disable)`);
    } else if (off && (off.fn === 'kvmgt_page_track_flush_slot' || off.fn === 'kvmgt_page_track_remove_region')) {
      cause = link(off, `stale: the memslot was removed at ${at(off)} (${off.fn}): KVM dropped the write tracking, the record keeps \`tracked\``);
    } else if (attached && detached && (!off || detached.seq > off.seq)) {
      cause = link(attached, `stale: kvmgt was detached at ${at(detached)} and attached again at ${at(attached)}: the new protect table is empty, the records still say tracked (enable returns 0 without protecting)`);
    } else if (off) {
      cause = link(off, `stale: write protection removed at ${at(off)}${off.fn ? ` by ${off.fn}` : ''} while the record stayed tracked`);
    }
    const tracked = last(p, 'gfn', gfn, [Code.Tracked]);
    return {
      state: `${v.name} gfn ${g} is STALE: the record says tracked, but KVMGT does not write-protect it, so stores do not trap and a later enable returns 0 without protecting`,
      chain: newestFirst([untrappedLink, cause, byFailsafe ? link(failsafe, `the vGPU entered failsafe at ${at(failsafe)} (enter_failsafe_mode)`) : undefined, tracked && link(tracked, `enabled at ${at(tracked)}: tracked set and protection added`), registeredLink]),
    };
  }
  if (f.tracked && f.protected) {
    const on = last(p, 'gfn', gfn, [Code.ProtectOn]);
    const tracked = last(p, 'gfn', gfn, [Code.Tracked]);
    return {
      state: `${v.name} gfn ${g} is tracked and write-protected: a guest store traps into kvmgt_page_track_write and the dispatcher calls handler ${f.handler}`,
      chain: newestFirst([trapLink, on && link(on, `KVMGT write protection added at ${at(on)} (${on.fn ?? 'intel_gvt_page_track_add'} → kvmgt_page_track_add)`), tracked && tracked.seq !== on?.seq ? link(tracked, `record marked tracked at ${at(tracked)} (intel_vgpu_enable_page_track)`) : undefined, registeredLink]),
    };
  }
  const untracked = last(p, 'gfn', gfn, [Code.Untracked]);
  const oos = oosPages(v).includes(gfn) ? last(p, 'gfn', gfn, [Code.OutOfSync]) : undefined;
  return {
    state: `${v.name} gfn ${g} is registered but not tracked${prot ? ' (yet KVMGT protects it)' : ''}: ${oos ? 'its page is out of sync, so guest writes go to memory without a trap until the next sync' : 'stores to it do not trap'}`,
    chain: newestFirst([
      untrappedLink,
      oos ? link(oos, `page set out of sync at ${at(oos)} (ppgtt_set_guest_page_oos): its second trapped write dropped the protection; submit resyncs it (intel_vgpu_sync_oos_pages)`) : undefined,
      !oos && untracked ? link(untracked, `disabled at ${at(untracked)}${untracked.fn ? ` (${untracked.fn})` : ''}: tracked cleared, protection removed`) : undefined,
      !untracked && registered ? { ...registeredLink!, text: `${registeredLink!.text}; never enabled since` } : registeredLink,
    ]),
  };
}

/** A shadow entry's why, and what the GPU's why reuses of it. */
interface SptWhy {
  state: string;
  chain: WhyLink[];
  /** The shadow entry differs from the guest's. */
  differs: boolean;
  /** The links about the guest's own entry (its write, the page out of sync, why a write did not trap), newest first. */
  own: WhyLink[];
}

function whySpt(p: Past, v: Vgpu, gfn: number, i: number): SptWhy {
  const g = hex(gfn);
  const s = v.ppgtt.findSptByGfn(gfn as Gfn);
  const slot = slotKey(gfn, i);
  if (!s) {
    const freed = last(p, 'gfn', gfn, [Code.SptFree]);
    return { state: `${v.name}: guest page gfn ${g} has no shadow page table now`, chain: newestFirst([freed ? link(freed, `its spt was freed at ${at(freed)} (ppgtt_free_spt: the last reference went)`) : { line: 0, text: `gfn ${g} was never shadowed in the run so far` }]), differs: false, own: [] };
  }
  const row = entryRow(v, s, i);
  const guest = last(p, 'slot', slot, [Code.GuestStore, Code.GuestStoreTrapped]);
  const shadow = last(p, 'slot', slot, [Code.ShadowEntry]);
  const queued = row.postShadow ? last(p, 'slot', slot, [Code.PostShadowSet]) : undefined;
  const oos = row.oos ? last(p, 'gfn', gfn, [Code.OutOfSync]) : undefined;
  const alloc = last(p, 'gfn', gfn, [Code.SptAlloc]);
  const value = (e: HistoryEntry): string => hex((BigInt(e.b) << 32n) | BigInt(e.a));
  const own = [
    oos && link(oos, `the page went out of sync at ${at(oos)}: guest writes to it no longer trap, the shadow is only resynced at the next submit (intel_vgpu_sync_oos_pages)`),
    guest && link(guest, `the guest wrote entry ${i} at ${at(guest)} (${value(guest)}), ${guest.code === Code.GuestStoreTrapped ? 'trapped: the PPGTT handler re-read it' : 'NOT trapped: the shadow did not follow'}`),
  ];
  const chain = newestFirst([
    queued && link(queued, `partial write queued for post-shadow at ${at(queued)}; not flushed: no submit since (intel_vgpu_flush_post_shadow re-shadows the whole entry at the next workload; until then the shadow points at scratch)`),
    ...own,
    shadow && shadow.seq !== guest?.seq ? link(shadow, `the shadow entry was last written at ${at(shadow)} by ${shadow.fn ?? 'the scenario'} (${value(shadow)})`) : undefined,
    alloc && link(alloc, `the spt for gfn ${g} was allocated at ${at(alloc)} (ppgtt_alloc_spt_gfn) and populated from the guest page`),
  ]);
  const ownChain = newestFirst(own);
  if (guest && guest.code === Code.GuestStore && row.mismatch && !oos) {
    // The untrapped write's own cause, as the gfn's why (its two newest links).
    const gw = whyGfn(p, v, gfn);
    const untrapped = [{ line: 0, text: `why that write did not trap: ${gw.state}` }, ...gw.chain.slice(0, 2)];
    chain.push(...untrapped);
    ownChain.push(...untrapped);
  }
  const differs = Boolean(row.mismatch);
  const state = differs ? `shadow entry ${i} of gfn ${g} differs from the guest entry (guest ${row.guest}, shadow ${row.shadow}): ${row.mismatch}` : `shadow entry ${i} of gfn ${g} agrees with the guest entry (guest ${row.guest}, shadow ${row.shadow})`;
  return { state, chain: dedupe(chain), differs, own: dedupe(ownChain) };
}

function dedupe(links: WhyLink[]): WhyLink[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.text) && seen.add(l.text));
}

function whyGpuVa(p: Past, v: Vgpu, va: number): { state: string; chain: WhyLink[] } {
  const w = gpuWalk(v, va);
  const o = w.outcome;
  const state =
    o.kind === 'page' ? `the GPU reaches ${o.gfn !== undefined ? `gfn ${hex(o.gfn)}` : 'a host page'} (mfn ${hex(o.mfn)}) at va ${hex(va)}${o.unpinned ? ', but its DMA mapping was dropped: the page is no longer pinned' : ''}`
    : o.kind === 'scratch' ? `the GPU reaches a scratch page at va ${hex(va)} (${o.level}): "present", but nothing the guest mapped`
    : `the GPU faults at va ${hex(va)}: ${o.level}[${o.index}] ${o.reason}`;
  const links: WhyLink[] = [];
  if (w.steps.length === 0) {
    const mm = last(p, 'vgpu', 0, [Code.MmShadowed, Code.MmDestroyed, Code.MmInvalidated, Code.MmCreated]);
    links.push(mm ? link(mm, `the newest PPGTT mm change: root gfn ${hex(mm.a)} ${mm.code === Code.MmShadowed ? 'shadowed' : mm.code === Code.MmDestroyed ? 'destroyed' : mm.code === Code.MmInvalidated ? 'invalidated' : 'created (not shadowed yet)'} at ${at(mm)}`) : { line: 0, text: 'no PPGTT mm was ever shadowed: the GPU has no page table to walk' });
  }
  // Deepest level first: the entry that decided the outcome, then the tables above it.
  for (let d = w.steps.length - 1; d >= 0; d--) {
    const st = w.steps[d];
    const s = v.ppgtt.findSptByMfn(st.table);
    if (!s || s.guestGfn === 0) {
      links.push({ line: 0, text: `${st.level}[${st.index}] is read from ${st.scratch ? 'a scratch table' : `host table mfn ${hex(st.table)}`}` });
      continue;
    }
    const slot = slotKey(s.guestGfn, st.index);
    const shadow = last(p, 'slot', slot, [Code.ShadowEntry]);
    const queued = entryRow(v, s, st.index).postShadow ? last(p, 'slot', slot, [Code.PostShadowSet]) : undefined;
    const decided = d === w.steps.length - 1;
    if (queued) links.push(link(queued, `${st.level}[${st.index}] of the spt for gfn ${hex(s.guestGfn)}: partial write queued for post-shadow at ${at(queued)}; not flushed: no submit since`));
    if (shadow) {
      const removal = shadow.fn === 'ppgtt_handle_guest_entry_removal' || shadow.fn === 'ppgtt_handle_guest_write_page_table' || shadow.fn === 'ppgtt_handle_guest_write_page_table_bytes';
      const how = decided && o.kind === 'scratch' && removal ? ': the guest entry was torn down and the shadow pointed at scratch (still "present", docs/kernel-model.md §6)' : '';
      links.push(link(shadow, `${st.level}[${st.index}] of the spt for gfn ${hex(s.guestGfn)} (mfn ${hex(s.mfn)}) = ${st.decoded}, written at ${at(shadow)} by ${shadow.fn ?? 'the scenario'}${how}`));
    } else links.push({ line: 0, text: `${st.level}[${st.index}] of the spt for gfn ${hex(s.guestGfn)} = ${st.decoded}: never written since it was allocated (populate leaves non-present entries empty)` });
    // Where the guest's entry says otherwise, why the shadow did not follow it.
    if (decided) {
      const e = whySpt(p, v, s.guestGfn, st.index);
      if (e.differs) links.push({ line: 0, text: `the guest's own entry differs: ${e.state}` }, ...e.own);
    }
  }
  return { state, chain: dedupe(links) };
}
