#!/usr/bin/env bash
# Installs the integration-test host: Debian's chromium + ripgrep + libkrb5-dev, then code-server
# 4.100.3 and playwright-core into test/host/node_modules. Handles the three install obstacles
# described in shared/design/vscode-test-host.md. Idempotent: does nothing when already installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

started=$SECONDS
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v krb5-config >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if ((${#need_apt[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test-host: need Debian packages ${need_apt[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "test-host: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [[ -d node_modules/code-server/lib/vscode/node_modules/node-pty && -d node_modules/playwright-core ]]; then
  echo "test-host: already installed ($((SECONDS - started)) s)"
  exit 0
fi

# Obstacle 3: @vscode/ripgrep downloads rg from GitHub in postinstall. Seed its cache with a
# tarball of Debian's rg under the exact name it looks for, so it says "Using cached download".
tmp="$(node -p 'require("os").tmpdir()')"
cache="$tmp/vscode-ripgrep-cache-1.15.11"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -f "$tarball" ]]; then
  mkdir -p "$cache"
  stage="$(mktemp -d)"
  cp "$(command -v rg)" "$stage/rg"
  tar -czf "$tarball" -C "$stage" rg
  rm -rf "$stage"
fi

# Obstacle 1: code-server's postinstall refuses root unless unsafe-perm is set.
# Obstacle 2: node-pty's postinstall runs `npx node-gyp`, refused unless npm's `yes` is on.
export npm_config_unsafe_perm=true npm_config_yes=true
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

# npm 11 warns that install scripts are "not covered by allowScripts" but still runs them;
# check that the native parts were really built rather than trusting the exit code.
for module in node-pty @vscode/spdlog; do
  if [[ ! -d node_modules/code-server/lib/vscode/node_modules/$module ]]; then
    echo "test-host: code-server's $module is missing; its postinstall did not run" >&2
    exit 1
  fi
done
echo "test-host: installed in $((SECONDS - started)) s"
