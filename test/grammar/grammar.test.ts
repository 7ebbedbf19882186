// The TextMate grammar (syntaxes/gvt.tmLanguage.json) run through the engine VS Code itself uses
// (vscode-textmate + vscode-oniguruma): golden token files for every fixture and sample, a table of
// single-token assertions, and the editor settings of language-configuration.json and package.json.
// Update the golden files with UPDATE_GOLDEN=1 and review the diff.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

/** The repository root: three levels above out/test/grammar, or the directory mocha runs in. */
const ROOT = ((): string => {
  const up = resolve(__dirname, '..', '..', '..');
  return existsSync(join(up, 'syntaxes', 'gvt.tmLanguage.json')) ? up : process.cwd();
})();
const GRAMMAR_PATH = join(ROOT, 'syntaxes', 'gvt.tmLanguage.json');
const FIXTURES = join(ROOT, 'test', 'grammar', 'fixtures');
const SAMPLES = join(ROOT, 'samples');
const GOLDEN = join(ROOT, 'test', 'grammar', 'golden');
const SCOPE = 'source.gvt';
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const UPDATE_HINT = 'UPDATE_GOLDEN=1 npx mocha out/test/grammar/grammar.test.js';

interface Token {
  readonly line: number; // 1-based
  readonly col: number; // 1-based
  readonly start: number; // 0-based offset in the line
  readonly end: number;
  readonly text: string;
  /** Scopes from outermost to innermost, without the root `source.gvt`. */
  readonly scopes: readonly string[];
}

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => oniguruma.createOnigScanner(sources),
        createOnigString: (s: string) => oniguruma.createOnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === SCOPE ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar(SCOPE);
    if (!grammar) throw new Error(`no grammar for ${SCOPE} in ${GRAMMAR_PATH}`);
    return grammar;
  })();
  return grammarPromise;
}

function splitLines(source: string): string[] {
  const lines = source.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Tokenizes lines the way the editor does: each line starts from the state the previous one left. */
function tokenize(grammar: vsctm.IGrammar, lines: readonly string[]): Token[] {
  const out: Token[] = [];
  let state: vsctm.StateStack = vsctm.INITIAL;
  lines.forEach((lineText, i) => {
    const r = grammar.tokenizeLine(lineText, state);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end <= t.startIndex) continue;
      const scopes = t.scopes.filter((s, k) => !(k === 0 && s === SCOPE));
      out.push({ line: i + 1, col: t.startIndex + 1, start: t.startIndex, end, text: lineText.slice(t.startIndex, end), scopes });
    }
    state = r.ruleStack;
  });
  return out;
}

/** One line a token, `line:col text  scopes`; unscoped whitespace is left out. */
function formatTokens(tokens: readonly Token[]): string[] {
  return tokens
    .filter((t) => t.scopes.length > 0 || t.text.trim() !== '')
    .map((t) => `${t.line}:${t.col} ${t.text.replace(/\t/g, '\\t')}  ${t.scopes.length ? t.scopes.join(' ') : '-'}`);
}

function gvtFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.gvt'))
    .sort();
}

/** `samples/sub/x.gvt` -> `sub-x`: the golden file's base name. */
function goldenName(dir: string, file: string): string {
  return relative(dir, file).slice(0, -'.gvt'.length).split(sep).join('-');
}

/** `scope` names a scope or a prefix of one at a dot: `keyword` matches `keyword.control.action.gvt`. */
function hasScope(t: Token, scope: string): boolean {
  return t.scopes.some((s) => s === scope || s.startsWith(scope + '.'));
}

