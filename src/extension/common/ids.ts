// Every identifier the extension shares with package.json and with VS Code, declared once and
// typed: command ids, view ids, context keys, tree-item context values, settings, URI schemes.
// package.json must use exactly these (test/extension/contributions.test.ts checks both ways).
// Pure: no `vscode` import, so the unit tests can load it.

export const LANGUAGE_ID = 'gvt';
export const DEBUG_TYPE = 'gvt';

/** Commands. Those in `INTERNAL_COMMANDS` are hidden from the palette (they need a tree item). */
export const Command = {
  runScenario: 'gvt.runScenario',
  debugScenario: 'gvt.debugScenario',
  runInTerminal: 'gvt.runInTerminal',
  compareKernels: 'gvt.compareKernels',
  restartLanguageServer: 'gvt.restartLanguageServer',
  openSample: 'gvt.openSample',
  debugSample: 'gvt.debugSample',
  refreshViews: 'gvt.refreshViews',
  filterTrackTable: 'gvt.trackTable.filter',
  clearTrackTableFilter: 'gvt.trackTable.clearFilter',
  loadMoreTrackRows: 'gvt.trackTable.loadMore',
  breakOnGfn: 'gvt.trackTable.breakOnGfn',
  showGuestPage: 'gvt.trackTable.showGuestPage',
  revealRegistration: 'gvt.trackTable.revealRegistration',
  showGuestTablePage: 'gvt.shadowTables.showGuestPage',
  showShadowTablePage: 'gvt.shadowTables.showShadowPage',
  revealTrap: 'gvt.trapLog.reveal',
  showHistory: 'gvt.views.showHistory',
  why: 'gvt.views.why',
  saveTrace: 'gvt.saveTrace',
  exportScenario: 'gvt.exportScenario',
} as const;
export type CommandId = (typeof Command)[keyof typeof Command];

export const INTERNAL_COMMANDS: readonly CommandId[] = [
  Command.loadMoreTrackRows,
  Command.breakOnGfn,
  Command.showGuestPage,
  Command.revealRegistration,
  Command.showGuestTablePage,
  Command.showShadowTablePage,
  Command.revealTrap,
  Command.showHistory,
  Command.why,
];

/** Tree views, all in the Run and Debug sidebar (`contributes.views.debug`). */
export const View = {
  trackTable: 'gvt.pageTrackTable',
  shadowTables: 'gvt.shadowPageTables',
  trapLog: 'gvt.trapLog',
} as const;

/** Context keys the extension sets (`setContext`), used in package.json `when` clauses. */
export const ContextKey = {
  /** A `gvt` debug session (not a noDebug run) is the active session. */
  debugging: 'gvt.debugging',
  /** The active session has reported state (it stopped at least once). */
  hasState: 'gvt.hasState',
  /** The Page Track Table is filtered by a gfn range. */
  trackTableFiltered: 'gvt.trackTable.filtered',
  /** The extension runs in the browser's web worker host (vscode.dev, github.dev): no terminal, no CLI. */
  webHost: 'gvt.webHost',
} as const;

/** TreeItem.contextValue of the items that have context-menu commands (`viewItem == ...`). */
export const ItemContext = {
  trackRow: 'gvtTrackRow',
  /** A row unregistered since the previous stop: its history says how it went. */
  removedRow: 'gvtTrackRemoved',
  /** A shadow table (or one of its entries) whose guest page exists. */
  sptWithGuest: 'gvtSpt',
  /** The sub-table of a split 2M entry: a shadow page only. */
  sptShadowOnly: 'gvtSptShadowOnly',
  trap: 'gvtTrap',
} as const;

/** Settings (contributes.configuration). */
export const Setting = {
  kernel: 'gvt.kernel',
  traceVerbosity: 'gvt.trace.verbosity',
  traceServer: 'gvt.trace.server',
  terminalCommand: 'gvt.terminal.command',
  trackTablePageSize: 'gvt.trackTable.pageSize',
} as const;

export const WALKTHROUGH_ID = 'gvt.gettingStarted';
export const SAMPLE_SCENARIO = 'samples/05-shadow-ppgtt-lifecycle.gvt';

/** The read-only documents that render a page of guest or table memory. */
export const MEMORY_SCHEME = 'gvt-memory';

/** VS Code's own "View Binary Data" command (1.100) and the hex editor it needs. */
export const VIEW_MEMORY_COMMAND = 'workbench.debug.viewlet.action.viewMemory';
export const HEX_EDITOR_EXTENSION = 'ms-vscode.hexeditor';
