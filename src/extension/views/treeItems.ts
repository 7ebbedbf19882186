// ItemModel (pure, common/itemModel.ts) to vscode.TreeItem: the one place tree items are built.

import * as vscode from 'vscode';
import type { Collapsible, ItemModel } from '../common/itemModel';

const COLLAPSIBLE: Record<Collapsible, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export function toTreeItem(m: ItemModel, id?: string, command?: vscode.Command): vscode.TreeItem {
  const item = new vscode.TreeItem(m.highlights ? { label: m.label, highlights: m.highlights } : m.label, COLLAPSIBLE[m.collapsible ?? 'none']);
  if (id !== undefined) item.id = id;
  item.description = m.description;
  if (m.tooltip) item.tooltip = new vscode.MarkdownString(m.tooltip);
  if (m.icon) item.iconPath = new vscode.ThemeIcon(m.icon.id, m.icon.color ? new vscode.ThemeColor(m.icon.color) : undefined);
  item.contextValue = m.contextValue;
  item.command = command;
  return item;
}

/** A request failure as a message row. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
