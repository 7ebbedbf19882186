// `npm run package`: build, then make the .vsix with @vscode/vsce (allowlist in .vscodeignore).
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs', '--production']);
run('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', 'gvt-page-track-debugger.vsix']);
