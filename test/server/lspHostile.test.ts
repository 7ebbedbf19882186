// A hostile or broken LSP client (docs/limits.md): malformed frames, prototype-named methods,
// absurd sizes. Every request is answered, the server stays alive and answers normally after, and
// its memory stays bounded. Drives the real server process; frames are written to its stdin raw.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';
import { malformedFrames } from '../common/malformedFrames';

const URI = 'file:///hostile.gvt';
const MiB = 1024 * 1024;

describe('language server: hostile input', function () {
  this.timeout(30_000);
  let client: LspClient;
  beforeEach(async () => {
    client = (await LspClient.start()).client;
  });
  afterEach(async () => {
    await client.stop();
  });

  const answersHover = async (): Promise<void> => {
    await client.open(URI, 'vgpu vm1\nregister vm1 gfn 1 handler log\n');
    const h = (await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 1, character: 2 } })) as Hover;
    assert.match(JSON.stringify(h.contents), /intel_vgpu_register_page_track/);
    assert.ok(client.alive);
  };

  for (const [name, bytes] of malformedFrames('{"jsonrpc":"2.0","id":99,"method":"shutdown"}')) {
    it(`keeps answering after ${name}`, async () => {
      client.process.stdin!.write(bytes);
      await answersHover();
    });
  }

  for (const method of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`answers the method '${method}' with an error`, async () => {
      await assert.rejects(client.request(method, {}), /Unhandled method/);
      await answersHover();
    });
  }

  it('a $/cancelRequest with null params does not hold up the request written with it', async () => {
    const frames = ['{"jsonrpc":"2.0","method":"$/cancelRequest","params":null}', '{"jsonrpc":"2.0","id":77,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///none.gvt"},"position":{"line":0,"character":0}}}'];
    const answered = new Promise<string>((resolve) => {
      client.process.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('"id":77')) resolve(d.toString());
      });
    });
    client.process.stdin!.write(frames.map((f) => `Content-Length: ${Buffer.byteLength(f)}\r\n\r\n${f}`).join(''));
    assert.match(await answered, /"id":77/);
    await answersHover();
  });

  it('after shutdown every request is an InvalidRequest, a new initialize too, and documents are no longer taken', async () => {
    await client.request('shutdown');
    const invalid = (e: { code?: number; message?: string }): boolean => e.code === -32600 && /shut down/.test(e.message ?? '');
    await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 0 } }), invalid);
    await assert.rejects(client.request('initialize', { processId: null, rootUri: null, capabilities: {} }), invalid);
    await assert.rejects(client.request('shutdown'), (e: { code?: number; message?: string }) => e.code === -32600 && /already shut down/.test(e.message ?? ''));
    client.notify('textDocument/didOpen', { textDocument: { uri: 'file:///late.gvt', languageId: 'gvt', version: 1, text: 'vgpu\n' } });
    await assert.rejects(client.nextDiagnostics('file:///late.gvt', () => true, 500), /no diagnostics/);
  });

  it('a didOpen before initialize is dropped: no diagnostics for it, before or after the answer', async () => {
    const c = LspClient.spawn();
    try {
      c.notify('textDocument/didOpen', { textDocument: { uri: 'file:///early.gvt', languageId: 'gvt', version: 1, text: 'nonsense here\n' } });
      const early = c.nextDiagnostics('file:///early.gvt', () => true, 800);
      await c.request('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { diagnosticsDelay: 20 } });
      c.notify('initialized', {});
      await assert.rejects(early, /no diagnostics/);
    } finally {
      await c.stop();
    }
  });

  it('an initialize processId that is no pid (1.5, -5, 2^53) is not watched: the server stays up past the 3 s watch', async () => {
    const clients = [1.5, -5, 2 ** 53].map(() => LspClient.spawn());
    try {
      await Promise.all(clients.map((c, i) => c.request('initialize', { processId: [1.5, -5, 2 ** 53][i], rootUri: null, capabilities: {} })));
      await new Promise((r) => setTimeout(r, 3500));
      for (const c of clients) {
        assert.ok(c.alive);
        assert.equal(await c.request('textDocument/hover', { textDocument: { uri: 'file:///none.gvt' }, position: { line: 0, character: 0 } }), null);
      }
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
    }
  });

  it('with a lowered maxDocumentLength, a larger document still arrives and is said to be too large', async () => {
    const c = (await LspClient.start({ initializationOptions: { diagnosticsDelay: 20, maxDocumentLength: 1000 } })).client;
    try {
      const d = await c.open('file:///big.gvt', 'print 1\n'.repeat(256 * 1024));
      assert.match(d.diagnostics.map((x) => x.message).join(' | '), /file too large to check/);
    } finally {
      await c.stop();
    }
  });

  it('a didOpen within maxDocumentLength is taken whatever its JSON escaping (6 bytes a character), not dropped by the framer', async () => {
    // 11.5 Mi control characters: under the 16 Mi default, about 70 MiB as JSON (the framer's limit was 64 MiB).
    const d = await client.open('file:///controls.gvt', 'vgpu vm1\n' + '\u0001'.repeat(11.5 * MiB));
    assert.match(d.diagnostics.map((x) => x.message).join(' | '), /invalid characters/);
    await answersHover();
  });

  it('a 4 MiB document of random characters is diagnosed with a bounded listing, in bounded memory', async () => {
    let seed = 3;
    let text = '';
    for (let i = 0; i < 4 * MiB; i++) text += String.fromCharCode(32 + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 25));
    const d = await client.open('file:///random.gvt', text);
    assert.ok(d.diagnostics.length <= 1001, `${d.diagnostics.length} diagnostics`);
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${client.process.pid}/status`, 'utf8'))?.[1]) * 1024;
    assert.ok(rss < 512 * MiB, `RSS ${Math.round(rss / MiB)} MiB`);
    await answersHover();
  });
});
