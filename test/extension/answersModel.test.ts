// The views' questions without VS Code: which history/why question each tree row asks, and the
// answers as Debug Console text.
import * as assert from 'node:assert/strict';
import { historyQuestion, historyText, whyQuestion, whyText } from '../../src/extension/common/answersModel';
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

  it('answers as console text: rows with FILE:LINE or the console edit, the change, and what was left out', () => {
    const text = historyText({ title: 'vm1 gfn 0x40', vgpu: 'vm1', step: 9, total: 3, indexedFrom: 0, entries: [
      { step: 1, line: 2, fn: 'intel_vgpu_register_page_track', what: 'page-track record registered', before: 'no record', after: 'registered', later: false },
      { step: 2, line: 0, edit: 'enable vm1 gfn 0x40', what: 'record marked tracked', before: 'registered', after: 'registered, tracked', later: false },
      { step: 3, line: 4, what: 'TRAP', before: 'x', after: 'x', later: false },
    ], omitted: { count: 5, fromStep: 2, toStep: 3 } }, 'a.gvt');
    assert.equal(text, [
      'history of vm1 gfn 0x40: 3 entries; at step 9',
      '  step 1  a.gvt:2  intel_vgpu_register_page_track: page-track record registered  [no record → registered]',
      '  step 2  console: enable vm1 gfn 0x40  record marked tracked  [registered → registered, tracked]',
      '  step 3  a.gvt:4  TRAP  [x]',
      '  (5 more between steps 2 and 3: ask `history ... from STEP to STEP` in the Debug Console)',
    ].join('\n'));
    assert.equal(whyText({ state: 'S', vgpu: 'vm1', step: 4, chain: [{ step: 3, line: 7, text: 'T', fn: 'f' }, { line: 0, text: 'U' }] }, 'a.gvt'), 'why (vm1, step 4): S\n  step 3  a.gvt:7  f: T\n  now  U');
  });
});
