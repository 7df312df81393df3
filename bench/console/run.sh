#!/usr/bin/env bash
# The console's embedding map at scale, in headless Chromium: UMAP time in the page's Web Worker for 5,000, 10,000
# and 20,000 points of a 20,000-item space of synthetic clustered 384-d vectors, the sample download, and the time
# to draw a frame and to answer a hover. It runs ConsoleLargeCatalogBrowserTest with MAP_TIMING_SIZES set and prints
# its markdown table (docs/console-map-timing.md holds the latest one).
#
# Environment: EMBEDREC_TEST_DB_URL (a test database: the test empties its tables; default embedrec_test),
#   MAP_TIMING_SIZES (default 5000,20000: the test itself always maps 10,000 with UMAP and 20,000 with PCA).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
scripts/install-browser.sh
mkdir -p target
MAP_TIMING_SIZES="${MAP_TIMING_SIZES:-5000,20000}" ./mvnw -B -q test -Dtest=ConsoleLargeCatalogBrowserTest \
  > target/console-map-timing.log 2>&1 || { tail -50 target/console-map-timing.log; exit 1; }
grep -m1 -B2 -A20 '^| points |' target/console-map-timing.log | grep -E '^\|' | awk '!seen[$0]++'