describe('grammar: golden tokens', () => {
  const sources = [...gvtFiles(FIXTURES).map((f) => ({ dir: FIXTURES, file: f })), ...gvtFiles(SAMPLES).map((f) => ({ dir: SAMPLES, file: f }))];
  const byName = new Map<string, string>();

  it('finds fixtures, and no two files share a golden name', () => {
    assert.ok(gvtFiles(FIXTURES).length > 0, `no .gvt fixtures in ${FIXTURES}`);
    for (const { dir, file } of sources) {
      const name = goldenName(dir, file);
      const other = byName.get(name);
      assert.equal(other, undefined, `${relative(ROOT, file)} and ${other} would share golden/${name}.tokens.txt: rename one`);
      byName.set(name, relative(ROOT, file));
    }
  });

  for (const { dir, file } of sources) {
    const rel = relative(ROOT, file).split(sep).join('/');
    const goldenFile = join(GOLDEN, `${goldenName(dir, file)}.tokens.txt`);
    const goldenRel = relative(ROOT, goldenFile).split(sep).join('/');
    it(rel, async () => {
      const grammar = await loadGrammar();
      const header = `# ${rel}: one token a line, "line:col text  scopes" (root scope dropped). Regenerate: ${UPDATE_HINT}`;
      const actual = [header, ...formatTokens(tokenize(grammar, splitLines(readFileSync(file, 'utf8'))))];
      if (UPDATE) {
        mkdirSync(dirname(goldenFile), { recursive: true });
        writeFileSync(goldenFile, actual.join('\n') + '\n');
        return;
      }
      if (!existsSync(goldenFile)) assert.fail(`no golden file ${goldenRel} for ${rel}: create it with ${UPDATE_HINT}, then review it`);
      const expected = splitLines(readFileSync(goldenFile, 'utf8'));
      const diffs: string[] = [];
      for (let i = 0; i < Math.max(actual.length, expected.length) && diffs.length < 8; i++) {
        if (actual[i] !== expected[i]) {
          diffs.push(`  ${goldenRel}:${i + 1}\n    expected: ${expected[i] ?? '(end of file)'}\n    actual:   ${actual[i] ?? '(end of file)'}`);
        }
      }
      if (diffs.length > 0) assert.fail(`tokens of ${rel} differ from ${goldenRel}:\n${diffs.join('\n')}\nIf the change is intended: ${UPDATE_HINT}`);
    });
  }

  it('leaves no text of the fixtures unscoped', async () => {
    const grammar = await loadGrammar();
    for (const file of gvtFiles(FIXTURES)) {
      const bare = tokenize(grammar, splitLines(readFileSync(file, 'utf8'))).filter((t) => t.scopes.length === 0 && t.text.trim() !== '');
      assert.deepEqual(bare.map((t) => `${relative(ROOT, file)}:${t.line}:${t.col} ${t.text}`), []);
    }
  });
});

interface Case {
  /** The source; several lines when the state carried from line to line matters. */
  readonly src: string | readonly string[];
  /** The text to look at (its first occurrence, or the `nth`, 1-based) on line `line` (1-based, default last). */
  readonly at: string;
  readonly nth?: number;
  readonly line?: number;
  /** The token must cover exactly `at` (default true). */
  readonly whole?: boolean;
  readonly scope?: string;
  readonly not?: string;
}

const ERRNOS = ['-EEXIST', '-ENXIO', '-EINVAL', '-ENOMEM', '-ESRCH', '-EFAULT', '-EBADRQC'];

