// What a debug session exports for a bug report, through a DebugClient and the CLI:
// gvt/exportTrace is the CLI's `run --json` (changes made while stopped included, at their
// positions); gvt/exportScenario writes a scenario that, run through the CLI, reaches the same
// state as the session at its stop (the facts the session shows become `expect` lines that must
// hold), and that a second session stopped at its end shows the same tables for.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ExportScenarioBody, ExportTraceBody, ShadowTablesBody, TrackTableBody, TrapLogBody } from '../../src/debug/protocol';
import { ROOT, evaluate, failure, launch, lineOf, sample, step, stoppedAfterConsoleEdit, useDebugClient } from './dapHelpers';

const BIN = join(ROOT, 'bin', 'gvt-scenario.js');

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The state a session shows, as facts to compare: page-track rows, shadow tables, trap counts. */
async function facts(dc: DebugClient): Promise<{ tracks: unknown[]; shadow: unknown[]; traps: number }> {
  const t = (await dc.customRequest('gvt/trackTable', {})).body as TrackTableBody;
  const s = (await dc.customRequest('gvt/shadowTables', {})).body as ShadowTablesBody;
  const l = (await dc.customRequest('gvt/trapLog', {})).body as TrapLogBody;
  const strip = ({ changed: _c, line: _l, ...rest }: Record<string, unknown>): unknown => rest;
  return { tracks: t.rows.map((r) => strip(r as unknown as Record<string, unknown>)), shadow: s.vgpus, traps: l.total };
}

/** The page-track rows as `expect` lines: the CLI checks them against its own run of the export. */
function expectsOf(t: TrackTableBody): string[] {
  return t.rows.map((r) => `expect ${r.vgpu} gfn ${r.gfnHex} ${r.stale ? 'stale' : r.tracked ? 'tracked' : 'untracked'}`);
}

