// Loads a bundled Node entry point (the debug adapter, the CLI, the language server) with V8's code
// cache: the bytecode of the functions a run compiled, kept on disk, so the next process starts
// without parsing and compiling the bundle again. Node 22 has this built in
// (`module.enableCompileCache()`); this project runs on Node 20. A cache is only ever a speed-up:
// any doubt about a cache file (missing, another bundle's, damaged, in a folder others can write)
// loads the bundle the ordinary way.
//
// What V8 itself checks before it uses a code cache is thin: its version, its flags and the
// source's length. A cache made for another bundle of the same length would run that bundle's
// bytecode, and release builds of V8 do not verify the data's checksum (a damaged cache can crash
// every start). So the cache's name is a hash of the bundle's content, and the file carries a hash
// of its own data, checked before V8 sees it.
//
// GVT_COMPILE_CACHE: unset, the per-user cache folder (below); `off`, no cache; else the folder.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** A start that found no usable cache writes one after this long (a killed process never reaches 'exit'), or at exit. */
const WRITE_AFTER_MS = 500;
/** A start that used a cache and ran at least this long may leave a fuller one at exit (see scheduleWrite). */
const UPGRADE_AFTER_MS = 500;
const SUFFIX = '.v8cache';
/** The file: MAGIC, the hex SHA-1 of the data, a newline, the data V8 made. */
const MAGIC = 'gvt-v8cache-1\n';
const HEADER_BYTES = MAGIC.length + 40 + 1;

interface ModuleInternals {
  filename: string;
  paths: string[];
  loaded: boolean;
  exports: unknown;
}

/** The folder for the cache, or undefined for none (GVT_COMPILE_CACHE=off, or no home). */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: () => string = os.homedir): string | undefined {
  const set = env.GVT_COMPILE_CACHE;
  if (set === 'off' || set === '0') return undefined;
  if (set) return path.resolve(set);
  let base: string | undefined;
  try {
    if (platform === 'win32') base = env.LOCALAPPDATA || path.join(home(), 'AppData', 'Local');
    else if (platform === 'darwin') base = path.join(home(), 'Library', 'Caches');
    // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    else base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home(), '.cache');
  } catch {
    return undefined;
  }
  return base && path.isAbsolute(base) ? path.join(base, 'gvt-page-track-debugger') : undefined;
}

/** The cache file of a bundle: named by the bundle's name and a hash of its content and of what the bytecode depends on. */
export function cacheFileFor(folder: string, file: string, source: Buffer): string {
  const key = crypto.createHash('sha1').update(source).update(`\0${process.version}\0${process.arch}`).digest('hex').slice(0, 16);
  return path.join(folder, `${path.basename(file, '.js')}-${key}${SUFFIX}`);
}