const CASES: readonly Case[] = [
  ...ERRNOS.map((e): Case => ({ src: `expect ret == ${e}`, at: e, scope: 'constant.language.errno.gvt' })),
  { src: 'handler busy returns -EEXIST', at: '-EEXIST', scope: 'constant.language.errno' },
  // As the scanner: `-` and an unknown name are minus and a name.
  { src: 'expect ret == -EBUSY', at: 'EBUSY', scope: 'variable.other', not: 'constant.language.errno' },
  { src: 'print a-b - c', at: 'a-b', scope: 'variable.other' },
  { src: 'expect gpu vm1 va top-> gfn 1', at: 'top', scope: 'variable.other' },
  { src: 'expect gpu vm1 va top-> gfn 1', at: '->', scope: 'keyword.operator.arrow' },
  { src: 'print 1 @ 2', at: '@', scope: 'invalid.illegal' },
  { src: 'print "a\\qb"', at: '\\q', scope: 'invalid.illegal.escape' },
  { src: 'vgpu big memory 0x4000_0000', at: '0x4000_0000', scope: 'constant.numeric.hex' },
  { src: 'map vm1 va 0 gfn 1 size 4K', at: '4K', scope: 'constant.numeric' },
  { src: 'vgpu vm1 memory 64M', at: '64M', scope: 'constant.numeric.size' },
  { src: 'print 1_000 + 42', at: '1_000', scope: 'constant.numeric.decimal' },
  { src: 'print 4k', at: '4k', scope: 'invalid.illegal.numeric', not: 'constant.numeric' },
  { src: '# x', at: '#', scope: 'comment.line.number-sign' },
  { src: '# x', at: ' x', scope: 'comment.line.number-sign' },
  { src: 'print 1 # map vm1', at: 'map', whole: false, scope: 'comment', not: 'keyword' },
  { src: 'print "a # b"', at: '#', whole: false, scope: 'string.quoted.double', not: 'comment' },
  { src: 'register vm1 gfn 1 handler h priv "x \\"y\\" z"', at: '\\"', scope: 'constant.character.escape' },
  { src: 'register vm1 gfn 1 handler h priv "x \\"y\\" z"', at: ' z', scope: 'string.quoted.double' },
  { src: 'register vm1 gfn 1 handler h priv "x \\"y\\" z" # c', at: '# c', whole: false, scope: 'comment', not: 'string' },
  { src: 'print "C:\\\\" # c', at: '\\\\', scope: 'constant.character.escape' },
  { src: 'print "C:\\\\" # c', at: '# c', whole: false, scope: 'comment', not: 'string' },
  { src: ['print "unterminated', 'map vm1 va 0 gfn 1'], at: 'map', scope: 'keyword.control', not: 'string' },
  { src: 'vgpu vm1', at: 'vgpu', scope: 'keyword.other.setup' },
  { src: 'vgpu vm1', at: 'vm1', scope: 'entity.name.type.vgpu' },
  { src: 'vgpu vm-2 memory 64M', at: 'vm-2', scope: 'entity.name' },
  { src: 'handler busy returns 0', at: 'busy', scope: 'entity.name.function' },
  { src: 'let base = 0x1000', at: 'base', scope: 'variable.other.definition' },
  { src: 'repeat 4 as i {', at: 'i', scope: 'variable.other.definition' },
  { src: 'repeat 4 as i {', at: 'repeat', scope: 'keyword.control' },
  { src: 'repeat 4 as i {', at: '{', scope: 'punctuation.section.block.begin' },
  { src: 'expect trap', at: 'expect', scope: 'keyword.control' },
  { src: 'expect vm1 gfn 5 tracked', at: 'vm1', scope: 'variable.other.vgpu' },
  { src: 'expect vm1 gfn 5 tracked', at: 'tracked', scope: 'constant.language' },
  { src: 'expect ret == 0', at: 'ret', scope: 'variable.language', not: 'variable.other.vgpu' },
  { src: 'expect gpu vm1 va 0x1000 -> gfn 0x300', at: 'gpu', scope: 'keyword.other' },
  { src: 'expect gpu vm1 va 0x1000 -> gfn 0x300', at: 'vm1', scope: 'variable.other.vgpu' },
  { src: 'expect gpu vm1 va 0x1000 -> gfn 0x300', at: '->', scope: 'keyword.operator' },
  { src: 'let mapping = 1', at: 'mapping', scope: 'variable.other.definition', not: 'keyword' },
  { src: 'vgpu mapping', at: 'mapping', not: 'keyword' },
  { src: 'print map', at: 'map', scope: 'variable.other', not: 'keyword' },
  { src: 'print remap-gfn', at: 'remap-gfn', scope: 'variable.other', not: 'keyword' },
  { src: '  map vm1 va 0 gfn 1', at: 'map', scope: 'keyword.control.action' },
  { src: 'register vm1 gfn 1 handler log', at: 'gfn', scope: 'keyword.other' },
  { src: 'register vm1 gfn 1 handler log', at: 'log', scope: 'support.function' },
  { src: 'register vm1 gfn 1 handler busy', at: 'busy', scope: 'variable.other.handler' },
  { src: 'write vm1 gpa 0x1000 u32 7', at: 'u32', scope: 'storage.type' },
  { src: 'write vm1 gpa 0x1000 bytes 00 ff', at: 'ff', scope: 'constant.numeric', not: 'variable' },
  { src: 'pagetable vm1 root 0x200 pool 0x201..0x27f', at: '..', scope: 'keyword.operator.range' },
  { src: 'pagetable vm1 root 0x200 pool 0x201..0x27f', at: '0x27f', scope: 'constant.numeric.hex' },
  { src: 'memslot vm1 remove gfn 0x10..0x1f', at: 'memslot', scope: 'keyword.control.action' },
  { src: 'attach vm1', at: 'attach', scope: 'keyword.control.action' },
  { src: 'detach vm1', at: 'vm1', scope: 'variable.other.vgpu' },
  { src: 'print i*8 << 2', at: '<<', scope: 'keyword.operator' },
  { src: 'print ~0 & 1 | 2 % 3', at: '~', scope: 'keyword.operator' },
  { src: 'print -1', at: '-', scope: 'keyword.operator.arithmetic' },
  { src: 'kernel legacy', at: 'legacy', scope: 'constant.language' },
];

