// What the commands and views share: the extension context, the log, the gvt sessions, the
// language client and the views. Built once by activate(); holds no state of its own.

import type * as vscode from 'vscode';
import type { Host } from './host';
import type { GvtLanguageClient } from './languageClient';
import type { MemoryDocuments } from './memoryView';
import type { GvtSessions } from './sessions';
import type { ShadowTablesView } from './views/shadowTablesView';
import type { TrackTableView } from './views/trackTableView';
import type { TrapLogView } from './views/trapLogView';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  /** What differs between the desktop and the browser's web worker host. */
  readonly host: Host;
  readonly log: vscode.LogOutputChannel;
  readonly sessions: GvtSessions;
  readonly client: GvtLanguageClient;
  readonly trackTable: TrackTableView;
  readonly shadowTables: ShadowTablesView;
  readonly trapLog: TrapLogView;
  readonly memory: MemoryDocuments;
}
