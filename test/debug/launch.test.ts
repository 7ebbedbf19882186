// Launching, ending and restarting a scenario through the real adapter over stdio.

import * as assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, failure, frames, launch, sample, scope, step, topLine, variables, useDebugClient } from './dapHelpers';

describe('debug adapter: launch', () => {
  let dc: DebugClient;
  const files = useDebugClient((c) => (dc = c));

  it('announces its capabilities and the five exception filters', async () => {
    const r = await dc.initializeRequest({ adapterID: 'gvt', pathFormat: 'path' });
    const c = r.body!;
    for (const k of ['supportsStepBack', 'supportsFunctionBreakpoints', 'supportsConditionalBreakpoints', 'supportsHitConditionalBreakpoints', 'supportsLogPoints', 'supportsDataBreakpoints', 'supportsDataBreakpointBytes', 'supportsReadMemoryRequest', 'supportsWriteMemoryRequest', 'supportsSetVariable', 'supportsCompletionsRequest', 'supportsExceptionInfoRequest', 'supportsSteppingGranularity', 'supportsRestartRequest', 'supportsTerminateRequest'] as const) {
      assert.equal(c[k], true, k);
    }
    assert.deepEqual(c.exceptionBreakpointFilters!.map((f) => [f.filter, f.default]), [['expect-failed', true], ['handler-error', false], ['untracked-trap', false], ['gpu-fault', false], ['kernel-hazard', false]]);
  });

  it('stops on entry at the first statement', async () => {
    const p = sample('02-trap-and-handler.gvt');
    const stop = await launch(dc, p, { stopOnEntry: true });
    assert.equal(stop!.body.reason, 'entry');
    const f = await frames(dc);
    assert.equal(f.length, 1);
    assert.equal(f[0].source!.path, p);
    assert.equal(f[0].line, 5);
    assert.equal(f[0].name, 'vgpu vm1');
  });

  it('runs to the end without breakpoints: exit code 0, then terminated', async () => {
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await launch(dc, sample('05-shadow-ppgtt-lifecycle.gvt'), { noDebug: true });
    assert.equal((await exited).body.exitCode, 0);
    await terminated;
  });

  it('noDebug ignores breakpoints and exception filters; a failed expect gives exit code 1', async () => {
    // The expect runs after the first 200 statements, whose trace is printed in full: past that,
    // a failure is still shown.
    const p = files.write('fail.gvt', 'vgpu vm1\nrepeat 300 {\n  let z = 1\n}\nexpect vm1 traps == 3\nlet x = 1\n');
    const exited = dc.waitForEvent('exited');
    const out = collectOutput(dc);
    await launch(dc, p, { noDebug: true, lines: [{ line: 6 }] });
    assert.equal((await exited).body.exitCode, 1);
    const err = out.find((o) => o.body.category === 'stderr')!;
    assert.equal(err.body.output, `${p}:5:1: expect failed: expected vm1 traps == 3, got 0\n`);
    assert.equal(err.body.line, 5);
  });

  it('refuses a scenario with errors, listing them as file:line:col', async () => {
    const p = files.write('broken.gvt', 'vgpu vm1\nregister vm1 gfn 0x10 handler nosuch\nwrit vm1 gpa 0 u8 1\n');
    const msg = await failure(Promise.all([dc.configurationSequence(), dc.launchRequest({ program: p } as DebugProtocol.LaunchRequestArguments)]));
    assert.match(msg, /has errors and was not launched/);
    assert.match(msg, new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: error: .*nosuch`));
    assert.match(msg, /broken\.gvt:3:1: error: .*writ/);
    // The adapter is still there, and still not launched.
    assert.match(await failure(dc.stackTraceRequest({ threadId: 1 })), /send 'launch' first/);
  });

  it('refuses a program that does not exist, or no program at all', async () => {
    assert.match(await failure(dc.launchRequest({ program: files.dir + '/nope.gvt' } as DebugProtocol.LaunchRequestArguments)), /Cannot launch .*nope\.gvt': no such file/);
    assert.match(await failure(dc.launchRequest({ program: files.dir } as DebugProtocol.LaunchRequestArguments)), /directory/);
    assert.match(await failure(dc.launchRequest({} as DebugProtocol.LaunchRequestArguments)), /'program'.*is required/);
    assert.match(await failure(dc.launchRequest({ program: 'x.gvt', kernel: 'oldest' } as DebugProtocol.LaunchRequestArguments)), /'kernel' must be 'newest' or 'legacy'/);
  });

  it('stopAtEnd stops at the end; step back still works; continue then ends', async () => {
    const p = files.write('end.gvt', 'vgpu vm1\nlet a = 1\nlet b = 2\n');
    const stop = await launch(dc, p, { stopAtEnd: true });
    assert.equal(stop!.body.reason, 'end');
    assert.equal((await frames(dc))[0].name, 'end of scenario');
    assert.equal((await step(dc, 'stepBack')).body.reason, 'step');
    assert.equal(await topLine(dc), 3);
    await step(dc, 'next');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await terminated;
  });

  it('the kernel attribute overrides the scenario', async () => {
    await launch(dc, sample('02-trap-and-handler.gvt'), { stopOnEntry: true, kernel: 'legacy' });
    await step(dc, 'next');
    const vgpu = await variables(dc, await scope(dc, 'vGPU'));
    const vm1 = (await dc.variablesRequest({ variablesReference: (await dc.variablesRequest({ variablesReference: await scope(dc, 'vGPU') })).body.variables[0].variablesReference })).body.variables;
    assert.ok(vgpu.vm1);
    assert.equal(vm1.find((v) => v.name === 'profile')!.value, 'legacy');
  });

  it('trace: true logs the protocol to the Debug Console; output: frames shows kernel enters and leaves', async () => {
    const out: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e.body.output));
    const p = sample('02-trap-and-handler.gvt');
    await Promise.all([dc.configurationSequence(), dc.launchRequest({ program: p, stopOnEntry: true, trace: true, output: 'frames' } as DebugProtocol.LaunchRequestArguments), dc.waitForEvent('stopped')]);
    await dc.setBreakpointsRequest({ source: { path: p }, breakpoints: [{ line: 14 }] });
    await step(dc, 'continue');
    assert.ok(out.some((o) => o.startsWith('⇢ {') && o.includes('"command":"setBreakpoints"')), `requests are logged: ${out.slice(0, 3).join('')}`);
    assert.ok(out.some((o) => o.includes('    kvmgt_page_track_write(gpa=0x40018, bytes=0x8)')), 'frames in the trace');
  });

  it('restart starts over (stopping on entry again); terminate ends the session', async () => {
    const p = sample('02-trap-and-handler.gvt');
    await launch(dc, p, { stopOnEntry: true });
    await step(dc, 'next');
    await step(dc, 'next');
    assert.equal(await topLine(dc), 8);
    const stopped = dc.waitForEvent('stopped');
    await dc.restartRequest({ arguments: { program: p, stopOnEntry: true } } as DebugProtocol.RestartArguments);
    assert.equal((await stopped).body.reason, 'entry');
    assert.equal(await topLine(dc), 5);
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest();
    await terminated;
    assert.match(await failure(dc.nextRequest({ threadId: 1 })), /has ended/);
  });
});
