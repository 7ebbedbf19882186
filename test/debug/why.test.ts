// `why` in the Debug Console and the gvt/why request, one kernel rule per test: the state in one
// sentence, then the causes newest first, each with its step, line and the rule at that link.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { WhyBody } from '../../src/debug/protocol';
import { evaluate, failure, launch, lineOf, sample, useDebugClient } from './dapHelpers';

describe('debug adapter: why', () => {
  let dc: DebugClient;
  const files = useDebugClient((c) => (dc = c));
  const whyOf = async (subject: Record<string, unknown>, vgpu?: string): Promise<WhyBody> => (await dc.customRequest('gvt/why', { subject, ...(vgpu ? { vgpu } : {}) })).body as WhyBody;
  /** Launches a sample stopped before the line starting with `before`. */
  const stopBefore = async (name: string, before: string): Promise<(needle: string) => number> => {
    const p = sample(name);
    const text = readFileSync(p, 'utf8');
    // A needle with a line break names the first of two consecutive lines.
    const at = (needle: string): number => (needle.includes('\n') ? text.slice(0, text.indexOf(needle)).split('\n').length : lineOf(text, needle));
    await launch(dc, p, { lines: [{ line: at(before) }], output: 'quiet' });
    return at;
  };
  const texts = (b: WhyBody): string[] => b.chain.map((l) => `${l.line}: ${l.text}`);

  it('stale after failsafe: failsafe removed protection and newest kernels leave tracked set', async () => {
    const at = await stopBefore('04-failsafe-newest.gvt', 'enable vm1 gfn 0x20\nexpect ret == 0');
    const b = await whyOf({ kind: 'gfn', gfn: 0x20 });
    assert.match(b.state, /vm1 gfn 0x20 is STALE: the record says tracked, but KVMGT does not write-protect it/);
    const c = texts(b);
    assert.match(c[0], new RegExp(`^${at('write vm1 gpa 0x20000 u64 2')}: a store at line \\d+ was not trapped`));
    assert.equal(c[1], `${at('write vm1 gpa 0x20000 u64 1')}: stale: failsafe removed protection at line ${at('write vm1 gpa 0x20000 u64 1')} and newest kernels leave \`tracked\` set (in failsafe the dispatcher calls intel_gvt_page_track_remove directly, not the record's disable)`);
    assert.match(c[2], new RegExp(`^${at('failsafe vm1')}: the vGPU entered failsafe at line ${at('failsafe vm1')} \\(enter_failsafe_mode\\)`));
    assert.deepEqual(b.chain.map((l) => l.step), [...b.chain.map((l) => l.step)].sort((x, y) => (y ?? 0) - (x ?? 0)), 'newest first');
    const console = (await evaluate(dc, 'why gfn 0x20')).result;
    assert.match(console, /^why: vm1 gfn 0x20 is STALE/);
    assert.equal(b.text, console, 'the views print the answer gvt/why gives: the console text');
    assert.match(console, /step 6 {2}04-failsafe-newest\.gvt:13 {2}stale: failsafe removed protection/);
  });

  it('stale after a memslot removal: KVM dropped the tracking, the record keeps tracked', async () => {
    const at = await stopBefore('11-memslot-removal.gvt', 'write vm1 gpa 0x30000 u64 2');
    const b = await whyOf({ kind: 'gfn', gfn: 0x30 });
    assert.match(b.state, /is STALE/);
    assert.equal(texts(b)[0], `${at('memslot vm1 remove')}: stale: the memslot was removed at line ${at('memslot vm1 remove')} (kvmgt_page_track_remove_region): KVM dropped the write tracking, the record keeps \`tracked\``);
  });

  it('stale after detach and attach: the new protect table is empty', async () => {
    const at = await stopBefore('13-detach-and-stale-records.gvt', 'enable vm1 gfn 0x103');
    const b = await whyOf({ kind: 'gfn', gfn: 0x103 });
    assert.match(b.state, /is STALE/);
    assert.equal(texts(b)[0], `${at('attach vm1')}: stale: kvmgt was detached at line ${at('detach vm1')} and attached again at line ${at('attach vm1')}: the new protect table is empty, the records still say tracked (enable returns 0 without protecting)`);
    assert.match(texts(b)[1], /a store at line \d+ was not trapped/);
  });

  it('tracked and protected: the last trap, protection, enable and registration by shadowing', async () => {
    const at = await stopBefore('06-partial-writes-and-submit.gvt', 'submit vm1');
    const b = await whyOf({ kind: 'gfn', gfn: 0x103 });
    assert.match(b.state, /is tracked and write-protected: a guest store traps into kvmgt_page_track_write and the dispatcher calls handler ppgtt/);
    const c = texts(b);
    assert.match(c[0], new RegExp(`^${at('write vm1 gpa 0x103004 u32 0')}: last trapped store`));
    assert.ok(c.some((t) => /registered by shadowing at line \d+: a guest page-table page is tracked through its spt/.test(t)), c.join('\n'));
  });

  it('out of sync: registered but not tracked; the page went out of sync on its second trapped write', async () => {
    const at = await stopBefore('08-out-of-sync-pages.gvt', 'expect no trap');
    const b = await whyOf({ kind: 'gfn', gfn: 0x103 });
    assert.match(b.state, /registered but not tracked: its page is out of sync/);
    assert.ok(texts(b).includes(`${at('map vm1 va 0x2000 gfn 0x802')}: page set out of sync at line ${at('map vm1 va 0x2000 gfn 0x802')} (ppgtt_set_guest_page_oos): its second trapped write dropped the protection; submit resyncs it (intel_vgpu_sync_oos_pages)`), texts(b).join('\n'));
    const e = await whyOf({ kind: 'spt', gfn: 0x103, index: 3 });
    assert.match(e.state, /shadow entry 3 of gfn 0x103 differs from the guest entry \(guest 0x803003, shadow 0x0\)/);
    assert.equal(texts(e)[0], `${at('map vm1 va 0x3000 gfn 0x803')}: the guest wrote entry 3 at line ${at('map vm1 va 0x3000 gfn 0x803')} (0x803003), NOT trapped: the shadow did not follow`);
    assert.ok(texts(e).some((t) => /the page went out of sync at line \d+/.test(t)));
  });

  it('no record: unregistered (an spt freed) or never registered', async () => {
    const p = files.write('gone.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nunregister vm1 gfn 0x40\nlet a = 1\n');
    await launch(dc, p, { lines: [{ line: 5 }] });
    const b = await whyOf({ kind: 'gfn', gfn: 0x40 });
    assert.match(b.state, /vm1 gfn 0x40 has no page-track record: stores to it are not reported to GVT/);
    assert.deepEqual(texts(b), ['4: the record was unregistered at line 4 (intel_vgpu_unregister_page_track)', '2: page-track record registered at line 2']);
    assert.deepEqual(texts(await whyOf({ kind: 'gfn', gfn: 0x41 })), ['0: gfn 0x41 was never registered in the run so far']);
  });

  it('registered, never enabled: stores do not trap', async () => {
    const p = files.write('idle.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nwrite vm1 gpa 0x40008 u64 5\nlet a = 1\n');
    await launch(dc, p, { lines: [{ line: 4 }] });
    const b = await whyOf({ kind: 'gfn', gfn: 0x40 });
    assert.match(b.state, /registered but not tracked: stores to it do not trap/);
    assert.deepEqual(texts(b), ['3: a store at line 3 was not trapped: KVM emulated it without telling GVT (gfn 0x40 not write-protected)', '2: page-track record registered at line 2; never enabled since']);
  });

  it('a shadow entry: partial write queued for post-shadow, not flushed; after submit it agrees', async () => {
    const at = await stopBefore('06-partial-writes-and-submit.gvt', 'submit vm1');
    const b = await whyOf({ kind: 'spt', gfn: 0x103, index: 0 });
    assert.match(b.state, /shadow entry 0 of gfn 0x103 differs from the guest entry \(guest 0x900003, shadow 0x100000003\): guest maps gfn 0x900, shadow points at scratch/);
    const low = at('write vm1 gpa 0x103000 u32');
    assert.ok(texts(b).includes(`${low}: partial write queued for post-shadow at line ${low}; not flushed: no submit since (intel_vgpu_flush_post_shadow re-shadows the whole entry at the next workload; until then the shadow points at scratch)`), texts(b).join('\n'));
    assert.match(texts(b)[0], new RegExp(`^${at('write vm1 gpa 0x103004 u32 0')}: the guest wrote entry 0 at line \\d+ \\(0x900003\\), trapped`));
    // why gpu va: scratch, because of that same partial write.
    const g = await whyOf({ kind: 'gpuVa', va: 0 });
    assert.match(g.state, /the GPU reaches a scratch page at va 0x0 \(PT\)/);
    assert.match(texts(g)[0], new RegExp(`^${low}: PT\\[0\\] of the spt for gfn 0x103: partial write queued for post-shadow at line ${low}; not flushed: no submit since`));
    assert.match(texts(g)[1], /PT\[0\] of the spt for gfn 0x103 \(mfn 0x[0-9a-f]+\) = pfn 0x[0-9a-f]+ P\|RW, written at line \d+ by ppgtt_handle_guest_write_page_table_bytes: the guest entry was torn down and the shadow pointed at scratch/);
    assert.match(texts(g)[2], /^0: the guest's own entry differs: shadow entry 0 of gfn 0x103 differs from the guest entry .*a partial write waits for the post-shadow flush/);
    assert.match(texts(g)[texts(g).length - 3], /PD\[0\] of the spt for gfn 0x102 .* by ppgtt_populate_spt/);
  });

  it('gpu va: a page reached through the shadow, and a fault at the level that is not present', async () => {
    const at = await stopBefore('06-partial-writes-and-submit.gvt', 'write vm1 gpa 0x103010 u8');
    const page = await whyOf({ kind: 'gpuVa', va: 0 });
    assert.match(page.state, /the GPU reaches gfn 0x900 \(mfn 0x[0-9a-f]+\) at va 0x0/);
    assert.match(texts(page)[0], new RegExp(`^${at('submit vm1')}: PT\\[0\\] of the spt for gfn 0x103 .* by ppgtt_populate_shadow_entry`));
    const fault = await whyOf({ kind: 'gpuVa', va: 0x40000000 });
    assert.match(fault.state, /the GPU faults at va 0x40000000: PDP\[1\] entry not present/);
    assert.match(texts(fault)[0], /^0: PDP\[1\] of the spt for gfn 0x101 = .*never written since it was allocated/);
  });

  it('gpu va after detach: the walk faults, the guest\'s entry differs, and its write did not trap because the record is stale', async () => {
    const at = await stopBefore('13-detach-and-stale-records.gvt', 'unshadow vm1 root 0x100');
    const g = await whyOf({ kind: 'gpuVa', va: 0x3000 });
    assert.match(g.state, /the GPU faults at va 0x3000: PT\[3\] entry not present/);
    const c = texts(g);
    const map = at('map vm1 va 0x3000 gfn 0x502');
    assert.match(c[0], /^0: PT\[3\] of the spt for gfn 0x103 = .*never written/);
    assert.match(c[1], /^0: the guest's own entry differs: shadow entry 3 of gfn 0x103 differs from the guest entry \(guest 0x502003, shadow 0x0\)/);
    assert.equal(c[2], `${map}: the guest wrote entry 3 at line ${map} (0x502003), NOT trapped: the shadow did not follow`);
    assert.match(c[3], /^0: why that write did not trap: vm1 gfn 0x103 is STALE/);
    assert.ok(c.some((t) => t.startsWith(`${at('attach vm1')}: stale: kvmgt was detached`)), c.join('\n'));
  });

  it('bad questions are errors that say why', async () => {
    await launch(dc, sample('04-failsafe-newest.gvt'), { stopAtEnd: true, output: 'quiet' });
    assert.match(await failure(evaluate(dc, 'why')), /usage: why \[VGPU\] gfn GFN \| spt GFN INDEX \| gpu va VA/);
    assert.match(await failure(evaluate(dc, 'why spt 0x103')), /usage: why/);
    assert.match(await failure(dc.customRequest('gvt/why', { subject: { kind: 'gpa', gpa: 1 } })), /'subject\.kind' must be 'gfn', 'spt' or 'gpuVa'/);
    assert.match(await failure(dc.customRequest('gvt/why', { subject: { kind: 'spt', gfn: 1 } })), /'subject\.index' must be an integer 0\.\.511/);
    assert.match((await whyOf({ kind: 'gpuVa', va: 0 })).chain[0].text, /no PPGTT mm was ever shadowed/);
  });
});
