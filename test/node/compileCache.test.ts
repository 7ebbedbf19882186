// The compile cache the CLI and the standalone adapter start through: where it lives, which cache
// a bundle may use (only one made from its own content, undamaged, in a folder only this user can
// write), and that no state of the cache folder changes what the program does.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFileFor, cacheFolder, decodeCache, encodeCache } from '../../src/node/compileCache';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'gvt-scenario.js');
/** The loader as tsc built it, to load a bundle of a test's own. */
const LOADER = join(ROOT, 'out', 'src', 'node', 'compileCache.js');

interface Ran {
  code: number | null;
  out: string;
  outcome: string | undefined;
}

const traced = (cache: string): NodeJS.ProcessEnv => ({ ...process.env, GVT_COMPILE_CACHE: cache, GVT_COMPILE_CACHE_TRACE: '1' });

/** Runs the CLI with the cache in `cache` (a folder, or `off`): its output and what the cache did. */
function cli(cache: string, ...args: string[]): Ran {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: traced(cache) });
  return { code: r.status, out: r.stdout, outcome: /gvt compile cache: cli\.js: ([\w-]+)/.exec(r.stderr)?.[1] };
}

/** Loads the module `file` through the cache in a new process (node options first). */
function load(cache: string, file: string, ...nodeArgs: string[]): Ran {
  const r = spawnSync(process.execPath, [...nodeArgs, '-e', `require(${JSON.stringify(LOADER)}).requireWithCompileCache(${JSON.stringify(file)})`], { encoding: 'utf8', env: traced(cache) });
  return { code: r.status, out: r.stdout + r.stderr.replace(/^gvt compile cache.*\n/m, ''), outcome: /gvt compile cache: [\w.]+: ([\w-]+)/.exec(r.stderr)?.[1] };
}

const caches = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.v8cache')) : []);

/** A module with enough functions to be worth caching, printing `word`. */
const moduleText = (word: string): string => `${Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join('\n')}\nlet t = 0; for (let i = 0; i < 200; i++) t += eval('f' + i)(1);\nconsole.log(${JSON.stringify(word)}, t);\n`;

