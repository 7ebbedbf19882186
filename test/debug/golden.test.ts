// Golden DAP transcripts: a scripted session on a sample, every message in arrival order, written
// as readable text so a behaviour change shows up as a diff. `UPDATE_GOLDEN=1 npm test` rewrites
// test/debug/golden/*.txt (review the diff before committing).

import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT, lineOf, sample } from './dapHelpers';
import { RawDapClient, type Message } from './rawDapClient';

const GOLDEN = join(ROOT, 'test', 'debug', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

/** One message as transcript text: paths relative to the repository, seq numbers left out, bodies indented. */
function render(dir: 'in' | 'out', m: Message): string {
  const json = (v: unknown): string => JSON.stringify(v, null, 2).split(ROOT).join('<root>');
  const block = (head: string, body: unknown): string => (body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0) ? head : `${head}\n${indent(json(body))}`);
  if (dir === 'out') {
    const r = m as DebugProtocol.Request;
    return block(`→ ${r.command}`, r.arguments);
  }
  if (m.type === 'response') {
    const r = m as DebugProtocol.Response;
    return r.success ? block(`← ${r.command}`, r.body) : `← ${r.command} ERROR ${json(r.message)}`;
  }
  const e = m as DebugProtocol.Event;
  if (e.event === 'output') {
    const b = e.body as DebugProtocol.OutputEvent['body'];
    const where = b.line !== undefined ? ` (line ${b.line})` : '';
    const text = b.output.replace(/\n$/, '').split(ROOT).join('<root>').split('\n').map((l) => `    | ${l}`).join('\n');
    return `← output ${b.category}${where}\n${text}`;
  }
  return block(`← event ${e.event}`, e.body);
}

const indent = (text: string): string => text.split('\n').map((l) => `    ${l}`).join('\n');

async function transcript(name: string, script: (c: RawDapClient) => Promise<void>): Promise<void> {
  const c = new RawDapClient();
  try {
    await script(c);
  } finally {
    c.stop();
  }
  const text = c.log.map((l) => render(l.dir, l.msg)).join('\n') + '\n';
  const file = join(GOLDEN, `${name}.txt`);
  if (update || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, text);
    if (!update) assert.fail(`${file} did not exist; it was written now: review and commit it`);
    return;
  }
  assert.equal(text, readFileSync(file, 'utf8'), `${name}: transcript differs (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Launch with breakpoints set during configuration; waits for the first stop and its state event. */
async function start(c: RawDapClient, program: string, config: (c: RawDapClient) => Promise<void>, stopOnEntry = false): Promise<void> {
  await c.request('initialize', { adapterID: 'gvt', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const launched = c.request('launch', { program, stopOnEntry });
  await c.event('initialized');
  await config(c);
  await c.request('configurationDone');
  await launched;
  await c.event('gvt/stateChanged');
}

/** A run-control request, then its stop (or the end). */
async function go(c: RawDapClient, command: string, args: object = {}): Promise<void> {
  await c.request(command, { threadId: 1, ...args });
  await c.wait((m) => m.type === 'event' && ['gvt/stateChanged', 'terminated'].includes((m as DebugProtocol.Event).event));
}

async function look(c: RawDapClient): Promise<void> {
  const st = await c.request('stackTrace', { threadId: 1 });
  const top = (st.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0];
  const scopes = await c.request('scopes', { frameId: top.id });
  const locals = (scopes.body as DebugProtocol.ScopesResponse['body']).scopes.find((s) => s.name === 'Locals')!;
  await c.request('variables', { variablesReference: locals.variablesReference });
}

describe('debug adapter: golden transcripts', () => {
  it('02-trap-and-handler: gfn breakpoint, step in through the trap, step back, console', async () => {
    const p = sample('02-trap-and-handler.gvt');
    await transcript('02-trap-and-handler', async (c) => {
      await start(c, p, async () => {
        await c.request('setFunctionBreakpoints', { breakpoints: [{ name: 'vm1 gfn 0x40' }] });
        await c.request('setExceptionBreakpoints', { filters: ['expect-failed'] });
      });
      await look(c);
      await go(c, 'stepIn');
      await look(c);
      await go(c, 'stepIn');
      await go(c, 'stepOut');
      await look(c);
      await go(c, 'next');
      await go(c, 'stepBack');
      await look(c);
      await c.request('evaluate', { expression: 'track vm1 0x40', context: 'repl' });
      await c.request('gvt/trackTable', {});
      await c.request('setFunctionBreakpoints', { breakpoints: [] });
      await go(c, 'continue');
    });
  });

  it('05-shadow-ppgtt-lifecycle: line breakpoint, stepping into shadow and the heart, views', async () => {
    const p = sample('05-shadow-ppgtt-lifecycle.gvt');
    const text = readFileSync(p, 'utf8');
    await transcript('05-shadow-ppgtt-lifecycle', async (c) => {
      await start(c, p, async () => {
        await c.request('setBreakpoints', { source: { path: p }, breakpoints: [{ line: lineOf(text, 'map vm1 va 0x2000 gfn 0x803') }, { line: lineOf(text, 'unshadow vm1 root 0x100') - 1 }] });
      });
      await look(c);
      await go(c, 'stepIn');
      for (let n = 0; n < 6; n++) await go(c, 'stepIn');
      await look(c);
      const st = await c.request('stackTrace', { threadId: 1 });
      const top = (st.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0];
      await c.request('source', { source: top.source, sourceReference: top.source!.sourceReference });
      await go(c, 'next');
      await c.request('evaluate', { expression: 'walk 0x2000', context: 'repl' });
      await c.request('gvt/shadowTables', {});
      await go(c, 'continue');
      await go(c, 'reverseContinue');
      await go(c, 'continue');
      await go(c, 'continue');
    });
  });
});
