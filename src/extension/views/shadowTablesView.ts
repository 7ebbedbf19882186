// The Shadow Page Tables view (Run and Debug sidebar): vGPU → PPGTT root → shadow tables → entries,
// each guest entry beside its shadow entry. The overview comes from gvt/shadowTables once per stop;
// a table's entries are fetched only when it is expanded (gvt/shadowTables {mfn}). The pure parts
// are in common/shadowTablesModel.ts.

import { StopCache } from '../common/stopCache';
import * as vscode from 'vscode';
import type { DmaMappingRow, PpgttMmNode, ShadowEntryRow, ShadowTablesBody, SptDetail, SptSummary, VgpuShadowTables } from '../../debug/protocol';
import { View } from '../common/ids';
import { messageItem } from '../common/itemModel';
import { dmaGroupItem, dmaItem, entryItem, mmItem, sptItem, unreachableGroupItem, vgpuShadowItem } from '../common/shadowTablesModel';
import type { GvtSession, GvtSessions } from '../sessions';
import { errorText, toTreeItem } from './treeItems';

export type ShadowNode =
  | { kind: 'vgpu'; id: string; session: GvtSession; v: VgpuShadowTables }
  | { kind: 'mm'; id: string; session: GvtSession; mm: PpgttMmNode }
  | { kind: 'unreachable'; id: string; session: GvtSession; spts: SptSummary[] }
  | { kind: 'dma'; id: string; session: GvtSession; v: VgpuShadowTables }
  | { kind: 'dmaRow'; id: string; session: GvtSession; row: DmaMappingRow }
  | { kind: 'spt'; id: string; session: GvtSession; spt: SptSummary; expanded: boolean }
  | { kind: 'entry'; id: string; session: GvtSession; entry: ShadowEntryRow; table: SptSummary }
  | { kind: 'message'; id: string; text: string; error?: boolean };

export class ShadowTablesView implements vscode.TreeDataProvider<ShadowNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ShadowNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<ShadowNode>;
  private cacheKey = '';
  private overview: Promise<ShadowTablesBody> | undefined;
  private readonly tables = new StopCache<SptDetail>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: GvtSessions) {
    this.view = vscode.window.createTreeView(View.shadowTables, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.changed, this.view, sessions.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.overview = undefined;
    this.tables.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(n: ShadowNode): vscode.TreeItem {
    switch (n.kind) {
      case 'vgpu':
        return toTreeItem(vgpuShadowItem(n.v), n.id);
      case 'mm':
        return toTreeItem(mmItem(n.mm), n.id);
      case 'unreachable':
        return toTreeItem(unreachableGroupItem(n.spts.length), n.id);
      case 'dma':
        return toTreeItem(dmaGroupItem(n.v), n.id);
      case 'dmaRow':
        return toTreeItem(dmaItem(n.row), n.id);
      case 'spt': {
        const m = sptItem(n.spt);
        return toTreeItem(n.expanded ? { ...m, collapsible: 'expanded' } : m, n.id);
      }
      case 'entry':
        return toTreeItem(entryItem(n.entry, n.table), n.id);
      case 'message':
        return toTreeItem(messageItem(n.text, n.error ? 'error' : 'info'), n.id);
    }
  }

  async getChildren(n?: ShadowNode): Promise<ShadowNode[]> {
    const s = this.sessions.active;
    if (!s || !s.state) return [];
    try {
      if (!n) {
        const body = await this.fetchOverview(s);
        if (body.vgpus.length === 0) return [{ kind: 'message', id: 'msg/none', text: 'No vGPU created yet' }];
        return body.vgpus.map((v) => ({ kind: 'vgpu', id: `v/${v.vgpu}`, session: s, v }));
      }
      switch (n.kind) {
        case 'vgpu': {
          const out: ShadowNode[] = n.v.mms.map((mm) => ({ kind: 'mm', id: `${n.id}/mm/${mm.rootGfn}`, session: s, mm }));
          if (n.v.unreachable.length) out.push({ kind: 'unreachable', id: `${n.id}/unreachable`, session: s, spts: n.v.unreachable });
          if (n.v.dmaTotal) out.push({ kind: 'dma', id: `${n.id}/dma`, session: s, v: n.v });
          if (out.length === 0) out.push({ kind: 'message', id: `${n.id}/none`, text: 'No PPGTT shadowed (shadow VGPU root GFN)' });
          return out;
        }
        case 'mm':
          return n.mm.roots.map((spt, i) => ({ kind: 'spt', id: `${n.id}/root${i}`, session: s, spt, expanded: true }));
        case 'dma':
          return n.v.dma.map((row) => ({ kind: 'dmaRow', id: `${n.id}/${row.gfn}`, session: s, row }));
        case 'dmaRow':
          return [];
        case 'unreachable':
          return n.spts.map((spt) => ({ kind: 'spt', id: `${n.id}/${spt.mfn}`, session: s, spt, expanded: false }));
        case 'spt':
          return await this.entries(s, n.id, n.spt);
        case 'entry':
          return n.entry.child ? await this.entries(s, n.id, n.entry.child) : [];
        case 'message':
          return [];
      }
    } catch (e) {
      return [{ kind: 'message', id: `${n?.id ?? ''}/error`, text: errorText(e), error: true }];
    }
  }

  private async entries(s: GvtSession, parentId: string, spt: SptSummary): Promise<ShadowNode[]> {
    const detail = await this.fetchTable(s, spt);
    if (detail.entries.length === 0) return [{ kind: 'message', id: `${parentId}/empty`, text: 'All 512 entries are empty' }];
    return detail.entries.map((entry) => ({ kind: 'entry', id: `${parentId}/${entry.index}`, session: s, entry, table: detail.spt }));
  }

  private checkEpoch(s: GvtSession): void {
    const key = `${s.id}#${s.epoch}`;
    if (key === this.cacheKey) return;
    this.cacheKey = key;
    this.overview = undefined;
    this.tables.clear();
  }

  private fetchOverview(s: GvtSession): Promise<ShadowTablesBody> {
    this.checkEpoch(s);
    this.overview ??= s.request('gvt/shadowTables', {});
    const p = this.overview;
    p.catch(() => {
      if (this.overview === p) this.overview = undefined;
    });
    return p;
  }

  private fetchTable(s: GvtSession, spt: SptSummary): Promise<SptDetail> {
    this.checkEpoch(s);
    return this.tables.get(`${spt.vgpu}/${spt.mfn}`, () =>
      s.request('gvt/shadowTables', { vgpu: spt.vgpu, mfn: spt.mfn }).then((b) => {
        if (!b.table) throw new Error(`no shadow table at mfn 0x${spt.mfn.toString(16)}`);
        return b.table;
      }));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
