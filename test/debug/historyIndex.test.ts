// The history index on its own: entries per key in time order, the state bits of a gfn before
// and after each change, truncation when an edit changes the future, thinning past the budget,
// and the indexer following a timeline (edits included) into the same answers as a fresh run.

import * as assert from 'node:assert/strict';
import { StatementLines } from '../../src/debug/breakpoints';
import { Bit, Code, HistoryIndex, orderOfStep } from '../../src/debug/historyIndex';
import { HistoryIndexer } from '../../src/debug/historyIndexer';
import { history, stateText } from '../../src/debug/historyQuery';
import { Timeline } from '../../src/debug/timeline';
import { loadScenario } from '../../src/dsl/scenario';
import { parse } from '../../src/dsl/parser';
import { compileStatement } from '../../src/dsl/statements';

const noEdit = (): undefined => undefined;

function indexed(text: string, at?: number): { ix: HistoryIndexer; tl: Timeline } {
  const sc = loadScenario('t.gvt', text);
  const tl = new Timeline(sc.program, {}, 256, 0);
  while (!tl.interp.done && (at === undefined || tl.position < at)) {
    tl.interp.step();
    tl.afterStep();
  }
  const ix = new HistoryIndexer(tl, {}, new StatementLines(sc));
  tl.onEdit = (pos) => ix.editedAt(pos);
  ix.advance();
  return { ix, tl };
}