describe('compile cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gvt-cc-'))));
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lives in the per-user cache folder of each platform, or where GVT_COMPILE_CACHE says; off turns it off', () => {
    const home = (): string => '/home/u';
    assert.equal(cacheFolder({}, 'linux', home), '/home/u/.cache/gvt-page-track-debugger');
    assert.equal(cacheFolder({ XDG_CACHE_HOME: '/x' }, 'linux', home), '/x/gvt-page-track-debugger');
    assert.equal(cacheFolder({ XDG_CACHE_HOME: 'relative' }, 'linux', home), '/home/u/.cache/gvt-page-track-debugger', 'a relative XDG_CACHE_HOME is ignored (XDG spec)');
    assert.equal(cacheFolder({}, 'darwin', home), '/home/u/Library/Caches/gvt-page-track-debugger');
    assert.equal(cacheFolder({ LOCALAPPDATA: '/L' }, 'win32', home), join('/L', 'gvt-page-track-debugger'));
    assert.equal(cacheFolder({ LOCALAPPDATA: '' }, 'win32', home), join('/home/u', 'AppData', 'Local', 'gvt-page-track-debugger'));
    assert.equal(cacheFolder({ GVT_COMPILE_CACHE: '/c' }, 'linux', home), '/c');
    assert.equal(cacheFolder({ GVT_COMPILE_CACHE: 'off' }, 'linux', home), undefined);
    assert.equal(cacheFolder({}, 'linux', () => { throw new Error('no home'); }), undefined);
  });

  it('names a cache by the bundle\'s content: a bundle of the same length never meets another\'s cache', () => {
    const a = cacheFileFor(dir, '/x/b.js', Buffer.from('module.exports = 1;'));
    const b = cacheFileFor(dir, '/x/b.js', Buffer.from('module.exports = 2;'));
    assert.notEqual(a, b);
    assert.equal(cacheFileFor(dir, '/elsewhere/b.js', Buffer.from('module.exports = 1;')), a, 'the same bundle installed twice shares one cache');
    assert.match(a, /b-[0-9a-f]{16}\.v8cache$/);
  });

  it('a cache file carries a hash of its data: a damaged, cut or foreign file is refused before V8 sees it', () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i & 255));
    const file = encodeCache(data);
    assert.deepEqual(decodeCache(file), data);
    const flipped = Buffer.from(file);
    flipped[file.length - 1000] ^= 0x10;
    assert.equal(decodeCache(flipped), undefined);
    assert.equal(decodeCache(file.subarray(0, file.length - 1)), undefined);
    assert.equal(decodeCache(Buffer.from('not a code cache')), undefined);
    assert.equal(decodeCache(data), undefined);
  });

  it('is written by the first run and used by the next; the CLI prints the same either way', () => {
    const first = cli(dir, 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(first.outcome, 'missing');
    assert.equal(caches(dir).length, 1);
    const second = cli(dir, 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(second.outcome, 'used');
    assert.equal(second.code, 0);
    assert.equal(second.out, first.out);
  });

  it('a cache damaged inside its data is refused (V8 would run it and crash), the run is unchanged, and a good cache replaces it', () => {
    cli(dir, '--version');
    const file = join(dir, caches(dir)[0]);
    const bytes = readFileSync(file);
    for (const at of [100, Math.floor(bytes.length / 2), bytes.length - 50]) bytes.writeUInt32LE(0xdeadbeef, at);
    writeFileSync(file, bytes);
    const r = cli(dir, '--version');
    assert.equal(r.outcome, 'rejected');
    assert.equal(r.code, 0);
    assert.match(r.out, /^\d+\.\d+\.\d+/);
    assert.equal(cli(dir, '--version').outcome, 'used');
  });

  it('a changed bundle of the same length and modification time does not use the old cache', () => {
    const m = join(dir, 'm.js');
    writeFileSync(m, moduleText('AAAA'));
    const cache = join(dir, 'cache');
    assert.match(load(cache, m).out, /^AAAA/);
    assert.equal(load(cache, m).outcome, 'used');
    const before = statSync(m);
    writeFileSync(m, moduleText('BBBB'));
    utimesSync(m, before.atime, before.mtime);
    const changed = load(cache, m);
    assert.equal(changed.outcome, 'missing');
    assert.match(changed.out, /^BBBB/);
  });

  it('a start that ran a while and compiled more leaves a fuller cache; a short one leaves it alone', () => {
    const m = join(dir, 'm.js');
    // The first start compiles little; a long one compiles 300 more functions and lives past 0.5 s.
    writeFileSync(m, `${Array.from({ length: 300 }, (_, i) => `function g${i}(x) { return [x, ${i}].join('-'); }`).join('\n')}
if (process.env.LONG) { for (let i = 0; i < 300; i++) eval('g' + i)(i); setTimeout(() => {}, 600); }
`);
    const cache = join(dir, 'cache');
    load(cache, m);
    const size = (): number => statSync(join(cache, caches(cache)[0])).size;
    const small = size();
    load(cache, m);
    assert.equal(size(), small, 'a short start does not rewrite');
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(LOADER)}).requireWithCompileCache(${JSON.stringify(m)})`], { env: { ...traced(cache), LONG: '1' } });
    assert.equal(r.status, 0);
    assert.ok(size() > small * 1.1, `${size()} > ${small}`);
  });

  it('keeps the three most recently used caches of a bundle, and other bundles\' caches', () => {
    const old = (name: string, daysAgo: number): void => {
      writeFileSync(join(dir, name), 'old');
      const t = new Date(Date.now() - daysAgo * 86400e3);
      utimesSync(join(dir, name), t, t);
    };
    old('cli-000000000000000a.v8cache', 3);
    old('cli-000000000000000b.v8cache', 1);
    old('cli-000000000000000c.v8cache', 2);
    old('server-000000000000000d.v8cache', 9);
    old('cli-extra-000000000000000e.v8cache', 9);
    cli(dir, '--version');
    const left = caches(dir).sort();
    assert.equal(left.length, 5, left.join()); // the new one, b, c and the other two bundles'
    assert.ok(!left.includes('cli-000000000000000a.v8cache'), 'the least recently used cli cache is removed');
    for (const kept of ['cli-000000000000000b.v8cache', 'cli-000000000000000c.v8cache', 'server-000000000000000d.v8cache', 'cli-extra-000000000000000e.v8cache']) assert.ok(left.includes(kept), kept);
  });

  it('a folder others can write, or a cache file that is a link, is not trusted: nothing is read or written there', () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const r = cli(shared, 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(r.outcome, 'untrusted');
    assert.equal(r.code, 0);
    assert.match(r.out, /0 failed/);
    assert.deepEqual(caches(shared), []);
    const own = join(dir, 'own');
    cli(own, '--version');
    const [name] = caches(own);
    const elsewhere = join(dir, 'planted.v8cache');
    writeFileSync(elsewhere, readFileSync(join(own, name)));
    rmSync(join(own, name));
    symlinkSync(elsewhere, join(own, name));
    assert.equal(cli(own, '--version').outcome, 'untrusted');
  });

  it('a folder that cannot be made, off, or source maps turned on: the program runs as without a cache', () => {
    const blocked = join(dir, 'file-not-folder');
    writeFileSync(blocked, '');
    const a = cli(join(blocked, 'cache'), 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(a.outcome, 'untrusted');
    assert.equal(a.code, 0);
    assert.match(a.out, /0 failed/);
    const off = cli('off', 'run', 'samples/01-page-track-basics.gvt');
    assert.equal(off.outcome, 'off');
    assert.equal(off.code, 0);
    const m = join(dir, 'm.js');
    writeFileSync(m, moduleText('maps'));
    const maps = load(join(dir, 'cache'), m, '--enable-source-maps');
    assert.equal(maps.outcome, 'source-maps');
    assert.match(maps.out, /^maps/);
  });

  it('node dist/cli.js runs the CLI as bin/gvt-scenario.js does', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--version'], { encoding: 'utf8', env: { ...process.env, GVT_COMPILE_CACHE: 'off' } });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });
});