/** The file's bytes for `data`: the header with data's hash, then data. */
export function encodeCache(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${MAGIC}${sha1(data)}\n`, 'latin1'), data]);
}

/** The data of a cache file, or undefined when it is not one whole file of ours. */
export function decodeCache(bytes: Buffer): Buffer | undefined {
  if (bytes.length <= HEADER_BYTES || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC || bytes[HEADER_BYTES - 1] !== 10) return undefined;
  const data = bytes.subarray(HEADER_BYTES);
  return sha1(data) === bytes.toString('latin1', MAGIC.length, MAGIC.length + 40) ? data : undefined;
}

const sha1 = (b: Buffer): string => crypto.createHash('sha1').update(b).digest('hex');

/**
 * On POSIX, a cache folder or file is trusted only when it is this user's and no one else can
 * write it (the bytecode in it runs as this user); no symbolic links. Windows: the user's
 * LOCALAPPDATA is private to the user already.
 */
function trusted(st: fs.Stats): boolean {
  if (typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/** The cache folder, made if missing (0700), or undefined when it cannot be trusted. */
function ensureFolder(folder: string): string | undefined {
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(folder);
    return st.isDirectory() && trusted(st) ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** What loading a bundle did with the cache (for tests and GVT_COMPILE_CACHE_TRACE). */
type CacheOutcome = 'off' | 'used' | 'rejected' | 'missing' | 'untrusted' | 'source-maps';

interface LoadResult {
  exports: unknown;
  outcome: CacheOutcome;
  /** The cache file (written later unless the outcome is 'used'). */
  cacheFile?: string;
}

/** Requires `file` as CommonJS (it sees its own require, module, __filename, __dirname), through the code cache. */
export function requireWithCompileCache(file: string): unknown {
  const r = loadWithCompileCache(file);
  if (process.env.GVT_COMPILE_CACHE_TRACE) process.stderr.write(`gvt compile cache: ${path.basename(file)}: ${r.outcome}${r.cacheFile ? ` (${r.cacheFile})` : ''}\n`);
  return r.exports;
}

/** Node's own loader, for when the cache is not used: it also reports what is wrong with a file. */
function plainRequire(file: string, outcome: CacheOutcome): LoadResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle's path, known only at run time
  return { exports: require(file) as unknown, outcome };
}

function loadWithCompileCache(file: string): LoadResult {
  // Stack traces through source maps need Node's loader (it reads the bundle's map; vm.Script does not).
  if (process.sourceMapsEnabled) return plainRequire(file, 'source-maps');
  const wanted = cacheFolder();
  let source: Buffer;
  try {
    source = fs.readFileSync(file);
  } catch {
    return plainRequire(file, 'off');
  }
  const folder = wanted && ensureFolder(wanted);
  const cacheFile = folder && cacheFileFor(folder, file, source);
  let cachedData: Buffer | undefined;
  let outcome: CacheOutcome = !wanted ? 'off' : !folder ? 'untrusted' : 'missing';
  if (cacheFile) {
    try {
      const st = fs.lstatSync(cacheFile);
      if (!st.isFile() || !trusted(st)) outcome = 'untrusted';
      else {
        cachedData = decodeCache(fs.readFileSync(cacheFile));
        if (!cachedData) outcome = 'rejected';
      }
    } catch {
      // missing
    }
  }
  const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename: file, cachedData });
  if (cachedData) outcome = script.cachedDataRejected ? 'rejected' : 'used';
  if (cacheFile && outcome !== 'untrusted') scheduleWrite(script, cacheFile, outcome === 'used' ? cachedData!.length : 0);
  if (outcome === 'used') touch(cacheFile!);
  const mod = new Module(file, require.main) as unknown as ModuleInternals;
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return { exports: mod.exports, outcome, cacheFile: cacheFile || undefined };
}

/** Marks a cache as just used (pruning keeps the most recently used). */
function touch(cacheFile: string): void {
  try {
    const now = new Date();
    fs.utimesSync(cacheFile, now, now);
  } catch {
    // A cache that cannot be touched is still a cache.
  }
}

/** Caches kept per bundle name: installs of different versions each keep theirs. */
const KEEP = 3;

/** Removes all but the KEEP most recently used caches of the bundle `kept` is a cache of. */
function pruneOlder(folder: string, kept: string): void {
  const stem = kept.slice(0, -`-0000000000000000${SUFFIX}`.length);
  const same = new RegExp(`^${stem.replace(/[^\w]/g, '\\$&')}-[0-9a-f]{16}\\${SUFFIX}$`);
  const others = fs.readdirSync(folder)
    .filter((f) => f !== kept && same.test(f))
    .map((f) => ({ f, t: fs.lstatSync(path.join(folder, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of others.slice(KEEP - 1)) fs.rmSync(path.join(folder, f), { force: true });
}

/**
 * Writes the cache once, to a new temporary file first (created exclusively: never through a
 * link someone left) then renamed, so a reader never sees half a file and two processes writing
 * at once leave one whole file. A start without a usable cache writes after WRITE_AFTER_MS (the
 * functions start-up used are compiled by then) or at exit. A start that used one leaves a fuller
 * one at exit only when it ran a while and compiled a tenth more (the first cache may have come
 * from a `--version`).
 */
function scheduleWrite(script: vm.Script, cacheFile: string, usedBytes: number): void {
  let done = false;
  const started = Date.now();
  const write = (): void => {
    if (done) return;
    done = true;
    if (usedBytes > 0 && Date.now() - started < UPGRADE_AFTER_MS) return;
    const tmp = `${cacheFile}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      const data = script.createCachedData();
      if (usedBytes > 0 && data.length < usedBytes * 1.1) return;
      fs.writeFileSync(tmp, encodeCache(data), { mode: 0o600, flag: 'wx' });
      fs.renameSync(tmp, cacheFile);
      pruneOlder(path.dirname(cacheFile), path.basename(cacheFile));
    } catch {
      // No cache this time: the next start compiles as usual.
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // A temporary file that cannot be removed stays behind: never an error at exit.
      }
    }
  };
  if (usedBytes === 0) setTimeout(write, WRITE_AFTER_MS).unref();
  process.once('exit', write);
}
