// Typed getters for the extension's settings (contributes.configuration), read when used so a
// change applies without a reload. Setting ids come from common/ids.ts.

import * as vscode from 'vscode';
import type { KernelProfileName } from '../debug/protocol';
import { Setting } from './common/ids';
import type { Settings, Verbosity } from './common/launchConfig';
import { DEFAULT_PAGE_SIZE } from './common/trackTableModel';

const section = (id: string): { root: string; key: string } => {
  const dot = id.indexOf('.');
  return { root: id.slice(0, dot), key: id.slice(dot + 1) };
};

function get<T>(id: string, fallback: T, scope?: vscode.ConfigurationScope): T {
  const { root, key } = section(id);
  return vscode.workspace.getConfiguration(root, scope).get<T>(key, fallback);
}

export const config = {
  kernel: (scope?: vscode.ConfigurationScope): KernelProfileName => (get<string>(Setting.kernel, 'newest', scope) === 'legacy' ? 'legacy' : 'newest'),
  verbosity: (scope?: vscode.ConfigurationScope): Verbosity => {
    const v = get<string>(Setting.traceVerbosity, 'notes', scope);
    return v === 'quiet' || v === 'frames' ? v : 'notes';
  },
  launchSettings: (scope?: vscode.ConfigurationScope): Settings => ({ kernel: config.kernel(scope), verbosity: config.verbosity(scope) }),
  terminalCommand: (scope?: vscode.ConfigurationScope): string => get<string>(Setting.terminalCommand, 'npx gvt-scenario', scope).trim() || 'npx gvt-scenario',
  trackTablePageSize: (): number => {
    const n = get<number>(Setting.trackTablePageSize, DEFAULT_PAGE_SIZE);
    return Number.isInteger(n) && n >= 10 && n <= 10_000 ? n : DEFAULT_PAGE_SIZE;
  },
};

