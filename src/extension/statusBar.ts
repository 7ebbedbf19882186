// The status-bar item while a gvt session is being debugged: each vGPU's traps and failsafe state
// and the kernel profile, from the last gvt/stateChanged. Click: the Page Track Table. Hidden
// when no gvt session is active. Text decided in common/statusText.ts.

import * as vscode from 'vscode';
import type { KernelProfileName } from '../debug/protocol';
import { View } from './common/ids';
import { effectiveKernel } from './common/launchConfig';
import { statusModel } from './common/statusText';
import { uriOfProgram } from './scenarioFiles';
import type { GvtSession, GvtSessions } from './sessions';

export class GvtStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gvt.status', vscode.StatusBarAlignment.Left, 50);
  private readonly profiles = new Map<string, KernelProfileName>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(sessions: GvtSessions) {
    this.item.name = 'GVT vGPU state';
    this.item.command = `${View.trackTable}.focus`;
    this.disposables.push(this.item, sessions.onDidChange((s) => void this.update(s)));
  }

  private async update(s: GvtSession | undefined): Promise<void> {
    if (!s?.state) {
      if (!s) this.profiles.clear();
      this.item.hide();
      return;
    }
    const m = statusModel(s.state.vgpus, await this.profileOf(s), s.state.inKernel);
    this.item.text = m.text;
    this.item.tooltip = new vscode.MarkdownString(m.tooltip);
    this.item.backgroundColor = m.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** The launch's `kernel`, else the scenario's `kernel` line, else newest (read once per session). */
  private async profileOf(s: GvtSession): Promise<KernelProfileName> {
    let p = this.profiles.get(s.id);
    if (!p) {
      let text: string | undefined;
      if (s.program) {
        try {
          text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uriOfProgram(s.program)));
        } catch {
          text = undefined;
        }
      }
      p = effectiveKernel(s.raw.configuration, text);
      this.profiles.set(s.id, p);
    }
    return p;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
