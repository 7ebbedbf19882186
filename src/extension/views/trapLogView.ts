// The Trap Log view (Run and Debug sidebar): the most recent trapped stores from gvt/trapLog,
// newest first, fetched once per stop while the view is shown; a click reveals the statement.
// The pure parts are in common/trapLogModel.ts.

import * as vscode from 'vscode';
import { Command, View } from '../common/ids';
import { messageItem } from '../common/itemModel';
import { TRAP_LOG_LAST, trapItem, trapLogDescription, trapsNewestFirst, type TrapEntryView } from '../common/trapLogModel';
import type { GvtSession, GvtSessions } from '../sessions';
import { errorText, toTreeItem } from './treeItems';

export type TrapNode =
  | { kind: 'trap'; session: GvtSession; entry: TrapEntryView; ordinal: number; step: number }
  | { kind: 'message'; text: string; error?: boolean };

export class TrapLogView implements vscode.TreeDataProvider<TrapNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TrapNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<TrapNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: GvtSessions) {
    this.view = vscode.window.createTreeView(View.trapLog, { treeDataProvider: this });
    this.disposables.push(this.changed, this.view, sessions.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    if (!this.sessions.active) this.view.description = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(n: TrapNode): vscode.TreeItem {
    if (n.kind === 'message') return toTreeItem(messageItem(n.text, n.error ? 'error' : 'info'));
    return toTreeItem(trapItem(n.entry, n.step), undefined, { command: Command.revealTrap, title: 'Reveal Statement', arguments: [n] });
  }

  async getChildren(n?: TrapNode): Promise<TrapNode[]> {
    const s = this.sessions.active;
    if (n || !s || !s.state) return [];
    try {
      const body = await s.request('gvt/trapLog', { last: TRAP_LOG_LAST });
      this.view.description = trapLogDescription(body) || undefined;
      if (body.entries.length === 0) return [{ kind: 'message', text: 'No store has trapped yet' }];
      return trapsNewestFirst(body).map((entry, i) => ({ kind: 'trap', session: s, entry, ordinal: i, step: body.step }));
    } catch (e) {
      return [{ kind: 'message', text: errorText(e), error: true }];
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
