// `history` in the Debug Console and the gvt/history request, through a DebugClient: rows oldest
// first with FILE:LINE, step, kernel function and the value before and after; rows that travel
// (`goto STEP`, the children's evaluateName); the position shown; edits made while stopped; long
// answers cut with a count; bad questions as error responses.

import * as assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { HistoryBody } from '../../src/debug/protocol';
import { evaluate, failure, launch, lineOf, sample, step, topLine, stoppedAfterConsoleEdit, useDebugClient } from './dapHelpers';

describe('debug adapter: history', () => {
  let dc: DebugClient;
  const files = useDebugClient((c) => (dc = c));
  const historyOf = async (args: Record<string, unknown>): Promise<HistoryBody> => (await dc.customRequest('gvt/history', args)).body as HistoryBody;

  it('history gfn: every change and trap of the page, oldest first, with line, function and state before and after', async () => {
    await launch(dc, sample('04-failsafe-newest.gvt'), { stopAtEnd: true, output: 'quiet' });
    const r = await evaluate(dc, 'history gfn 0x20');
    const lines = r.result.split('\n');
    assert.match(lines[0], /^history of vm1 gfn 0x20: 11 entries; you are at step 23/);
    assert.match(lines[1], /^ {2}step 3 {2}04-failsafe-newest\.gvt:9 {2}intel_vgpu_register_page_track: page-track record registered {2}\[no record → registered\]$/);
    assert.match(r.result, /step 6 {2}04-failsafe-newest\.gvt:13 {2}kvmgt_page_track_write: TRAP: 8-byte store at offset 0x0, tracked record, ret 0/);
    assert.match(r.result, /step 6 {2}04-failsafe-newest\.gvt:13 {2}intel_gvt_page_track_remove: KVMGT write protection removed {2}\[registered, tracked, write-protected → registered, tracked, STALE\]/);
    assert.match(r.result, /step 10 {2}04-failsafe-newest\.gvt:18 {2}8-byte store at offset 0x0 NOT trapped/);
    // The rows travel: children carry `goto STEP` as their expression.
    assert.ok(r.variablesReference > 0);
    const kids = (await dc.variablesRequest({ variablesReference: r.variablesReference })).body.variables;
    assert.equal(kids.length, 11);
    assert.equal(kids[0].evaluateName, 'goto 3');
    assert.match(kids[0].value, /04-failsafe-newest\.gvt:9/);
    // The views print the answer gvt/history gives: the console's very text.
    assert.equal((await historyOf({ subject: { kind: 'gfn', gfn: 0x20 } })).text, r.result);
  });

  it('a row travels: goto its step stops at its line; rows after the position shown are marked later', async () => {
    const p = sample('04-failsafe-newest.gvt');
    await launch(dc, p, { stopAtEnd: true, output: 'quiet' });
    const b = await historyOf({ subject: { kind: 'gfn', gfn: 0x20 } });
    const removed = b.entries.find((e) => /protection removed/.test(e.what))!;
    assert.equal(removed.fn, 'intel_gvt_page_track_remove');
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await evaluate(dc, `goto ${removed.step}`);
    assert.equal((await stopped).body.reason, 'goto');
    assert.equal(await topLine(dc), removed.line);
    const again = await historyOf({ subject: { kind: 'gfn', gfn: 0x20 } });
    assert.equal(again.step, removed.step);
    assert.deepEqual(again.entries.map((e) => e.later), again.entries.map((e) => e.step >= removed.step));
    assert.match((await evaluate(dc, 'history gfn 0x20')).result, /▶ step 6: you are here/);
  });

  it('history gpa and spt: guest writes, shadow entries and post-shadow with their values', async () => {
    const p = sample('06-partial-writes-and-submit.gvt');
    const text = (await import('node:fs')).readFileSync(p, 'utf8');
    await launch(dc, p, { stopAtEnd: true, output: 'quiet' });
    const b = await historyOf({ vgpu: 'vm1', subject: { kind: 'spt', gfn: 0x103, index: 0 } });
    const rows = b.entries.map((e) => `${e.line} ${e.fn ?? '-'} ${e.what} [${e.before} → ${e.after}]`);
    const low = lineOf(text, 'write vm1 gpa 0x103000 u32');
    const submit = lineOf(text, 'submit vm1');
    assert.ok(rows.includes(`${low} - guest wrote entry 0 (trapped) [0x800003 → 0x900003]`), rows.join('\n'));
    assert.ok(rows.includes(`${low} ppgtt_handle_guest_write_page_table_bytes shadow entry 0 written [0x1000800003 → 0x100000003]`), rows.join('\n'));
    assert.ok(rows.includes(`${low} ppgtt_set_post_shadow entry 0 queued for the post-shadow flush (partial write) [not queued → queued for post-shadow]`), rows.join('\n'));
    assert.ok(rows.includes(`${submit} ppgtt_populate_shadow_entry shadow entry 0 written [0x100000003 → 0x1000900003]`), rows.join('\n'));
    const gpa = await evaluate(dc, 'history gpa 0x103004');
    assert.match(gpa.result, /history of vm1 gpa 0x103004 \(gfn 0x103 entry 0\)/);
    assert.match(gpa.result, /step 9 {2}06-partial-writes-and-submit\.gvt:16 {2}guest wrote entry 0 \(trapped\) {2}\[0x900003\]/);
    const whole = await evaluate(dc, 'history spt 0x103');
    assert.match(whole.result, /ppgtt_alloc_spt_gfn: spt allocated: mfn 0x[0-9a-f]+, refcount 1/);
  });

  it('a change made while stopped is part of the history, named as the console statement', async () => {
    await stoppedAfterConsoleEdit(dc, files);
    const r = (await evaluate(dc, 'history gfn 0x40')).result;
    assert.match(r, /step 2 {2}console: enable vm1 gfn 0x40 {2}intel_vgpu_enable_page_track: record marked tracked/);
    assert.match(r, /step 3 {2}edit\.gvt:4 {2}kvmgt_page_track_write: TRAP: 8-byte store/);
    // Stepping back before the edit and forward again replays it: the same history.
    await step(dc, 'stepBack');
    await step(dc, 'stepBack');
    await step(dc, 'next');
    await step(dc, 'next');
    assert.equal((await evaluate(dc, 'history gfn 0x40')).result.split('\n').slice(1).join('\n'), r.split('\n').slice(1).join('\n'));
    assert.match((await evaluate(dc, 'edits')).result, /step 2: enable vm1 gfn 0x40/);
  });

  it('a long history keeps its first and newest rows and counts the rest; from/to narrow it', async () => {
    const p = files.write('long.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nrepeat 1000 as i {\n  write vm1 gpa 0x40000 + (i % 512) * 8 u64 i\n}\n');
    await launch(dc, p, { stopAtEnd: true, output: 'quiet' });
    const b = await historyOf({ subject: { kind: 'gfn', gfn: 0x40 }, limit: 50 });
    assert.equal(b.total, 1003);
    assert.equal(b.entries.length, 50);
    assert.equal(b.omitted?.count, 953);
    assert.deepEqual(b.entries.slice(0, 3).map((e) => e.what), ['page-track record registered', 'KVMGT write protection added', 'record marked tracked']);
    assert.equal(b.entries[49].step, 1003);
    const r = await evaluate(dc, 'history gfn 0x40 from 500 to 502');
    assert.match(r.result, /: 3 entries;/);
    assert.match((await evaluate(dc, 'history gfn 0x40')).result, /… 803 more between steps/);
  });

  it('any limit a client sends is answered (small, fractional); the omitted rows are counted between the oldest and the newest shown', async () => {
    const p = files.write('long2.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nrepeat 100 as i {\n  write vm1 gpa 0x40000 + i * 8 u64 i\n}\n');
    await launch(dc, p, { stopAtEnd: true, output: 'quiet' });
    for (const [limit, rows] of [[0, 2], [1, 2], [3, 3], [20, 20], [25.5, 25]] as const) {
      const b = await historyOf({ subject: { kind: 'gfn', gfn: 0x40 }, limit });
      assert.equal(b.entries.length, rows, `limit ${limit}`);
      assert.equal(b.omitted?.count, b.total - rows, `limit ${limit}`);
      const lines = b.text.split('\n');
      const gap = lines.findIndex((l) => l.includes(' more between steps'));
      assert.equal(gap, 1 + b.omitted!.at, `limit ${limit}: the count sits where the rows were left out`);
      assert.ok(b.entries[b.omitted!.at - 1].step <= b.omitted!.fromStep && b.entries[b.omitted!.at].step >= b.omitted!.toStep);
    }
  });

  it('history dma: kvmgt\'s mappings of a gfn, a 2M mapping replaced by a 4K one (the re-map hazard)', async () => {
    const p = sample('14-dma-pinning-and-cache.gvt');
    const text = (await import('node:fs')).readFileSync(p, 'utf8');
    await launch(dc, p, { stopAtEnd: true, output: 'quiet' });
    const b = await historyOf({ subject: { kind: 'dma', gfn: 0x2200 } });
    assert.equal(b.title, 'vm1 dma mappings of gfn 0x2200');
    assert.deepEqual(b.entries.map((e) => [e.line, e.what, e.after]), [
      [lineOf(text, 'map vm1 va 0x600000 gfn 0x2200 size 2M'), 'dma mapped to mfn 0x1002200 (512 pages)', 'dma-mapped'],
      [lineOf(text, 'map vm1 va 0x3000 gfn 0x2200'), 'dma unmapped (mfn 0x1002200)', 'no record'],
      [lineOf(text, 'map vm1 va 0x3000 gfn 0x2200'), 'dma mapped to mfn 0x1002200 (4K)', 'dma-mapped'],
    ]);
    assert.match((await evaluate(dc, 'history dma 0x2000')).result, /dma map failed \(512 pages\)/);
  });

  it('bad questions are errors that say why', async () => {
    await launch(dc, sample('04-failsafe-newest.gvt'), { stopAtEnd: true, output: 'quiet' });
    assert.match(await failure(evaluate(dc, 'history')), /usage: history \[VGPU\] gfn GFN/);
    assert.match(await failure(evaluate(dc, 'history gfn')), /usage: history/);
    assert.match(await failure(evaluate(dc, 'history spt 0x103 512')), /INDEX must be 0\.\.511/);
    assert.match(await failure(evaluate(dc, 'history spt 0x103 -1')), /'0x103 -1' reads as one operand, a difference/);
    assert.match(await failure(dc.customRequest('gvt/history', {})), /'subject' is required/);
    assert.match(await failure(dc.customRequest('gvt/history', { subject: { kind: 'page' } })), /'subject\.kind' must be 'gfn', 'gpa', 'spt', 'dma' or 'vgpu'/);
    assert.match(await failure(dc.customRequest('gvt/history', { subject: { kind: 'gfn', gfn: -1 } })), /'subject\.gfn' must be an integer/);
    assert.match(await failure(dc.customRequest('gvt/history', { vgpu: 'nosuch', subject: { kind: 'gfn', gfn: 1 } })), /no vGPU named 'nosuch'/);
    assert.equal((await historyOf({ subject: { kind: 'gfn', gfn: 0x9999 } })).total, 0);
  });
});
