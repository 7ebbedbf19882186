// The browser build (dist/web/, docs/web.md) needs no Node: nothing in it requires a Node built-in
// or reaches for Node-only process APIs, and both files load and work in a bare JavaScript realm
// that has only what a web worker has (no require but `vscode`, no process, no Buffer).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import * as vm from 'node:vm';

const ROOT = join(__dirname, '..', '..', '..');
const EXTENSION = join(ROOT, 'dist/web/extension.js');
const SERVER = join(ROOT, 'dist/web/server.js');

/** Every module a bundle (CommonJS or a plain script: no static imports) requires or imports by a literal name. */
function requiredModules(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/\brequire\s*\(\s*(["'`])([^"'`]+)\1\s*\)|\bimport\s*\(\s*(["'`])([^"'`]+)\3\s*\)/g)) found.add(m[2] ?? m[4]);
  return [...found].sort();
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Node-only process and module APIs a browser bundle must not call. */
const NODE_ONLY_CALLS = /\bprocess\.(binding|dlopen|_linkedBinding|execPath|mainModule)\b|\bprocess\.stdout\b|\bprocess\.stdin\b|\b__non_webpack_require__\b|\bmodule\.require\b|\brequire\.resolve\b/g;

/** The problems of a browser bundle: Node built-ins required, other modules than `allowed`, Node-only calls. */
function nodeDependencies(code: string, allowed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const m of requiredModules(code)) {
    if (NODE_BUILTINS.has(m) || m.startsWith('node:')) problems.push(`requires the Node built-in '${m}'`);
    else if (!allowed.includes(m)) problems.push(`requires '${m}', which the web worker host cannot provide`);
  }
  for (const m of code.matchAll(NODE_ONLY_CALLS)) problems.push(`calls ${m[0]}`);
  return problems;
}

/** Node's MessageChannel, its receiving port unref'd once listened to (a listened port would keep the test process alive). */
class UnrefMessageChannel {
  private readonly channel = new MessageChannel();
  readonly port2 = this.channel.port2;
  readonly port1 = ((port) => ({
    set onmessage(f: ((e: unknown) => void) | null) {
      (port as unknown as { onmessage: typeof f }).onmessage = f;
      port.unref();
    },
  }))(this.channel.port1);
}

/** A realm with only what a web worker has (as far as these bundles use it). */
function workerRealm(extra: Record<string, unknown>): vm.Context {
  const g: Record<string, unknown> = {
    console, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask,
    TextEncoder, TextDecoder, URL, MessageChannel: UnrefMessageChannel, Blob, ...extra,
  };
  g.self = g;
  g.globalThis = g;
  return vm.createContext(g);
}

/** A `vscode` module that answers every property and call with another such value (activation only registers). */
function fakeVscode(): unknown {
  const answer = (key: string | symbol): unknown => (key === 'then' ? undefined : key === Symbol.iterator ? function* () {} : key === Symbol.toPrimitive ? () => 0 : make());
  // The bundle copies a module's own properties (esbuild's __toESM): the rest comes through the prototype.
  const proto: object = new Proxy({}, { get: (_t, key) => answer(key) });
  const make = (): unknown =>
    new Proxy(function fake() {}, {
      get: (_t, key) => answer(key),
      set: () => true,
      defineProperty: () => true,
      getPrototypeOf: () => proto,
      apply: () => make(),
      construct: () => make() as object,
    });
  return make();
}

