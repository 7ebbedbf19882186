// Stepping through the trap path: next, stepIn through kernel frames (with their sources),
// stepOut, stepBack and reverseContinue (snapshots + replay), pause, restartFrame, granularity.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { collectOutput, evaluate, frames, launch, lineOf, sample, scope, stackShape, step, topLine, variables, useDebugClient } from './dapHelpers';

const S05 = readFileSync(sample('05-shadow-ppgtt-lifecycle.gvt'), 'utf8');
const P05 = sample('05-shadow-ppgtt-lifecycle.gvt');
const MAP_2000 = lineOf(S05, 'map vm1 va 0x2000 gfn 0x802');
const SHADOW = lineOf(S05, 'shadow vm1 root 0x100');

describe('debug adapter: stepping', () => {
  let dc: DebugClient;
  const files = useDebugClient((c) => (dc = c));

  /** Steps in until the stack is back to the scenario frame; returns each distinct top frame in order. */
  async function stepThrough(): Promise<string[]> {
    const seen: string[] = [];
    for (let n = 0; n < 500; n++) {
      const shape = await stackShape(dc);
      if (shape.length === 1) return seen;
      if (seen[seen.length - 1] !== shape[0]) seen.push(shape[0]);
      await step(dc, 'stepIn');
    }
    assert.fail('never came back to the scenario frame');
  }

  it('next runs one statement at a time, one repeat body line per iteration', async () => {
    const p = files.write('loop.gvt', 'vgpu vm1\nrepeat 3 as i {\n  let x = i\n}\nlet y = 1\n');
    await launch(dc, p, { stopOnEntry: true });
    const lines: number[] = [];
    for (let n = 0; n < 5; n++) {
      await step(dc, 'next');
      lines.push(await topLine(dc));
    }
    assert.deepEqual(lines, [2, 3, 3, 3, 5]);
    assert.match((await frames(dc))[0].name, /let y = 1/);
  });

  it('quiet: next prints no trace, but a failed expect still reaches the Debug Console, at its line', async () => {
    const p = files.write('quiet.gvt', 'vgpu vm1\nwrite vm1 gpa 0x1000 u8 7\nexpect vm1 gpa 0x1000 u8 == 8\nexpect vm1 gpa 0x1000 u8 == 7\nlet y = 1\n');
    await launch(dc, p, { stopOnEntry: true, output: 'quiet', filters: [] });
    const out = collectOutput(dc);
    for (let n = 0; n < 2; n++) await step(dc, 'next');
    assert.equal(await topLine(dc), 3);
    await step(dc, 'next');
    assert.equal(await topLine(dc), 4, 'the step stopped after the failed expect');
    await step(dc, 'next');
    assert.equal(out.filter((o) => o.body.category === 'stdout').length, 0, 'no trace lines when quiet');
    const failed = out.filter((o) => /expect failed/.test(o.body.output));
    assert.equal(failed.length, 1, 'the failed expect, once; the one that held prints nothing');
    assert.equal(failed[0].body.line, 3);
  });

  it('stepIn on a trapped PTE write walks the trap path in kernel order, with sources', async () => {
    await launch(dc, P05, { lines: [{ line: MAP_2000 }] });
    assert.equal(await topLine(dc), MAP_2000);
    await step(dc, 'stepIn');
    const f = await frames(dc);
    assert.equal(f[f.length - 1].line, MAP_2000, 'the scenario frame stays at the bottom');
    const order = await stepThrough();
    const want = ['kvmgt_page_track_write', 'intel_vgpu_page_track_handler', 'ppgtt_write_protection_handler', 'ppgtt_handle_guest_write_page_table_bytes', 'ppgtt_handle_guest_write_page_table', 'ppgtt_handle_guest_entry_add', 'ppgtt_populate_shadow_entry'];
    let at = 0;
    for (const fn of order) if (fn === want[at]) at++;
    assert.equal(at, want.length, `kernel order: ${order.join(' > ')}`);
    assert.equal(await topLine(dc), MAP_2000 + 1, 'then the next statement');
  });

  it('each kernel frame has a read-only source explaining the function, with live arguments', async () => {
    await launch(dc, P05, { lines: [{ line: MAP_2000 }] });
    await step(dc, 'stepIn');
    while ((await stackShape(dc))[0] !== 'ppgtt_handle_guest_write_page_table') await step(dc, 'stepIn');
    const top = (await frames(dc))[0];
    assert.ok(top.source!.sourceReference! > 0);
    const src = (await dc.sourceRequest({ sourceReference: top.source!.sourceReference!, source: top.source })).body.content;
    assert.match(src, /^\/\/ ppgtt_handle_guest_write_page_table {2}\(gvt\/gtt\.c/);
    assert.match(src, /add it first|ADD it first/i);
    assert.match(src, /index = 0x2 \(2\)/);
    assert.ok(top.line > 1 && top.line <= src.split('\n').length);
  });

  it('stepOut returns to the caller; next from a kernel frame finishes the statement', async () => {
    await launch(dc, P05, { lines: [{ line: MAP_2000 }] });
    await step(dc, 'stepIn');
    while ((await stackShape(dc)).length < 5) await step(dc, 'stepIn');
    const deep = await stackShape(dc);
    await step(dc, 'stepOut');
    const out = await stackShape(dc);
    assert.equal(out.length, deep.length - 1);
    assert.deepEqual(out, deep.slice(1));
    await step(dc, 'next');
    assert.equal((await stackShape(dc)).length, 1);
    assert.equal(await topLine(dc), MAP_2000 + 1);
  });

  it('granularity instruction: next inside a kernel frame steps over callees, staying in the frame', async () => {
    await launch(dc, P05, { lines: [{ line: MAP_2000 }] });
    await step(dc, 'stepIn');
    const before = await stackShape(dc);
    await step(dc, 'next', { granularity: 'instruction' });
    const after = await stackShape(dc);
    assert.ok(after.length <= before.length && after.length > 1, `${before} -> ${after}`);
  });

  it('granularity instruction: stepIn on a statement with no kernel call is a plain step (no frameless inside)', async () => {
    await launch(dc, P05, { lines: [{ line: 8 }] }); // map before anything is shadowed: no kernel call
    const views = dc.waitForEvent('gvt/stateChanged');
    await step(dc, 'stepIn', { granularity: 'instruction' });
    assert.equal((await views).body.inKernel, false);
    assert.equal((await stackShape(dc)).length, 1);
    assert.equal(await topLine(dc), 9);
    const r = await dc.evaluateRequest({ expression: 'let zz = 1', context: 'repl' });
    assert.ok(r.success, 'a console statement is allowed: we are between statements');
  });

  it('stepIn on shadow enters get → create → shadow_ppgtt_mm → populate', async () => {
    await launch(dc, P05, { lines: [{ line: SHADOW }] });
    await step(dc, 'stepIn');
    const order = await stepThrough();
    assert.deepEqual(order.slice(0, 4), ['intel_vgpu_get_ppgtt_mm', 'intel_vgpu_create_ppgtt_mm', 'shadow_ppgtt_mm', 'ppgtt_populate_spt_by_guest_entry']);
    assert.ok(order.includes('ppgtt_alloc_spt_gfn') && order.includes('intel_vgpu_enable_page_track'));
  });

  it('stepBack really goes back: line and state as they were', async () => {
    await launch(dc, P05, { lines: [{ line: SHADOW + 1 }] });
    const tracks = async (): Promise<number> => Number((await dc.customRequest('gvt/trackTable', {})).body.total);
    assert.equal(await tracks(), 4);
    await step(dc, 'stepBack');
    assert.equal(await topLine(dc), SHADOW);
    assert.equal(await tracks(), 0, 'before shadow: nothing registered');
    await step(dc, 'stepBack');
    assert.equal(await topLine(dc), SHADOW - 2);
    await step(dc, 'next');
    await step(dc, 'next');
    assert.equal(await tracks(), 4, 'and forward again');
  });

  it('stepBack inside a statement goes to the previous kernel event, then to the statement', async () => {
    await launch(dc, P05, { lines: [{ line: MAP_2000 }] });
    await step(dc, 'stepIn');
    await step(dc, 'stepIn');
    await step(dc, 'stepIn');
    const three = await stackShape(dc);
    await step(dc, 'stepIn');
    await step(dc, 'stepBack');
    assert.deepEqual(await stackShape(dc), three);
    for (let n = 0; n < 10 && (await stackShape(dc)).length > 1; n++) await step(dc, 'stepBack');
    assert.deepEqual(await stackShape(dc), [`line ${MAP_2000}`]);
    assert.equal((await variables(dc, await scope(dc, 'vGPU'))).vm1, '0 traps');
  });

  it('stepBack to the beginning stops with reason entry', async () => {
    const p = files.write('short.gvt', 'vgpu vm1\nlet a = 1\n');
    await launch(dc, p, { stopOnEntry: true });
    await step(dc, 'next');
    await step(dc, 'stepBack');
    assert.equal((await step(dc, 'stepBack')).body.reason, 'entry');
    assert.equal(await topLine(dc), 1);
  });

  it('reverseContinue goes back to the last line breakpoint and to the last gfn breakpoint hit', async () => {
    const p = files.write('rc.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nrepeat 600 as i {\n  write vm1 gpa 0x40000 + (i % 512) * 8 u64 i\n}\nlet a = 1\nlet b = 2\n');
    await launch(dc, p, { lines: [{ line: 8 }] });
    await dc.setBreakpointsRequest({ source: { path: p }, breakpoints: [{ line: 7 }] });
    assert.equal((await step(dc, 'reverseContinue')).body.reason, 'breakpoint');
    assert.equal(await topLine(dc), 7);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'gfn 0x40' }] });
    await dc.setBreakpointsRequest({ source: { path: p }, breakpoints: [] });
    const stop = await step(dc, 'reverseContinue');
    assert.equal(stop.body.reason, 'function breakpoint');
    assert.equal((await variables(dc, await scope(dc, 'Locals'))).i.split(' ')[0], '0x257');
    assert.deepEqual((await stackShape(dc)).slice(0, 2), ['intel_vgpu_page_track_handler', 'kvmgt_page_track_write']);
    await step(dc, 'reverseContinue');
    assert.equal((await variables(dc, await scope(dc, 'Locals'))).i.split(' ')[0], '0x256');
  });

  it('pause interrupts a long continue', async () => {
    const p = files.write('long.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nrepeat 50000000 as i {\n  write vm1 gpa 0x40000 u64 i\n}\n');
    await launch(dc, p, { stopOnEntry: true });
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 150));
    assert.match((await dc.threadsRequest()).body.threads[0].name, /scenario/);
    const stopped = dc.waitForEvent('stopped');
    await dc.pauseRequest({ threadId: 1 });
    assert.equal((await stopped).body.reason, 'pause');
    assert.equal(await topLine(dc), 5);
  });

  it('restartFrame re-enters a kernel frame from its entry, or the statement from its start', async () => {
    await launch(dc, P05, { lines: [{ line: MAP_2000 }] });
    await step(dc, 'stepIn');
    while ((await stackShape(dc))[0] !== 'ppgtt_write_protection_handler') await step(dc, 'stepIn');
    const f = await frames(dc);
    const handler = f.find((x) => x.name.startsWith('intel_vgpu_page_track_handler'))!;
    const stopped = dc.waitForEvent('stopped');
    await dc.restartFrameRequest({ frameId: handler.id });
    assert.equal((await stopped).body.reason, 'restart');
    assert.deepEqual((await stackShape(dc)).slice(0, 2), ['intel_vgpu_page_track_handler', 'kvmgt_page_track_write']);
    const again = dc.waitForEvent('stopped');
    await dc.restartFrameRequest({ frameId: (await frames(dc)).slice(-1)[0].id });
    await again;
    assert.deepEqual(await stackShape(dc), [`line ${MAP_2000}`]);
  });

  it('goto STEP in the console travels the timeline', async () => {
    await launch(dc, P05, { lines: [{ line: MAP_2000 }] });
    const stopped = dc.waitForEvent('stopped');
    assert.match((await evaluate(dc, 'goto 2')).result, /going to step 2/);
    assert.equal((await stopped).body.reason, 'goto');
    assert.equal(await topLine(dc), lineOf(S05, 'map vm1 va 0x0 gfn 0x800'));
  });
});
