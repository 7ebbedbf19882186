// The server survives anything a client sends: malformed params, unknown documents and methods,
// positions out of range, huge and binary text, garbage notifications. Each request gets an
// error or an empty answer, and after all of it the server still answers normally.

import { strict as assert } from 'node:assert';
import type { CompletionList, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const URI = 'file:///robust.gvt';
const GOOD = 'vgpu vm1\nregister vm1 gfn 1 handler log\n';

const POSITION_REQUESTS = [
  'textDocument/hover',
  'textDocument/completion',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/documentHighlight',
  'textDocument/prepareRename',
];
const DOCUMENT_REQUESTS = ['textDocument/documentSymbol', 'textDocument/formatting'];
const RANGE_REQUESTS = ['textDocument/rangeFormatting', 'textDocument/codeAction'];
const ALL = [...POSITION_REQUESTS, ...DOCUMENT_REQUESTS, ...RANGE_REQUESTS, 'textDocument/rename'];

/** The answer, or `error <code>`. */
async function answer(client: LspClient, method: string, params: unknown): Promise<unknown> {
  try {
    return await client.request(method, params);
  } catch (e) {
    return `error ${(e as { code?: number }).code}`;
  }
}

/** Empty answers: null, [] or an empty completion list. */
const isEmpty = (v: unknown): boolean =>
  v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Array.isArray((v as CompletionList).items) && (v as CompletionList).items.length === 0);

