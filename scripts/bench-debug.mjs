// Debug adapter benchmark (not a test): builds, then drives dist/debugAdapter.js over stdio with a
// raw DAP client and measures what a user feels.
//   next round trip      request → stopped event, median of 200 steps over a trapped-write loop
//   continue to gfn bp   1 M trapped writes, then a write to another protected gfn with a gfn breakpoint
//   stepBack late        step back from the end of that 1 M-step run (restore checkpoint + replay)
//   stepBack mid-run     `goto` the middle of the run, then step back
// Targets (issue 3): next ≤ 2 ms median, continue ≤ 0.5 s, stepBack ≤ 50 ms.
import { spawn, spawnSync } from 'node:child_process';
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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
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
    for (let n = 0; n < 200; n++) times.push((await c.timed('next')).ms);
    rows.push(['`next` round trip (request → stopped), median of 200', `${median(times).toFixed(3)} ms`, '≤ 2 ms (aim ≤ 0.3 ms)', median(times) <= 2]);
    rows.push(['`next` round trip, 95th percentile', `${[...times].sort((a, b) => a - b)[189].toFixed(3)} ms`, '-', true]);
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
    const cont = median(runs);
    rows.push([`\`continue\` to a gfn breakpoint after ${N / 1e6} M trapped PPGTT PTE writes (shadowed page table), median of 3 (spread)`, `${(cont / 1000).toFixed(3)} s (${(Math.min(...runs) / 1000).toFixed(3)}–${(Math.max(...runs) / 1000).toFixed(3)})`, '≤ 0.5 s', cont <= 500]);
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
    const cont = median(runs);
    rows.push([`\`continue\` to a gfn breakpoint after ${N / 1e6} M trapped writes to \`log\` pages, median of 3 (best)`, `${(cont / 1000).toFixed(3)} s (${(Math.min(...runs) / 1000).toFixed(3)})`, '≤ 0.5 s', cont <= 500]);
    const late = [];
    for (let n = 0; n < 20; n++) late.push((await c.timed('stepBack')).ms);
    rows.push([`\`stepBack\` late in the ${N / 1e6} M-step run, median of 20 (max)`, `${median(late).toFixed(2)} ms (${Math.max(...late).toFixed(2)})`, '≤ 50 ms', Math.max(...late) <= 50]);
    const went = c.event('stopped');
    await c.request('evaluate', { expression: `goto ${N / 2 + 1234}`, context: 'repl' });
    await went;
    const mid = [];
    for (let n = 0; n < 20; n++) mid.push((await c.timed('stepBack')).ms);
    rows.push([`\`stepBack\` mid-run (step ${N / 2 + 1234}), median of 20 (max)`, `${median(mid).toFixed(2)} ms (${Math.max(...mid).toFixed(2)})`, '≤ 50 ms', Math.max(...mid) <= 50]);
    const back = await c.timed('reverseContinue');
    rows.push([`\`reverseContinue\` from mid-run to the beginning (no breakpoint before)`, `${back.ms.toFixed(0)} ms`, '-', true]);
    c.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('| figure | value | target | ok |');
console.log('|---|---|---|---|');
for (const [what, value, target, ok] of rows) console.log(`| ${what} | ${value} | ${target} | ${ok ? 'yes' : 'NO'} |`);
process.exitCode = rows.every((r) => r[3]) ? 0 : 1;
