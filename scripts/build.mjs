// Bundles the four entry points with esbuild. Type checking is `tsc -b` (npm run typecheck).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'src/cli/main.ts', out: 'cli' },
  { in: 'src/debug/main.ts', out: 'debugAdapter' },
  { in: 'src/server/main.ts', out: 'server' },
  { in: 'src/extension/extension.ts', out: 'extension' },
].filter((e) => existsSync(e.in));

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
  logLevel: 'warning',
});
if (watch) {
  await ctx.watch();
} else {
  await ctx.rebuild();
  await ctx.dispose();
}