describe('language server robustness', function () {
  this.timeout(30000);
  let client: LspClient;

  before(async () => {
    client = (await LspClient.start({ initializationOptions: { diagnosticsDelay: 10, maxDocumentLength: 3_000_000, maxDiagnostics: 50 } })).client;
    await client.open(URI, GOOD);
  });
  after(async () => {
    if (client?.alive) assert.equal(await client.stop(), 0);
  });

  // [what, params, the requests that must refuse (InvalidParams) or answer empty]
  const P0 = { line: 0, character: 0 };
  const malformed: [string, unknown, string[]][] = [
    ['no params', undefined, ALL],
    ['null', null, ALL],
    ['a number', 42, ALL],
    ['a string', 'hover me', ALL],
    ['an array', [1, 2, 3], ALL],
    ['no textDocument', { position: P0, range: { start: P0, end: P0 } }, ALL],
    ['textDocument not an object', { textDocument: 'file:///x', position: P0 }, ALL],
    ['uri not a string', { textDocument: { uri: 17 }, position: P0 }, ALL],
    ['empty uri', { textDocument: { uri: '' }, position: P0 }, ALL],
    ['position missing', { textDocument: { uri: URI } }, [...POSITION_REQUESTS, 'textDocument/rename']],
    ['position strings', { textDocument: { uri: URI }, position: { line: '0', character: '1' } }, POSITION_REQUESTS],
    ['negative position', { textDocument: { uri: URI }, position: { line: -1, character: -5 } }, POSITION_REQUESTS],
    ['fractional position', { textDocument: { uri: URI }, position: { line: 0.5, character: 1 } }, POSITION_REQUESTS],
    ['null position fields', { textDocument: { uri: URI }, position: { line: null, character: {} } }, POSITION_REQUESTS],
    ['range malformed', { textDocument: { uri: URI }, range: { start: 1, end: 2 } }, RANGE_REQUESTS],
    ['newName not a string', { textDocument: { uri: URI }, position: { line: 0, character: 6 }, newName: 7 }, ['textDocument/rename']],
  ];
  for (const [what, params, refusing] of malformed) {
    it(`malformed params (${what}): an error or an empty answer`, async () => {
      for (const method of ALL) {
        const a = await answer(client, method, params);
        if (refusing.includes(method)) assert.ok(a === 'error -32602' || isEmpty(a), `${method}: ${JSON.stringify(a)}`);
        else assert.ok(typeof a !== 'string' || a === 'error -32602', `${method}: ${JSON.stringify(a)}`);
      }
      assert.ok(client.alive);
    });
  }

  it('unknown documents: empty answers', async () => {
    const at = { textDocument: { uri: 'file:///never-opened.gvt' }, position: { line: 0, character: 0 }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newName: 'x', context: { diagnostics: [] }, options: { tabSize: 2, insertSpaces: true } };
    for (const method of ALL) assert.ok(isEmpty(await answer(client, method, at)), method);
  });

  it('positions far out of range are clamped, not errors', async () => {
    for (const position of [{ line: 1_000_000, character: 0 }, { line: 0, character: 1e9 }, { line: 2 ** 31, character: 2 ** 31 }]) {
      const at = { textDocument: { uri: URI }, position, range: { start: position, end: position }, newName: 'x', context: { diagnostics: [] }, options: {} };
      for (const method of ALL) {
        const a = await answer(client, method, at);
        assert.ok(typeof a !== 'string' || a === 'error -32803', `${method}: ${JSON.stringify(a)}`); // prepareRename/rename may refuse
      }
    }
    const end = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 99, character: 99 } });
    assert.ok(end.items.some((i) => i.label === 'register'), 'the clamped position is the start of the last (empty) line');
  });

  it('unknown methods get MethodNotFound; unknown notifications are ignored', async () => {
    assert.equal(await answer(client, 'gvt/frobnicate', { x: 1 }), 'error -32601');
    assert.equal(await answer(client, 'textDocument/semanticTokens/full', { textDocument: { uri: URI } }), 'error -32601');
    client.notify('gvt/whatever', [1, 2]);
    client.notify('$/setTrace', { value: 'verbose' });
    assert.ok(client.alive);
  });

  it('garbage notifications are ignored', async () => {
    const garbage: [string, unknown][] = [
      ['textDocument/didOpen', null],
      ['textDocument/didOpen', { textDocument: { uri: 'file:///n.gvt', text: 12 } }],
      ['textDocument/didOpen', { textDocument: { uri: 5, text: 'vgpu x' } }],
      ['textDocument/didChange', { textDocument: { uri: 'file:///never.gvt', version: 2 }, contentChanges: [{ text: 'x' }] }],
      ['textDocument/didChange', { textDocument: { uri: URI, version: 'two' }, contentChanges: [{ text: 'x' }] }],
      ['textDocument/didChange', { textDocument: { uri: URI, version: 9 }, contentChanges: 'x' }],
      ['textDocument/didChange', { textDocument: { uri: URI, version: 9 }, contentChanges: [{ range: { start: 'a' }, text: 'x' }] }],
      ['textDocument/didChange', { textDocument: { uri: URI, version: 9 }, contentChanges: [null] }],
      ['textDocument/didClose', { textDocument: { uri: 'file:///never.gvt' } }],
      ['textDocument/didClose', 'x'],
      ['workspace/didChangeConfiguration', { settings: null }],
    ];
    for (const [m, p] of garbage) client.notify(m, p);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 1, character: 2 } });
    assert.match(JSON.stringify(h.contents), /intel_vgpu_register_page_track/, 'the document is unchanged and the server answers');
    assert.ok(client.logs.some((l) => /malformed/.test(l)), 'malformed notifications are logged');
  });

  it('changes with ranges beyond the text are applied clamped', async () => {
    const p = await client.change(URI, 20, [{ range: { start: { line: 500, character: 0 }, end: { line: 600, character: 9 } }, text: 'submit vm1\n' }]);
    assert.deepEqual(p.diagnostics, []);
  });

  it('binary text: diagnostics, capped, and the server still answers', async () => {
    let seed = 1;
    let text = '';
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += String.fromCharCode(seed % 256);
    }
    text += '\u0000\uffff\ud800 \udfff';
    const p = await client.open('file:///binary.gvt', text);
    assert.equal(p.diagnostics.length, 51);
    assert.match(String(p.diagnostics[50].message), /more problems not shown/);
    for (const method of ALL) {
      const a = await answer(client, method, { textDocument: { uri: 'file:///binary.gvt' }, position: { line: 3, character: 3 }, range: { start: { line: 0, character: 0 }, end: { line: 50, character: 0 } }, newName: 'x', context: { diagnostics: [] }, options: {} });
      assert.ok(typeof a !== 'string' || a === 'error -32803', `${method}: ${JSON.stringify(a)}`);
    }
  });

  it('text over the size limit: one diagnostic, empty answers, and it recovers when shortened', async () => {
    const big = 'print 1\n'.repeat(400_000); // 3.2 M characters, limit 3 M
    const p = await client.open('file:///big.gvt', big);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['not-checked']);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'file:///big.gvt' }, position: { line: 0, character: 0 } }), null);
    const q = await client.change('file:///big.gvt', 2, [{ text: 'submit nope\n' }]);
    assert.deepEqual(q.diagnostics.map((d) => d.code), ['unknown-vgpu']);
  });

  it('pathological nesting and long lines', async () => {
    const deep = 'repeat 1 {\n'.repeat(200) + 'print 1\n' + '}\n'.repeat(200);
    const long = 'print ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n' + 'print ' + '1 + '.repeat(20000) + '1\n';
    for (const [uri, text] of [['file:///deep.gvt', deep], ['file:///long.gvt', long]]) {
      const p: PublishDiagnosticsParams = await client.open(uri, text);
      assert.ok(p.diagnostics.some((d) => d.code === 'too-complex'), uri);
      for (const method of ALL) {
        const a = await answer(client, method, { textDocument: { uri }, position: { line: 1, character: 4 }, range: { start: { line: 0, character: 0 }, end: { line: 300, character: 0 } }, newName: 'x', context: { diagnostics: [] }, options: {} });
        assert.ok(typeof a !== 'string' || a === 'error -32803', `${uri} ${method}: ${JSON.stringify(a)}`);
      }
    }
  });

  it('after all of it: alive, no crash output, and normal answers', async () => {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 1 } });
    assert.match(JSON.stringify(h.contents), /vgpu NAME/);
    assert.ok(client.alive);
    assert.ok(!client.logs.some((l) => /failed:/.test(l)), client.logs.filter((l) => /failed:/.test(l)).join('\n'));
  });

  for (const [name, params] of [['null params', null], ['null capabilities', { processId: null, rootUri: null, capabilities: null }]] as const) {
    it(`an initialize with ${name} is answered with the defaults, and the server serves`, async () => {
      const raw = LspClient.spawn();
      try {
        const init = await raw.request<{ capabilities?: unknown }>('initialize', params);
        assert.ok(init.capabilities);
        raw.notify('initialized', {});
        await raw.open(URI, 'vgpu vm1\n');
        const h = await raw.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 1 } });
        assert.match(JSON.stringify(h.contents), /vgpu NAME/);
      } finally {
        raw.kill();
      }
    });
  }

  it('requests before initialize are refused, and exit without shutdown ends with 1', async () => {
    const raw = LspClient.spawn();
    try {
      assert.equal(await answer(raw, 'textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 0 } }), 'error -32002');
      raw.notify('exit');
      assert.equal(await raw.waitForExit(), 1);
    } finally {
      raw.kill();
    }
  });
});