describe('grammar: single tokens', () => {
  for (const c of CASES) {
    const lines = typeof c.src === 'string' ? [c.src] : [...c.src];
    const lineNo = c.line ?? lines.length;
    const want = [c.scope && `is ${c.scope}`, c.not && `is not ${c.not}`].filter(Boolean).join(' and ');
    it(`${JSON.stringify(lines.join('\n'))}: ${JSON.stringify(c.at)} ${want}`, async () => {
      const tokens = tokenize(await loadGrammar(), lines).filter((t) => t.line === lineNo);
      const lineText = lines[lineNo - 1];
      let at = -1;
      for (let n = 0; n < (c.nth ?? 1); n++) at = lineText.indexOf(c.at, at + 1);
      assert.ok(at >= 0, `test bug: ${JSON.stringify(c.at)} not in line ${lineNo}`);
      const t = tokens.find((k) => k.start <= at && at < k.end);
      const shown = formatTokens(tokens).join('\n  ');
      assert.ok(t, `no token at column ${at + 1}; tokens:\n  ${shown}`);
      if (c.whole ?? true) {
        assert.ok(t.start === at && t.end === at + c.at.length, `${JSON.stringify(c.at)} is not one token; tokens:\n  ${shown}`);
      }
      if (c.scope) assert.ok(hasScope(t, c.scope), `${JSON.stringify(t.text)} has [${t.scopes.join(', ')}], wanted ${c.scope}`);
      if (c.not) assert.ok(!hasScope(t, c.not), `${JSON.stringify(t.text)} has [${t.scopes.join(', ')}], must not have ${c.not}`);
    });
  }
});

describe('grammar: editor settings', () => {
  interface LanguageConfiguration {
    comments: { lineComment: string };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string }[];
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    folding: { markers: { start: string; end: string } };
    wordPattern: string;
  }
  const config = (): LanguageConfiguration => JSON.parse(readFileSync(join(ROOT, 'language-configuration.json'), 'utf8'));

  it('package.json contributes the gvt language and its grammar', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const lang = pkg.contributes?.languages?.find((l: { id: string }) => l.id === 'gvt');
    assert.ok(lang, 'contributes.languages has no gvt');
    assert.deepEqual(lang.extensions, ['.gvt']);
    assert.ok(lang.aliases.includes('GVT Scenario'));
    assert.ok(existsSync(join(ROOT, lang.configuration)), `${lang.configuration} missing`);
    const g = pkg.contributes?.grammars?.find((x: { language: string }) => x.language === 'gvt');
    assert.ok(g, 'contributes.grammars has no gvt');
    assert.equal(g.scopeName, SCOPE);
    assert.equal(resolve(ROOT, g.path), GRAMMAR_PATH);
    assert.equal(JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')).scopeName, SCOPE);
  });

  it('comments, brackets and auto-closing pairs', () => {
    const c = config();
    assert.equal(c.comments.lineComment, '#');
    assert.deepEqual(c.brackets, [['{', '}'], ['(', ')']]);
    assert.deepEqual(c.autoClosingPairs.map((p) => p.open + p.close), ['{}', '()', '""']);
  });

  const words: [string, string[]][] = [
    ['expect ret == -EEXIST', ['expect', 'ret', '-EEXIST']],
    ['vgpu big memory 0x4000_0000', ['vgpu', 'big', 'memory', '0x4000_0000']],
    ['map vm-2 va 0x1000 gfn 5 size 64K', ['map', 'vm-2', 'va', '0x1000', 'gfn', '5', 'size', '64K']],
  ];
  for (const [line, expected] of words) {
    it(`wordPattern splits ${JSON.stringify(line)} into ${expected.length} words`, () => {
      assert.deepEqual(line.match(new RegExp(config().wordPattern, 'g')), expected);
    });
  }

  const indent: [string, 'increase' | 'decrease' | 'none'][] = [
    ['repeat 4 as i {', 'increase'],
    ['  repeat 2 {   # inner', 'increase'],
    ['# repeat 4 {', 'none'],
    ['print "{"', 'none'],
    ['}', 'decrease'],
    ['  }', 'decrease'],
    ['map vm1 va 0 gfn 1', 'none'],
  ];
  for (const [line, want] of indent) {
    it(`indentation: ${JSON.stringify(line)} -> ${want}`, () => {
      const r = config().indentationRules;
      const got = new RegExp(r.increaseIndentPattern).test(line) ? 'increase' : new RegExp(r.decreaseIndentPattern).test(line) ? 'decrease' : 'none';
      assert.equal(got, want);
    });
  }

  it('folding markers open at `repeat ... {` and close at `}`', () => {
    const m = config().folding.markers;
    const start = new RegExp(m.start);
    const end = new RegExp(m.end);
    assert.ok(start.test('repeat 4 as i {') && start.test('  repeat n {  # body'));
    assert.ok(!start.test('map vm1 va 0 gfn 1') && !start.test('# repeat 4 {'));
    assert.ok(end.test('}') && end.test('    }') && !end.test('print 1'));
  });
});
