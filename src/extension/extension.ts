// The desktop extension's entry (package.json `main`, bundled to dist/extension.js): activation
// (activate.ts) with the Node host (desktopHost.ts). The browser's entry is web/extension.ts.

import type * as vscode from 'vscode';
import { activateGvt, type GvtExtensionApi } from './activate';
import { desktopHost } from './desktopHost';

export type { GvtExtensionApi } from './activate';

let api: GvtExtensionApi | undefined;

export function activate(context: vscode.ExtensionContext): GvtExtensionApi {
  api = activateGvt(context, desktopHost(context));
  return api;
}

export async function deactivate(): Promise<void> {
  const c = api?.client;
  api = undefined;
  await c?.dispose();
}
