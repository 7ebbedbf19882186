// The CLI under hostile files and runaway scenarios (docs/limits.md): every limit is a clear error
// at the line that crosses it, files are read only when they are regular and small enough, and
// scanning and diagnostics stay linear and bounded, reported in file order.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'gvt-scenario.js');
const dir = mkdtempSync(join(tmpdir(), 'gvt-cli-limits-'));

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('gvt-scenario CLI: limits and hostile files', () => {
  const runaway: Array<[string, string, string, RegExp]> = [
    // [limit, scenario, --limit, message]
    ['statements', 'vgpu vm1\nrepeat 1000000 {\n  print 1\n}\n', 'statements=1000', /:3:3: error: stopped: the limit of 1000 statements is reached/],
    ['vgpus', 'repeat 10 as i {\n  print i\n}\nvgpu a\nvgpu b\nvgpu c\n', 'vgpus=2', /:6:6: error: vGPU 'c' not created: the limit of 2 vgpus is reached/],
    ['guestPages', 'vgpu vm1 memory 1G\nrepeat 100 as i {\n  write vm1 gpa i * 4096 u8 1\n}\n', 'guestPages=50', /:3:3: error: guest memory: the limit of 50 guest pages written is reached/],
    ['outputLines', 'vgpu vm1\nrepeat 100000 {\n  expect vm1 traps == 1\n}\n', 'outputLines=100', /:3:3: error: output stopped: the limit of 100 output lines is reached/],
    // Each 2M map of a scattered backing is split into a 4K sub-table GVT allocates: host memory no other limit bounds.
    ['hostTables', 'vgpu vm1 memory 1G\nbacking vm1 gfn 0x200..0x3ff scattered\npagetable vm1 root 0x100 pool 0x101..0x1ff\nshadow vm1 root 0x100\nrepeat 1000 as i {\n  map vm1 va (i + 1) << 21 gfn 0x200 size 2M\n}\n', 'hostTables=40', /:6:3: error: shadow tables: the limit of 40 shadow and scratch table pages is reached/],
    ['trackRecords', 'vgpu vm1 memory 1G\nrepeat 1000 as i {\n  register vm1 gfn i handler log\n}\n', 'trackRecords=100', /:3:3: error: page-track records: the limit of 100 page-track records is reached/],
    // One `shadow` that splits 8,192 2M entries: the limit stops it at the allocation, inside the statement.
    ['hostTables in one statement', 'vgpu vm1 memory 16G\nbacking vm1 gfn 0x200..0x3ff scattered\nwrite vm1 gpa 0x1000 u64 0x2003\nrepeat 16 as p {\n  write vm1 gpa 0x2000 + p * 8 u64 ((0x1000 + p) << 12) | 3\n  repeat 512 as e {\n    write vm1 gpa (0x1000 + p) * 4096 + e * 8 u64 0x200083\n  }\n}\nshadow vm1 root 1\n', 'hostTables=100', /:10:1: error: shadow tables: the limit of 100 shadow and scratch table pages is reached/],
  ];
  for (const [name, text, limit, message] of runaway) {
    it(`${name}: a clear error at the line that crosses the limit, exit 2`, () => {
      const r = cli('run', '--quiet', '--limit', limit, file(`${name}.gvt`, text));
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.out + r.err, message);
      assert.match(r.out + r.err, /raise it with the CLI's --limit/);
    });
  }

  it('--limit names only known limits and whole numbers', () => {
    const p = file('ok.gvt', 'vgpu vm1\n');
    assert.match(cli('run', '--limit', 'bogus=3', p).err, /unknown limit 'bogus'/);
    assert.match(cli('run', '--limit', 'statements=-1', p).err, /must be a positive whole number/);
    assert.equal(cli('run', '--limit', 'statements=5', p).code, 0);
    assert.match(cli('run', '--limit', 'bogus=3', p).err, /known: statements, vgpus, guestPages, hostTables, trackRecords, outputLines, fileBytes\)/);
    // Every limit is read the same way: decimal digits only (fileBytes used to take 1e3, 0x10, 1.0, ' 20').
    for (const bad of ['fileBytes=1e3', 'fileBytes=0x10', 'fileBytes=1.0', 'fileBytes= 20', 'statements=1e3', 'fileBytes=0']) {
      const r = cli('run', '--limit', bad, p);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, /must be a positive whole number/, bad);
    }
    // historyMiB is the debugger's: the CLI keeps no history, so it is refused, not ignored.
    assert.match(cli('run', '--limit', 'historyMiB=abc', p).err, /unknown limit 'historyMiB'/);
    assert.equal(cli('run', '--limit', 'fileBytes=100', p).code, 0);
  });

  it('output cut by outputLines says so in every case: at the summary (exit 2), and as a JSON line with --json', () => {
    const p = file('three.gvt', 'print 1\nprint 2\nprint 3\n');
    // Six trace lines fit, the two summary lines do not.
    const cut = cli('run', '--limit', 'outputLines=6', p);
    assert.equal(cut.code, 2);
    assert.match(cut.out, /three\.gvt: error: output stopped: the limit of 6 output lines is reached/);
    const fits = cli('run', '--limit', 'outputLines=8', p);
    assert.equal(fits.code, 0);
    assert.equal(fits.out.trimEnd().split('\n').length, 8);
    const json = cli('run', '--json', '--limit', 'outputLines=2', p);
    assert.equal(json.code, 2);
    const lines = json.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.at(-1), { file: p, line: 3, col: 1, statement: 'print', kind: 'error', text: `error: ${String(lines.at(-1)?.message)}`, message: lines.at(-1)?.message });
    assert.match(String(lines.at(-1)?.message), /output stopped: the limit of 2 output lines/);
  });

  it('a lone CR ends a line in the trace as in the editor: a repeat header is its own line only', () => {
    const p = file('cr.gvt', 'repeat 3 {\r  print 1\r}\rprint 2\r');
    const r = cli('run', p);
    assert.equal(r.code, 0);
    assert.match(r.out, /cr\.gvt:1 {2}repeat 3 \{\n[^\n]*cr\.gvt:2 {2}print 1\n/);
    assert.doesNotMatch(r.out, /\r/);
  });

  it('reads only regular files: devices, pipes and folders are refused at once', () => {
    const fifo = join(dir, 'fifo.gvt');
    execFileSync('mkfifo', [fifo]);
    for (const p of ['/dev/zero', '/dev/urandom', fifo]) {
      for (const cmd of ['run', 'check']) {
        const r = cli(cmd, p);
        assert.equal(r.code, 2, `${cmd} ${p}`);
        assert.match(r.err, /not a regular file/);
      }
    }
    assert.match(cli('check', dir).err, /directory/);
  });

  it('a file over 16 MiB is refused with the limit named; --limit fileBytes raises it', () => {
    const big = file('big.gvt', 'vgpu vm1\n' + '#'.repeat(17 * 1024 * 1024) + '\n');
    const r = cli('run', big);
    assert.equal(r.code, 2);
    assert.match(r.err, /over the limit of 16777216 bytes/);
    assert.equal(cli('run', '--quiet', '--limit', 'fileBytes=20000000', big).code, 0);
  });

  it('a 10 MB number and a 300,000-digit number are one diagnostic each, with the text cut short', () => {
    for (const n of [300_000, 10_000_000]) {
      const r = cli('check', file(`digits${n}.gvt`, `print ${'9'.repeat(n)}\n`));
      assert.equal(r.code, 2);
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.match(r.err, /does not fit in 64 bits/);
      assert.match(r.err, new RegExp(`\\(${n} characters\\)`));
    }
  });

  it('a 10 MB token where a statement or a keyword is expected is quoted cut short, not whole', () => {
    for (const [name, text] of [['line', '1'.repeat(10_000_000)], ['expect', `vgpu vm1\nexpect ${'1'.repeat(10_000_000)}`]]) {
      const r = cli('check', file(`huge-token-${name}.gvt`, `${text}\n`));
      assert.equal(r.code, 2);
      assert.match(r.err, /found '1{40}… \(10000000 characters\)'/);
      assert.ok(r.err.length < 2000, `${r.err.length} bytes of diagnostics`);
    }
  });

  it('a name of a million characters is quoted cut short in the checker\'s messages', () => {
    const big = 'w'.repeat(1_000_000);
    const r = cli('check', file('huge-name.gvt', `vgpu ${big}\nvgpu ${big}\nexpect ${big}x traps == 1\n`));
    assert.equal(r.code, 2);
    assert.match(r.err, /:2:6: error: vGPU 'w{40}… \(1000000 characters\)' is already defined/);
    assert.match(r.err, /:3:8: error: unknown vGPU 'w{40}… \(1000001 characters\)'/);
    assert.ok(r.err.length < 2000, `${r.err.length} bytes of diagnostics`);
  });

  it('a MiB of NULs is one diagnostic; a MiB of random bytes stays within the listing cap', () => {
    const nul = cli('check', file('nul.gvt', Buffer.alloc(1 << 20)));
    assert.equal(nul.err.trim().split('\n').length, 1);
    assert.match(nul.err, /invalid characters '\\u0000/);
    let seed = 7;
    const rand = Buffer.alloc(1 << 20);
    for (let i = 0; i < rand.length; i++) rand[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const r = cli('check', file('rand.gvt', rand));
    assert.equal(r.code, 2);
    assert.ok(r.err.trim().split('\n').length <= 1001);
  });

  it('a million errors: the first thousand in file order, then one line counting the rest', () => {
    const r = cli('check', file('errors.gvt', 'bogus line\n'.repeat(1_000_000)));
    const lines = r.err.trim().split('\n');
    assert.equal(lines.length, 1001);
    lines.slice(0, 1000).forEach((l, i) => assert.match(l, new RegExp(`errors\\.gvt:${i + 1}:1: error: unknown statement 'bogus'`)));
    assert.match(lines[1000], /error: more than \d+ more problem\(s\) from here on are not listed \(the first 1000 are\), all errors/);
  });

  it('errors after the first thousand warnings still make the file fail: check, run and diff exit 2 and nothing runs', () => {
    const text = `vgpu vm1\n${'enable vm1 gfn 1\n'.repeat(1001)}foo bar baz\nwrite vm1 gpa 0 u8 0x1ff\nprint 7\n`;
    const path = file('warnings-then-errors.gvt', text);
    const c = cli('check', path);
    assert.equal(c.code, 2);
    assert.match(c.err.trim().split('\n').at(-1)!, /error: 3 more problem\(s\) from here on are not listed \(the first 1000 are\); 2 of them are errors/);
    const r = cli('run', path);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.out, /7/);
    assert.equal(cli('diff', path).code, 2);
  });

  it('errors after more warnings than a phase keeps (10,000) are kept: the file fails', () => {
    const r = cli('check', file('flood.gvt', `vgpu vm1\n${'enable vm1 gfn 1\n'.repeat(10_050)}write vm1 gpa 0 u8 0x1ff\n`));
    assert.equal(r.code, 2);
    assert.match(r.err.trim().split('\n').at(-1)!, /error: more than \d+ more problem\(s\) from here on are not listed \(the first 1000 are\); 1 of them is an error/);
  });
});
