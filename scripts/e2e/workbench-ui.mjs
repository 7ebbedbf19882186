// The workbench side of the host's requests: `@@screenshot <name>` saves a PNG of the page, and
// `@@ui <id> <json>` (test/e2e/screenshot.ts) looks at or acts on the workbench as a user does.
// Both run one at a time, in the order the host asked for them.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class WorkbenchRequests {
  /** `shotsDir`: where screenshots go (none: they are not taken); `uiDir`: where ui answers go. */
  constructor(page, { shotsDir, uiDir, say }) {
    this.page = page;
    this.shotsDir = shotsDir;
    this.uiDir = uiDir;
    this.say = say;
    this.queue = Promise.resolve();
  }

  /** Settles once every request asked for so far is answered. */
  drained() {
    return this.queue;
  }

  screenshot(name) {
    const { page, shotsDir: SHOTS, say } = this;
    if (!SHOTS) return;
    const safe = name.replace(/[^\w.-]+/g, '_');
    this.queue = this.queue.then(async () => {
      mkdirSync(SHOTS, { recursive: true });
      const file = join(SHOTS, `${safe}.png`);
      // Written then renamed, so a test polling for the file never sees half of it.
      writeFileSync(`${file}.tmp`, await page.screenshot());
      renameSync(`${file}.tmp`, file);
      say(`screenshot ${file}`);
    }).catch((e) => say(`screenshot ${safe} failed: ${e.message}`));
  }

  ui(id, json) {
    const { page, uiDir, say } = this;
    this.queue = this.queue.then(async () => {
      let answer;
      try {
        const req = JSON.parse(json);
        const op = UI_OPS[req.op];
        if (!op) throw new Error(`unknown op ${req.op}`);
        answer = { ok: true, value: (await op(page, req)) ?? null };
      } catch (e) {
        answer = { ok: false, error: String(e?.message ?? e) };
      }
      const file = join(uiDir, `${id.replace(/[^\w.-]+/g, '_')}.json`);
      writeFileSync(`${file}.tmp`, JSON.stringify(answer));
      renameSync(`${file}.tmp`, file);
    }).catch((e) => say(`ui ${id} failed: ${e.message}`));
  }
}

// The ui ops: look at, or act on, the workbench as a
// user does: its DOM and real mouse and keyboard input. The answer is <uiDir>/<id>.json,
// {ok: true, value} or {ok: false, error}. Ops:
//   tokens                         the active editor's rendered lines, top to bottom:
//                                  [{text, tokens: [{text, cls, color}]}] (cls: Monaco's mtkN classes)
//   query {selector}               [{text, aria, cls, expanded}] of the matching elements (first 200)
//   click {selector, text?, button?, clicks?}
//                                  clicks the first match whose text or aria-label contains text
//   pane {title, expanded}         expands or collapses the sidebar pane with that title
//   hover {selector, text?}        moves the mouse onto that element (and lets it be)
//   move {x, y}                    moves the mouse to that point (e.g. out of the way)
//   key {key}                      presses a key ('Escape', 'Control+Shift+M': playwright's names)
//   workers                        the page's web workers (those of its frames too): [{url, name, process, listening}],
//                                  read inside each worker: its name, `typeof process`, whether it set onmessage
const UI_OPS = {
  tokens: (page) => page.evaluate(() => {
    const group = document.querySelector('.part.editor .editor-group-container.active') ?? document;
    const lines = [...group.querySelectorAll('.editor-instance .monaco-editor .view-lines > .view-line')];
    const nb = (t) => (t ?? '').replace(/\u00a0/g, ' ');
    return lines
      .map((l) => ({
        top: parseFloat(l.style.top) || 0,
        text: nb(l.textContent),
        tokens: [...l.querySelectorAll(':scope > span > span')].map((t) => ({
          text: nb(t.textContent), cls: t.className, color: getComputedStyle(t).color,
        })),
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ text, tokens }) => ({ text, tokens }));
  }),
  query: (page, { selector }) => page.evaluate((sel) => [...document.querySelectorAll(sel)].slice(0, 200).map((e) => ({
    text: e.innerText ?? e.textContent ?? '', aria: e.getAttribute('aria-label') ?? '', cls: String(e.className),
    expanded: e.getAttribute('aria-expanded'),
  })), selector),
  click: async (page, { selector, text, button = 'left', clicks = 1, move = false }) => {
    const find = () => page.evaluate(([sel, want]) => {
      const el = [...document.querySelectorAll(sel)].find((e) => !want ||
        (e.innerText ?? '').includes(want) || (e.getAttribute('aria-label') ?? '').includes(want));
      if (!el) return undefined;
      // Aim at the text itself (a tree row's label, not its indent): the innermost element with it.
      let target = el;
      for (let inner = target; want && inner;) {
        target = inner;
        inner = [...target.children].find((c) => (c.innerText ?? '').includes(want));
      }
      target.scrollIntoView({ block: 'nearest' });
      const r = target.getBoundingClientRect();
      return { x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2 };
    }, [selector, text]);
    // Where it comes to rest: menus and lists are laid out (and animated) after they appear.
    let box = await find();
    for (let i = 0; box && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const again = await find();
      if (again && again.x === box.x && again.y === box.y) break;
      box = again;
    }
    if (!box) throw new Error(`no element ${selector}${text ? ` with '${text}'` : ''}`);
    await page.mouse.move(box.x, box.y);
    if (!move) await page.mouse.click(box.x, box.y, { button, clickCount: clicks, delay: 30 });
    return box;
  },
  pane: async (page, { title, expanded }) => {
    const header = () => page.evaluate((want) => {
      const h = [...document.querySelectorAll('.part.sidebar .pane-header')]
        .find((e) => (e.querySelector('.title')?.textContent ?? '').trim().toLowerCase() === want.toLowerCase());
      if (!h) return undefined;
      const r = h.getBoundingClientRect();
      return { expanded: h.getAttribute('aria-expanded') === 'true', x: r.left + Math.min(r.width / 2, 120), y: r.top + r.height / 2 };
    }, title);
    const before = await header();
    if (!before) throw new Error(`no sidebar pane '${title}'`);
    for (let h = before, i = 0; h.expanded !== expanded; i++) {
      if (i === 5) throw new Error(`the pane '${title}' did not ${expanded ? 'expand' : 'collapse'}`);
      await page.mouse.click(h.x, h.y);
      await new Promise((r) => setTimeout(r, 100));
      h = await header();
    }
    return before.expanded;
  },
  hover: async (page, req) => {
    const box = await UI_OPS.click(page, { ...req, move: true });
    // Nudge: hovers open on mouse movement over the element, not on a pointer that arrives still.
    await page.mouse.move(box.x + 4, box.y);
    return box;
  },
  move: (page, { x, y }) => page.mouse.move(x, y),
  key: (page, { key }) => page.keyboard.press(key),
  workers: (page) => Promise.all(page.workers().map(async (w) => ({
    url: w.url(),
    ...(await w.evaluate(() => ({ name: self.name, process: typeof process, listening: typeof self.onmessage === 'function' }))
      .catch((e) => ({ error: String(e?.message ?? e) }))),
  }))),
};
