#!/usr/bin/env bash
# The main job: set everything up, plan, build and run the example project with the embedded runner
# (no Docker daemon), then serve VS Code
# (the browser-based workbench from code-server) on 127.0.0.1 with Layerlens installed from its .vsix
# and the examples/ workspace open. Open the printed URL in a browser; Ctrl-C stops it.
# Usage: scripts/demo.sh [--port N] [--no-serve]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PORT=8080
SERVE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --no-serve) SERVE=0; shift ;;
    *) echo "demo: unknown argument $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
bash scripts/busybox-image.sh busybox:latest
echo; echo "=== layerlens plan examples/Dockerfile ==="
bin/layerlens plan examples/Dockerfile
echo; echo "=== layerlens build -t layerlens-example examples ==="
bin/layerlens build -t layerlens-example --progress=plain examples
echo; echo "=== layerlens run --rm layerlens-example ==="
bin/layerlens run --rm layerlens-example
[ "$SERVE" = 1 ] || exit 0

echo; echo "=== packaging the extension ==="
npm run --silent package >/dev/null
DEMO="$ROOT/.vscode-test/demo"
mkdir -p "$DEMO/user-data/User" "$DEMO/extensions"
cat > "$DEMO/user-data/User/settings.json" <<'JSON'
{ "telemetry.telemetryLevel": "off", "update.mode": "none", "workbench.startupEditor": "none",
  "extensions.autoCheckUpdates": false, "security.workspace.trust.enabled": false }
JSON
CODE_SERVER="$ROOT/.vscode-test/node_modules/.bin/code-server"
export EXTENSIONS_GALLERY='{}' XDG_CONFIG_HOME="$DEMO/xdg" XDG_DATA_HOME="$DEMO/xdg"
"$CODE_SERVER" --user-data-dir "$DEMO/user-data" --extensions-dir "$DEMO/extensions" \
  --install-extension "$ROOT/layerlens.vsix" --force >/dev/null
echo "=== open http://127.0.0.1:$PORT/?folder=$ROOT/examples (Ctrl-C to stop) ==="
exec "$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --user-data-dir "$DEMO/user-data" --extensions-dir "$DEMO/extensions" "$ROOT/examples"
