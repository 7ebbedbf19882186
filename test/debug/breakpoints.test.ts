// Line, gfn (function), data and exception breakpoints through the real adapter.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, launch, lineOf, sample, scope, stackShape, step, topLine, variables, useDebugClient } from './dapHelpers';

const sample03 = readFileSync(sample('03-handler-error.gvt'), 'utf8');
const sample10 = readFileSync(sample('10-gpu-faults-vs-scratch.gvt'), 'utf8');

const LOOP = `vgpu vm1
handler watch returns 0
register vm1 gfn 0x40 handler watch

# a comment line
enable vm1 gfn 0x40
repeat 10 as i {
  write vm1 gpa 0x40000 + i*8 u64 i
}
write vm1 gpa 0x41000 u32 7
let done = 1
`;

describe('debug adapter: breakpoints', () => {
  let dc: DebugClient;
  const files = useDebugClient((c) => (dc = c));
  const loop = files.write('loop.gvt', LOOP);
  const WRITE = lineOf(LOOP, 'write vm1 gpa 0x40000');

  const iAt = async (): Promise<string> => (await variables(dc, await scope(dc, 'Locals'))).i.split(' ')[0];

  describe('line breakpoints', () => {
    it('are verified on a statement, moved down from a comment or blank line, refused past the end', async () => {
      await launch(dc, loop, { stopOnEntry: true });
      const r = await dc.setBreakpointsRequest({ source: { path: loop }, breakpoints: [{ line: 3 }, { line: 4 }, { line: 5 }, { line: 9 }, { line: 40 }] });
      assert.deepEqual(r.body.breakpoints.map((b) => [b.verified, b.line]), [[true, 3], [true, 6], [true, 6], [true, 10], [false, 40]]);
      assert.match(r.body.breakpoints[4].message!, /no statement/);
    });

    it('inside repeat are hit on every iteration', async () => {
      const first = await launch(dc, loop, { lines: [{ line: WRITE }] });
      assert.equal(first!.body.reason, 'breakpoint');
      assert.equal(await topLine(dc), WRITE);
      assert.equal(await iAt(), '0x0');
      for (const want of ['0x1', '0x2', '0x3']) {
        assert.equal((await step(dc, 'continue')).body.reason, 'breakpoint');
        assert.equal(await iAt(), want);
      }
    });

    it('honour a condition in the DSL (i == 5), and the statement operands (gfn, bytes)', async () => {
      await launch(dc, loop, { lines: [{ line: WRITE, condition: 'i == 5' }] });
      assert.equal(await iAt(), '0x5');
      const terminated = dc.waitForEvent('terminated');
      await dc.continueRequest({ threadId: 1 });
      await terminated;
    });

    it('conditions may use the statement operands: bytes == 4 stops only at the u32 write', async () => {
      const last = lineOf(LOOP, 'write vm1 gpa 0x41000');
      await launch(dc, loop, { lines: [{ line: WRITE, condition: 'bytes == 4' }, { line: last, condition: 'bytes == 4 && gfn == 0x41' }] });
      assert.equal(await topLine(dc), last);
    });

    it('honour hit conditions (>= 3, then % 4)', async () => {
      await launch(dc, loop, { lines: [{ line: WRITE, hitCondition: '3' }] });
      assert.equal(await iAt(), '0x2');
      await dc.setBreakpointsRequest({ source: { path: loop }, breakpoints: [{ line: WRITE, hitCondition: '% 4' }] });
      await step(dc, 'continue');
      assert.equal(await iAt(), '0x3');
      await step(dc, 'continue');
      assert.equal(await iAt(), '0x7');
    });

    it('logpoints print with {expr} interpolation and do not stop', async () => {
      const out = collectOutput(dc);
      const terminated = dc.waitForEvent('terminated');
      await launch(dc, loop, { lines: [{ line: WRITE, logMessage: 'i={i} gpa={gpa} {{x}}' }], noStop: true });
      await terminated;
      const logs = out.filter((o) => o.body.category === 'console' && o.body.output.startsWith('i='));
      assert.equal(logs.length, 10);
      assert.equal(logs[2].body.output, 'i=0x2 gpa=0x40010 {x}\n');
      assert.equal(logs[2].body.line, WRITE);
    });

    it('a run sends its first 1,000 logpoint messages, then says the rest are not sent; the next run (a step in too) sends again', async () => {
      const text = 'vgpu vm1\nlet acc = 0\nrepeat 1500 as i {\n  let acc = acc + 1\n}\nlet done = 1\nlet twice = 2\nlet three = 3\n';
      const p = files.write('manylogs.gvt', text);
      const out = collectOutput(dc);
      await launch(dc, p, { lines: [{ line: 4, logMessage: 'acc={acc}' }, { line: 6 }], output: 'quiet' });
      const logs = out.filter((o) => o.body.output.startsWith('acc='));
      assert.equal(logs.length, 1000);
      assert.equal(out.filter((o) => /logpoint output paused after 1000 messages/.test(o.body.output)).length, 1);
      await dc.setBreakpointsRequest({ source: { path: p }, breakpoints: [{ line: 6, logMessage: 'again' }] });
      await step(dc, 'stepIn'); // runs line 6, right after the capped run: a step in is a run of its own
      assert.equal(out.filter((o) => o.body.output === 'again\n').length, 1, 'counted afresh');
    });

    it('an invalid condition, hit condition or log message leaves the breakpoint unverified with a reason', async () => {
      await launch(dc, loop, { stopOnEntry: true });
      const r = await dc.setBreakpointsRequest({ source: { path: loop }, breakpoints: [{ line: WRITE, condition: 'i ==' }, { line: WRITE, hitCondition: 'often' }, { line: WRITE, logMessage: 'x {i' }] });
      assert.deepEqual(r.body.breakpoints.map((b) => b.verified), [false, false, false]);
      assert.match(r.body.breakpoints[0].message!, /condition/);
      assert.match(r.body.breakpoints[1].message!, /hit condition 'often'/);
      assert.match(r.body.breakpoints[2].message!, /unclosed/);
    });
  });

  describe('gfn breakpoints', () => {
    it('stop when a store to the gfn traps, before the handler runs', async () => {
      const stop = await launch(dc, loop, { functions: [{ name: 'gfn 0x40' }] });
      assert.equal(stop!.body.reason, 'function breakpoint');
      assert.deepEqual(await stackShape(dc), ['intel_vgpu_page_track_handler', 'kvmgt_page_track_write', `line ${WRITE}`]);
      const rows = (await dc.customRequest('gvt/trackTable', { vgpu: 'vm1' })).body.rows;
      assert.equal(rows[0].hits, 0, 'the handler has not been called yet');
      await step(dc, 'continue');
      assert.equal(await iAt(), '0x1');
    });

    it('accept ranges, a vGPU, conditions and hit conditions; bad names are unverified with a message', async () => {
      await launch(dc, loop, { stopOnEntry: true });
      const r = await dc.setFunctionBreakpointsRequest({
        breakpoints: [{ name: 'gfn 0x41..0x50' }, { name: 'vm1 gfn 0x40', hitCondition: '== 4' }, { name: 'foo' }, { name: 'gfn 5..2' }, { name: 'vm9 gfn 1' }, { name: 'gfn' }],
      });
      assert.deepEqual(r.body.breakpoints.map((b) => b.verified), [true, true, false, false, false, false]);
      assert.match(r.body.breakpoints[2].message!, /gfn breakpoints are named 'gfn X', 'gfn A..B' or 'VGPU gfn X'/);
      assert.match(r.body.breakpoints[3].message!, /empty range/);
      assert.match(r.body.breakpoints[4].message!, /no vGPU named 'vm9'/);
      assert.equal((await step(dc, 'continue')).body.reason, 'function breakpoint');
      assert.equal(await iAt(), '0x3');
      // gfn 0x41 is written but never protected: no trap, so no stop; the == 4 breakpoint is done.
      const terminated = dc.waitForEvent('terminated');
      await dc.continueRequest({ threadId: 1 });
      await terminated;
    });

    it('conditions see the trap: gpa, gfn, bytes', async () => {
      const stop = await launch(dc, loop, { functions: [{ name: 'gfn 0x40', condition: 'gpa == 0x40010 && bytes == 8' }] });
      assert.equal(stop!.body.reason, 'function breakpoint');
      assert.equal(await iAt(), '0x2');
    });
  });

  describe('exception breakpoints', () => {
    it('expect-failed is on by default and stops at the failing expect', async () => {
      const p = files.write('expect.gvt', 'vgpu vm1\nlet a = 1\nexpect vm1 traps == 2\nlet b = 2\n');
      const stop = await launch(dc, p, {});
      assert.equal(stop!.body.reason, 'exception');
      assert.equal(await topLine(dc), 3);
      const info = (await dc.exceptionInfoRequest({ threadId: 1 })).body;
      assert.equal(info.exceptionId, 'expect-failed');
      assert.match(info.description!, /expected vm1 traps == 2, got 0/);
    });

    it('handler-error stops in the dispatcher with kernel function, gpa, bytes and code', async () => {
      const stop = await launch(dc, sample('03-handler-error.gvt'), { filters: ['handler-error'] });
      assert.equal(stop!.body.reason, 'exception');
      const shape = await stackShape(dc);
      assert.deepEqual(shape.slice(0, 2), ['intel_vgpu_page_track_handler', 'kvmgt_page_track_write']);
      const info = (await dc.exceptionInfoRequest({ threadId: 1 })).body;
      assert.equal(info.exceptionId, 'handler-error');
      assert.match(info.details!.message!, /kernel function: intel_vgpu_page_track_handler/);
      assert.match(info.details!.message!, /gpa: 0x10000 \(gfn 0x10\)/);
      assert.match(info.details!.message!, /bytes: 8/);
      assert.match(info.details!.message!, /code: -EFAULT/);
    });

    it('untracked-trap stops at a trap into a gfn without a tracked record', async () => {
      const stop = await launch(dc, sample('03-handler-error.gvt'), { filters: ['untracked-trap'] });
      assert.equal(stop!.body.reason, 'exception');
      assert.equal(await topLine(dc), lineOf(sample03, 'dispatch vm1 gpa 0x10000 bytes 4'));
      const info = (await dc.exceptionInfoRequest({ threadId: 1 })).body;
      assert.equal(info.exceptionId, 'untracked-trap');
      assert.match(info.description!, /missing/);
    });

    it('kernel-hazard stops at the post-shadow flush use-after-free, naming it', async () => {
      const sample15 = readFileSync(sample('15-post-shadow-use-after-free.gvt'), 'utf8');
      const stop = await launch(dc, sample('15-post-shadow-use-after-free.gvt'), { filters: ['kernel-hazard'] });
      assert.equal(stop!.body.reason, 'exception');
      const shape = await stackShape(dc);
      assert.equal(shape[0], 'intel_vgpu_flush_post_shadow');
      assert.equal(shape[shape.length - 1], `line ${lineOf(sample15, 'submit vm1')}`);
      const info = (await dc.exceptionInfoRequest({ threadId: 1 })).body;
      assert.equal(info.exceptionId, 'kernel-hazard');
      assert.match(info.description!, /use-after-free/);
      assert.match(info.description!, /list_for_each_safe/);
    });

    it('kernel-hazard is off by default: the same run ends without stopping', async () => {
      let stops = 0;
      dc.on('stopped', () => stops++);
      const ended = dc.waitForEvent('terminated');
      await launch(dc, sample('15-post-shadow-use-after-free.gvt'), { noStop: true });
      await ended;
      assert.equal(stops, 0);
    });

    it('gpu-fault stops in the GPU walk that faults', async () => {
      const stop = await launch(dc, sample('10-gpu-faults-vs-scratch.gvt'), { filters: ['gpu-fault'] });
      assert.equal(stop!.body.reason, 'exception');
      assert.deepEqual(await stackShape(dc), ['gpu_page_walk', `line ${lineOf(sample10, 'gpu vm1 read va 0x0')}`]);
      assert.match((await dc.exceptionInfoRequest({ threadId: 1 })).body.description!, /GPU page fault at va 0x0/);
    });

    it('a runtime error always stops (exception), and continuing ends the run with exit code 2', async () => {
      const p = files.write('rt.gvt', 'vgpu vm1 memory 64M\nrepeat 2 as i {\n  write vm1 gpa 0x3fff000 + i*0x1000 u32 1\n}\n');
      const stop = await launch(dc, p, { filters: [] });
      assert.equal(stop!.body.reason, 'exception');
      assert.equal((await dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'runtime-error');
      const exited = dc.waitForEvent('exited');
      await dc.continueRequest({ threadId: 1 });
      assert.equal((await exited).body.exitCode, 2);
    });

    it('unknown filters are reported unverified, known ones still apply', async () => {
      await launch(dc, loop, { stopOnEntry: true });
      const r = await dc.setExceptionBreakpointsRequest({ filters: ['gpu-fault', 'all'] });
      assert.deepEqual(r.body!.breakpoints!.map((b) => b.verified), [true, false]);
    });
  });

  describe('data breakpoints', () => {
    it('on a page-track row stop when the record changes (reason data breakpoint)', async () => {
      await launch(dc, loop, { stopOnEntry: true });
      await step(dc, 'next');
      await step(dc, 'next');
      await step(dc, 'next');
      const tracks = await scope(dc, 'Page-track table');
      const vm1 = (await dc.variablesRequest({ variablesReference: tracks })).body.variables[0];
      const info = (await dc.dataBreakpointInfoRequest({ variablesReference: vm1.variablesReference, name: '0x40' })).body;
      assert.equal(info.dataId, 'track:vm1:0x40');
      assert.deepEqual(info.accessTypes, ['write']);
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'write' }] });
      assert.equal(set.body.breakpoints[0].verified, true);
      const stop = await step(dc, 'continue');
      assert.equal(stop.body.reason, 'data breakpoint');
      assert.equal(await topLine(dc), lineOf(LOOP, 'enable vm1'));
      assert.deepEqual((await stackShape(dc))[0], 'intel_vgpu_enable_page_track');
    });

    it('by address stop at a guest store that overlaps', async () => {
      await launch(dc, loop, { stopOnEntry: true });
      const info = (await dc.dataBreakpointInfoRequest({ name: '0x40018', asAddress: true, bytes: 4 } as DebugProtocol.DataBreakpointInfoArguments)).body;
      assert.equal(info.dataId, 'mem:vm1:0x40018:4');
      const bad = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'read' }, { dataId: 'nonsense' }] });
      assert.deepEqual(bad.body.breakpoints.map((b) => b.verified), [false, false]);
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'write' }] });
      const stop = await step(dc, 'continue');
      assert.equal(stop.body.reason, 'data breakpoint');
      assert.equal(await iAt(), '0x3');
    });
  });
});
