// The layering of the README's Architecture section, checked by dependency-cruiser in `npm run
// lint`: which src/ folder may import which, and no cycles. (ESLint's no-restricted-imports keeps
// the package bans: vscode, Node built-ins and the protocol libraries per folder.)
const layer = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: '^src/', pathNot: [`^src/${from}/`, ...allowed.map((a) => `^src/${a}/`)] },
});

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Dependencies point one way.', from: {}, to: { circular: true } },
    layer('core-is-pure', 'core', [], 'src/core is the simulation: it imports no other layer.'),
    layer('common-is-pure', 'common', [], 'src/common holds pure helpers that import no layer.'),
    layer('node-edge', 'node', [], 'src/node is the Node edge shared by entry points; it imports no layer.'),
    layer('dsl-on-core', 'dsl', ['core'], 'src/dsl may import only src/core.'),
    layer('debug-on-dsl', 'debug', ['core', 'dsl', 'common', 'node'], 'src/debug: core, dsl, the shared framer and the Node edge.'),
    layer('server-on-dsl', 'server', ['dsl', 'common'], 'src/server: dsl and the shared framer.'),
    layer('cli-on-dsl', 'cli', ['core', 'dsl', 'node'], 'src/cli: dsl, core and the Node edge (it starts the server by path).'),
    layer('extension-through-dap', 'extension', ['debug', 'node'], 'src/extension reaches the simulation only through the debug adapter (gvt/* requests).'),
    {
      name: 'node-edge-only-in-entries',
      severity: 'error',
      comment: 'In src/debug only the entry (main.ts) uses the Node edge; the session stays hostable inline.',
      from: { path: '^src/debug/', pathNot: '^src/debug/main\\.ts$' },
      to: { path: '^src/node/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: a cycle of types is still two files that cannot be read apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    exclude: { path: '^(out|dist|node_modules)/' },
  },
};
