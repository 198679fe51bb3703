#!/usr/bin/env bash
# One-time (idempotent) set-up on Debian/Ubuntu: system packages, npm packages, the build, and a real
# VS Code for the integration tests and the demo. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
# gcc and libc headers for the native helper; busybox/registry/OCI tools for the runner's tests;
# shellcheck for RUN checks; openssh-client (ssh-agent) for RUN --mount=type=ssh.
bash scripts/apt-install.sh build-essential busybox-static docker-registry skopeo umoci crun uidmap \
  shellcheck file tar iproute2 attr zstd openssl lz4 debootstrap buildah openssh-client
# Size prediction reads apt's package lists (tests use this machine's as a source).
if [ "$(id -u)" = 0 ] && ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then apt-get update -qq; fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
npm run build
bash scripts/install-vscode.sh .vscode-test
echo "setup: done (CLI: npx layerlens --help)"
