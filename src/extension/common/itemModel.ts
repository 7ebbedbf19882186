// What a tree item shows, as plain data: the views turn it into a vscode.TreeItem in one place
// (views/treeItems.ts), so everything a user reads is decided in pure, unit-tested code.

export interface IconModel {
  /** A codicon id (ThemeIcon). */
  id: string;
  /** A theme color id (ThemeColor), e.g. `charts.yellow`. */
  color?: string;
}

export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface ItemModel {
  label: string;
  /** Character ranges of the label to highlight (TreeItemLabel.highlights). */
  highlights?: Array<[number, number]>;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon?: IconModel;
  contextValue?: string;
  collapsible?: Collapsible;
}

/** Colors used to mark state; theme color ids every theme defines. */
export const Color = {
  changed: 'charts.yellow',
  error: 'errorForeground',
  warning: 'list.warningForeground',
  muted: 'disabledForeground',
  ok: 'charts.green',
  info: 'charts.blue',
} as const;

/** A message row (empty table, failed request). */
export function messageItem(text: string, kind: 'info' | 'error' = 'info'): ItemModel {
  return {
    label: text,
    icon: kind === 'error' ? { id: 'warning', color: Color.warning } : { id: 'info' },
    collapsible: 'none',
  };
}
