// The compile cache the CLI and the standalone adapter start through: where it lives, when a cache
// is used, and that no state of the cache folder can change what the program does.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFileFor, cacheFolder } from '../../src/node/compileCache';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'gvt-scenario.js');

/** Runs the CLI with the cache in `folder` (or GVT_COMPILE_CACHE=value); its output and what the cache did. */
function cli(cache: string, ...args: string[]): { code: number | null; out: string; outcome: string | undefined } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GVT_COMPILE_CACHE: cache, GVT_COMPILE_CACHE_TRACE: '1' } });
  return { code: r.status, out: r.stdout, outcome: /gvt compile cache: cli\.js: (\w+)/.exec(r.stderr)?.[1] };
}

const caches = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.v8cache')) : []);

describe('compile cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gvt-cc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives in the per-user cache folder of each platform, or where GVT_COMPILE_CACHE says; off turns it off', () => {
    const home = (): string => '/home/u';
    assert.equal(cacheFolder({}, 'linux', home), '/home/u/.cache/gvt-page-track-debugger');
    assert.equal(cacheFolder({ XDG_CACHE_HOME: '/x' }, 'linux', home), '/x/gvt-page-track-debugger');
    assert.equal(cacheFolder({}, 'darwin', home), '/home/u/Library/Caches/gvt-page-track-debugger');
    assert.equal(cacheFolder({ LOCALAPPDATA: 'C:\\L' }, 'win32', home), join('C:\\L', 'gvt-page-track-debugger'));
    assert.equal(cacheFolder({ GVT_COMPILE_CACHE: '/c' }, 'linux', home), '/c');
    assert.equal(cacheFolder({ GVT_COMPILE_CACHE: 'off' }, 'linux', home), undefined);
    assert.equal(cacheFolder({}, 'linux', () => { throw new Error('no home'); }), undefined);
  });

  it('names a cache by the bundle it was made from: a rebuilt bundle never meets an older cache', () => {
    const f = join(dir, 'b.js');
    writeFileSync(f, 'module.exports = 1;');
    const a = cacheFileFor(dir, f, statSync(f));
    utimesSync(f, new Date(2020, 1, 1), new Date(2020, 1, 1));
    const b = cacheFileFor(dir, f, statSync(f));
    writeFileSync(f, 'module.exports = 22;');
    const c = cacheFileFor(dir, f, statSync(f));
    assert.equal(new Set([a, b, c]).size, 3);
    assert.match(a, /b-[0-9a-f]{8}\.v8cache$/);
  });

  it('is written by the first run and used by the next; the CLI prints the same either way', () => {
    const first = cli(dir, 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(first.outcome, 'missing');
    assert.deepEqual(caches(dir).map((f) => f.replace(/-\w+\./, '.')), ['cli.v8cache']);
    const second = cli(dir, 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(second.outcome, 'used');
    assert.equal(second.code, 0);
    assert.equal(second.out, first.out);
  });

  it('a corrupt cache is rejected, the run is unchanged, and a good cache replaces it', () => {
    cli(dir, '--version');
    const [file] = caches(dir);
    writeFileSync(join(dir, file), 'not a code cache');
    const r = cli(dir, '--version');
    assert.equal(r.outcome, 'rejected');
    assert.equal(r.code, 0);
    assert.match(r.out, /^\d+\.\d+\.\d+/);
    assert.equal(cli(dir, '--version').outcome, 'used');
  });

  it('keeps the newest three caches of a bundle (two installed versions keep theirs), and other bundles\' caches', () => {
    const old = (name: string, daysAgo: number): void => {
      writeFileSync(join(dir, name), 'old');
      const t = new Date(Date.now() - daysAgo * 86400e3);
      utimesSync(join(dir, name), t, t);
    };
    old('cli-0000000a.v8cache', 3);
    old('cli-0000000b.v8cache', 1);
    old('cli-0000000c.v8cache', 2);
    old('server-0000000d.v8cache', 9);
    old('cli-extra-0000000e.v8cache', 9);
    cli(dir, '--version');
    const left = caches(dir).sort();
    assert.equal(left.length, 5, left.join()); // the new one, b, c and the other two bundles
    assert.ok(!left.includes('cli-0000000a.v8cache'), 'the oldest cli cache is removed');
    for (const kept of ['cli-0000000b.v8cache', 'cli-0000000c.v8cache', 'server-0000000d.v8cache', 'cli-extra-0000000e.v8cache']) assert.ok(left.includes(kept), kept);
  });

  it('a folder that cannot be written, or off, leaves the program as it is', () => {
    const blocked = join(dir, 'file-not-folder');
    writeFileSync(blocked, '');
    const a = cli(join(blocked, 'cache'), 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(a.code, 0);
    assert.match(a.out, /0 failed/);
    const ro = join(dir, 'ro');
    cli(ro, '--version');
    chmodSync(ro, 0o500);
    try {
      for (const f of caches(ro)) writeFileSync(join(ro, f), 'x'); // rejected, and cannot be rewritten
    } catch {
      // root can still write: then the cache is simply rewritten
    }
    assert.equal(cli(ro, '--version').code, 0);
    chmodSync(ro, 0o700);
    const off = cli('off', 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(off.outcome, 'off');
    assert.equal(off.code, 0);
  });
});
