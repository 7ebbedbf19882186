// gvt-scenario: the headless face of the engine (run, check, lsp). Exit codes follow
// docs/language.md: 0 every expect held, 1 an expect failed, 2 errors in the file or misuse.
// A user's mistake is a message with FILE:LINE:COL, never a stack trace.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { locationOf, type LoadedScenario } from '../dsl/scenario';
import { takeLimitFlags } from './limitFlags';
import { readScenario } from './readScenario';
import { printTrace, type TraceOptions } from './tracePrinter';
import { Interpreter } from '../dsl/interpreter';
import { diff } from './diff';
import { PLATFORMS, PROFILES, type KernelProfile, type Platform } from '../core';
import { requireWithCompileCache } from '../node/compileCache';

const USAGE = `Usage:
  gvt-scenario run FILE [--json] [--quiet] [--frames] [--kernel newest|legacy] [--platform gen8|gen9|gen11]
                    [--limit NAME=N]... [--no-color]
      Run a scenario and print its trace. Exit 0 if every expect held, 1 if one failed,
      2 if the file has errors or the run stopped at a runtime error (a limit reached included).
        --json     one JSON object per event (JSON lines)
        --quiet    print only failed expects and errors
        --frames   also print every kernel function entered and left
        --kernel   override the scenario's kernel profile
        --platform override the scenario's GPU platform (what IPS does)
        --limit NAME=N  raise or lower a limit (statements, vgpus, guestPages, hostTables,
                   trackRecords, outputLines, fileBytes; see docs/limits.md); may be repeated
        --no-color plain text on a terminal too (colour is used only there)
  gvt-scenario diff FILE [--a CONFIG] [--b CONFIG] [--json] [--limit NAME=N]...
      Run under two configs (CONFIG: newest|legacy[,gen8|gen9|gen11]; default newest vs legacy)
      and report statements whose outcome differs (docs/compare.md). Exit 0 none, 1 some, 2 file
      errors or misuse, or a run stopped at a runtime error (a limit) with no divergence before it.
  gvt-scenario check FILE...
      Diagnostics only, for every file named. Exit 0 if none has errors, else 2.
  gvt-scenario lsp --stdio
      The language server over stdin/stdout, for any editor.
  gvt-scenario --help | --version
Environment:
  GVT_COMPILE_CACHE=DIR|off  where the compiled-code cache that speeds up every start after the
                   first is kept (default: the user's cache folder), or off for none`;

function fail(message: string): number {
  process.stderr.write(`gvt-scenario: ${message}\n${USAGE}\n`);
  return 2;
}

function printDiagnostics(s: LoadedScenario, color: boolean): number {
  let errors = 0;
  let text = '';
  for (const d of s.diagnostics) {
    if (d.severity === 'error') errors++;
    const sev = color ? (d.severity === 'error' ? '\x1b[31merror\x1b[0m' : '\x1b[33mwarning\x1b[0m') : d.severity;
    text += `${locationOf(s, d.start)}: ${sev}: ${d.message}\n`;
  }
  if (text) writeAllSync(2, text); // synchronous: the process may exit right after
  return errors;
}

/** Output that cannot be written (a full disk, a closed descriptor): the command ends with exit 2. */
class OutputFailed extends Error {}

