// The pure half of the extension stays pure: src/extension/common/ imports neither `vscode` nor
// the simulator, and these tests import only from there (so they run without VS Code).
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const importsOf = (file: string): Array<{ spec: string; typeOnly: boolean }> =>
  [...readFileSync(file, 'utf8').matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({ spec: m[2], typeOnly: !!m[1] }));
const tsFiles = (dir: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, dir, f));

describe('extension: layering', () => {
  for (const file of tsFiles('src/extension/common')) {
    it(`${file.slice(ROOT.length + 1)} is pure`, () => {
      for (const { spec, typeOnly } of importsOf(file)) {
        assert.notEqual(spec, 'vscode');
        assert.ok(!spec.startsWith('vscode-') && !spec.startsWith('node:'), spec);
        if (spec.startsWith('../../')) assert.ok(spec === '../../debug/protocol' && typeOnly, `${spec}: only \`import type\` of the protocol`);
      }
    });
  }

  it('src/extension reaches src/debug only for protocol types and the inline session', () => {
    const files = readdirSync(join(ROOT, 'src/extension'), { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    for (const f of files) {
      const text = readFileSync(join(ROOT, 'src/extension', f), 'utf8');
      for (const [, spec] of text.matchAll(/from\s+'([^']+)'|import\('([^']+)'\)/g)) {
        if (spec === undefined) continue;
        assert.ok(!/\/(core|dsl|server)(\/|$)/.test(spec), `${f}: ${spec}`);
      }
      for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'(\.\.\/)+debug\/([^']+)'/gm)) {
        assert.ok(m[3] === 'protocol' && m[1], `${f}: a runtime import of src/debug/${m[3]} (host the session with a dynamic import)`);
      }
    }
  });

  it('these tests import only the pure files', () => {
    for (const file of tsFiles('test/extension')) {
      for (const { spec } of importsOf(file)) {
        if (spec.startsWith('node:') || spec.startsWith('./')) continue;
        assert.ok(spec.startsWith('../../src/extension/common/') || spec === '../../src/debug/protocol', `${file}: ${spec}`);
      }
    }
  });
});
