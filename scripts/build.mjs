// Bundles the entry points with esbuild. Type checking is `tsc -b` (npm run typecheck).
// The extension's parts used only on first use (src/extension/lazy/*: the language client library,
// the debug session and the simulator) are entry points of their own, loaded at run time from
// dist/lazy/, so activating the extension parses only what it registers.
// The browser build (dist/web/, docs/web.md) is two more esbuild contexts: the extension for the web
// worker extension host (one file, CommonJS as VS Code for the Web loads it: it cannot require a
// second file) and the language server as a web worker script. test/package/webBundle.test.ts
// checks that neither requires a Node built-in.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const LAZY_DIR = 'src/extension/lazy';
const lazy = existsSync(LAZY_DIR)
  ? readdirSync(LAZY_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ in: `${LAZY_DIR}/${f}`, out: `lazy/${f.slice(0, -3)}` }))
  : [];
const entries = [
  // The CLI and the standalone adapter: bundles in dist/node/, started by small launchers that
  // load them through the compile cache (src/node/compileCache.ts).
  { in: 'src/cli/main.ts', out: 'node/cli' },
  { in: 'src/debug/main.ts', out: 'node/debugAdapter' },
  { in: 'src/node/cliLauncher.ts', out: 'cli' },
  { in: 'src/node/debugAdapterLauncher.ts', out: 'debugAdapter' },
  { in: 'src/server/main.ts', out: 'server' },
  { in: 'src/extension/extension.ts', out: 'extension' },
  ...lazy,
].filter((e) => existsSync(e.in));

/** `./lazy/x.js` imported from src/extension stays a run-time require of dist/lazy/x.js. */
const lazyExternal = {
  name: 'lazy-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/lazy\/[\w-]+\.js$/ }, (args) =>
      args.importer.includes('src/extension/') ? { path: args.path, external: true } : undefined,
    );
  },
};

const watch = process.argv.includes('--watch');
// --production (npm run package): no source maps in the .vsix.
const production = process.argv.includes('--production');
const ctx = await esbuild.context({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  external: ['vscode'],
  // import() of dist/lazy/ becomes require(), which the extension host resolves `vscode` for.
  supported: { 'dynamic-import': false },
  plugins: [lazyExternal],
  logLevel: 'warning',
});

/** Node built-ins the browser bundle's dependencies import, mapped to the small shims they need. */
const nodeShims = {
  name: 'node-shims',
  setup(build) {
    const shims = { events: 'src/extension/web/shims/events.ts', url: 'src/extension/web/shims/url.ts' };
    build.onResolve({ filter: /^(events|url)$/ }, (args) => ({ path: resolve(shims[args.path]) }));
  },
};

/** A browser bundle: no Node, ES2022; minified for the package (vscode.dev fetches it over the network). */
const browserBundle = (entry, out, extra) =>
  esbuild.context({
    entryPoints: [{ in: entry, out }],
    outdir: 'dist/web',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    ...extra,
  });
const web = await browserBundle('src/extension/web/extension.ts', 'extension', { format: 'cjs', external: ['vscode'], plugins: [nodeShims] });
const webServer = await browserBundle('src/server/browserMain.ts', 'server', { format: 'iife' });

const contexts = [ctx, web, webServer];
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
