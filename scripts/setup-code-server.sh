#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) into the git-ignored .code-server/ so the e2e suite
# can run the extension in a real extension host (see test/e2e/README.md for why and what was
# measured). Idempotent: a stamp keyed on this script's content makes a rerun a no-op (< 1 s).
# Safe for CI: no prompts, every long step bounded by `timeout`.
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.code-server"
CS="$DIR/node_modules/code-server"
STAMP="$DIR/.stamp"
KEY="$VERSION $(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"

# Debian packages: chromium drives the workbench, rg is what VS Code's search spawns,
# libkrb5-dev only serves kerberos' native build during the install.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$KEY" ]]; then
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
fi
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup-code-server: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -qq
    timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup-code-server: missing Debian packages: ${missing[*]} (run as root: apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
fi

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$KEY" && -f "$CS/lib/vscode/out/server-main.js" ]]; then
  exit 0
fi

echo "setup-code-server: installing code-server@$VERSION into .code-server/ (about 1-2 min)"
start=$SECONDS
rm -rf "$DIR"
mkdir -p "$DIR"
# A package.json of its own, so npm installs here and never walks up to the repo's.
echo '{ "name": "gvt-code-server", "private": true }' >"$DIR/package.json"
# Under `npm test` these point npm at the repo; node-pty's rebuild calls `npx node-gyp` (needs yes).
unset npm_config_local_prefix npm_config_prefix npm_package_json
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
npmq() { timeout 600 npm --loglevel=error "$@" </dev/null; }

# Plain install fails (kerberos headers, @vscode/ripgrep downloads from github): skip scripts,
# then rebuild only what needs a native build.
(cd "$DIR" && npmq install --ignore-scripts --no-save --no-package-lock "code-server@$VERSION")
(cd "$CS" && npmq rebuild argon2)

# The VS Code server's own dependencies; Debian's rg stands in for @vscode/ripgrep's download.
(
  cd "$CS/lib/vscode"
  npmq install --omit=dev --ignore-scripts --no-package-lock
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npmq rebuild
  ln -sfn node_modules node_modules.asar
)
(cd "$CS/lib/vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$CS/lib/vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
(cd "$CS/lib/vscode/extensions" && npmq install --omit=dev --ignore-scripts --no-package-lock &&
  timeout 300 node ./postinstall.mjs >/dev/null)

echo "$KEY" >"$STAMP"
echo "setup-code-server: done in $((SECONDS - start)) s"