describe('debug adapter: export trace and scenario', () => {
  let dc: DebugClient;
  const files = useDebugClient((c) => (dc = c));

  it('gvt/exportTrace at the end is the CLI\'s run --json, line for line', async () => {
    const p = sample('06-partial-writes-and-submit.gvt');
    await launch(dc, p, { stopAtEnd: true, output: 'quiet' });
    const b = (await dc.customRequest('gvt/exportTrace', { upTo: 'here' })).body as ExportTraceBody;
    const run = cli('run', '--json', p);
    assert.equal(run.code, 0, run.err);
    assert.equal(b.text, run.out);
    assert.equal(b.lines, run.out.trimEnd().split('\n').length);
    assert.match(await failure(dc.customRequest('gvt/exportTrace', { upTo: 'later' })), /'upTo' must be 'here' or 'all'/);
  });

  it('gvt/exportTrace up to a stop, with a change made while stopped at its position', async () => {
    await stoppedAfterConsoleEdit(dc, files);
    const lines = ((await dc.customRequest('gvt/exportTrace', {})).body as ExportTraceBody).text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const seq = lines.map((l) => `${l.statement}:${l.kind}`);
    assert.deepEqual(seq.slice(0, 4), ['register:record', 'register:ret', 'console:protect', 'console:record'], seq.join(' '));
    assert.ok(seq.includes('write:trap'), seq.join(' '));
    const edit = lines.find((l) => l.statement === 'console' && l.kind === 'record');
    assert.equal(edit?.edit, 'enable vm1 gfn 0x40');
    assert.equal(edit?.change, 'tracked');
    assert.ok(lines.findIndex((l) => l.statement === 'console') < lines.findIndex((l) => l.kind === 'trap'), 'the edit comes before the store it makes trap');
  });

  it('gvt/exportScenario: loops unrolled and console edits as statements; the CLI reaches the same state', async () => {
    const text = 'vgpu vm1\npagetable vm1 root 0x100 pool 0x101..0x1ff\nlet base = 0x2000\nrepeat 4 as i {\n  map vm1 va base + i * 0x1000 gfn 0x800 + i\n}\nshadow vm1 root 0x100\nrepeat 3 as j {\n  let k = j * 2\n  write vm1 gpa 0x103000 + (0x10 + k) * 8 u32 0x00900003 + (j << 12)\n}\nunmap vm1 va 0x2000\nlet done = 1\n';
    const p = files.write('loops.gvt', text);
    await launch(dc, p, { lines: [{ line: lineOf(text, 'unmap vm1 va 0x2000') }] });
    // Console edits: a statement and a guest memory word of an unprotected page.
    await evaluate(dc, 'register vm1 gfn 0x50 handler log');
    await evaluate(dc, 'enable vm1 gfn 0x50');
    await dc.send('writeMemory', { memoryReference: 'vm1:gpa:0x60000', data: Buffer.from([1, 2, 3, 4]).toString('base64') });
    const want = await facts(dc);
    const track = (await dc.customRequest('gvt/trackTable', {})).body as TrackTableBody;
    const b = (await dc.customRequest('gvt/exportScenario', {})).body as ExportScenarioBody;
    assert.match(b.text, /^# .*loops\.gvt as executed up to step \d+/);
    assert.match(b.text, /\nkernel newest\nplatform gen11\n/);
    assert.doesNotMatch(b.text, /repeat/, 'loops are unrolled');
    assert.equal(b.text.match(/^map vm1 va base \+ i \* 0x1000 gfn 0x800 \+ i/gm)?.length, 4);
    assert.match(b.text, /let i = 0x3\nmap vm1 va base/);
    assert.match(b.text, /let j = 0x2\nlet k = j \* 2/);
    assert.match(b.text, /register vm1 gfn 0x50 handler log {3}# typed in the Debug Console at step \d+\nenable vm1 gfn 0x50/);
    assert.match(b.text, /write vm1 gpa 0x60000 bytes 01 02 03 04 {3}# written in the memory view/);
    assert.doesNotMatch(b.text, /unmap/, 'the statement at the stop has not run');
    // Through the CLI: it checks clean, and every fact the session shows holds at its end.
    const out = files.write('exported.gvt', b.text + [...expectsOf(track), `expect vm1 traps == ${want.traps}`, 'expect vm1 gpa 0x60000 u32 == 0x04030201', 'expect gpu vm1 va 0x2000 -> gfn 0x800', 'expect vm1 gpa 0x103080 u32 == 0x900003'].join('\n') + '\n');
    assert.equal(cli('check', out).code, 0, cli('check', out).err);
    const run = cli('run', '--quiet', out);
    assert.equal(run.code, 0, run.out + run.err);
    // A second session on the export, stopped at its end, shows the very same tables.
    await dc.disconnectRequest({});
    const again = files.write('again.gvt', b.text);
    await dc.start();
    await dc.initializeRequest({ adapterID: 'gvt', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await launch(dc, again, { stopAtEnd: true, output: 'quiet' });
    assert.deepEqual(await facts(dc), want);
  });

  it('gvt/exportScenario of a sample stopped before submit keeps the post-shadow state', async () => {
    const p = sample('06-partial-writes-and-submit.gvt');
    const text = readFileSync(p, 'utf8');
    await launch(dc, p, { lines: [{ line: lineOf(text, 'submit vm1') }] });
    const want = await facts(dc);
    const b = (await dc.customRequest('gvt/exportScenario', {})).body as ExportScenarioBody;
    const out = files.write('pending.gvt', b.text + 'expect gpu vm1 va 0x0 scratch\n');
    const run = cli('run', '--quiet', out);
    assert.equal(run.code, 0, run.out + run.err);
    await dc.disconnectRequest({});
    await dc.start();
    await dc.initializeRequest({ adapterID: 'gvt', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await launch(dc, files.write('pending2.gvt', b.text), { stopAtEnd: true, output: 'quiet' });
    assert.deepEqual(await facts(dc), want);
  });

  it('gvt/exportScenario refuses what no statement can reproduce, and inside a kernel call', async () => {
    const p = files.write('prot.gvt', 'vgpu vm1\nregister vm1 gfn 0x40 handler log\nenable vm1 gfn 0x40\nlet a = 1\nlet b = 2\n');
    await launch(dc, p, { lines: [{ line: 4 }] });
    await dc.send('writeMemory', { memoryReference: 'vm1:gpa:0x40000', data: Buffer.from([9]).toString('base64') });
    assert.match(await failure(dc.customRequest('gvt/exportScenario', {})), /went around write protection; as a `write` statement it would trap/);
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await evaluate(dc, 'goto 2');
    await stopped;
    await step(dc, 'stepIn'); // into `enable`: intel_vgpu_enable_page_track
    assert.ok((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.length > 1, 'inside a kernel frame');
    assert.match(await failure(dc.customRequest('gvt/exportScenario', {})), /inside a kernel call/);
  });
});
