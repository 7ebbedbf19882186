// The browser extension's entry (package.json `browser`, bundled to dist/web/extension.js for the
// web worker extension host of vscode.dev, github.dev and other VS Code for the Web): activation
// (../activate.ts) with the browser's Host (webHost.ts). See docs/web.md.

import type * as vscode from 'vscode';
import { activateGvt, type GvtExtensionApi } from '../activate';
import { webHost } from './webHost';

let api: GvtExtensionApi | undefined;

export function activate(context: vscode.ExtensionContext): GvtExtensionApi {
  api = activateGvt(context, webHost(context));
  return api;
}

export async function deactivate(): Promise<void> {
  const c = api?.client;
  api = undefined;
  await c?.dispose();
}
