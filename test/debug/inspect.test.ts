// Inspecting a stop: scopes and variables, the console (walk, track, spt, mem, expressions,
// statements), completions, memory, setVariable, and the gvt/* custom requests and event.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ShadowTablesBody, StateChangedEventBody, TrackTableBody, TrapLogBody } from '../../src/debug/protocol';
import { evaluate, failure, frames, launch, lineOf, sample, scope, step, topLine, variables, useDebugClient } from './dapHelpers';

const S05 = readFileSync(sample('05-shadow-ppgtt-lifecycle.gvt'), 'utf8');
const P05 = sample('05-shadow-ppgtt-lifecycle.gvt');
const AFTER_MAP = lineOf(S05, 'map vm1 va 0x200000 gfn 0x900');

describe('debug adapter: inspecting', () => {
  let dc: DebugClient;
  const files = useDebugClient((c) => (dc = c));

  const stopAtMap = (): Promise<unknown> => launch(dc, P05, { lines: [{ line: AFTER_MAP }] });

  it('scopes: Locals, vGPU, Page-track table, Shadow PPGTT, Guest memory; kernel frames add Arguments', async () => {
    await stopAtMap();
    const names = (await dc.scopesRequest({ frameId: (await frames(dc))[0].id })).body.scopes.map((s) => s.name);
    assert.deepEqual(names, ['Locals', 'vGPU', 'Page-track table', 'Shadow PPGTT', 'Guest memory']);
    await step(dc, 'stepIn');
    const top = (await frames(dc))[0];
    const kernel = (await dc.scopesRequest({ frameId: top.id })).body.scopes;
    assert.equal(kernel[0].name, 'Arguments');
    assert.deepEqual(await variables(dc, kernel[0].variablesReference), { gpa: '0x102008', bytes: '0x8' });
  });

  it('Locals, vGPU and page-track variables, in hex unless asked for decimal', async () => {
    const p = files.write('loc.gvt', 'vgpu vm1\nlet base = 0x40000\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nrepeat 3 as i {\n  write vm1 gpa base + i*8 u64 i\n}\n');
    await launch(dc, p, { lines: [{ line: 6, condition: 'i == 2' }] });
    const locals = await variables(dc, await scope(dc, 'Locals'));
    assert.equal(locals.base, '0x40000');
    assert.equal(locals.i, '0x2 (iteration 3 of 3)');
    assert.equal(locals.trapped, 'true');
    const dec = (await dc.variablesRequest({ variablesReference: await scope(dc, 'Locals'), format: { hex: false } })).body.variables;
    assert.equal(dec.find((v) => v.name === 'base')!.value, '262144');
    const tracks = (await dc.variablesRequest({ variablesReference: await scope(dc, 'Page-track table') })).body.variables;
    assert.equal(tracks[0].indexedVariables, 1);
    const rows = await variables(dc, tracks[0].variablesReference);
    assert.deepEqual(rows, { '0x40': 'log tracked hits 2' });
  });

  it('the vGPU scope says whether the platform has 2M GTT pages (Gen8/Gen9 on 6.6+ split every 2M entry)', async () => {
    const p = files.write('platforms.gvt', 'vgpu vm1\nprint 1\nplatform gen9\nprint 2\n');
    await launch(dc, p, { lines: [{ line: 2 }, { line: 4 }] });
    const twoM = async (): Promise<string> => {
      const vm1 = (await dc.variablesRequest({ variablesReference: await scope(dc, 'vGPU') })).body.variables[0];
      return (await variables(dc, vm1.variablesReference))['2M GTT pages'];
    };
    assert.match(await twoM(), /^yes/, 'gen11, the default');
    await step(dc, 'continue');
    assert.match(await twoM(), /^no \(every 2M entry is split/, 'gen9, newest');
  });

  it('Shadow PPGTT: mm → PML4 → ... entries with guest and shadow side by side', async () => {
    await stopAtMap();
    const vm1 = (await dc.variablesRequest({ variablesReference: await scope(dc, 'Shadow PPGTT') })).body.variables[0];
    const mm = (await dc.variablesRequest({ variablesReference: vm1.variablesReference })).body.variables[0];
    assert.match(mm.name, /mm root 0x100/);
    assert.match(mm.value, /shadowed, active → PML4 spt/);
    let level = (await dc.variablesRequest({ variablesReference: mm.variablesReference })).body.variables;
    for (let depth = 0; depth < 3; depth++) {
      const entry = await variables(dc, level[0].variablesReference);
      assert.match(entry['shadow target'], /table spt mfn/);
      const child = (await dc.variablesRequest({ variablesReference: level[0].variablesReference })).body.variables.find((v) => v.name === 'child')!;
      level = (await dc.variablesRequest({ variablesReference: child.variablesReference })).body.variables;
    }
    assert.deepEqual(level.map((v) => v.name), ['[0]', '[1]', '[2]']);
    assert.match(level[1].value, /guest 0x801003 shadow 0x1000801003 → gfn 0x801/);
    assert.ok(level[1].memoryReference);
  });

  it('Guest memory lists touched pages and their non-zero words (with memory references)', async () => {
    await stopAtMap();
    const vm1 = (await dc.variablesRequest({ variablesReference: await scope(dc, 'Guest memory') })).body.variables[0];
    const pages = (await dc.variablesRequest({ variablesReference: vm1.variablesReference })).body.variables;
    const pt = pages.find((p) => p.name === 'gfn 0x103')!;
    assert.match(pt.value, /ppgtt, tracked/);
    const words = await variables(dc, pt.variablesReference);
    assert.deepEqual(words, { '[0x0]': '0x800003', '[0x8]': '0x801003', '[0x10]': '0x803003' });
  });

  it('console: walk, track, spt, mem, help', async () => {
    await stopAtMap();
    const walk = (await evaluate(dc, 'walk 0x2000')).result;
    assert.match(walk, /PML4 +gfn 0x100\[0\]/);
    assert.match(walk, /PT +gfn 0x103\[2\] = pfn 0x803 P\|RW +mfn 0x100007\[2\]/);
    assert.match(walk, /GPU read va 0x2000 -> mfn 0x1000803 \(guest gfn 0x803\)/);
    const track = await evaluate(dc, 'track vm1 0x103');
    assert.match(track.result, /handler ppgtt, tracked, write-protected, hits 2, priv spt PT mfn 0x100007/);
    assert.ok(track.variablesReference > 0);
    assert.match((await evaluate(dc, 'spt 0x103')).result, /PT spt mfn 0x100007 for gfn 0x103: refcount 1, 3 present/);
    const mem = await evaluate(dc, 'mem 0x103000 16');
    assert.equal(mem.result, '0000103000  03 00 80 00 00 00 00 00 03 10 80 00 00 00 00 00  ................');
    assert.equal(mem.memoryReference, 'vm1:gpa:0x103000');
    assert.match((await evaluate(dc, 'help')).result, /walk \[VGPU\] VA/);
    assert.match(await failure(evaluate(dc, 'mem')), /usage: mem/);
    assert.match(await failure(evaluate(dc, 'track vm1')), /usage: track/);
  });

  it('console: expressions over scenario names and pseudo-names; hover; watch', async () => {
    const p = files.write('expr.gvt', 'vgpu vm1\nlet base = 0x1000\nregister vm1 gfn 0x40 handler log\nregister vm1 gfn 0x40 handler log\nlet z = 0\n');
    await launch(dc, p, { lines: [{ line: 5 }] });
    assert.equal((await evaluate(dc, 'base * 2 + 1')).result, '0x2001 (8193)');
    assert.equal((await evaluate(dc, 'ret == -EEXIST')).result, '0x1 (1)');
    assert.match((await evaluate(dc, 'ret')).result, /-17 -EEXIST/);
    assert.equal((await evaluate(dc, 'base', 'hover')).result, '0x1000 (4096)');
    assert.match((await evaluate(dc, 'vm1', 'hover')).result, /vGPU vm1: 0 traps, 1 page-track records/);
    assert.equal((await evaluate(dc, 'step', 'watch')).result, '0x4 (4)');
    assert.match(await failure(evaluate(dc, 'nosuch + 1')), /'nosuch' is not known here/);
    assert.match(await failure(evaluate(dc, '1 / 0')), /division by zero/);
  });

  it('console: a statement runs now and becomes part of the history step-back replays', async () => {
    const p = files.write('stmt.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nlet a = 1\nlet b = 2\nlet c = 3\n');
    await launch(dc, p, { lines: [{ line: 4 }] });
    const r = await evaluate(dc, 'enable vm1 gfn 0x40');
    assert.match(r.result, /enable vm1 gfn 0x40 {2}\(recorded at step 3\)/);
    assert.match(r.result, /page track gfn 0x40 tracked/);
    const tracked = async (): Promise<boolean> => (await dc.customRequest('gvt/trackTable', {})).body.rows[0].tracked;
    assert.equal(await tracked(), true);
    await step(dc, 'next');
    await step(dc, 'stepBack');
    await step(dc, 'stepBack');
    assert.equal(await tracked(), false, 'before the edit');
    await step(dc, 'next');
    assert.equal(await tracked(), true, 'replayed');
    assert.match((await evaluate(dc, 'edits')).result, /step 3: enable vm1 gfn 0x40/);
    assert.match(await failure(evaluate(dc, 'repeat 2 {')), /.+/);
    assert.match(await failure(evaluate(dc, 'enable vm1 gfn 0x40', 'watch')), /only in the Debug Console/);
  });

  it('console: statements are refused inside a kernel call', async () => {
    await stopAtMap();
    await step(dc, 'stepIn');
    assert.match(await failure(evaluate(dc, 'failsafe vm1')), /not possible inside a kernel call/);
  });

  it('completions for commands, statements, names, vGPUs and gfns', async () => {
    await stopAtMap();
    const labels = async (text: string): Promise<string[]> => (await dc.completionsRequest({ text, column: text.length + 1, frameId: (await frames(dc))[0].id })).body.targets.map((t) => t.label);
    assert.deepEqual(await labels('tr'), ['track', 'trapped', 'traps']);
    assert.ok((await labels('wr')).includes('write'));
    assert.deepEqual(await labels('track vm1 0x10'), ['0x100', '0x101', '0x102', '0x103']);
    assert.ok((await labels('walk ')).includes('vm1'));
    assert.deepEqual(await labels('hi'), ['history']);
    assert.deepEqual(await labels('ed'), ['edits']);
    assert.deepEqual((await labels('history ')).filter((l) => ['gfn', 'gpa', 'spt', 'dma', 'vgpu'].includes(l)), ['gfn', 'gpa', 'spt', 'dma', 'vgpu']);
    assert.deepEqual(await labels('history vm1 g'), ['gfn', 'gpa']);
    assert.deepEqual(await labels('why vm1 g'), ['gfn', 'gpu']);
  });

  it('readMemory on guest memory and on shadow pages; unreadable past the end', async () => {
    await stopAtMap();
    const r = (await dc.send('readMemory', { memoryReference: 'vm1:gpa:0x103000', offset: 8, count: 8 })).body as NonNullable<DebugProtocol.ReadMemoryResponse['body']>;
    assert.equal(r.address, '0x103008');
    assert.deepEqual([...Buffer.from(r.data!, 'base64')], [0x03, 0x10, 0x80, 0, 0, 0, 0, 0]);
    const shadow = (await dc.send('readMemory', { memoryReference: 'vm1:spt:0x100007', offset: 8, count: 8 })).body as NonNullable<DebugProtocol.ReadMemoryResponse['body']>;
    assert.equal(Buffer.from(shadow.data!, 'base64').readBigUInt64LE(), 0x1000801003n);
    const end = (await dc.send('readMemory', { memoryReference: 'vm1:gpa:0x3fffff8', count: 16 })).body as NonNullable<DebugProtocol.ReadMemoryResponse['body']>;
    assert.equal(Buffer.from(end.data!, 'base64').length, 8);
    assert.equal(end.unreadableBytes, 8);
    assert.match(await failure(dc.send('readMemory', { memoryReference: 'nonsense', count: 4 })), /unknown memoryReference/);
  });

  it('writeMemory writes guest memory (memory + invalidated events) and is replayed after step-back', async () => {
    await stopAtMap();
    const memory = dc.waitForEvent('memory');
    const invalidated = dc.waitForEvent('invalidated');
    const w = (await dc.send('writeMemory', { memoryReference: 'vm1:gpa:0x500000', data: Buffer.from([1, 2, 3, 4]).toString('base64') })) as DebugProtocol.WriteMemoryResponse;
    assert.equal(w.body!.bytesWritten, 4);
    assert.deepEqual((await memory).body, { memoryReference: 'vm1:gpa:0x500000', offset: 0, count: 4 });
    await invalidated;
    await step(dc, 'stepBack');
    assert.equal((await evaluate(dc, 'mem 0x500000 4')).result.slice(12, 23), '00 00 00 00');
    await step(dc, 'next');
    assert.equal((await evaluate(dc, 'mem 0x500000 4')).result.slice(12, 23), '01 02 03 04');
  });

  it('writeMemory on a shadow page (a deliberate corruption the GPU walk then sees)', async () => {
    await stopAtMap();
    const entry = Buffer.alloc(8);
    entry.writeBigUInt64LE(0x1000900003n);
    await dc.send('writeMemory', { memoryReference: 'vm1:spt:0x100007', offset: 8, data: entry.toString('base64') });
    assert.match((await evaluate(dc, 'walk 0x1000')).result, /GPU read va 0x1000 -> mfn 0x1000900 \(guest gfn 0x900\)/);
    assert.match((await evaluate(dc, 'spt 0x103')).result, /\[1\] guest 0x801003 +shadow 0x1000900003 +≠ guest maps gfn 0x801, shadow reaches gfn 0x900/);
  });

  it('breakpointLocations lists the lines that hold a statement', async () => {
    await stopAtMap();
    const r = await dc.send('breakpointLocations', { source: { path: P05 }, line: 20, endLine: 26 });
    assert.deepEqual(r.body.breakpoints.map((b: { line: number }) => b.line), [22, 23, 24, 25]);
  });

  it('setVariable on a let name and on a guest memory word', async () => {
    const p = files.write('set.gvt', 'vgpu vm1\nlet a = 1\nwrite vm1 gpa 0x1000 u64 0x55\nlet b = a + 1\nlet c = 0\n');
    await launch(dc, p, { lines: [{ line: 4 }] });
    const locals = await scope(dc, 'Locals');
    assert.equal((await dc.setVariableRequest({ variablesReference: locals, name: 'a', value: '0x41' })).body.value, '0x41');
    const vm1 = (await dc.variablesRequest({ variablesReference: await scope(dc, 'Guest memory') })).body.variables[0];
    const page = (await dc.variablesRequest({ variablesReference: vm1.variablesReference })).body.variables.find((v) => v.name === 'gfn 0x1')!;
    await dc.setVariableRequest({ variablesReference: page.variablesReference, name: '[0x0]', value: '0x1234' });
    for (const name of ['[0x5000]', '[0x4]', '[0x1000]']) {
      assert.match(await failure(dc.setVariableRequest({ variablesReference: page.variablesReference, name, value: '1' })), /not a guest memory word of this page/, name);
    }
    await step(dc, 'next');
    assert.equal((await variables(dc, await scope(dc, 'Locals'))).b, '0x42');
    assert.match((await evaluate(dc, 'mem 0x1000 2')).result, /34 12/);
    assert.match(await failure(dc.setVariableRequest({ variablesReference: locals, name: 'nope', value: '1' })), /cannot be changed/);
  });

  it('gvt/trackTable: rows, paging, gfn filter, and what the last step changed', async () => {
    await stopAtMap();
    const t = (await dc.customRequest('gvt/trackTable', {})).body as TrackTableBody;
    assert.equal(t.total, 4);
    assert.deepEqual(t.rows.map((r) => r.gfnHex), ['0x100', '0x101', '0x102', '0x103']);
    assert.deepEqual(t.rows[3], { vgpu: 'vm1', gfn: 0x103, gfnHex: '0x103', handler: 'ppgtt', tracked: true, protected: true, stale: false, priv: 'spt PT mfn 0x100007', hits: 2, changed: true, line: 12 });
    const page = (await dc.customRequest('gvt/trackTable', { start: 1, count: 2 })).body as TrackTableBody;
    assert.deepEqual(page.rows.map((r) => r.gfn), [0x101, 0x102]);
    const some = (await dc.customRequest('gvt/trackTable', { gfnFrom: 0x102, gfnTo: 0x1ff })).body as TrackTableBody;
    assert.equal(some.total, 2);
    await step(dc, 'next');
    const after = (await dc.customRequest('gvt/trackTable', {})).body as TrackTableBody;
    assert.deepEqual(after.rows.filter((r) => r.changed).map((r) => r.gfnHex), ['0x102', '0x104']);
    assert.equal(after.rows.find((r) => r.gfn === 0x104)?.line, 32, 'registered by the map that wrote its PDE');
    assert.match(await failure(dc.customRequest('gvt/trackTable', { start: -1 })), /'start' must be a non-negative whole number/);
  });

  it('gvt/shadowTables: mm reference counts, the DMA cache by gfn, attach state', async () => {
    const S14 = readFileSync(sample('14-dma-pinning-and-cache.gvt'), 'utf8');
    await launch(dc, sample('14-dma-pinning-and-cache.gvt'), { lines: [{ line: lineOf(S14, 'gpu vm1 read va 0x600000') }] });
    const v = ((await dc.customRequest('gvt/shadowTables', {})).body as ShadowTablesBody).vgpus[0];
    assert.equal(v.mms[0].refs, 1);
    assert.equal(v.mms[0].rootType, 'L4');
    assert.deepEqual(v.dma.find((d) => d.gfn === 0x2200), { gfn: 0x2200, pages: 1, mfn: 0x1002200, refs: 1 }, 'the 4K mapping replaced the 2M one');
    assert.equal(v.dmaTotal, v.dma.length);
    assert.equal(v.attached, true);
  });

  it('gvt/trackTable: a record tracked but not protected after detach and attach is stale', async () => {
    const S13 = readFileSync(sample('13-detach-and-stale-records.gvt'), 'utf8');
    await launch(dc, sample('13-detach-and-stale-records.gvt'), { lines: [{ line: lineOf(S13, 'enable vm1 gfn 0x103') }] });
    const rows = ((await dc.customRequest('gvt/trackTable', {})).body as TrackTableBody).rows;
    const pt = rows.find((r) => r.gfn === 0x103)!;
    assert.deepEqual([pt.tracked, pt.protected, pt.stale], [true, false, true]);
  });

  it('gvt/shadowTables: overview, one spt by mfn with mismatches marked', async () => {
    await launch(dc, sample('06-partial-writes-and-submit.gvt'), { stopOnEntry: true });
    let body: ShadowTablesBody | undefined;
    for (let n = 0; n < 60; n++) {
      body = (await dc.customRequest('gvt/shadowTables', {})).body as ShadowTablesBody;
      const root = body.vgpus[0]?.mms[0]?.root;
      if (root && body.vgpus[0].unreachable.length === 0 && (await dc.customRequest('gvt/shadowTables', { mfn: root.mfn })).body.table.entries.length > 0) {
        const pt = await findMismatch(body);
        if (pt) return;
      }
      await step(dc, 'next');
    }
    assert.fail('no mismatch seen during the partial writes sample');
  });

  async function findMismatch(body: ShadowTablesBody): Promise<boolean> {
    const queue = [body.vgpus[0].mms[0].root!.mfn];
    while (queue.length) {
      const t = ((await dc.customRequest('gvt/shadowTables', { mfn: queue.shift() })).body as ShadowTablesBody).table!;
      for (const e of t.entries) {
        if (e.child) queue.push(e.child.mfn);
        if (e.mismatch) {
          assert.equal(e.postShadow, true);
          assert.match(e.mismatch, /shadow points at scratch \(a partial write waits for the post-shadow flush\)/);
          assert.equal(t.spt.mismatches > 0, true);
          return true;
        }
      }
    }
    return false;
  }

  it('gvt/trapLog lists the traps so far; gvt/stateChanged follows every stop', async () => {
    const p = files.write('log.gvt', 'vgpu vm1\nhandler bad returns -EFAULT\nregister vm1 gfn 0x40 handler bad\nenable vm1 gfn 0x40\nrepeat 5 as i {\n  write vm1 gpa 0x40000 + i u8 i\n}\nlet z = 0\n');
    const changed = dc.waitForEvent('gvt/stateChanged');
    await launch(dc, p, { lines: [{ line: 8 }] });
    const ev = (await changed).body as StateChangedEventBody;
    assert.equal(ev.reason, 'breakpoint');
    assert.equal(ev.line, 8);
    assert.deepEqual(ev.vgpus[0], { name: 'vm1', traps: 5, failsafe: false, oos: false, registered: 1, tracked: 1, spts: 0, mms: 0 });
    const log = (await dc.customRequest('gvt/trapLog', { last: 3 })).body as TrapLogBody;
    assert.equal(log.total, 5);
    assert.deepEqual(log.entries.map((e) => [e.gpa, e.line, e.record, e.handler, e.result, e.resultText]), [[0x40002, 6, 'tracked', 'bad', -14, '-EFAULT'], [0x40003, 6, 'tracked', 'bad', -14, '-EFAULT'], [0x40004, 6, 'tracked', 'bad', -14, '-EFAULT']]);
    await step(dc, 'stepBack');
    await step(dc, 'stepBack');
    assert.equal(((await dc.customRequest('gvt/trapLog', {})).body as TrapLogBody).entries.length, 3, 'two writes are not done yet');
    assert.equal(await topLine(dc), 6);
  });

  it('exceptionInfo without an exception is an error', async () => {
    await stopAtMap();
    assert.match(await failure(dc.exceptionInfoRequest({ threadId: 1 })), /not at an exception/);
    const r = await dc.send('source', { source: { path: P05 }, sourceReference: 0 } as DebugProtocol.SourceArguments);
    assert.match(r.body.content, /shadow vm1 root 0x100/);
  });
});
