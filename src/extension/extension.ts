// The desktop extension's entry (package.json `main`, bundled to dist/extension.js): activation
// (activate.ts) with the Node host (desktopHost.ts). The browser's entry is web/extension.ts.

import { extensionEntry } from './activate';
import { desktopHost } from './desktopHost';

export type { GvtExtensionApi } from './activate';

export const { activate, deactivate } = extensionEntry(desktopHost);
