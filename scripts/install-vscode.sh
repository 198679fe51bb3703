#!/usr/bin/env bash
# Installs a real VS Code for the integration tests and the demo, offline-friendly:
# VS Code 1.100.3 (server + web workbench) from the npm package code-server, Debian's chromium,
# and playwright-core to drive it. Only the npm registry and Debian's apt repositories are used.
# Usage: scripts/install-vscode.sh [PREFIX]   (default: .vscode-test)
set -euo pipefail
PREFIX="$(mkdir -p "${1:-.vscode-test}" && cd "${1:-.vscode-test}" && pwd)"
CODE_SERVER_VERSION=4.100.3   # newest code-server whose engine is Node 20
PLAYWRIGHT_VERSION=1.65.1

if [ -x "$PREFIX/node_modules/.bin/code-server" ] && [ -d "$PREFIX/node_modules/playwright-core" ]; then
  exit 0
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" != 20 ]; then
  echo "install-vscode: code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)" >&2; exit 1
fi
bash "$(dirname "$0")/apt-install.sh" build-essential python3 pkg-config libkrb5-dev libsecret-1-dev \
  libx11-dev libxkbfile-dev ripgrep chromium

# @vscode/ripgrep would download rg from GitHub; its postinstall accepts a cached archive in
# $TMPDIR/vscode-ripgrep-cache-<version>/, so seed that cache with Debian's rg.
export TMPDIR="$PREFIX/.install-tmp"
rm -rf "$TMPDIR"; mkdir -p "$TMPDIR/rg"
cp "$(command -v rg)" "$TMPDIR/rg/rg"
for version in 1.15.9 1.15.10 1.15.11 1.15.12 1.15.13 1.15.14; do
  mkdir -p "$TMPDIR/vscode-ripgrep-cache-$version"
  for tag in v13.0.0-10 v13.0.0-13 v13.0.0-4; do
    tar czf "$TMPDIR/vscode-ripgrep-cache-$version/ripgrep-$tag-x86_64-unknown-linux-musl.tar.gz" -C "$TMPDIR/rg" rg
  done
done

export npm_config_yes=true                      # node-pty's postinstall runs `npx node-gyp`
export npm_config_strict_allow_scripts=false
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"      # never fetch headers from the internet
fi
cd "$PREFIX"
[ -f package.json ] || echo '{ "name": "layerlens-vscode-test", "private": true }' > package.json
npm install --unsafe-perm --no-audit --no-fund --loglevel=error \
  "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
test -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg
XDG_CONFIG_HOME="$TMPDIR/xdg" XDG_DATA_HOME="$TMPDIR/xdg" node_modules/.bin/code-server --version >/dev/null
rm -rf "$TMPDIR"
echo "install-vscode: VS Code $CODE_SERVER_VERSION (code-server) ready in $PREFIX"
