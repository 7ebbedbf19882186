// Extension activation time: require('dist/extension.js') with a stubbed `vscode` module, then
// activate(). Target (issue 4): ≤ 50 ms for both together. Runs each in a fresh Node process
// (the require cost is what a real extension host pays once) and prints the median.
//   node scripts/bench-extension.mjs [--runs N] [--json]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(ROOT, 'dist/extension.js');
const args = process.argv.slice(2);
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 7);
const json = args.includes('--json');
const TARGET_MS = 50;

if (!existsSync(BUNDLE)) {
  console.error('dist/extension.js is missing: run npm run build first');
  process.exit(2);
}

// The child: a `vscode` stub where every namespace member is a callable, constructible proxy (enough
// for registration calls), with the few values activate() reads given real shapes.
const child = String.raw`
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
const disposable = { dispose() {} };
function stub(name) {
  const f = function () {};
  const set = {};
  return new Proxy(f, {
    set(_t, p, v) {
      set[p] = v;
      return true;
    },
    get(_t, p) {
      if (p in set) return set[p];
      if (p === 'then' || p === Symbol.iterator || p === Symbol.asyncIterator) return undefined;
      if (p === Symbol.toPrimitive) return () => name;
      if (p === 'dispose') return () => {};
      if (p === 'event') return () => disposable;
      return stub(name + '.' + String(p));
    },
    apply: () => stub(name + '()'),
    construct: () => stub('new ' + name),
  });
}
// Every top-level name the real module has (from @types/vscode), so esbuild's ESM interop sees them.
const vscode = {};
for (const name of JSON.parse(process.argv[3])) vscode[name] = stub(name);
vscode.version = '1.100.0';
vscode.workspace = new Proxy({ textDocuments: [], workspaceFolders: [] }, { get: (t, p) => (p in t ? t[p] : stub('workspace.' + String(p))) });
vscode.debug = new Proxy({ activeDebugSession: undefined, breakpoints: [] }, { get: (t, p) => (p in t ? t[p] : stub('debug.' + String(p))) });
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};
const context = { subscriptions: [], extensionUri: stub('uri'), extensionPath: process.argv[1], asAbsolutePath: (p) => require('node:path').join(process.argv[1], p) };
const t0 = performance.now();
const ext = require(process.argv[2]);
const t1 = performance.now();
ext.activate(context);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ require: t1 - t0, activate: t2 - t1, subscriptions: context.subscriptions.length }));
`;

const typings = readFileSync(join(ROOT, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
const names = [...new Set([...typings.matchAll(/^\t?(?: {4}|\t)export (?:class|enum|namespace|function|const|let) (\w+)/gm)].map((m) => m[1]))];

const samples = [];
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, ['-e', child, ROOT, BUNDLE, JSON.stringify(names)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr || r.stdout);
    process.exit(1);
  }
  samples.push(JSON.parse(r.stdout));
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const req = median(samples.map((s) => s.require));
const act = median(samples.map((s) => s.activate));
const total = median(samples.map((s) => s.require + s.activate));
const result = { runs, requireMs: +req.toFixed(1), activateMs: +act.toFixed(1), totalMs: +total.toFixed(1), targetMs: TARGET_MS, subscriptions: samples[0].subscriptions };
if (json) console.log(JSON.stringify(result));
else console.log(`extension activation: require ${result.requireMs} ms + activate ${result.activateMs} ms = ${result.totalMs} ms (median of ${runs}; target ≤ ${TARGET_MS} ms) ${total <= TARGET_MS ? 'OK' : 'OVER TARGET'}`);
process.exitCode = total <= TARGET_MS ? 0 : 1;
