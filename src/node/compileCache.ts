// Loads a bundled Node entry point (the debug adapter, the CLI, the language server) with V8's code
// cache: the bytecode of the functions a run compiled, kept on disk, so the next process starts
// without parsing and compiling the bundle again. What `module.enableCompileCache()` does from
// Node 22 on, for the Node 20 this project runs on. A cache is only ever a speed-up: any failure
// (no home, a read-only disk, a rejected or corrupt file) loads the bundle the ordinary way.
//
// GVT_COMPILE_CACHE: unset, the per-user cache folder (below); `off`, no cache; else the folder.

import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** When the cache is written: after this long (a killed process never reaches 'exit'), or at exit. */
const WRITE_AFTER_MS = 500;
const SUFFIX = '.v8cache';

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
    if (platform === 'win32') base = env.LOCALAPPDATA ?? path.join(home(), 'AppData', 'Local');
    else if (platform === 'darwin') base = path.join(home(), 'Library', 'Caches');
    else base = env.XDG_CACHE_HOME || path.join(home(), '.cache');
  } catch {
    return undefined;
  }
  return base ? path.join(base, 'gvt-page-track-debugger') : undefined;
}

/**
 * The cache file for a bundle: named by the bundle and what the bytecode depends on (its size,
 * change time and inode, the Node version and CPU). V8 itself checks only its version, flags and
 * the source's length, so a rebuilt bundle must never meet an older bundle's cache.
 */
export function cacheFileFor(folder: string, file: string, st: fs.Stats): string {
  const key = [st.size, Math.round(st.mtimeMs * 1000), st.ino, process.version, process.arch].join('-');
  return path.join(folder, `${path.basename(file, '.js')}-${hash(key)}${SUFFIX}`);
}

/** FNV-1a, 32 bits, in hex: a short file-name key (the inputs are already near-unique). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** What loading a bundle did with the cache (for tests and `GVT_COMPILE_CACHE_TRACE`). */
type CacheOutcome = 'off' | 'used' | 'rejected' | 'missing';

interface LoadResult {
  exports: unknown;
  outcome: CacheOutcome;
  /** The cache file (written later when the outcome is not 'used'). */
  cacheFile?: string;
}

/** Requires `file` as CommonJS (it sees its own require, module, __filename, __dirname), through the code cache. */
export function requireWithCompileCache(file: string): unknown {
  const r = loadWithCompileCache(file);
  if (process.env.GVT_COMPILE_CACHE_TRACE) process.stderr.write(`gvt compile cache: ${path.basename(file)}: ${r.outcome}${r.cacheFile ? ` (${r.cacheFile})` : ''}\n`);
  return r.exports;
}

function loadWithCompileCache(file: string): LoadResult {
  const folder = cacheFolder();
  let source: string;
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const st = fs.fstatSync(fd);
      source = fs.readFileSync(fd, 'utf8');
      if (folder) cacheFile = cacheFileFor(folder, file, st);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Unreadable: Node's own loader reports what is wrong with the file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle's path, known only at run time
    return { exports: require(file) as unknown, outcome: 'off' };
  }
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const outcome: CacheOutcome = !cacheFile ? 'off' : !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
  if (cacheFile && outcome !== 'used') scheduleWrite(script, cacheFile);
  const mod = new Module(file, require.main) as unknown as ModuleInternals;
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return { exports: mod.exports, outcome, cacheFile };
}

/** Caches kept per bundle name: two installs of different versions each keep theirs. */
const KEEP = 3;

/** Removes all but the KEEP newest caches of the bundle `kept` is a cache of (older builds' caches). */
function pruneOlder(folder: string, kept: string): void {
  const stem = kept.slice(0, -`-00000000${SUFFIX}`.length);
  const same = new RegExp(`^${stem.replace(/[^\w]/g, '\\$&')}-[0-9a-f]{8}\\${SUFFIX}$`);
  const others = fs.readdirSync(folder)
    .filter((f) => f !== kept && same.test(f))
    .map((f) => ({ f, t: fs.statSync(path.join(folder, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of others.slice(KEEP - 1)) fs.rmSync(path.join(folder, f), { force: true });
}

/**
 * Writes the cache once: after WRITE_AFTER_MS (the functions start-up used are compiled by then)
 * or at exit, whichever comes first; to a temporary name first, so a reader never sees half a file
 * and two processes writing at once leave one whole file. Only the newest caches of the bundle are kept.
 */
function scheduleWrite(script: vm.Script, cacheFile: string): void {
  let done = false;
  const write = (): void => {
    if (done) return;
    done = true;
    try {
      const folder = path.dirname(cacheFile);
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, cacheFile);
      pruneOlder(folder, path.basename(cacheFile));
    } catch {
      // No cache this time: the next start compiles as usual.
    }
  };
  setTimeout(write, WRITE_AFTER_MS).unref();
  process.once('exit', write);
}
