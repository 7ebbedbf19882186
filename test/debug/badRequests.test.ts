// A client's mistakes get error responses with clear messages, and the adapter keeps running.

import * as assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { failure, launch, sample, step, useDebugClient } from './dapHelpers';
import { RawDapClient } from './rawDapClient';
import { loadScenario } from '../../src/dsl/scenario';

describe('debug adapter: bad requests', () => {
  let dc: DebugClient;
  const files = useDebugClient((c) => (dc = c));

  const alive = async (): Promise<void> => {
    assert.equal((await dc.threadsRequest()).body.threads.length, 1);
  };

  it('unknown commands', async () => {
    assert.match(await failure(dc.send('frobnicate', {})), /Unknown request 'frobnicate'/);
    assert.match(await failure(dc.customRequest('gvt/nosuch')), /Unknown request 'gvt\/nosuch'/);
    await alive();
  });

  it('requests that need a launched scenario', async () => {
    for (const [cmd, args] of [['next', { threadId: 1 }], ['stackTrace', { threadId: 1 }], ['variables', { variablesReference: 1 }], ['evaluate', { expression: '1' }], ['gvt/trackTable', {}], ['readMemory', { memoryReference: 'vm1:gpa:0x0', count: 4 }]] as const) {
      assert.match(await failure(dc.send(cmd, args)), new RegExp(`'${cmd.replace('/', '\\/')}' needs a running scenario: send 'launch' first`), cmd);
    }
    await alive();
  });

  it('malformed arguments', async () => {
    await launch(dc, sample('02-trap-and-handler.gvt'), { stopOnEntry: true });
    const cases: Array<[string, unknown, RegExp]> = [
      ['scopes', {}, /'frameId' is required/],
      ['scopes', { frameId: 'one' }, /'frameId' must be a number/],
      ['scopes', { frameId: 99 }, /Unknown frameId 99/],
      ['variables', { variablesReference: 12345 }, /Unknown variablesReference 12345/],
      ['evaluate', {}, /'expression' is required/],
      ['evaluate', { expression: 'walk' }, /usage: walk/],
      ['setBreakpoints', { breakpoints: [] }, /'source' is required/],
      ['setBreakpoints', { source: { path: 'x' }, breakpoints: [{ line: 'two' }] }, /numeric line/],
      ['setFunctionBreakpoints', {}, /'breakpoints' is required/],
      ['setFunctionBreakpoints', { breakpoints: [{}] }, /needs a 'name'/],
      ['readMemory', { memoryReference: 'vm1:gpa:0x0' }, /'count' is required/],
      ['readMemory', { memoryReference: 'vm1:gpa:0x0', count: 1 << 30 }, /larger than/],
      ['writeMemory', { memoryReference: 'vm1:gpa:0x0', data: 7 }, /'data' must be a string/],
      ['source', { sourceReference: 777 }, /Unknown sourceReference 777/],
      ['gvt/shadowTables', { mfn: 'x' }, /'mfn' must be a non-negative whole number/],
      ['gvt/shadowTables', { mfn: 0.5 }, /'mfn' must be a non-negative whole number/],
      ['gvt/trackTable', { start: 0.5 }, /'start' must be a non-negative whole number/],
      ['gvt/trackTable', { count: 1e300 }, /'count' must be a non-negative whole number/],
      ['gvt/shadowTables', { vgpu: 'vm9' }, /no vGPU named 'vm9'/],
      ['completions', { text: 'x' }, /'column' is required/],
      ['restartFrame', { frameId: 42 }, /Unknown frameId 42/],
      ['gvt/history', {}, /subject/],
      ['gvt/history', { subject: { kind: 'page' } }, /'subject.kind' must be/],
      ['gvt/history', { subject: { kind: 'gfn', gfn: -1 } }, /gfn/],
      ['gvt/history', { subject: { kind: 'spt', gfn: 1, index: 512 } }, /index/],
      ['gvt/history', { subject: { kind: 'gfn', gfn: 1 }, limit: 'all' }, /limit/],
      ['gvt/why', { subject: { kind: 'spt', gfn: 1 } }, /index/],
      ['gvt/why', { subject: { kind: 'gfn', gfn: 1 }, vgpu: 'vm9' }, /vm9/],
      ['gvt/exportTrace', { upTo: 'later' }, /'upTo' must be 'here' or 'all'/],
      ['evaluate', { expression: 'history gfn', context: 'repl' }, /usage: history/],
      ['evaluate', { expression: 'why spt 0x100', context: 'repl' }, /usage: why|INDEX/],
    ];
    for (const [cmd, args, want] of cases) assert.match(await failure(dc.send(cmd, args)), want, `${cmd} ${JSON.stringify(args)}`);
    await alive();
  });

  it('arguments of the wrong type are refused before they are kept or used', async () => {
    // A condition that is not a string, set before launch, was kept and failed every launch after.
    for (const [cmd, args, want] of [
      ['setBreakpoints', { source: { path: sample('02-trap-and-handler.gvt') }, breakpoints: [{ line: 13, condition: 5 }] }, /'condition' must be a string/],
      ['setBreakpoints', { source: { path: sample('02-trap-and-handler.gvt') }, breakpoints: [{ line: 13, hitCondition: 3 }] }, /'hitCondition' must be a string/],
      ['setBreakpoints', { source: { path: sample('02-trap-and-handler.gvt') }, breakpoints: [{ line: 13, logMessage: {} }] }, /'logMessage' must be a string/],
      ['setBreakpoints', { source: { path: 5 }, breakpoints: [{ line: 13 }] }, /'source.path' must be a string/],
      ['setFunctionBreakpoints', { breakpoints: [{ name: 'gfn 0x40', hitCondition: 3 }] }, /'hitCondition' must be a string/],
      ['setExceptionBreakpoints', { filters: [], filterOptions: 'abc' }, /'filterOptions' must be an array/],
    ] as const) {
      assert.match(await failure(dc.send(cmd, args)), want, `${cmd} ${JSON.stringify(args)}`);
    }
    await launch(dc, sample('02-trap-and-handler.gvt'), { stopOnEntry: true });
    const cases: Array<[string, unknown, RegExp]> = [
      ['source', { source: { path: 5 } }, /a sourceReference of a kernel frame, or the scenario's path/],
      ['readMemory', { memoryReference: 'vm1:gpa:0x0', count: 4, offset: '5' }, /'offset' must be a whole number/],
      ['readMemory', { memoryReference: 'vm1:gpa:0x0', count: 4, offset: 2.5 }, /'offset' must be a whole number/],
      ['readMemory', { memoryReference: 'vm1:gpa:0x0', count: -5 }, /'count' must be a whole number \(0 or more\)/],
      ['writeMemory', { memoryReference: 'vm1:gpa:0x3fff000', offset: '0', data: 'AAAAAA==' }, /'offset' must be a whole number/],
      ['stackTrace', { threadId: 1, startFrame: -1 }, /'startFrame' must be a whole number/],
      ['stackTrace', { threadId: 1, levels: 'all' }, /'levels' must be a whole number/],
      ['dataBreakpointInfo', { name: '0x1000', bytes: 1.5 }, /bytes must be a whole number/],
      ['gvt/history', { subject: { kind: 'spt', gfn: 2 ** 46 } }, /gfn 0x400000000000 is beyond any guest/],
      ['gvt/why', { subject: { kind: 'gfn', gfn: 2 ** 53 - 1 } }, /beyond any guest/],
      ['evaluate', { expression: 'history vm1 spt 0x400000000000', context: 'repl' }, /beyond any guest/],
      ['evaluate', { expression: 'kernel legacy', context: 'repl' }, /`kernel` stands only on the first line/],
      ['readMemory', { memoryReference: `vm1:gpa:0x${'f'.repeat(300)}`, count: 4 }, /unknown memoryReference/],
      ['gvt/trackTable', { vgpu: 'nosuch' }, /no vGPU named 'nosuch'/],
      ['gvt/trackTable', { vgpu: 5 }, /'vgpu' must be a string/],
      ['gvt/trapLog', { vgpu: 'nosuch' }, /no vGPU named 'nosuch'/],
      ['gvt/shadowTables', { vgpu: {} }, /'vgpu' must be a string/],
    ];
    for (const [cmd, args, want] of cases) assert.match(await failure(dc.send(cmd, args)), want, `${cmd} ${JSON.stringify(args)}`);
    // The launch was not poisoned by the refused breakpoints, and an in-range history still answers.
    const h = await dc.customRequest('gvt/history', { subject: { kind: 'spt', gfn: 2 ** 39 } });
    assert.equal(h.success, true);
    await alive();
  });

  it('a launch refuses a historyMiB that is not a positive whole number', async () => {
    for (const historyMiB of ['lots', 0, 1.5]) {
      const r = (await dc.send('launch', { program: sample('02-trap-and-handler.gvt'), limits: { historyMiB } }).catch((e: Error) => e)) as Error;
      assert.match(r.message, /'limits.historyMiB' must be a positive whole number/, String(historyMiB));
    }
    await alive();
  });

  it('goto far ahead runs in chunks: requests are served meanwhile and pause stops it', async () => {
    const p = files.write('long.gvt', 'vgpu vm1\nrepeat 50000000 as i {\n  let x = i\n}\nprint 1\n');
    await launch(dc, p, { stopOnEntry: true, output: 'quiet' });
    const paused = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const continued = dc.waitForEvent('continued');
    await dc.evaluateRequest({ expression: 'goto 90000000', context: 'repl' });
    await continued; // the client shows the run going on, with its Pause button
    // While it runs, a request is answered (refused: the scenario is running) instead of waiting for the end.
    assert.match(await failure(dc.send('evaluate', { expression: 'x', context: 'repl' })), /needs the scenario to be stopped/);
    await dc.send('pause', { threadId: 1 });
    const e = await paused;
    assert.equal(e.body.reason, 'pause');
    await alive();
  });

  it('a console goto with another run pipelined behind it does nothing, saying so: never two runs at once', async () => {
    const p = files.write('long2.gvt', 'vgpu vm1\nrepeat 50000000 as i {\n  let x = i\n}\nprint 1\n');
    const raw = new RawDapClient();
    const frame = (seq: number, command: string, args: unknown): string => {
      const t = JSON.stringify({ seq, type: 'request', command, arguments: args });
      return `Content-Length: ${Buffer.byteLength(t)}\r\n\r\n${t}`;
    };
    const stepNow = async (): Promise<string> => (await raw.request('evaluate', { expression: 'step', context: 'repl' })).body.result as string;
    try {
      await raw.request('initialize', { adapterID: 'gvt' });
      const launched = raw.request('launch', { program: p, stopOnEntry: true, output: 'quiet' });
      await raw.event('initialized');
      await raw.request('configurationDone');
      await launched;
      await raw.event('stopped');
      // Two far gotos in one write: the second must not start a second run beside the first.
      raw.writeBytes(frame(100, 'evaluate', { expression: 'goto 90000000', context: 'repl' }) + frame(101, 'evaluate', { expression: 'goto 80000000', context: 'repl' }));
      await raw.wait((m) => m.type === 'event' && (m as DebugProtocol.OutputEvent).event === 'output' && /goto 80000000 not done/.test((m as DebugProtocol.OutputEvent).body.output));
      raw.drain();
      await raw.request('pause', { threadId: 1 });
      assert.equal((await raw.event('stopped')).body.reason, 'pause');
      const at = await stepNow();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await stepNow(), at, 'stopped means stopped: nothing runs on');
      // A goto and a continue in one write: the continue wins, the goto says it did nothing.
      raw.drain();
      raw.writeBytes(frame(102, 'evaluate', { expression: 'goto 0', context: 'repl' }) + frame(103, 'continue', { threadId: 1 }));
      await raw.wait((m) => m.type === 'event' && (m as DebugProtocol.OutputEvent).event === 'output' && /goto 0 not done/.test((m as DebugProtocol.OutputEvent).body.output));
      await raw.request('pause', { threadId: 1 });
      assert.equal((await raw.event('stopped')).body.reason, 'pause');
      const at2 = await stepNow();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await stepNow(), at2);
      assert.ok(raw.alive);
    } finally {
      raw.stop();
    }
  });

  it('a console statement that failed is exported as a comment: the exported scenario checks', async () => {
    await launch(dc, sample('02-trap-and-handler.gvt'), { stopOnEntry: true });
    await step(dc, 'next');
    const r = await dc.evaluateRequest({ expression: 'vgpu vm1', context: 'repl' }).catch((e: Error) => e);
    assert.match(r instanceof Error ? r.message : JSON.stringify(r.body), /already/);
    const x = (await dc.customRequest('gvt/exportScenario', {})).body as { text: string };
    assert.match(x.text, /^# step 1: typed in the Debug Console, failed there \(.*already.*\): vgpu vm1$/m);
    assert.doesNotMatch(x.text, /^vgpu vm1 {3}# typed/m);
    const checked = loadScenario('exported.gvt', x.text);
    assert.deepEqual(checked.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  });

  it('a console statement that failed after changing the state cannot be exported: the export says so', async () => {
    const p = files.write('pool.gvt', 'vgpu vm1\npagetable vm1 root 0x100 pool 0x101..0x104\nmap vm1 va 0 gfn 0x800\nprint 1\n');
    await launch(dc, p, { lines: [{ line: 4 }] });
    // The pool's last page becomes a page directory, then no page is left for its page table.
    const r = await dc.evaluateRequest({ expression: 'map vm1 va 1 << 30 gfn 0x801', context: 'repl' }).catch((e: Error) => e);
    assert.match(r instanceof Error ? r.message : JSON.stringify(r.body), /pool .* is full/);
    assert.match(await failure(dc.customRequest('gvt/exportScenario', {})), /failed partway \(.*pool .* is full.*\) after changing the state/);
  });

  it('readMemory reads before a gpa reference with a negative offset, as the memory view does scrolling up', async () => {
    await launch(dc, sample('02-trap-and-handler.gvt'), { stopOnEntry: true });
    await step(dc, 'next');
    const r = await dc.send('readMemory', { memoryReference: 'vm1:gpa:0x1000', offset: -8, count: 8 });
    assert.equal((r.body as DebugProtocol.ReadMemoryResponse['body'])!.address, '0xff8');
  });

  it('out of order: launching twice, inspecting while running', async () => {
    await launch(dc, sample('02-trap-and-handler.gvt'), { stopOnEntry: true });
    assert.match(await failure(dc.launchRequest({ program: sample('02-trap-and-handler.gvt') } as DebugProtocol.LaunchRequestArguments)), /already launched/);
    await step(dc, 'next');
    await alive();
  });

  it('breakpoints in another file are unverified', async () => {
    await launch(dc, sample('02-trap-and-handler.gvt'), { stopOnEntry: true });
    const r = await dc.setBreakpointsRequest({ source: { path: '/elsewhere/other.gvt' }, breakpoints: [{ line: 3 }] });
    assert.equal(r.body.breakpoints[0].verified, false);
    assert.match(r.body.breakpoints[0].message!, /only the launched scenario/);
  });

  it('malformed messages on the wire are answered or ignored, never fatal', async () => {
    const raw = new RawDapClient();
    try {
      raw.sendRaw('{ this is not json');
      raw.sendRaw('null');
      raw.sendRaw(JSON.stringify({ type: 'request', seq: 5 }));
      raw.sendRaw(JSON.stringify({ type: 'request', seq: 6, command: 'threads', arguments: 'nope' }));
      const r5 = (await raw.wait((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === 5)) as DebugProtocol.Response;
      assert.equal(r5.success, false);
      assert.match(r5.message!, /a request needs a numeric seq and a command/);
      const r6 = (await raw.wait((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === 6)) as DebugProtocol.Response;
      assert.match(r6.message!, /arguments must be an object/);
      const t = await raw.request('threads');
      assert.equal(t.success, true);
      assert.ok(raw.alive);
    } finally {
      raw.stop();
    }
  });
});
