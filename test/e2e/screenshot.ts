// Screenshots of the real workbench, for the README and for looking at what a test sees. The
// code-server launcher (scripts/e2e/launcher.mjs) watches the host's console for
// `@@screenshot <name>` and saves <GVT_E2E_SCREENSHOTS>/<name>.png; a desktop VS Code has no such
// launcher, so there this is a no-op. ui() asks the same launcher to read or click the workbench.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Saves a PNG of the whole workbench as `<name>.png`; resolves once the file exists. */
export async function screenshot(name: string): Promise<boolean> {
  const dir = process.env.GVT_E2E_SCREENSHOTS;
  if (!dir || process.env.GVT_E2E_WRAPPER !== '1') return false;
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  rmSync(file, { force: true });
  console.log(`@@screenshot ${name}`);
  // The request goes host -> workbench -> launcher asynchronously: wait for the picture to exist
  // so the test doesn't change the screen before it is taken.
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (existsSync(file)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screenshot ${name}: ${file} did not appear within 15 s`);
}

/** What `ui({op: 'tokens'})` answers: the active editor's rendered lines, top to bottom. */
export interface RenderedLine { text: string; tokens: Array<{ text: string; cls: string; color: string }> }
/** What `ui({op: 'query'})` answers for each matching element. */
export interface QueriedElement { text: string; aria: string; cls: string; expanded: string | null }

/** What `ui({op: 'workers'})` answers for each web worker of the page: `process` is `typeof process` inside it. */
export interface PageWorker { url: string; name?: string; process?: string; listening?: boolean; error?: string }

export type UiRequest =
  | { op: 'tokens' }
  | { op: 'query'; selector: string }
  | { op: 'click'; selector: string; text?: string; button?: 'left' | 'right'; clicks?: number }
  | { op: 'hover'; selector: string; text?: string }
  | { op: 'pane'; title: string; expanded: boolean }
  | { op: 'move'; x: number; y: number }
  | { op: 'key'; key: string }
  | { op: 'workers' };

/** True when the code-server launcher is there to answer `ui()` (not under a desktop VS Code). */
export const hasWorkbenchUi = (): boolean => process.env.GVT_E2E_WRAPPER === '1' && !!process.env.GVT_E2E_UI_DIR;

let uiSeq = 0;
/**
 * Looks at or acts on the workbench the way a user does (its DOM, real clicks and keys), through
 * the code-server launcher: host `@@ui <id> <json>` -> workbench log -> launcher, which answers in
 * <GVT_E2E_UI_DIR>/<id>.json. Throws when there is no launcher (check hasWorkbenchUi()) or the op failed.
 */
export function ui(req: { op: 'tokens' }): Promise<RenderedLine[]>;
export function ui(req: { op: 'query'; selector: string }): Promise<QueriedElement[]>;
export function ui(req: { op: 'workers' }): Promise<PageWorker[]>;
export function ui(req: UiRequest): Promise<unknown>;
export async function ui(req: UiRequest): Promise<unknown> {
  const dir = process.env.GVT_E2E_UI_DIR;
  if (!hasWorkbenchUi() || !dir) throw new Error('no code-server launcher to answer workbench UI requests');
  const id = `${process.pid}-${++uiSeq}`;
  const file = join(dir, `${id}.json`);
  console.log(`@@ui ${id} ${JSON.stringify(req)}`);
  for (let waited = 0; waited < 15_000; waited += 50) {
    if (existsSync(file)) {
      const answer = JSON.parse(readFileSync(file, 'utf8')) as { ok: boolean; value?: unknown; error?: string };
      rmSync(file, { force: true });
      if (!answer.ok) throw new Error(`workbench ${req.op}: ${answer.error}`);
      return answer.value;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`workbench ${req.op}: no answer within 15 s`);
}
