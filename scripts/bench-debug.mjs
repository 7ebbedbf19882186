// Debug adapter benchmark (not a test): builds, then drives dist/debugAdapter.js over stdio with a
// raw DAP client and measures what a user feels.
//   next round trip      request → stopped event, 200 steps over a trapped-write loop; reference: a
//                        bare DAP round trip (`threads` request → response), interleaved with them
//   continue to gfn bp   1 M trapped writes, then a write to another protected gfn with a gfn breakpoint;
//                        reference for the PPGTT one: the CLI on the same scenario (`run --quiet`
//                        wall time minus the median CLI start-up on a one-line scenario)
//   stepBack late        step back from the end of that 1 M-step run (restore checkpoint + replay)
//   stepBack mid-run     `goto` the middle of the run, then step back
//   history              `history` questions over a 1 M-step PPGTT run once its history index
//                        caught up, and the first question right after the stop (which indexes
//                        the steps the background indexer has not reached yet)
// Targets (issue 3): next ≤ 2 ms median, continue ≤ 0.5 s, stepBack ≤ 50 ms. Issue 11: next ≤ 1.3× a
// bare DAP round trip and p95 ≤ 2× its median; PPGTT continue ≤ 1.2× the CLI; stepBack late ≤ 2 ms
// median and ≤ 10 ms max. Issue 10: a history question over a 1 M-step run ≤ 200 ms.
import { spawn, spawnSync } from 'node:child_process';
import { report, row, stats, target } from './bench-report.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ADAPTER = new URL('../dist/debugAdapter.js', import.meta.url).pathname;
const built = spawnSync(process.execPath, [new URL('./build.mjs', import.meta.url).pathname], { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
if (built.status !== 0) throw new Error('build failed');

class Client {
  constructor() {
    this.proc = spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.buf = Buffer.alloc(0);
    this.seq = 1;
    this.waiters = [];
    this.proc.stdout.on('data', (d) => this.data(d));
  }
  data(d) {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const head = this.buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const len = Number(/Content-Length: (\d+)/.exec(this.buf.subarray(0, head).toString())[1]);
      if (this.buf.length < head + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(head + 4, head + 4 + len).toString());
      this.buf = this.buf.subarray(head + 4 + len);
      const i = this.waiters.findIndex((w) => w.match(msg));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(msg);
    }
  }
  wait(match) {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
  event(name) {
    return this.wait((m) => m.type === 'event' && m.event === name);
  }
  request(command, args) {
    const seq = this.seq++;
    const text = JSON.stringify({ seq, type: 'request', command, arguments: args });
    const response = this.wait((m) => m.type === 'response' && m.request_seq === seq);
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    return response.then((r) => (r.success ? r : Promise.reject(new Error(`${command}: ${r.message}`))));
  }
  /** request → stopped event, in ms. */
  async timed(command, args = {}) {
    const stopped = this.event('stopped');
    const t0 = performance.now();
    await this.request(command, { threadId: 1, ...args });
    const e = await stopped;
    return { ms: performance.now() - t0, reason: e.body.reason };
  }
  async launch(program, configure = async () => {}) {
    await this.request('initialize', { adapterID: 'gvt', pathFormat: 'path' });
    const launched = this.request('launch', { program, stopOnEntry: true, output: 'quiet' });
    await this.event('initialized');
    await configure();
    const stopped = this.event('stopped');
    await this.request('configurationDone');
    await launched;
    await stopped;
  }
  stop() {
    this.proc.kill();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gvt-bench-debug-'));
const rows = [];

try {
  // 1. next round trip over a loop of trapped PTE writes into a shadowed page table.
  {
    const file = join(dir, 'next.gvt');
    writeFileSync(file, `vgpu vm1
pagetable vm1 root 0x100 pool 0x101..0x1ff
map vm1 va 0x0 gfn 0x800
shadow vm1 root 0x100
repeat 100000 as i {
  write vm1 gpa 0x103000 + (i % 512) * 8 u64 ((0x800 + i % 1024) << 12) | 3
}
`);
    const c = new Client();
    await c.launch(file);
    for (let n = 0; n < 30; n++) await c.timed('next');
    const times = [];
    const bare = [];
    for (let n = 0; n < 200; n++) {
      times.push((await c.timed('next')).ms);
      const t0 = performance.now();
      await c.request('threads');
      bare.push(performance.now() - t0);
    }
    const s = stats(times);
    const ref = stats(bare).median;
    rows.push(row('`next` round trip (request → stopped)', 'a 100 k `repeat` of trapped PTE writes into a shadowed PT page; 200 steps after 30 warm-up', 'ms', times,
      [target('≤ 2 ms', s.median <= 2), target('≤ 1.3× bare round trip', s.median <= 1.3 * ref), target('p95 ≤ 2× median', s.p95 <= 2 * s.median)], { name: '`threads` request → response', values: bare }));
    rows.push(row('`next` round trip, 95th percentile (of each 200-step run; one run)', 'the same', 'ms', [s.p95]));
    c.stop();
  }

  // 2a. continue to a gfn breakpoint after 1 M trapped writes into a SHADOWED page table (the
  // PPGTT handler on every write: what the row name promises a GVT developer).
  {
    const N = 1_000_000;
    const file = join(dir, 'ppgtt-million.gvt');
    writeFileSync(file, `vgpu vm1
pagetable vm1 root 0x100 pool 0x101..0x1ff
map vm1 va 0x0 gfn 0x800
shadow vm1 root 0x100
register vm1 gfn 0x41 handler log
enable vm1 gfn 0x41
repeat ${N} as i {
  write vm1 gpa 0x103000 + (i % 512) * 8 u64 ((0x800 + i % 1024) << 12) | 3
}
write vm1 gpa 0x41000 u64 1
`);
    const runs = [];
    for (let r = 0; r < 3; r++) {
      const c = new Client();
      await c.launch(file, () => c.request('setFunctionBreakpoints', { breakpoints: [{ name: 'gfn 0x41' }] }));
      const run = await c.timed('continue');
      if (run.reason !== 'function breakpoint') throw new Error(`continue stopped for ${run.reason}`);
      runs.push(run.ms);
      c.stop();
    }
    // The CLI on the same scenario: its whole run minus its start-up (a one-line scenario).
    const empty = join(dir, 'empty.gvt');
    writeFileSync(empty, 'vgpu vm1\n');
    const cliMs = (path) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [new URL('../bin/gvt-scenario.js', import.meta.url).pathname, 'run', '--quiet', path], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`gvt-scenario run failed: ${r.stdout}${r.stderr}`);
      return performance.now() - t0;
    };
    const startup = stats([cliMs(empty), cliMs(empty), cliMs(empty)]).median;
    const cli = [cliMs(file), cliMs(file), cliMs(file)].map((ms) => ms - startup);
    const cont = stats(runs).median;
    const ref = stats(cli).median;
    rows.push(row(`\`continue\` to a gfn breakpoint after ${N / 1e6} M trapped PPGTT PTE writes`, `shadowed 4-level table; ${N / 1e6} M \`repeat\` of PTE writes, then a write to a \`log\` gfn with a gfn breakpoint; fresh adapter each run`, 's', runs,
      [target('≤ 0.5 s', cont <= 500), target('≤ 1.2× the CLI', cont <= 1.2 * ref)], { name: 'CLI `run --quiet` on the same scenario, minus CLI start-up', values: cli }));
  }

  // 2b. continue to a gfn breakpoint after 1 M trapped writes to `log` pages; 3. stepBack late and mid-run.
  {
    const N = 1_000_000;
    const file = join(dir, 'million.gvt');
    writeFileSync(file, `vgpu vm1
register vm1 gfn 0x40 handler log
enable vm1 gfn 0x40
register vm1 gfn 0x41 handler log
enable vm1 gfn 0x41
repeat ${N} as i {
  write vm1 gpa 0x40000 + (i % 512) * 8 u64 i
}
write vm1 gpa 0x41000 u64 1
`);
    // Three fresh adapters (a shared machine is noisy): the median is the figure, the best is shown too.
    const runs = [];
    let c;
    for (let r = 0; r < 3; r++) {
      c?.stop();
      c = new Client();
      await c.launch(file, () => c.request('setFunctionBreakpoints', { breakpoints: [{ name: 'gfn 0x41' }] }));
      const run = await c.timed('continue');
      if (run.reason !== 'function breakpoint') throw new Error(`continue stopped for ${run.reason}`);
      runs.push(run.ms);
    }
    const cont = stats(runs).median;
    const scenario = `${N / 1e6} M \`repeat\` of writes to a \`log\` gfn, then a write to another with a gfn breakpoint`;
    rows.push(row(`\`continue\` to a gfn breakpoint after ${N / 1e6} M trapped writes to \`log\` pages`, `${scenario}; fresh adapter each run`, 's', runs, [target('≤ 0.5 s', cont <= 500)]));
    const late = [];
    for (let n = 0; n < 20; n++) late.push((await c.timed('stepBack')).ms);
    const l = stats(late);
    rows.push(row(`\`stepBack\` late in the ${N / 1e6} M-step run`, `${scenario}; 20 steps back from the breakpoint`, 'ms', late,
      [target('max ≤ 50 ms', l.max <= 50), target('median ≤ 2 ms', l.median <= 2), target('max ≤ 10 ms', l.max <= 10)]));
    const goto = async (step) => {
      const went = c.event('stopped');
      await c.request('evaluate', { expression: `goto ${step}`, context: 'repl' });
      await went;
    };
    await goto(N / 2 + 1234);
    const mid = [];
    for (let n = 0; n < 20; n++) mid.push((await c.timed('stepBack')).ms);
    rows.push(row(`\`stepBack\` mid-run`, `the same; \`goto ${N / 2 + 1234}\`, then 20 steps back`, 'ms', mid, [target('max ≤ 50 ms', Math.max(...mid) <= 50)]));
    const back = [];
    for (let n = 0; n < 3; n++) {
      if (n > 0) await goto(N / 2 + 1234);
      back.push((await c.timed('reverseContinue')).ms);
    }
    rows.push(row('`reverseContinue` from mid-run to the beginning (no breakpoint before)', `the same; \`goto ${N / 2 + 1234}\`, then reverseContinue`, 'ms', back));
    c.stop();
  }

  // 4. history questions over a 1 M-step run of trapped PTE writes (1 M traps on gfn 0x103).
  {
    const N = 1_000_000;
    const file = join(dir, 'history-million.gvt');
    writeFileSync(file, `vgpu vm1
pagetable vm1 root 0x100 pool 0x101..0x1ff
map vm1 va 0x0 gfn 0x800
shadow vm1 root 0x100
repeat ${N} as i {
  write vm1 gpa 0x103000 + (i % 512) * 8 u64 ((0x800 + i % 1024) << 12) | 3
}
`);
    const ask = async (c, expression) => {
      const t0 = performance.now();
      const r = await c.request('evaluate', { expression, context: 'repl' });
      if (!/^history of /.test(r.body.result)) throw new Error(`unexpected answer: ${r.body.result.slice(0, 200)}`);
      return performance.now() - t0;
    };
    const questions = ['history gfn 0x103', 'history spt 0x103', 'history gpa 0x103008', 'history spt 0x103 5', 'history gfn 0x900'];
    const first = [];
    const caughtUp = [];
    for (let r = 0; r < 3; r++) {
      const c = new Client();
      const stopped = c.event('stopped');
      await c.request('initialize', { adapterID: 'gvt', pathFormat: 'path' });
      const launched = c.request('launch', { program: file, stopAtEnd: true, output: 'quiet' });
      await c.event('initialized');
      await c.request('configurationDone');
      await launched;
      await stopped;
      first.push(await ask(c, 'history gfn 0x103'));
      for (const q of questions) caughtUp.push(await ask(c, q));
      c.stop();
    }
    const q = stats(caughtUp);
    rows.push(row(`\`history\` question over a ${N / 1e6} M-step run, index caught up`, `${N / 1e6} M trapped PTE writes into a shadowed PT page; each of: ${questions.map((x) => `\`${x}\``).join(', ')} (1 M traps on gfn 0x103); 3 fresh adapters`, 'ms', caughtUp, [target('≤ 200 ms', q.median <= 200 && q.max <= 200)]));
    rows.push(row(`\`history\` first question right after the ${N / 1e6} M-step run stops`, 'the same; asked at once, so it first indexes every step the background indexer has not reached (the whole run here)', 's', first));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

report(rows);
