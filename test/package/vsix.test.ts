// What the .vsix would hold, from `vsce ls` (the same file list `npm run package` packs):
// only bundles, grammar, language configuration, samples, media, README, CHANGELOG and LICENSE.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const ALLOWED = [
  /^package\.json$/, /^README\.md$/, /^CHANGELOG\.md$/, /^LICENSE$/,
  /^dist\/(extension|debugAdapter|server)\.js$/, /^dist\/node\/(debugAdapter|cli)\.js$/, /^dist\/cli\.js$/, /^dist\/web\/(extension|server)\.js$/, /^dist\/lazy\/[\w-]+\.js$/,
  /^syntaxes\/gvt\.tmLanguage\.json$/, /^language-configuration\.json$/,
  /^samples\/[\w.-]+\.gvt$/, /^media\//, /^docs\/images\/[\w.-]+\.png$/,
];
const REQUIRED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/extension.js', 'dist/debugAdapter.js', 'dist/node/debugAdapter.js', 'dist/cli.js', 'dist/node/cli.js', 'dist/server.js', 'dist/lazy/languageClientLib.js', 'dist/lazy/debugSession.js', 'dist/web/extension.js', 'dist/web/server.js', 'syntaxes/gvt.tmLanguage.json', 'language-configuration.json'];

describe('the .vsix package', function () {
  this.timeout(60000);
  let files: string[] = [];

  before(function () {
    const r = spawnSync('npx', ['--no-install', 'vsce', 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vsce ls failed: ${r.stdout}${r.stderr}`);
    files = r.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('npm warn'));
  });

  it('holds only allowlisted files', () => {
    const extra = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(extra, []);
  });

  it('holds everything the extension needs at run time', () => {
    for (const f of REQUIRED) assert.ok(files.includes(f), `${f} is packaged`);
    assert.ok(files.some((f) => f.startsWith('samples/')), 'samples are packaged');
  });

  it('holds no source, tests, maps or node_modules', () => {
    assert.deepEqual(files.filter((f) => /^(src|test|out|node_modules|scripts)\/|\.map$|\.ts$/.test(f)), []);
  });
});
