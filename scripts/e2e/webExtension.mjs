// The web pass's extension under development: a web-only copy of this extension (its package.json
// without `main`, dist/web/ and the files the manifest names). VS Code decides where an extension
// runs from its manifest: with `browser` and no `main` its only kind is `web`, so code-server's
// workbench runs it in the browser's web worker extension host, as vscode.dev runs the published
// extension (whose `main` it cannot use). The tests stay outside the copy on purpose: VS Code runs
// extension tests in the host of the extension whose folder holds them, so out/test/e2e/index.js,
// in no extension's folder, runs in the Node (remote) host and drives the copy through the workbench.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, WEB_EXTENSION } from './paths.mjs';

const FILES = ['dist/web/extension.js', 'dist/web/server.js', 'syntaxes', 'language-configuration.json', 'samples', 'media', 'LICENSE'];

/** Makes WEB_EXTENSION afresh; answers an error message, or undefined. */
export function webOnlyCopy() {
  const missing = FILES.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) return `the web build is missing ${missing.join(', ')} (npm run build)`;
  rmSync(WEB_EXTENSION, { recursive: true, force: true });
  mkdirSync(WEB_EXTENSION, { recursive: true });
  for (const f of FILES) cpSync(join(ROOT, f), join(WEB_EXTENSION, f), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  delete manifest.main;
  delete manifest.scripts;
  delete manifest.devDependencies;
  delete manifest.dependencies;
  writeFileSync(join(WEB_EXTENSION, 'package.json'), JSON.stringify(manifest, null, 2));
  return undefined;
}
