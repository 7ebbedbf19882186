// The language server over JSON-RPC, with a real client against the built server process
// (dist/server.js --stdio; build first). One document through every feature: diagnostics on open
// and after changes, completion, hover, definition, references, highlights, rename, symbols,
// formatting, quick fixes, close, shutdown and exit. Also `gvt-scenario lsp --stdio`.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type {
  CodeAction,
  CompletionList,
  DocumentHighlight,
  DocumentSymbol,
  Hover,
  Location,
  LocationLink,
  MarkupContent,
  Range,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { fork } from 'node:child_process';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-languageserver-protocol/node';
import { LspClient, ROOT, SERVER } from './lspClient';

const URI = 'file:///work/scenario.gvt';
const TEXT = [
  'vgpu vm1', // 0
  'handler audit returns -EEXIST', // 1
  'let base = 0x102000', // 2
  'register vm1 gfn 0x102 handler audit', // 3
  'enable vm1 gfn 0x103', // 4
  'write vm2 gpa base u64 1', // 5
  'repeat 2 as i {', // 6
  'write vm1 gpa base+i*8 u64 3', // 7
  '}', // 8
  '', // 9
].join('\n');

const pos = (line: number, character: number) => ({ line, character });
const doc = { textDocument: { uri: URI } };
const rangeText = (text: string, r: Range): string => {
  const lines = text.split('\n');
  return r.start.line === r.end.line ? lines[r.start.line].slice(r.start.character, r.end.character) : '<multi-line>';
};
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

