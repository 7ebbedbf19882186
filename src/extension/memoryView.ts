// "Show … in Memory View": a page of guest memory or of a shadow table, through the DAP
// memoryReference the adapter defines. With the hex editor installed, VS Code's own memory view
// (`workbench.debug.viewlet.action.viewMemory`, 1.100); without it (that command would offer to
// install it), a read-only `gvt-memory:` document rendering the page from DAP readMemory,
// refreshed at every stop while it is open.

import * as vscode from 'vscode';
import { HEX_EDITOR_EXTENSION, MEMORY_SCHEME, VIEW_MEMORY_COMMAND } from './common/ids';
import { hexDump } from './common/hexDump';
import { memoryDocUri, parseMemoryDocUri, type MemoryDocSpec } from './common/memoryRefs';
import type { GvtSession, GvtSessions } from './sessions';

export class MemoryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: GvtSessions) {
    this.disposables.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(MEMORY_SCHEME, this),
      sessions.onDidChange(() => {
        for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === MEMORY_SCHEME) this.changed.fire(d.uri);
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const spec = parseMemoryDocUri(uri.path, uri.query);
    if (!spec) return `Not a memory document: ${uri.toString()}\n`;
    const s = this.sessions.get(spec.sessionId);
    if (!s) return `${spec.title}\n\nThe debug session has ended.\n`;
    try {
      const r = await s.readMemory(spec.memoryReference, 0, spec.count);
      const where = s.state ? ` at step ${s.state.step}${s.state.inKernel ? ' (inside a kernel call)' : ''}` : '';
      return hexDump({ title: `${spec.title} (${spec.memoryReference})${where}\nRead-only; refreshed at every stop.`, address: r.address, data: r.data, unreadable: r.unreadable });
    } catch (e) {
      return `${spec.title}\n\nreadMemory ${spec.memoryReference} failed: ${e instanceof Error ? e.message : String(e)}\n`;
    }
  }

  /** Opens a page: in VS Code's memory view when the hex editor is there, else as a document. */
  async show(s: GvtSession, memoryReference: string, title: string, count = 4096): Promise<void> {
    if (vscode.extensions.getExtension(HEX_EDITOR_EXTENSION)) {
      await vscode.commands.executeCommand(VIEW_MEMORY_COMMAND, { sessionId: s.id, variable: { memoryReference } });
      return;
    }
    const spec: MemoryDocSpec = { sessionId: s.id, memoryReference, count, title };
    const uri = vscode.Uri.from(memoryDocUri(spec));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
