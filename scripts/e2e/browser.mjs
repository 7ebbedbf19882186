// The workbench in headless Chromium (Debian's, driven by playwright-core: no browser download),
// and the two hooks VS Code's smoke-test driver calls on the page: codeAutomationExit(code) when
// the tests' run() ends, and codeAutomationLog(level, args) for every console line, the host's
// included (test/e2e/index.ts marks those with `@@host `).
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const HOST = '@@host ';
const logText = (args) => (Array.isArray(args) ? format(...args) : String(args));

/** Launches Chromium in its own process group; answers {browserServer, browser, page}. */
export async function launchBrowser(executablePath) {
  const browserServer = await chromium.launchServer({
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return { browserServer, browser, page };
}

/**
 * Wires the page's automation hooks: the host's lines are printed (its `@@ui` requests and
 * `@@screenshot`s go to `requests`, a WorkbenchRequests), the workbench's own only when verbose;
 * `onExit(code)` gets the tests' exit code.
 */
export async function hookWorkbench(page, { requests, verbose, onExit }) {
  await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const text = logText(args);
    const fromHost = text.startsWith(HOST);
    const ui = fromHost && /^@@host @@ui\s+(\S+)\s+(\{.*\})\s*$/.exec(text);
    if (ui) return requests.ui(ui[1], ui[2]); // requests, not output
    if (fromHost) console.log(text.slice(HOST.length));
    else if (verbose) console.log(`[workbench ${level}] ${text}`);
    const shot = /@@screenshot\s+(\S+)/.exec(text);
    if (shot) requests.screenshot(shot[1]);
    return undefined;
  });
}