describe('history index', () => {
  it('keeps entries per key in time order, with the gfn state before and after each', () => {
    const ix = new HistoryIndex();
    const l = ix.log('vm1', 'gfn', 0x40);
    for (const [step, line] of [[1, 1], [2, 2], [5, 4]]) ix.setLine(step, line);
    ix.add(l, 1, Code.Registered, false, 'intel_vgpu_register_page_track', 0, 0, Bit.registered);
    ix.add(l, 2, Code.ProtectOn, false, 'intel_gvt_page_track_add', 0, 0, Bit.protected);
    ix.add(l, 2, Code.Tracked, false, 'intel_vgpu_enable_page_track', 0, 0, Bit.tracked);
    ix.add(l, 5, Code.ProtectOff, false, 'intel_gvt_page_track_remove', 0, 0, 0, Bit.protected);
    const es = ix.entriesOf('vm1', 'gfn', 0x40);
    assert.deepEqual(es.map((e) => [e.step, e.line, e.fn]), [[1, 1, 'intel_vgpu_register_page_track'], [2, 2, 'intel_gvt_page_track_add'], [2, 2, 'intel_vgpu_enable_page_track'], [5, 4, 'intel_gvt_page_track_remove']]);
    assert.equal(stateText(es[3].before), 'registered, tracked, write-protected');
    assert.equal(stateText(es[3].after), 'registered, tracked, STALE');
    assert.equal(ix.stateOf('vm1', 0x40), Bit.registered | Bit.tracked);
    assert.deepEqual(ix.entriesOf('vm1', 'gfn', 0x41), []);
    assert.deepEqual(ix.entriesOf('vm2', 'gfn', 0x40), []);
  });

  it('finds the newest entry with a code before an order: an edit at the present counts, its statement does not; far back too', () => {
    const ix = new HistoryIndex();
    const l = ix.log('vm1', 'gfn', 0x40);
    ix.add(l, 1, Code.Registered, false, undefined, 0, 0, Bit.registered);
    for (let step = 2; step < 200_002; step++) ix.add(l, step, Code.Trap, false, undefined, 0, 8);
    ix.add(l, 200_002, Code.ProtectOn, true, undefined, 0, 0, Bit.protected); // an edit made stopped at 200002
    ix.add(l, 200_002, Code.Tracked, false, undefined, 0, 0, Bit.tracked); // statement 200002 itself
    const newest = (code: Code, here: number): number | undefined => ix.newestBefore('vm1', 'gfn', 0x40, orderOfStep(here, false), new Set([code]))?.step;
    assert.equal(newest(Code.Registered, 200_002), 1);
    assert.equal(newest(Code.Trap, 200_002), 200_001);
    assert.equal(newest(Code.Trap, 7), 6);
    assert.equal(newest(Code.ProtectOn, 200_002), 200_002);
    assert.equal(newest(Code.Tracked, 200_002), undefined);
    assert.equal(newest(Code.Tracked, 200_003), 200_002);
    assert.equal(newest(Code.Registered, 1), undefined);
    assert.equal(ix.newestBefore('vm1', 'gfn', 0x41, Infinity, new Set([Code.Trap])), undefined);
  });

  it('truncates at an edit: later entries go, the key state is what its last kept entry left', () => {
    const ix = new HistoryIndex();
    const l = ix.log('vm1', 'gfn', 1);
    ix.add(l, 1, Code.Registered, false, undefined, 0, 0, Bit.registered);
    ix.add(l, 3, Code.Tracked, true, undefined, 0, 0, Bit.tracked);
    ix.add(l, 3, Code.ProtectOn, false, undefined, 0, 0, Bit.protected);
    ix.truncate(orderOfStep(3, false));
    assert.deepEqual(ix.entriesOf('vm1', 'gfn', 1).map((e) => [e.step, e.edit]), [[1, false], [3, true]]);
    assert.equal(ix.stateOf('vm1', 1), Bit.registered | Bit.tracked);
    ix.truncate(0);
    assert.equal(ix.size, 0);
    assert.equal(ix.stateOf('vm1', 1), 0);
  });

  it('thins the oldest steps past its budget and says so once', () => {
    const ix = new HistoryIndex(0); // the floor: 32 KiB
    const told: string[] = [];
    ix.onThinned = (t) => told.push(t);
    const l = ix.log('vm1', 'slot', 7);
    for (let s = 0; s < 5000; s++) {
      ix.setLine(s, 1);
      ix.add(l, s, Code.GuestStore, false, undefined, s);
    }
    assert.ok(ix.estimatedBytes <= 32 * 1024, `${ix.estimatedBytes} bytes`);
    assert.ok(ix.indexedFrom > 0);
    assert.equal(told.length, 1);
    assert.match(told[0], /steps before \d+ are no longer indexed/);
    const es = ix.entriesOf('vm1', 'slot', 7);
    assert.equal(es[es.length - 1].step, 4999, 'the newest entries are kept');
    assert.ok(es[0].step >= ix.indexedFrom);
    assert.equal(es[0].line, 1, 'lines survive thinning');
  });

  it('the indexer follows a run: traps, records, protection, shadow entries, post-shadow', () => {
    const { ix } = indexed(`vgpu vm1
pagetable vm1 root 0x100 pool 0x101..0x1ff
map vm1 va 0x0 gfn 0x800
shadow vm1 root 0x100
write vm1 gpa 0x103000 u32 0x00900003
submit vm1
`);
    const q = (subject: Parameters<typeof history>[1]['subject']): string[] => history(ix.index, { vgpu: 'vm1', subject }, 99, noEdit).entries.map((r) => `${r.step}:${r.fn ?? '-'}:${r.what}`);
    const entry0 = q({ kind: 'spt', gfn: 0x103, index: 0 });
    assert.ok(entry0.some((r) => /^4:ppgtt_set_post_shadow:entry 0 queued/.test(r)), entry0.join('\n'));
    assert.ok(entry0.some((r) => /^5:intel_vgpu_flush_post_shadow:entry 0 re-shadowed/.test(r)), entry0.join('\n'));
    const page = q({ kind: 'gfn', gfn: 0x103 });
    assert.ok(page.some((r) => /^3:ppgtt_alloc_spt_gfn:spt allocated/.test(r)), page.join('\n'));
    assert.ok(page.some((r) => /^4:kvmgt_page_track_write:TRAP: 4-byte store at offset 0x0, tracked record, ret 0/.test(r)), page.join('\n'));
    const shadow = history(ix.index, { vgpu: 'vm1', subject: { kind: 'spt', gfn: 0x103, index: 0 } }, 99, noEdit).entries.filter((r) => /shadow entry 0 written/.test(r.what));
    assert.deepEqual(shadow.map((r) => [r.before, r.after]), [['0x0', '0x1000800003'], ['0x1000800003', '0x100000003'], ['0x100000003', '0x1000900003']]);
  });

  it('an edit in the past re-indexes from the checkpoint before it; the answer matches a run with the edit written in', () => {
    const text = 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nlet a = 1\nwrite vm1 gpa 0x40000 u64 1\nlet b = 2\n';
    const { ix, tl } = indexed(text);
    tl.seek(2);
    const stmt = parse('enable vm1 gfn 0x40').program.statements[0];
    const exec = compileStatement(stmt, tl.interp.slotMap());
    tl.addEdit({ description: 'enable vm1 gfn 0x40', apply: (i) => void exec({ state: i.state, listener: null, stmt }) });
    ix.advance();
    const rows = history(ix.index, { vgpu: 'vm1', subject: { kind: 'gfn', gfn: 0x40 } }, 2, (s) => (s === 2 ? 'enable vm1 gfn 0x40' : undefined)).entries;
    const written = indexed('vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nlet a = 1\nwrite vm1 gpa 0x40000 u64 1\nlet b = 2\n').ix;
    const want = history(written.index, { vgpu: 'vm1', subject: { kind: 'gfn', gfn: 0x40 } }, 99, noEdit).entries;
    assert.deepEqual(rows.map((r) => [r.what, r.after]), want.map((r) => [r.what, r.after]));
    assert.equal(rows.find((r) => /marked tracked/.test(r.what))?.edit, 'enable vm1 gfn 0x40');
    assert.ok(rows.some((r) => /^TRAP/.test(r.what) && r.step === 3), 'the write after the edit traps');
  });

  it('a run that stops with a runtime error is fully indexed once the indexer reaches the error', () => {
    const { ix, tl } = indexed('vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nwrite vm1 gpa 0x40000 u64 1\nlet z = 0\nprint 1 / z\nlet a = 1\n');
    assert.ok(tl.interp.error, 'the run stopped with an error');
    assert.equal(ix.caughtUp, true);
    assert.ok(history(ix.index, { vgpu: 'vm1', subject: { kind: 'gfn', gfn: 0x40 } }, 99, noEdit).entries.some((r) => /^TRAP/.test(r.what)));
  });
});