describe('language server over JSON-RPC', function () {
  this.timeout(20000);
  let client: LspClient;
  let capabilities: Record<string, unknown>;

  before(async () => {
    const started = await LspClient.start();
    client = started.client;
    capabilities = started.init.capabilities as Record<string, unknown>;
  });
  after(async () => {
    if (client?.alive) await client.stop();
  });

  it('initialize announces every feature', () => {
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    for (const k of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentHighlightProvider', 'documentFormattingProvider', 'documentRangeFormattingProvider']) {
      assert.equal(capabilities[k], true, k);
    }
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
    assert.deepEqual((capabilities.completionProvider as { triggerCharacters: string[] }).triggerCharacters, [' ', '-']);
    assert.deepEqual((capabilities.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix']);
    assert.ok(capabilities.documentSymbolProvider);
  });

  it('didOpen publishes diagnostics with ranges, codes, severities, source and version', async () => {
    const p = await client.open(URI, TEXT, 1);
    assert.equal(p.version, 1);
    assert.deepEqual(
      p.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${d.source} ${rangeText(TEXT, d.range)}`),
      ['4:15-4:20 2 enable-unregistered gvt 0x103', '5:6-5:9 1 unknown-vgpu gvt vm2'],
    );
    assert.match(String(p.diagnostics[1].message), /did you mean 'vm1'/);
  });

  it('didChange (incremental) publishes the new diagnostics for the new version', async () => {
    // vm2 → vm1 on line 5
    const p = await client.change(URI, 2, [{ range: { start: pos(5, 6), end: pos(5, 9) }, text: 'vm1' }]);
    assert.equal(p.version, 2);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['enable-unregistered']);
    // a syntax error appears: line 3 loses its handler name
    const q = await client.change(URI, 3, [{ range: { start: pos(3, 31), end: pos(3, 36) }, text: '' }]);
    assert.deepEqual(q.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`), ['unexpected-token@3:31', 'enable-unregistered@4:15']);
    const r = await client.change(URI, 4, [{ range: { start: pos(3, 31), end: pos(3, 31) }, text: 'audit' }]);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['enable-unregistered']);
  });

  it('rapid changes are debounced: only the last version is checked', async () => {
    const before = client.published.length;
    client.notify('textDocument/didChange', { textDocument: { uri: URI, version: 5 }, contentChanges: [{ range: { start: pos(9, 0), end: pos(9, 0) }, text: 's' }] });
    client.notify('textDocument/didChange', { textDocument: { uri: URI, version: 6 }, contentChanges: [{ range: { start: pos(9, 1), end: pos(9, 1) }, text: 'u' }] });
    const last = await client.change(URI, 7, [{ range: { start: pos(9, 0), end: pos(9, 2) }, text: '' }]);
    assert.deepEqual(last.diagnostics.map((d) => d.code), ['enable-unregistered']);
    assert.deepEqual(client.published.slice(before).map((p) => p.version), [7]);
  });

  it('completion: vGPU names, sub-keywords, error codes, snippets', async () => {
    const labels = async (line: string): Promise<CompletionList> => {
      await client.change(URI, 100 + line.length, [{ range: { start: pos(9, 0), end: pos(9, 1000) }, text: line }]);
      return client.request<CompletionList>('textDocument/completion', { ...doc, position: pos(9, line.length) });
    };
    assert.deepEqual((await labels('submit ')).items.map((i) => i.label), ['vm1']);
    assert.deepEqual((await labels('write vm1 gpa 0 ')).items.map((i) => i.label), ['u8', 'u16', 'u32', 'u64', 'bytes']);
    const codes = (await labels('expect ret == ')).items.map((i) => i.label);
    assert.ok(codes.includes('-EEXIST') && codes.includes('0') && codes.includes('base'), String(codes));
    const start = await labels('sha');
    const snippet = start.items.find((i) => i.label === 'shadow a 4-level PPGTT')!;
    assert.equal(snippet.insertTextFormat, 2);
    assert.deepEqual((snippet.textEdit as TextEdit).range, { start: pos(9, 0), end: pos(9, 3) });
    assert.match((snippet.textEdit as TextEdit).newText, /^vgpu \$\{1:vm2\}\npagetable \$1 root/);
    await client.change(URI, 200, [{ range: { start: pos(9, 0), end: pos(9, 1000) }, text: '' }]);
  });

  it('hover: statements, names, numbers, error codes', async () => {
    const md = async (line: number, character: number): Promise<string> => ((await client.request<Hover>('textDocument/hover', { ...doc, position: pos(line, character) })).contents as MarkupContent).value;
    assert.match(await md(3, 2), /intel_vgpu_register_page_track/);
    assert.match(await md(3, 10), /\*\*vGPU\*\* `vm1`[\s\S]*line 1/);
    assert.match(await md(3, 18), /`0x102` = 258[\s\S]*gpa `0x102000`/);
    assert.match(await md(1, 25), /-EEXIST\*\* = -17 \(File exists\)/);
    const h = await client.request<Hover>('textDocument/hover', { ...doc, position: pos(3, 18) });
    assert.deepEqual(h.range, { start: pos(3, 17), end: pos(3, 22) });
    assert.equal(await client.request('textDocument/hover', { ...doc, position: pos(8, 0) }), null);
  });

  it('definition: a LocationLink to the defining name', async () => {
    const links = await client.request<LocationLink[]>('textDocument/definition', { ...doc, position: pos(7, 15) });
    assert.equal(links.length, 1);
    assert.equal(links[0].targetUri, URI);
    assert.deepEqual(links[0].targetSelectionRange, { start: pos(2, 4), end: pos(2, 8) });
    assert.deepEqual(links[0].originSelectionRange, { start: pos(7, 14), end: pos(7, 18) });
    assert.deepEqual(await client.request('textDocument/definition', { ...doc, position: pos(0, 1) }), []);
  });

  it('references and highlights', async () => {
    const refs = await client.request<Location[]>('textDocument/references', { ...doc, position: pos(0, 6), context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((r) => r.range.start.line), [0, 3, 4, 5, 7]);
    const noDecl = await client.request<Location[]>('textDocument/references', { ...doc, position: pos(0, 6), context: { includeDeclaration: false } });
    assert.deepEqual(noDecl.map((r) => r.range.start.line), [3, 4, 5, 7]);
    const hl = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { ...doc, position: pos(6, 12) });
    assert.deepEqual(hl.map((h) => `${h.range.start.line}:${h.kind}`), ['6:3', '7:2']);
  });

  it('prepareRename and rename', async () => {
    assert.deepEqual(await client.request('textDocument/prepareRename', { ...doc, position: pos(1, 10) }), { range: { start: pos(1, 8), end: pos(1, 13) }, placeholder: 'audit' });
    await assert.rejects(client.request('textDocument/prepareRename', { ...doc, position: pos(3, 2) }), /keyword/);
    await assert.rejects(client.request('textDocument/prepareRename', { ...doc, position: pos(3, 2) }), (e: { code: number }) => e.code === -32803);
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...doc, position: pos(1, 10), newName: 'trace' });
    assert.deepEqual(edit.changes![URI].map((e) => `${e.range.start.line}:${e.range.start.character} ${e.newText}`), ['1:8 trace', '3:31 trace']);
    await assert.rejects(client.request('textDocument/rename', { ...doc, position: pos(1, 10), newName: 'log' }), /built-in/);
    await assert.rejects(client.request('textDocument/rename', { ...doc, position: pos(1, 10), newName: '1x' }), /not a valid name/);
  });

  it('document symbols: a hierarchy', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', doc);
    assert.deepEqual(symbols.map((s) => `${s.name}/${s.kind}`), ['vm1/2', 'audit/12', 'base/13', 'repeat 2 as i/3']);
    assert.deepEqual(symbols[3].children!.map((s) => s.name), ['i']);
    assert.deepEqual(symbols[3].range, { start: pos(6, 0), end: pos(8, 1) });
  });

  it('formatting returns edits that give the canonical text', async () => {
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { ...doc, options: { tabSize: 4, insertSpaces: true } });
    const current = TEXT.replace('write vm2', 'write vm1');
    assert.equal(applyEdits(current, edits), current.replace('write vm1 gpa base+i*8 u64 3', '  write vm1 gpa base + i * 8 u64 3'));
    const ranged = await client.request<TextEdit[]>('textDocument/rangeFormatting', { ...doc, range: { start: pos(0, 0), end: pos(5, 0) }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(ranged, []);
  });

  it('code actions: the quick fix for enabling an unregistered gfn', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { ...doc, range: { start: pos(4, 16), end: pos(4, 16) }, context: { diagnostics: [] } });
    assert.deepEqual(actions.map((a) => a.title), ['Register gfn 0x103 first (handler log)']);
    assert.equal(actions[0].kind, 'quickfix');
    assert.equal(actions[0].isPreferred, true);
    assert.equal(actions[0].diagnostics![0].code, 'enable-unregistered');
    assert.deepEqual(actions[0].edit!.changes![URI], [{ range: { start: pos(4, 0), end: pos(4, 0) }, newText: 'register vm1 gfn 0x103 handler log\n' }]);
    const none = await client.request<CodeAction[]>('textDocument/codeAction', { ...doc, range: { start: pos(4, 16), end: pos(4, 16) }, context: { diagnostics: [], only: ['refactor'] } });
    assert.deepEqual(none, []);
  });

  it('a client without snippets or hierarchical symbols gets plain items and a flat list', async () => {
    const { client: plain } = await LspClient.start({ capabilities: {} });
    try {
      await plain.open('file:///p.gvt', 'vgpu vm1\nrepeat 2 {\nlet a = 1\n}\n');
      const list = await plain.request<CompletionList>('textDocument/completion', { textDocument: { uri: 'file:///p.gvt' }, position: pos(4, 0) });
      const reg = list.items.find((i) => i.label === 'register')!;
      assert.equal(reg.insertTextFormat, undefined);
      assert.equal((reg.textEdit as TextEdit).newText, 'register vm1 gfn 0x100 handler log');
      const flat = await plain.request<SymbolInformation[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///p.gvt' } });
      assert.deepEqual(flat.map((s) => `${s.name}<${s.containerName ?? ''}>`), ['vm1<>', 'repeat 2<>', 'a<repeat 2>']);
      const links = await plain.request<Location[]>('textDocument/definition', { textDocument: { uri: 'file:///p.gvt' }, position: pos(0, 0) });
      assert.deepEqual(links, []);
    } finally {
      assert.equal(await plain.stop(), 0);
    }
  });

  it('didClose clears the diagnostics', async () => {
    const cleared = client.nextDiagnostics(URI);
    client.notify('textDocument/didClose', doc);
    assert.deepEqual((await cleared).diagnostics, []);
    assert.equal(await client.request('textDocument/hover', { ...doc, position: pos(3, 2) }), null);
  });

  it('shutdown then exit ends the process with 0', async () => {
    assert.equal(await client.stop(), 0);
    assert.equal(client.stderr, '');
  });

  it('`gvt-scenario lsp --stdio` is the same server', async () => {
    const { client: cli, init } = await LspClient.start({ args: [join(ROOT, 'bin/gvt-scenario.js'), 'lsp', '--stdio'] });
    try {
      assert.equal(init.serverInfo?.name, 'gvt-scenario-language-server');
      const p = await cli.open('file:///c.gvt', 'submit vm1\n');
      assert.deepEqual(p.diagnostics.map((d) => d.code), ['unknown-vgpu']);
    } finally {
      assert.equal(await cli.stop(), 0);
    }
  });

  it('--node-ipc works too (the transport of TransportKind.ipc in vscode-languageclient)', async () => {
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const diagnostics = new Promise<{ diagnostics: { code?: unknown }[] }>((resolve) => conn.onNotification('textDocument/publishDiagnostics', resolve));
    conn.listen();
    try {
      const init = await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      assert.ok((init as { capabilities: object }).capabilities);
      await conn.sendNotification('initialized', {});
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///ipc.gvt', languageId: 'gvt', version: 1, text: 'submit vm1\n' } });
      assert.deepEqual((await diagnostics).diagnostics.map((d) => d.code), ['unknown-vgpu']);
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      assert.equal(await exited, 0);
    } finally {
      conn.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
