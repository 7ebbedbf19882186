// A hostile or broken client (docs/limits.md): malformed frames, prototype-named commands, launch
// paths that are devices, pipes, folders or too large, absurd breakpoint counts, a history that
// would outgrow memory. Every request is answered, the adapter stays alive and responsive, and its
// memory stays bounded. Drives the real adapter process over raw stdio.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { RawDapClient } from './rawDapClient';
import { malformedFrames } from '../common/malformedFrames';

const MiB = 1024 * 1024;

/** A shadow that splits 8,192 2M entries over scattered host pages (line 10): thousands of tables in one statement. */
const SPLIT_16 = 'vgpu vm1 memory 16G\nbacking vm1 gfn 0x200..0x3ff scattered\nwrite vm1 gpa 0x1000 u64 0x2003\nrepeat 16 as p {\n  write vm1 gpa 0x2000 + p * 8 u64 ((0x1000 + p) << 12) | 3\n  repeat 512 as e {\n    write vm1 gpa (0x1000 + p) * 4096 + e * 8 u64 0x200083\n  }\n}\nshadow vm1 root 1\nprint 1\n';

describe('debug adapter: hostile input', () => {
  let c: RawDapClient;
  let dir: string;
  beforeEach(async () => {
    c = new RawDapClient();
    dir = mkdtempSync(join(tmpdir(), 'gvt-hostile-'));
    assert.equal((await c.request('initialize', { adapterID: 'gvt', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' })).success, true);
  });
  afterEach(() => {
    c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const responsive = async (): Promise<void> => {
    assert.equal((await c.request('threads')).success, true);
    assert.ok(c.alive);
  };

  for (const [name, bytes] of malformedFrames('{"seq":50,"type":"request","command":"threads"}')) {
    it(`keeps answering after ${name}`, async () => {
      c.writeBytes(bytes);
      await responsive();
    });
  }

  for (const command of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    it(`answers the command '${command}' with an error`, async () => {
      const r = await c.request(command, {});
      assert.equal(r.success, false);
      assert.match(r.message ?? '', new RegExp(`Unknown request '${command}'`));
      await responsive();
    });
  }

  /**
   * Writes a scenario, launches it (breakpoints on `lines`, then configurationDone) and returns its
   * first stop, which comes within `timeout`.
   */
  const launchStopped = async (name: string, text: string, args: Record<string, unknown>, lines: number[] = [], timeout = 30_000): Promise<DebugProtocol.StoppedEvent> => {
    const p = join(dir, name);
    writeFileSync(p, text);
    const stopped = c.event('stopped', timeout);
    const configured = c.event('initialized').then(async () => {
      if (lines.length) await c.request('setBreakpoints', { source: { path: p }, breakpoints: lines.map((line) => ({ line })) });
      await c.request('configurationDone');
    });
    assert.equal((await c.request('launch', { program: p, ...args })).success, true);
    await configured;
    return (await stopped) as DebugProtocol.StoppedEvent;
  };

  const launchError = async (args: Record<string, unknown>): Promise<string> => {
    const r = await c.request('launch', args);
    assert.equal(r.success, false);
    return (r as DebugProtocol.ErrorResponse).body?.error?.format ?? r.message ?? '';
  };

  it('refuses devices, pipes and folders as scenarios without reading them or blocking', async () => {
    assert.match(await launchError({ program: '/dev/zero' }), /not a regular file/);
    assert.match(await launchError({ program: '/dev/urandom' }), /not a regular file/);
    const fifo = join(dir, 'nobody-writes.gvt');
    execFileSync('mkfifo', [fifo]);
    assert.match(await launchError({ program: fifo }), /not a regular file/);
    assert.match(await launchError({ program: dir }), /directory/);
    await responsive();
    assert.ok(c.rssBytes() < 512 * MiB);
  });

  it('refuses a scenario over the size limit, naming the limit; limits.fileBytes changes it', async () => {
    const big = join(dir, 'big.gvt');
    writeFileSync(big, 'vgpu vm1\n' + '# padding\n'.repeat(2_000_000));
    assert.match(await launchError({ program: big }), /over the limit of 16777216 bytes/);
    assert.match(await launchError({ program: join(dir, '..', 'nope.gvt'), limits: { fileBytes: -1 } }), /limits.fileBytes/);
    const small = join(dir, 'small.gvt');
    writeFileSync(small, 'vgpu vm1\n');
    assert.match(await launchError({ program: small, limits: { fileBytes: 4 } }), /over the limit of 4 bytes/);
    assert.match(await launchError({ program: small, limits: { statements: 'many' } }), /limit 'statements' must be a positive whole number/);
    await responsive();
  });

  it('answers setBreakpoints with a million lines at once (an error naming the limit)', async () => {
    const r = await c.request('setBreakpoints', { source: { path: join(dir, 'x.gvt') }, breakpoints: Array.from({ length: 1_000_000 }, (_, i) => ({ line: i + 1 })) });
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /at most 10000/);
    await responsive();
  });

  it('a shadow past the host-table limit stops at its line with the limit named; the stack, the views and step back still answer', async () => {
    const e = await launchStopped('split.gvt', SPLIT_16, { output: 'quiet', limits: { hostTables: 100 } });
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.text ?? e.body.description ?? '', /limit of 100 shadow and scratch table pages/);
    const st = await c.request('stackTrace', { threadId: 1 });
    assert.equal((st.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0].line, 10);
    assert.equal((await c.request('gvt/shadowTables', {})).success, true);
    const back = c.event('stopped', 30_000);
    assert.equal((await c.request('stepBack', { threadId: 1 })).success, true);
    await back;
    await responsive();
  });

  it('stepping over a statement of millions of kernel events keeps the first 200,000 and says so; the adapter stays up', async function () {
    this.timeout(120_000);
    // 2,048 splits of 512 pages each: about 3 million kernel events, all in one `shadow`.
    const text = SPLIT_16.replace('repeat 16 as p', 'repeat 4 as p').replace('gfn 0x200..0x3ff', 'gfn 0x200..0x3ff');
    assert.equal((await launchStopped('split4.gvt', text, { output: 'trace' }, [10], 60_000)).body.reason, 'breakpoint');
    const stopped = c.event('stopped', 90_000);
    assert.equal((await c.request('next', { threadId: 1 })).success, true);
    await stopped;
    const said = c.log.some((l) => l.dir === 'in' && l.msg.type === 'event' && (l.msg as DebugProtocol.OutputEvent).event === 'output' && /more kernel events of this statement were not recorded \(the first 200000 were\)/.test((l.msg as DebugProtocol.OutputEvent).body.output));
    assert.ok(said, 'the trace says the recording was cut');
    await responsive();
  });

  for (const target of [3, 999_999]) {
    it(`a console goto ${target} with terminate pipelined behind it: nothing stops or runs after the end`, async () => {
      assert.equal((await launchStopped('g.gvt', 'vgpu vm1\nrepeat 1000 as i {\n  write vm1 gpa 0x1000 u64 i\n}\nprint 1\n', { stopOnEntry: true, output: 'quiet' })).body.reason, 'entry');
      c.drain();
      const terminated = c.event('terminated', 10_000);
      const goto = c.request('evaluate', { expression: `goto ${target}`, context: 'repl' });
      const term = c.request('terminate', {});
      await Promise.all([goto, term, terminated]);
      await new Promise((r) => setTimeout(r, 300));
      const after = c.log.slice(c.log.findIndex((l) => l.dir === 'in' && l.msg.type === 'event' && (l.msg as DebugProtocol.Event).event === 'terminated'));
      assert.ok(!after.some((l) => l.dir === 'in' && l.msg.type === 'event' && ['stopped', 'continued'].includes((l.msg as DebugProtocol.Event).event)), JSON.stringify(after.map((l) => (l.msg as DebugProtocol.Event).event)));
      const st = await c.request('stackTrace', { threadId: 1 });
      assert.match(st.message ?? '', /ended/);
    });
  }

  it('a run of heavy statements (each shadows 64 split 2M entries) still answers requests and pause within moments, not after 10,000 of them', async () => {
    const heavy = 'vgpu vm1 memory 16G\nbacking vm1 gfn 0x200..0x3ff scattered\nwrite vm1 gpa 0x1000 u64 0x2003\nwrite vm1 gpa 0x2000 u64 0x1000003\nrepeat 64 as e {\n  write vm1 gpa 0x1000000 + e * 8 u64 0x200083\n}\nrepeat 1000000 {\n  shadow vm1 root 1\n  unshadow vm1 root 1\n}\n';
    assert.equal((await launchStopped('heavy.gvt', heavy, { stopOnEntry: true, output: 'quiet' })).body.reason, 'entry');
    assert.equal((await c.request('continue', { threadId: 1 })).success, true);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    assert.equal((await c.request('threads')).success, true);
    const paused = c.event('stopped', 10_000);
    assert.equal((await c.request('pause', { threadId: 1 })).success, true);
    assert.equal(((await paused) as DebugProtocol.StoppedEvent).body.reason, 'pause');
    // Generous: a chunk is 50 ms of statements; 10,000 of these statements took over 5 s.
    assert.ok(Date.now() - t0 < 3000, `answered after ${Date.now() - t0} ms`);
  });

  it('memory written while stopped is kept up to a quarter of the history budget; past it writeMemory is refused and nothing changes', async () => {
    assert.equal((await launchStopped('w.gvt', 'vgpu vm1 memory 64M\nprint 1\n', { output: 'quiet', limits: { historyMiB: 4 } }, [2])).body.reason, 'breakpoint');
    const data = Buffer.alloc(600 * 1024, 7).toString('base64');
    assert.equal((await c.request('writeMemory', { memoryReference: 'vm1:gpa:0x0', data })).success, true);
    const second = await c.request('writeMemory', { memoryReference: 'vm1:gpa:0x100000', data });
    assert.equal(second.success, false);
    assert.match(second.message ?? '', /more than a quarter of the history's budget/);
    const read = await c.request('readMemory', { memoryReference: 'vm1:gpa:0x100000', count: 4 });
    assert.equal(Buffer.from((read.body as DebugProtocol.ReadMemoryResponse['body'])!.data!, 'base64').toString('hex'), '00000000');
    await responsive();
  });

  it('a client that takes 1.5 s to set its breakpoints and send configurationDone still stops at them', async () => {
    const p = join(dir, 'slow.gvt');
    writeFileSync(p, 'vgpu vm1\nprint 1\nprint 2\n');
    const stopped = c.event('stopped', 10_000);
    const configured = c.event('initialized').then(async () => {
      await new Promise((r) => setTimeout(r, 1500));
      await c.request('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 3 }] });
      await c.request('configurationDone');
    });
    assert.equal((await c.request('launch', { program: p, output: 'quiet' })).success, true);
    await configured;
    assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'breakpoint');
  });

  it('a logpoint message is cut past 64 KiB, with its length said', async () => {
    const p = join(dir, 'log.gvt');
    writeFileSync(p, 'let x = 1\nprint x\nprint 2\n');
    const done = c.event('terminated', 30_000);
    const configured = c.event('initialized').then(async () => {
      await c.request('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 2, logMessage: 'y'.repeat(70_000) }] });
      await c.request('configurationDone');
    });
    assert.equal((await c.request('launch', { program: p, output: 'quiet' })).success, true);
    await configured;
    await done;
    const texts = c.log.filter((l) => l.dir === 'in' && l.msg.type === 'event' && (l.msg as DebugProtocol.OutputEvent).event === 'output').map((l) => (l.msg as DebugProtocol.OutputEvent).body.output);
    const logged = texts.find((t) => t.startsWith('yyyy'));
    assert.ok(logged, texts.join('|').slice(0, 200));
    assert.equal(logged, `${'y'.repeat(65_536)}… (70000 characters)\n`);
  });

  /** The 8,192-split scenario, stopped before its `shadow` (line 10) with hostTables 100. */
  const beforeSplitShadow = async (): Promise<void> => {
    assert.equal((await launchStopped('split.gvt', SPLIT_16, { output: 'quiet', limits: { hostTables: 100 } }, [10])).body.reason, 'breakpoint');
  };

  it('a console statement past the host-table limit is refused with nothing changed (a limit stops the kernel path before its clean-up)', async () => {
    await beforeSplitShadow();
    const tables = async (): Promise<string> => JSON.stringify((await c.request('gvt/shadowTables', {})).body);
    const before = await tables();
    const r = await c.request('evaluate', { expression: 'shadow vm1 root 1', context: 'repl' });
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /not run, nothing changed: shadow tables: the limit of 100 shadow and scratch table pages/);
    assert.doesNotMatch(r.message ?? '', /[Ii]nternal error/);
    assert.equal(await tables(), before, 'the state is as it was');
    const edits = await c.request('evaluate', { expression: 'edits', context: 'repl' });
    assert.match((edits.body as { result: string }).result, /no edits/);
    const x = (await c.request('gvt/exportScenario', {})).body as { text: string };
    assert.match(x.text, /^# run with the debugger's limits: gvt-scenario run --limit hostTables=100 FILE$/m);
    await responsive();
  });

  it('step out of a kernel call that a limit stopped shows the exception stop', async () => {
    await beforeSplitShadow();
    for (let n = 0; n < 2; n++) {
      const s = c.event('stopped', 30_000);
      assert.equal((await c.request('stepIn', { threadId: 1 })).success, true);
      await s;
    }
    const out = c.event('stopped', 30_000);
    assert.equal((await c.request('stepOut', { threadId: 1 })).success, true);
    const e = (await out) as DebugProtocol.StoppedEvent;
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.text ?? e.body.description ?? '', /limit of 100 shadow and scratch table pages/);
    await responsive();
  });

  it('step in from the last kernel position before a limit error shows the exception stop', async () => {
    await beforeSplitShadow();
    const go = async (command: string): Promise<DebugProtocol.StoppedEvent> => {
      const s = c.event('stopped', 30_000);
      assert.equal((await c.request(command, { threadId: 1 })).success, true, command);
      return (await s) as DebugProtocol.StoppedEvent;
    };
    assert.equal((await go('continue')).body.reason, 'exception');
    await go('stepBack'); // inside the shadow, the last position before its error
    const e = await go('stepIn');
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.text ?? e.body.description ?? '', /limit of 100 shadow and scratch table pages/);
    await responsive();
  });

  it('a run over many guest pages keeps its history within the budget, and still steps back', async function () {
    this.timeout(60_000);
    await launchStopped('spread.gvt', 'vgpu vm1 memory 1G\nrepeat 300000 as i {\n  write vm1 gpa (i % 10000) * 4096 u64 i\n}\nprint 1\n', { limits: { historyMiB: 64 } }, [5], 60_000);
    const thinned = c.log.some((l) => l.dir === 'in' && l.msg.type === 'event' && (l.msg as DebugProtocol.OutputEvent).event === 'output' && /history: the checkpoints/.test((l.msg as DebugProtocol.OutputEvent).body.output));
    assert.ok(thinned, 'the Debug Console says the history was thinned');
    assert.ok(c.rssBytes() < 512 * MiB, `RSS ${Math.round(c.rssBytes() / MiB)} MiB`);
    const back = c.event('stopped', 30_000);
    assert.equal((await c.request('stepBack', { threadId: 1 })).success, true);
    await back;
    await responsive();
  });
});
