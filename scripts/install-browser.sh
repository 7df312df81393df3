#!/usr/bin/env bash
# Installs what the console's browser tests need; idempotent (does nothing when it is all there).
#   - Debian's chromium + chromium-driver (apt), only if chromium is missing;
#   - playwright-core and umap-js (pinned in src/test/js/package-lock.json) into src/test/js/node_modules.
# Needs root for apt (or sudo). Usage: scripts/install-browser.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "install-browser: installing chromium and chromium-driver (apt)"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q chromium chromium-driver
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-browser: installing nodejs and npm (apt)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q nodejs npm
fi
if [ ! -d src/test/js/node_modules/playwright-core ] || [ src/test/js/package-lock.json -nt src/test/js/node_modules/.package-lock.json ]; then
  echo "install-browser: npm ci in src/test/js"
  (cd src/test/js && npm ci --no-audit --no-fund --ignore-scripts)
fi
