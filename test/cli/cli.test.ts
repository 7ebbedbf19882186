// The CLI end to end, as a user runs it: every sample green, exit codes 0/1/2 with FILE:LINE:COL,
// --json, --quiet, check, lsp wiring and misuse. Runs the bundled bin (npm test builds first).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'gvt-scenario.js');

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function scenario(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gvt-cli-'));
  const file = join(dir, 'case.gvt');
  writeFileSync(file, text);
  return file;
}

describe('gvt-scenario CLI', () => {
  const samples = readdirSync(join(ROOT, 'samples')).filter((f) => f.endsWith('.gvt')).sort();

  it('has at least 8 samples', () => assert.ok(samples.length >= 8, samples.join(', ')));

  for (const s of samples) {
    it(`runs samples/${s} green`, () => {
      const r = cli('run', `samples/${s}`);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /0 failed/);
      assert.doesNotMatch(r.out, /expect failed/);
    });
  }

  // Where a sample's outcome must not depend on the kernel profile or the platform, it must hold on
  // every one (--kernel/--platform override the file's own lines), so nothing old regresses as the
  // model grows. The exceptions are the samples about that very difference.
  const PROFILE_SPECIFIC = new Set(['04-failsafe-legacy.gvt', '04-failsafe-newest.gvt', '11-memslot-removal.gvt', '14-dma-pinning-and-cache.gvt', '18-legacy-populate-and-split.gvt', '19-2m-pages-on-gvt-platforms.gvt']);
  const PLATFORM_SPECIFIC = new Set(['09-huge-pages.gvt', '14-dma-pinning-and-cache.gvt', '16-platforms-and-ips.gvt', '19-2m-pages-on-gvt-platforms.gvt']);
  for (const s of samples) {
    const configs = [
      ...(PROFILE_SPECIFIC.has(s) ? [] : [['--kernel', 'newest'], ['--kernel', 'legacy']]),
      ...(PLATFORM_SPECIFIC.has(s) ? [] : [['--platform', 'gen8'], ['--platform', 'gen9'], ['--platform', 'gen11']]),
    ];
    if (configs.length === 0) continue;
    it(`runs samples/${s} green on ${configs.map((c) => c[1]).join(', ')}`, () => {
      for (const c of configs) {
        const r = cli('run', '--quiet', ...c, `samples/${s}`);
        assert.equal(r.code, 0, `${c.join(' ')}: ${r.out}${r.err}`);
      }
    });
  }

  it('output that cannot be written (a full disk) ends with exit 2 and says so, never a stack trace', function () {
    if (!existsSync('/dev/full')) this.skip();
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['run', 'samples/01-page-track-basics.gvt'], ['diff', 'samples/19-2m-pages-on-gvt-platforms.gvt']]) {
        const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
        assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
        assert.match(r.stderr, /^gvt-scenario: cannot write to standard output: ENOSPC\n$/);
      }
      const bad = scenario('vgpu vm1\nfoo bar\n');
      assert.equal(spawnSync(process.execPath, [BIN, 'check', bad], { cwd: ROOT, stdio: ['ignore', 'pipe', full] }).status, 2);
    } finally {
      closeSync(full);
    }
  });

  it('the trace shows control characters from the scenario as \\xNN, never raw', () => {
    const file = scenario('vgpu vm1 # \x1b]0;pwned\x07 title\nregister vm1 gfn 1 handler log priv "\x1b[2J"\nrepeat 1 as i { # \x1b[31m\n  expect ret == 0\n}\n');
    const r = cli('run', '--no-color', file);
    // eslint-disable-next-line no-control-regex -- looking for control characters
    assert.doesNotMatch(r.out, /[\x00-\x08\x0b-\x1f\x7f]/, 'no raw control character');
    assert.match(r.out, /priv "\\x1b\[2J"/);
    assert.match(r.out, /repeat 1 as i \{ # \\x1b\[31m/);
  });

  it('a statement with no trace of its own that fails at run time gets one header', () => {
    const r = cli('run', scenario('repeat 1 as i {\n  let y = 5 / i\n}\n'));
    assert.equal(r.code, 2);
    assert.equal(r.out.split('\n').filter((l) => l.includes('let y = 5 / i')).length, 1, r.out);
  });

  it('--platform and --kernel take only known values', () => {
    assert.match(cli('run', '--platform', 'gen7', 'samples/01-page-track-basics.gvt').err, /--platform takes gen8, gen9 or gen11/);
    assert.equal(cli('run', '--platform', 'gen7', 'samples/01-page-track-basics.gvt').code, 2);
  });

  it('--kernel and --platform given twice, or with no value, are refused (never taken as the FILE)', () => {
    for (const extra of [['--kernel', 'legacy', '--kernel'], ['--platform', 'gen9', '--platform', 'gen8'], ['--kernel', 'newest', '--kernel', 'legacy']]) {
      const r = cli('run', 'samples/01-page-track-basics.gvt', ...extra);
      assert.equal(r.code, 2, extra.join(' '));
      assert.match(r.err, /is given twice/);
    }
    assert.match(cli('run', 'samples/01-page-track-basics.gvt', '--kernel').err, /--kernel takes newest or legacy/);
  });

  it('exits 1 and names the line of a false expect', () => {
    const f = scenario('vgpu vm1\nregister vm1 gfn 1 handler log\n\nexpect ret == -EEXIST\nexpect ret == 0\n');
    const r = cli('run', '--quiet', f);
    assert.equal(r.code, 1);
    assert.equal(r.out.trim(), `${f}:4:1: expect failed: expected ret == -EEXIST, got 0`);
  });

  it('exits 2 and names line and column of every error in a broken file', () => {
    const f = scenario('vgpu vm1\nregister vm2 gfn 1 handler log\nwrite vm1 gpa 0x1000 u8 300\nfoo bar\n');
    const r = cli('run', f);
    assert.equal(r.code, 2);
    const lines = r.err.trim().split('\n');
    assert.equal(lines.length, 3, r.err);
    assert.match(lines[0], new RegExp(`^${f}:2:10: error: unknown vGPU 'vm2'`));
    assert.match(lines[1], new RegExp(`^${f}:3:25: error: `));
    assert.match(lines[2], new RegExp(`^${f}:4:1: error: `));
    assert.equal(r.out, '', 'nothing runs');
  });

  it('exits 2 with FILE:LINE:COL on a runtime error (a full pool)', () => {
    const f = scenario('vgpu vm1\npagetable vm1 root 0x10 pool 0x11..0x12\nmap vm1 va 0x0 gfn 0x100\n');
    const r = cli('run', '--quiet', f);
    assert.equal(r.code, 2);
    assert.match(r.out, new RegExp(`${f}:3:1: error: page-table pool 0x11..0x12 is full`));
  });

  it('prints the trace with kernel functions and codes by name', () => {
    const r = cli('run', 'samples/01-page-track-basics.gvt');
    assert.match(r.out, /samples\/01-page-track-basics.gvt:\d+ {2}register vm1 gfn 0x100 handler log/);
    assert.match(r.out, /ret = -EEXIST/);
    assert.match(r.out, /\[intel_gvt_page_track_add\] KVM write protection gfn 0x100 on/);
  });

  it('--frames prints every kernel function entered', () => {
    const r = cli('run', '--frames', 'samples/02-trap-and-handler.gvt');
    assert.match(r.out, /kvmgt_page_track_write\(gpa=0x40018, bytes=0x8\)/);
    assert.match(r.out, /intel_vgpu_page_track_handler returns 0/);
  });

  it('--json prints one JSON object per event with file, line and col', () => {
    const r = cli('run', '--json', 'samples/03-handler-error.gvt');
    assert.equal(r.code, 0);
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(events.every((e) => typeof e.line === 'number' && typeof e.col === 'number' && e.file === 'samples/03-handler-error.gvt'));
    const trap = events.find((e) => e.kind === 'trap');
    assert.ok(trap, 'a trap event');
    assert.equal(trap.gpa, 0x10000);
    assert.ok(events.some((e) => e.kind === 'ret' && e.ret === -14));
  });

  it('--quiet prints nothing when every expect holds', () => {
    const r = cli('run', '--quiet', 'samples/05-shadow-ppgtt-lifecycle.gvt');
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
  });

  it('--kernel overrides the profile of the scenario', () => {
    const r = cli('run', '--quiet', '--kernel', 'legacy', 'samples/04-failsafe-newest.gvt');
    assert.equal(r.code, 1, 'the newest-only expectations fail on legacy');
    assert.match(r.out, /expected vm1 gfn 0x20 tracked, but it is untracked/);
  });

  it('check reports diagnostics for every file named and exits 2', () => {
    const bad = scenario('vgpu vm1\nenable vm9 gfn 1\n');
    const r = cli('check', 'samples/01-page-track-basics.gvt', bad);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`${bad}:2:8: error: unknown vGPU 'vm9'`));
    assert.equal(cli('check', ...samples.map((s) => `samples/${s}`)).code, 0);
  });

  it('misuse exits 2 with usage, never a stack trace', () => {
    for (const args of [[], ['frobnicate'], ['run'], ['run', 'a.gvt', 'b.gvt'], ['run', '--nope', 'x.gvt'], ['run', 'does-not-exist.gvt'], ['run', 'samples'], ['check'], ['lsp'], ['run', '--kernel', 'ancient', 'x.gvt']]) {
      const r = cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
      assert.match(r.err, /^gvt-scenario: /);
    }
  });

  it('--help and --version', () => {
    assert.match(cli('--help').out, /gvt-scenario run FILE/);
    assert.match(cli('--help').out, /GVT_COMPILE_CACHE=DIR\|off/);
    assert.match(cli('--version').out, /^\d+\.\d+\.\d+/);
  });
});
