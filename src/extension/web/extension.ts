// The browser extension's entry (package.json `browser`, bundled to dist/web/extension.js for the
// web worker extension host of vscode.dev, github.dev and other VS Code for the Web): activation
// (../activate.ts) with the browser's Host (webHost.ts). See docs/web.md.

import { extensionEntry } from '../activate';
import { webHost } from './webHost';

export const { activate, deactivate } = extensionEntry(webHost);
