// The Page Track Table view (Run and Debug sidebar): vGPUs from the last gvt/stateChanged, each
// expanded vGPU's rows from gvt/trackTable (only expanded vGPUs are fetched, once per stop), paged
// with "Load more…", filtered by a gfn range. The pure parts are in common/trackTableModel.ts.

import { StopCache } from '../common/stopCache';
import * as vscode from 'vscode';
import { Command, ContextKey, View } from '../common/ids';
import { messageItem } from '../common/itemModel';
import { formatGfnRange, type GfnRange } from '../common/numbers';
import {
  TrackPager, loadMoreItem, removedRowItem, trackRowItem, vgpuChildren, vgpuItem, type TrackRowView, type VgpuRows,
} from '../common/trackTableModel';
import type { GvtSession, GvtSessions } from '../sessions';
import { setContext } from '../sessions';
import { errorText, toTreeItem } from './treeItems';

export type TrackNode =
  | { kind: 'vgpu'; session: GvtSession; name: string }
  | { kind: 'row'; session: GvtSession; row: TrackRowView }
  | { kind: 'removed'; session: GvtSession; vgpu: string; gfn: number }
  | { kind: 'more'; session: GvtSession; vgpu: string; shown: number; total: number }
  | { kind: 'message'; id: string; text: string; error?: boolean };

export class TrackTableView implements vscode.TreeDataProvider<TrackNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TrackNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly pager: TrackPager;
  private readonly view: vscode.TreeView<TrackNode>;
  private readonly cache = new StopCache<VgpuRows>();
  private readonly disposables: vscode.Disposable[] = [];
  private sessionId: string | undefined;

  constructor(private readonly sessions: GvtSessions, pageSize: number) {
    this.pager = new TrackPager(pageSize);
    this.view = vscode.window.createTreeView(View.trackTable, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.changed, this.view, sessions.onDidChange((s) => this.onSession(s)));
  }

  private onSession(s: GvtSession | undefined): void {
    if (s?.id !== this.sessionId) {
      this.sessionId = s?.id;
      this.pager.reset();
    }
    this.view.description = s?.state ? `step ${s.state.step}${s.state.inKernel ? ' (in kernel)' : ''}` : undefined;
    this.refresh();
  }

  refresh(): void {
    this.cache.clear();
    this.changed.fire(undefined);
  }

  setFilter(filter: GfnRange | undefined): void {
    this.pager.setFilter(filter);
    this.view.message = filter ? `Filtered: ${formatGfnRange(filter)}` : undefined;
    void setContext(ContextKey.trackTableFiltered, filter !== undefined);
    this.refresh();
  }

  setPageSize(n: number): void {
    this.pager.pageSize = n;
    this.pager.reset();
    this.refresh();
  }

  loadMore(node: TrackNode): void {
    if (node.kind !== 'more') return;
    this.pager.loadMore(node.vgpu);
    this.cache.delete(node.vgpu);
    this.changed.fire(undefined);
  }

  getTreeItem(node: TrackNode): vscode.TreeItem {
    switch (node.kind) {
      case 'vgpu': {
        const summary = node.session.state?.vgpus.find((v) => v.name === node.name);
        const changedRows = node.session.state?.changed.filter((c) => c.vgpu === node.name).length ?? 0;
        return toTreeItem(vgpuItem(node.name, summary, changedRows, this.pager.filter), `vgpu/${node.name}`);
      }
      case 'row':
        return toTreeItem(trackRowItem(node.row), `row/${node.row.vgpu}/${node.row.gfn}`);
      case 'removed':
        return toTreeItem(removedRowItem(node.gfn), `removed/${node.vgpu}/${node.gfn}`);
      case 'more': {
        const item = toTreeItem(loadMoreItem(node.shown, node.total, this.pager.pageSize), `more/${node.vgpu}`);
        item.command = { command: Command.loadMoreTrackRows, title: 'Load more', arguments: [node] };
        return item;
      }
      case 'message':
        return toTreeItem(messageItem(node.text, node.error ? 'error' : 'info'), node.id);
    }
  }

  async getChildren(node?: TrackNode): Promise<TrackNode[]> {
    const s = this.sessions.active;
    if (!s) return [];
    if (!node) {
      if (!s.state) return [];
      if (s.state.vgpus.length === 0) return [{ kind: 'message', id: 'msg/none', text: 'No vGPU created yet' }];
      return s.state.vgpus.map((v) => ({ kind: 'vgpu', session: s, name: v.name }));
    }
    if (node.kind !== 'vgpu') return [];
    try {
      const data = await this.rows(s, node.name);
      return vgpuChildren(data, this.pager).map((c): TrackNode => {
        switch (c.kind) {
          case 'row':
            return { kind: 'row', session: s, row: c.row };
          case 'removed':
            return { kind: 'removed', session: s, vgpu: node.name, gfn: c.gfn };
          case 'more':
            return { kind: 'more', session: s, vgpu: node.name, shown: data.rows.length, total: data.total };
          case 'empty':
            return { kind: 'message', id: `msg/${node.name}/empty`, text: c.text };
        }
      });
    } catch (e) {
      return [{ kind: 'message', id: `msg/${node.name}/error`, text: errorText(e), error: true }];
    }
  }

  /** A vGPU's loaded rows at the session's current stop (one fetch per stop and vGPU). */
  private rows(s: GvtSession, vgpu: string): Promise<VgpuRows> {
    return this.cache.at(`${s.id}#${s.epoch}`).get(vgpu, async () => {
      const out: VgpuRows = { rows: [], total: 0, removed: [] };
      for (const [i, args] of this.pager.requests(vgpu).entries()) {
        const body = await s.request('gvt/trackTable', args);
        out.rows.push(...body.rows);
        out.total = body.total;
        if (i === 0) out.removed = body.removed.filter((r) => r.vgpu === vgpu).map((r) => r.gfn);
        if (body.rows.length < (args.count ?? 0)) break;
      }
      return out;
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