function waitFor<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const v = probe();
      if (v !== undefined) return resolve(v);
      if (Date.now() > until) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('the browser build (dist/web)', function () {
  this.timeout(120_000);

  before(function () {
    if (!existsSync(EXTENSION) || !existsSync(SERVER)) {
      const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, `npm run build failed: ${r.stderr}`);
    }
  });

  it('the check finds a Node built-in, another module, and a Node-only call', () => {
    assert.deepEqual(nodeDependencies('const v = require("vscode");', ['vscode']), []);
    assert.deepEqual(nodeDependencies('const fs = require("fs");', ['vscode']), ["requires the Node built-in 'fs'"]);
    assert.deepEqual(nodeDependencies('import("node:path")', []), ["requires the Node built-in 'node:path'"]);
    assert.deepEqual(nodeDependencies('require("child_process"); require("left-pad")', []), ["requires the Node built-in 'child_process'", "requires 'left-pad', which the web worker host cannot provide"]);
    assert.deepEqual(nodeDependencies('process.binding("fs")', []), ['calls process.binding']);
  });

  it('the extension requires only vscode, and nothing Node-only', () => {
    assert.deepEqual(nodeDependencies(readFileSync(EXTENSION, 'utf8'), ['vscode']), []);
  });

  it('the language server worker requires nothing, and nothing Node-only', () => {
    assert.deepEqual(nodeDependencies(readFileSync(SERVER, 'utf8'), []), []);
  });

  it('the extension loads and activates without Node, and its inline debug adapter stops on entry', async () => {
    const required: string[] = [];
    const module = { exports: {} as Record<string, unknown> };
    const realm = workerRealm({
      module,
      exports: module.exports,
      require: (name: string) => {
        required.push(name);
        if (name === 'vscode') return fakeVscode();
        throw new Error(`require('${name}') in the web worker host`);
      },
    });
    vm.runInContext(readFileSync(EXTENSION, 'utf8'), realm, { filename: EXTENSION });
    assert.deepEqual([...new Set(required)], ['vscode']);
    assert.equal(typeof module.exports.activate, 'function');
    const context = { subscriptions: [] as unknown[], extensionUri: fakeVscode() };
    const api = (module.exports.activate as (c: unknown) => { host: { kind: string; loadDebugSession(): Promise<new (h: unknown) => InlineAdapter>; defer(f: () => void): void } })(context);
    assert.equal(api.host.kind, 'web');
    assert.ok(context.subscriptions.length > 0, 'activation registered its parts');

    // The same session class the web host gives VS Code, driven over DAP as the workbench does.
    const Session = await api.host.loadDebugSession();
    const adapter = new Session({ readFile: () => 'vgpu vm1\nregister vm1 gfn 0x100 handler log\nenable vm1 gfn 0x100\n', defer: (f: () => void) => api.host.defer(f) });
    const sent: Array<{ type: string; command?: string; event?: string; success?: boolean; body?: { reason?: string } }> = [];
    adapter.onDidSendMessage((m) => sent.push(m as (typeof sent)[number]));
    let seq = 1;
    const request = (command: string, args: unknown): void => adapter.handleMessage({ seq: seq++, type: 'request', command, arguments: args });
    request('initialize', { adapterID: 'gvt', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    request('launch', { program: 'untitled:scenario.gvt', stopOnEntry: true });
    await waitFor('the launch response', () => sent.find((m) => m.command === 'launch'));
    assert.equal(sent.find((m) => m.command === 'launch')?.success, true, JSON.stringify(sent.filter((m) => m.type === 'response')));
    request('configurationDone', {});
    const stopped = await waitFor('a stopped event', () => sent.find((m) => m.event === 'stopped'));
    assert.equal(stopped.body?.reason, 'entry');
    adapter.dispose();
  });

  it('the language server answers initialize inside a worker scope without Node', async () => {
    const posted: Array<{ id?: number; result?: { capabilities?: Record<string, unknown> } }> = [];
    const listeners: Array<(e: { data: unknown }) => void> = [];
    const realm = workerRealm({
      addEventListener: (type: string, l: (e: { data: unknown }) => void) => type === 'message' && listeners.push(l),
      removeEventListener: () => undefined,
      postMessage: (m: (typeof posted)[number]) => posted.push(m),
    });
    vm.runInContext(readFileSync(SERVER, 'utf8'), realm, { filename: SERVER });
    if (typeof realm.onmessage === 'function') listeners.push(realm.onmessage as (e: { data: unknown }) => void);
    assert.ok(listeners.length > 0, 'the server listens to the worker scope');
    for (const l of listeners) l({ data: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } } });
    const answer = await waitFor('the initialize result', () => posted.find((m) => m.id === 1));
    assert.ok(answer.result?.capabilities?.textDocumentSync !== undefined, JSON.stringify(answer).slice(0, 300));
  });
});

interface InlineAdapter {
  onDidSendMessage(listener: (m: unknown) => void): unknown;
  handleMessage(m: unknown): void;
  dispose(): void;
}
