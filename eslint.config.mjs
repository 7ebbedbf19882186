// Lint, and the layering of the README's Architecture section made mechanical: each folder may import only
// what its layer may know (the per-layer tsconfigs enforce the same for src/* paths).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'child_process', 'net', 'os', 'worker_threads', 'util', 'events', 'stream', 'readline', 'crypto', 'http', 'https']
  .flatMap((m) => [m, `node:${m}`, `${m}/*`]);
const protocolLibs = ['@vscode/debugadapter', '@vscode/debugadapter*', '@vscode/debugprotocol', 'vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*'];
const ban = (paths, patterns, message) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message })), patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.code-server/**', '.e2e/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: ban(['vscode', ...nodeBuiltins, ...protocolLibs], ['../dsl/*', '../debug/*', '../server/*', '../cli/*', '../extension/*'],
      'src/core is the pure simulation: ES standard library only.'),
  },
  {
    files: ['src/dsl/**/*.ts'],
    rules: ban(['vscode', ...nodeBuiltins, ...protocolLibs], ['../debug/*', '../server/*', '../cli/*', '../extension/*'],
      'src/dsl may import only src/core.'),
  },
  {
    files: ['src/debug/**/*.ts'],
    ignores: ['src/debug/main.ts'],
    rules: ban(['vscode', ...nodeBuiltins, 'vscode-languageserver', 'vscode-languageclient'], ['../server/*', '../extension/*', '../cli/*', 'vscode-language*'],
      'src/debug: core, dsl and the DAP libraries; Node only in its entry file.'),
  },
  {
    files: ['src/server/**/*.ts'],
    ignores: ['src/server/main.ts'],
    rules: ban(['vscode', ...nodeBuiltins, '@vscode/debugadapter', '@vscode/debugprotocol'], ['../debug/*', '../extension/*', '../cli/*', '../core/*', '@vscode/debug*'],
      'src/server: dsl and vscode-languageserver; Node only in its entry file.'),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: ban(['vscode'], ['../extension/*', '../debug/*'], 'src/cli: dsl, core, server entry and Node.'),
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: ban([], ['../core/*', '../dsl/*', '../server/*'],
      'src/extension reaches the simulation only through gvt/* DAP requests (import type of src/debug/protocol is fine).'),
  },
);
