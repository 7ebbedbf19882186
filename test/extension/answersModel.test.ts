// The views' questions without VS Code: which history/why question each tree row asks, and the
// pieces of the quick pick's rows (the answers' text is the adapter's, as the console prints it).
import * as assert from 'node:assert/strict';
import { change, historyQuestion, where, whyQuestion } from '../../src/extension/common/answersModel';
import { entry, row, spt } from './fixtures';

describe('extension: questions from the views', () => {
  const session = { id: 's1' };

  it('a Page Track Table row asks about its gfn; a removed row too', () => {
    assert.deepEqual(historyQuestion({ kind: 'row', session, row: row({ vgpu: 'vm2', gfn: 0x103 }) } as never), { session, args: { vgpu: 'vm2', subject: { kind: 'gfn', gfn: 0x103 } } });
    assert.deepEqual(historyQuestion({ kind: 'removed', session, vgpu: 'vm1', gfn: 0x40 } as never)?.args.subject, { kind: 'gfn', gfn: 0x40 });
    assert.deepEqual(whyQuestion({ kind: 'row', session, row: row({ gfn: 0x20 }) } as never)?.args.subject, { kind: 'gfn', gfn: 0x20 });
  });

  it('a shadow table asks about its spt (why: its page), an entry about that entry; scratch and sub-tables of 2M splits ask nothing', () => {
    assert.deepEqual(historyQuestion({ kind: 'spt', session, spt: spt({ gfn: 0x103 }) } as never)?.args.subject, { kind: 'spt', gfn: 0x103 });
    assert.deepEqual(whyQuestion({ kind: 'spt', session, spt: spt({ gfn: 0x103 }) } as never)?.args.subject, { kind: 'gfn', gfn: 0x103 });
    const e = { kind: 'entry', session, table: spt({ gfn: 0x103 }), entry: entry({ index: 7 }) };
    assert.deepEqual(historyQuestion(e as never)?.args.subject, { kind: 'spt', gfn: 0x103, index: 7 });
    assert.deepEqual(whyQuestion(e as never)?.args.subject, { kind: 'spt', gfn: 0x103, index: 7 });
    assert.equal(historyQuestion({ kind: 'spt', session, spt: spt({ gfn: 0 }) } as never), undefined);
    assert.equal(historyQuestion({ kind: 'message', id: 'm', text: 'x' } as never), undefined);
    assert.equal(whyQuestion({ kind: 'vgpu', session, name: 'vm1' } as never), undefined);
    assert.equal(historyQuestion(undefined), undefined);
  });

  it('the quick pick shows where a row happened (FILE:LINE or the console edit) and its change', () => {
    const registered = { step: 1, line: 2, fn: 'intel_vgpu_register_page_track', what: 'page-track record registered', before: 'no record', after: 'registered', later: false };
    const edited = { step: 2, line: 0, edit: 'enable vm1 gfn 0x40', what: 'record marked tracked', before: 'registered', after: 'registered, tracked', later: false };
    const trap = { step: 3, line: 4, what: 'TRAP', before: 'x', after: 'x', later: false };
    assert.equal(where(registered, 'a.gvt'), 'a.gvt:2');
    assert.equal(where(edited, 'a.gvt'), 'console: enable vm1 gfn 0x40');
    assert.equal(change(registered), '[no record → registered]');
    assert.equal(change(edited), '[registered → registered, tracked]');
    assert.equal(change(trap), '[x]');
    assert.equal(change({ ...trap, before: '', after: '' }), '');
  });
});
