// TextMate highlighting as the workbench renders it: the grammar (syntaxes/gvt.tmLanguage.json,
// scope source.gvt) must be loaded and applied to an open .gvt file. Read from the rendered editor
// (Monaco's mtkN token classes and their computed colors) and from the token inspector ("Developer:
// Inspect Editor Tokens and Scopes"), through the code-server launcher's ui() hook. Without the
// grammar a line renders as one default-colored token and the inspector shows no source.gvt scope.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hasWorkbenchUi, ui, type RenderedLine } from '../screenshot';
import { lineOf, openScenario, waitFor } from './gvtHelpers';
import { skipBecause, smokeTest } from './tags';

const SAMPLE = '05-shadow-ppgtt-lifecycle.gvt';

/** The rendered token holding `word` (Monaco joins same-colored neighbours into one span). */
function tokenOf(line: RenderedLine, word: string): { text: string; cls: string; color: string } {
  const t = line.tokens.find((x) => new RegExp(`(^|\\W)${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\W|$)`).test(x.text));
  assert.ok(t, `no rendered token with '${word}' in ${JSON.stringify(line.tokens)}`);
  return t;
}

suite('gvt highlighting in the workbench', () => {
  let editor: vscode.TextEditor;

  suiteSetup(async function () {
    // A desktop VS Code has no launcher to read its DOM.
    if (!hasWorkbenchUi()) skipBecause(this, 'no code-server launcher to read the rendered workbench (a desktop VS Code)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    editor = await openScenario(SAMPLE);
  });
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  /** Scrolls to the line starting with `prefix`, waits until it is rendered in at least `min` token classes. */
  async function rendered(prefix: string, min: number): Promise<RenderedLine> {
    const line = lineOf(editor.document, prefix) - 1;
    const text = editor.document.lineAt(line).text.trimEnd();
    editor = await vscode.window.showTextDocument(editor.document, { preview: false });
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
    let lines: RenderedLine[] = [];
    return waitFor(`'${text}' rendered with ${min}+ token classes`, async () => {
      lines = await ui({ op: 'tokens' });
      const l = lines.find((x) => x.text.trimEnd() === text);
      return l && new Set(l.tokens.map((t) => t.cls)).size >= min ? l : undefined;
    }, 15_000).catch((e: Error) => {
      throw new Error(`${e.message}; rendered: ${JSON.stringify(lines.filter((x) => x.text.startsWith(text.split(' ')[0])))}`);
    });
  }

  smokeTest('keywords, names, numbers and comments are rendered in distinct colors', async () => {
    const shadow = await rendered('shadow vm1 root 0x100', 3);
    assert.equal(shadow.text.trimEnd(), 'shadow vm1 root 0x100');
    // mtk1 is the theme's default foreground: what every token is when no grammar applies.
    const keyword = tokenOf(shadow, 'shadow');
    const number = tokenOf(shadow, '0x100');
    assert.notEqual(keyword.cls, 'mtk1', `'shadow' is colored as a keyword: ${JSON.stringify(shadow.tokens)}`);
    assert.notEqual(number.cls, 'mtk1', `'0x100' is colored as a number: ${JSON.stringify(shadow.tokens)}`);
    assert.notEqual(keyword.color, number.color, 'a keyword and a number differ in color');

    const tracked = await rendered('expect vm1 gfn 0x100 tracked', 4);
    assert.match(tracked.text, /^expect vm1 gfn 0x100 tracked +# PML4$/);
    const comment = tokenOf(tracked, 'PML4');
    assert.ok(comment.text.trim().startsWith('#'), `the comment is one token from '#': ${JSON.stringify(comment)}`);
    for (const other of ['expect', 'vm1', '0x100', 'tracked']) {
      assert.notEqual(tokenOf(tracked, other).color, comment.color, `'${other}' is not colored as the comment`);
    }
  });

  smokeTest('the token inspector shows the grammar\'s scopes (source.gvt)', async () => {
    await rendered('shadow vm1 root', 3);
    const line = lineOf(editor.document, 'shadow vm1 root') - 1;
    editor.selection = new vscode.Selection(line, 2, line, 2);
    await vscode.commands.executeCommand('editor.action.inspectTMScopes');
    try {
      const widget = await waitFor('the token inspector', async () => {
        const w = await ui({ op: 'query', selector: '.token-inspect-widget' });
        return w.length && /source\.gvt/.test(w[0].text) ? w[0] : undefined;
      }, 10_000);
      assert.match(widget.text, /shadow/, 'it inspects the token under the cursor');
      assert.match(widget.text, /keyword\.[\w.-]+\.gvt/, `a keyword scope of the gvt grammar: ${widget.text}`);
    } finally {
      await vscode.commands.executeCommand('editor.action.inspectTMScopes'); // toggles it off
    }
  });
});
