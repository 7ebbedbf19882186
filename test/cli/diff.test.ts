// gvt-scenario diff end to end: the first divergence's line and both sides for the samples that
// differ between kernels, no divergence (exit 0) for a kernel-independent scenario, trace-only
// differences listed apart, --json, CONFIG parsing and misuse (exit 2).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'gvt-scenario.js');

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, 'diff', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A scenario file of its own in a fresh temp folder. */
function scenario(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gvt-diff-')), name);
  writeFileSync(file, text);
  return file;
}

describe('gvt-scenario diff', () => {
  it('finds where failsafe differs (04-failsafe-newest.gvt)', () => {
    const r = cli('samples/04-failsafe-newest.gvt');
    assert.equal(r.code, 1, r.err);
    const [head, a, b] = r.out.split('\n');
    assert.equal(head, 'samples/04-failsafe-newest.gvt:13: first divergence (step 7)');
    assert.match(a, /^ {2}newest: .*NOTE failsafe: protection of gfn 0x20 removed, but tracked stays true/);
    assert.match(b, /^ {2}legacy: .*page track gfn 0x20 untracked \(handler h\)/);
    assert.match(r.out, /^samples\/04-failsafe-newest\.gvt:16: newest: expect ok \| legacy: expect failed/m);
  });

  it('a statement with thousands of events: both sides shown around their first difference, the rest counted (no giant line)', () => {
    // A 2M entry over scattered host pages: newest fails the 2M pin, then splits; legacy splits at once.
    const f = scenario('split.gvt', 'vgpu vm1\nbacking vm1 gfn 0x200..0x3ff scattered\npagetable vm1 root 0x1 pool 0x2..0x1ff\nmap vm1 va 0 gfn 0x200 size 2M\nshadow vm1 root 0x1\n');
    const r = cli(f);
    assert.equal(r.code, 1, r.err);
    const [head, a, b] = r.out.split('\n');
    assert.match(head, /:5: first divergence/);
    assert.match(a, /^ {2}newest: … \d+ line\(s\) the same; .*gvt_pin_guest_page.*; … \d+ more line\(s\)$/);
    assert.match(b, /^ {2}legacy: … \d+ line\(s\) the same; .*; … \d+ more line\(s\)$/);
    assert.ok(a.length < 2000 && b.length < 2000, `${a.length} and ${b.length} characters`);
  });

  it('finds where failsafe differs (04-failsafe-legacy.gvt)', () => {
    const r = cli('samples/04-failsafe-legacy.gvt');
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^samples\/04-failsafe-legacy\.gvt:11: first divergence/);
  });

  it('finds the memslot removal difference (11-memslot-removal.gvt)', () => {
    const r = cli('samples/11-memslot-removal.gvt');
    assert.equal(r.code, 1, r.err);
    const [head, a, b] = r.out.split('\n');
    assert.equal(head, 'samples/11-memslot-removal.gvt:17: first divergence (step 11)');
    assert.equal(a, '  newest: page track gfn 0x30 untracked (handler h); ret = 0');
    assert.equal(b, '  legacy: ret = -EINVAL');
  });

  it('reports no divergence, exit 0, and lists hook renames apart', () => {
    const r = cli('samples/01-page-track-basics.gvt');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^no divergence between newest and legacy\n/);
    assert.match(r.out, /trace-only differences \(not divergences\):\n {2}samples\/01-page-track-basics\.gvt:23: .*intel_gvt_page_track_add.* \| legacy: .*kvmgt_page_track_add/);
  });

  it('the same config against itself never diverges', () => {
    const r = cli('samples/04-failsafe-newest.gvt', '--a', 'legacy', '--b', 'legacy');
    assert.equal(r.code, 0);
    assert.equal(r.out, 'no divergence between legacy and legacy\n');
  });

  it('--json: configs, divergences, summary', () => {
    const r = cli('samples/11-memslot-removal.gvt', '--json');
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines[0], { kind: 'configs', a: 'newest', b: 'legacy' });
    assert.deepEqual(lines[1], { kind: 'divergence', file: 'samples/11-memslot-removal.gvt', line: 17, step: 11, a: ['page track gfn 0x30 untracked (handler h)', 'ret = 0'], b: ['ret = -EINVAL'] });
    assert.equal(lines.at(-1)?.kind, 'summary');
  });

  it('accepts KERNEL,PLATFORM and rejects unknown parts with exit 2', () => {
    assert.equal(cli('samples/01-page-track-basics.gvt', '--a', 'newest,gen9', '--b', 'legacy,gen9').code, 0);
    for (const [cfg, msg] of [['legacy,gen12', /platform part must be one of gen8, gen9, gen11/], ['oldest', /kernel part must be newest or legacy/], ['legacy,gen9,x', /KERNEL or KERNEL,PLATFORM/]] as const) {
      const r = cli('samples/01-page-track-basics.gvt', '--a', cfg);
      assert.equal(r.code, 2);
      assert.match(r.err, msg);
    }
  });

  it('misuse and file errors exit 2', () => {
    assert.equal(cli().code, 2);
    assert.equal(cli('samples/01-page-track-basics.gvt', '--bogus').code, 2);
    assert.match(cli('no-such.gvt').err, /no-such\.gvt: no such file/);
    const dir = mkdtempSync(join(tmpdir(), 'gvt-diff-'));
    writeFileSync(join(dir, 'bad.gvt'), 'vgpu\n');
    const r = cli(join(dir, 'bad.gvt'));
    assert.equal(r.code, 2);
    assert.match(r.err, /bad\.gvt:1:\d+: error:/);
  });

  it('runs that stop at a runtime error say where, in text and JSON; with no divergence before it the exit is 2, not "no divergence"', () => {
    const file = scenario('div0.gvt', 'repeat 2 as i {\n  print 5 / i\n}\nprint 1\n');
    const r = cli(file);
    assert.equal(r.code, 2);
    assert.match(r.out, /^no divergence between newest and legacy before the runs stopped\n/);
    assert.match(r.err, /div0\.gvt:2:9: error: the newest run stopped: division by zero\n.*div0\.gvt:2:9: error: the legacy run stopped: division by zero/s);
    const j = cli(file, '--json');
    const lines = j.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.filter((l) => l.kind === 'stopped').map((l) => [l.config, l.line, l.col, l.message]), [['newest', 2, 9, 'division by zero'], ['legacy', 2, 9, 'division by zero']]);
    assert.equal(lines.at(-1)?.kind, 'summary');
  });

  it('takes --limit as run does: a statements limit stops both runs, and bad values are refused', () => {
    const limited = cli('samples/01-page-track-basics.gvt', '--limit', 'statements=5');
    assert.equal(limited.code, 2);
    assert.match(limited.err, /the newest run stopped: .*statements.*\n.*the legacy run stopped/s);
    for (const bad of ['statements=1e3', 'fileBytes=0x10', 'fileBytes=1.0', 'historyMiB=4', 'bogus=1']) {
      const r = cli('samples/01-page-track-basics.gvt', '--limit', bad);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, /--limit/, bad);
    }
  });

  it('lists the first thousand trace-only differences of a long loop and counts the rest', () => {
    const file = scenario('loop.gvt', 'vgpu vm1\nregister vm1 gfn 0x10 handler log\nenable vm1 gfn 0x10\nrepeat 3000 as i {\n  write vm1 gpa 0x10000 + (i % 512) * 8 u64 i\n}\n');
    const r = cli(file);
    assert.equal(r.code, 0);
    assert.match(r.out, /… 2001 more trace-only differences not listed \(the first 1000 are\)\n$/);
    const j = cli(file, '--json');
    assert.deepEqual(JSON.parse(j.out.trim().split('\n').at(-1)!), { kind: 'summary', divergences: 0, traceOnly: 3001, divergencesListed: 0, traceOnlyListed: 1000 });
  });
});
