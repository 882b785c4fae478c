#!/usr/bin/env bash
# npm run test:integration: install the host if missing, build the extension and the suite, run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
bash test/host/install.sh
[[ -d node_modules/vscode-languageclient ]] || npm ci --no-audit --no-fund
node esbuild.mjs
npx tsc -p test/integration/tsconfig.json
node test/host/run.mjs
