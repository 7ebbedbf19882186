// Where the e2e harness finds and puts things, relative to the repository root.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
export const EXTENSION_ID = `${PKG.publisher}.${PKG.name}`;
/** code-server's bundled VS Code (scripts/setup-code-server.sh installs it). */
export const VSCODE_DIR = join(ROOT, '.code-server/node_modules/code-server/lib/vscode');
export const SERVER_MAIN = join(VSCODE_DIR, 'out/server-main.js');
export const SETUP_SCRIPT = join(ROOT, 'scripts/setup-code-server.sh');
/** The script runTests() launches as "VS Code" under code-server. */
export const LAUNCHER = join(ROOT, 'scripts/e2e/launcher.mjs');
export const VSIX = join(ROOT, 'gvt-page-track-debugger.vsix');
export const TESTS_ENTRY = join(ROOT, 'out/test/e2e/index.js');
export const TESTS_OUT = join(ROOT, 'out/test/e2e');
export const TESTS_TSCONFIG = join(ROOT, 'test/e2e/tsconfig.json');
export const WORKSPACE = join(ROOT, 'out/e2e-workspace');
export const INSTALLED_EXTENSIONS = join(ROOT, 'out/e2e-extensions');
export const STUB_EXTENSION = join(ROOT, 'out/e2e-harness');
/** The web pass's web-only copy of the extension (scripts/e2e/webExtension.mjs). */
export const WEB_EXTENSION = join(ROOT, 'out/e2e-web-extension');
export const SHOTS_DIR = join(ROOT, 'out/e2e-screenshots');
export const IMAGES = join(ROOT, 'docs/images');
