// Scenario files: which one a command acts on (and, for the CLI, saving it first and where it runs),
// and how the debugger names them. A launch's `program` is a string: a file path on the
// desktop (as before), and in the browser, where workspaces are virtual (vscode-vfs://, vscode-remote://,
// untitled:), the document's URI as a string. The adapter treats it as an opaque name; VS Code maps a
// stack frame's source path that parses as a URI back to that document, and sends the same string
// as the path of breakpoints set in it.

import * as vscode from 'vscode';
import { LANGUAGE_ID } from './common/ids';

/** `scheme:` at the start of a string, but not a Windows drive letter (`c:\`). */
const URI_LIKE = /^[a-zA-Z][\w+.-]+:/;

/** The launch `program` that names a document. */
export function programOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/**
 * The document a `program` names: a URI string as is; a path is a file on the desktop, and in a
 * virtual workspace (where `${file}` and `${workspaceFolder}` give paths) a path of the workspace
 * folder that contains it.
 */
export function uriOfProgram(program: string): vscode.Uri {
  if (URI_LIKE.test(program)) return vscode.Uri.parse(program);
  const slashed = program.replace(/\\/g, '/');
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme !== 'file' && (slashed === f.uri.path || slashed.startsWith(f.uri.path.replace(/\/?$/, '/'))));
  return folder ? folder.uri.with({ path: slashed }) : vscode.Uri.file(program);
}

/** The text of the open document `program` names (what the user sees, saved or not), if one is open. */
export function openScenarioText(program: string): string | undefined {
  const uri = uriOfProgram(program).toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.getText();
}

/** The `.gvt` document of the active editor, if any, and if `accept` takes its scheme. */
export function activeScenario(accept: (uri: vscode.Uri) => boolean): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.languageId === LANGUAGE_ID && accept(doc.uri) ? doc.uri : undefined;
}

/** Files: what the desktop's Node-only features (the CLI, the terminal) can be given. */
const isFile = (uri: vscode.Uri): boolean => uri.scheme === 'file';

/**
 * The scenario a command acts on: the editor-title button's resource, else the active editor's,
 * when `accept` takes it (files by default; `debuggable(host)` for debugging).
 */
export function targetScenario(uri: unknown, accept: (uri: vscode.Uri) => boolean = isFile): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri && accept(uri)) return uri;
  return activeScenario(accept);
}

/** Commands that hand the file to the CLI read it from disk: save the editor's unsaved edits first. */
export async function saveScenario(target: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  if (doc?.isDirty) await doc.save();
}

/** Where a command runs the CLI on a scenario: its workspace folder (else its own folder), and the file as named from there. */
export function cliPlace(target: vscode.Uri): { folder: vscode.WorkspaceFolder | undefined; cwd: string; file: string } {
  const folder = vscode.workspace.getWorkspaceFolder(target);
  const cwd = folder?.uri.fsPath ?? vscode.Uri.joinPath(target, '..').fsPath;
  return { folder, cwd, file: folder ? vscode.workspace.asRelativePath(target, false) : target.fsPath };
}
