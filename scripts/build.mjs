// Bundles the entry points with esbuild. Type checking is `tsc -b` (npm run typecheck).
// The extension's parts used only on first use (src/extension/lazy/*: the language client library,
// the debug session and the simulator) are entry points of their own, loaded at run time from
// dist/lazy/, so activating the extension parses only what it registers.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';

const LAZY_DIR = 'src/extension/lazy';
const lazy = existsSync(LAZY_DIR)
  ? readdirSync(LAZY_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ in: `${LAZY_DIR}/${f}`, out: `lazy/${f.slice(0, -3)}` }))
  : [];
const entries = [
  { in: 'src/cli/main.ts', out: 'cli' },
  { in: 'src/debug/main.ts', out: 'debugAdapter' },
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
if (watch) {
  await ctx.watch();
} else {
  await ctx.rebuild();
  await ctx.dispose();
}