/** Writes all of text to fd, waiting (briefly, without spinning hot) while a pipe is full. */
function writeAllSync(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return; // the reader went away (| head): nothing more to say
      if (code !== 'EAGAIN') throw new OutputFailed(`cannot write to ${fd === 1 ? 'standard output' : 'standard error'}: ${code ?? String(e)}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function run(all: string[]): number {
  const taken = takeLimitFlags(all);
  if (typeof taken === 'string') return fail(taken);
  const { limits, fileBytes, rest: args } = taken;
  // One pass, as diff reads its own: an option's value is the word after it, and an option given
  // twice is refused (indexOf read the first and left a dangling second one as a FILE or nothing).
  const files: string[] = [];
  const flags = new Set<string>();
  let profile: KernelProfile | undefined;
  let platform: Platform | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--kernel' || arg === '--platform') {
      const value = args[++i];
      if (flags.has(arg)) return fail(`${arg} is given twice`);
      flags.add(arg);
      if (arg === '--kernel') {
        if (!PROFILES.includes(value as KernelProfile)) return fail(`--kernel takes ${PROFILES.join(' or ')}`);
        profile = value as KernelProfile;
      } else {
        if (!PLATFORMS.includes(value as Platform)) return fail(`--platform takes ${PLATFORMS.slice(0, -1).join(', ')} or ${PLATFORMS[PLATFORMS.length - 1]}`);
        platform = value as Platform;
      }
    } else if (arg.startsWith('--')) flags.add(arg);
    else files.push(arg);
  }
  flags.delete('--kernel');
  flags.delete('--platform');
  for (const f of flags) if (!['--json', '--quiet', '--frames', '--no-color'].includes(f)) return fail(`unknown option ${f}`);
  if (files.length !== 1) return fail(files.length === 0 ? 'run needs a FILE' : 'run takes one FILE');
  const s = readScenario(files[0], fileBytes);
  if (typeof s === 'string') return fail(s);
  const color = process.stdout.isTTY === true && !flags.has('--no-color') && !flags.has('--json');
  if (printDiagnostics(s, color) > 0) return 2;
  const options: TraceOptions = { json: flags.has('--json'), quiet: flags.has('--quiet'), frames: flags.has('--frames'), color };
  const interp = new Interpreter(s.program, { profile, platform, limits });
  // Lines go out in 64 KiB synchronous writes: the run never yields to the event loop, so
  // process.stdout.write to a pipe would queue everything in memory until the end.
  let chunk = '';
  const write = (line: string): void => {
    chunk += line + '\n';
    if (chunk.length >= 65536) {
      writeAllSync(1, chunk);
      chunk = '';
    }
  };
  const summary = printTrace(interp, s, { ...options, maxLines: limits.outputLines }, write);
  if (chunk) writeAllSync(1, chunk);
  if (summary.error) return 2;
  return summary.failed > 0 ? 1 : 0;
}

function check(args: string[]): number {
  const files = args.filter((a) => !a.startsWith('--'));
  const bad = args.find((a) => a.startsWith('--') && a !== '--no-color');
  if (bad) return fail(`unknown option ${bad}`);
  if (files.length === 0) return fail('check needs at least one FILE');
  let errors = 0;
  for (const f of files) {
    const s = readScenario(f);
    if (typeof s === 'string') {
      process.stderr.write(`gvt-scenario: ${s}\n`);
      errors++;
      continue;
    }
    errors += printDiagnostics(s, process.stderr.isTTY === true && !args.includes('--no-color'));
  }
  return errors > 0 ? 2 : 0;
}

function lsp(args: string[]): number | undefined {
  if (!args.includes('--stdio')) return fail('lsp needs --stdio');
  // This file is bundled to dist/node/cli.js and the server to dist/server.js (loaded through the
  // compile cache, as the CLI is); under tsc output the server is ../server/main.js.
  const bundled = path.join(__dirname, '..', 'server.js');
  if (fs.existsSync(bundled)) requireWithCompileCache(bundled); // the server module starts itself on load
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  else require(path.join(__dirname, '..', 'server', 'main.js'));
  return undefined; // the server keeps the process alive
}

function version(): string {
  // dist/node/cli.js is two folders below package.json; out/src/cli/main.js three.
  for (const up of [2, 3]) {
    const p = path.join(__dirname, ...Array<string>(up).fill('..'), 'package.json');
    if (fs.existsSync(p)) return (JSON.parse(fs.readFileSync(p, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

export function main(argv: string[]): number | undefined {
  try {
    return runCommand(argv);
  } catch (e) {
    if (!(e instanceof OutputFailed)) throw e;
    // Said on standard error when that still works; exit 2 either way (1 means an expect failed).
    try {
      fs.writeSync(2, `gvt-scenario: ${e.message}\n`);
    } catch {
      // nowhere left to say it
    }
    return 2;
  }
}

function runCommand(argv: string[]): number | undefined {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'diff':
      return diff(rest, { out: (t) => writeAllSync(1, t), err: (t) => writeAllSync(2, t) });
    case 'check':
      return check(rest);
    case 'lsp':
      return lsp(rest);
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    case '--version':
      process.stdout.write(version() + '\n');
      return 0;
    case undefined:
      return fail('a command is needed');
    default:
      return fail(`unknown command '${command}'`);
  }
}

/** Runs the CLI on process.argv and exits when it is done (not for `lsp`, which keeps running). */
export function runMain(): void {
  const code = main(process.argv.slice(2));
  // Let stdout drain before exiting (a pipe may be slower than we are).
  if (code !== undefined) process.stdout.write('', () => process.exit(code));
}

if (require.main === module) runMain();
