#!/usr/bin/env bash
# Runs every benchmark once at its smallest size, so that none can rot unnoticed (a schema change, a renamed
# endpoint, a missing setup step): CI runs it after the tests. The figures mean nothing at these sizes; a bench that
# fails makes this script fail, with the end of its log.
#
# Usage: scripts/bench-smoke.sh [NAME ...]   (default: every bench; names are the folders of bench/)
#
# Each bench writes its usual result file (bench/*/RESULTS.md and the like). In a checkout whose bench/ and docs/
# were clean before, those files are restored afterwards, so the committed full-size results stay as they were.
# Logs: target/bench-smoke/<name>.log.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=target/bench-smoke
mkdir -p "$out"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(spaces events merchandising import train load embedding console quality)

clean_before=false
if git rev-parse --git-dir >/dev/null 2>&1 && [ -z "$(git status --porcelain -- bench docs)" ]; then
  clean_before=true
fi
restore() {
  if $clean_before; then
    git checkout -q -- bench docs
    git clean -q -fd -- bench docs
  fi
}
trap restore EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
[ -s target/demo/catalog.ndjson ] || scripts/make-demo-catalog.sh >/dev/null
head -300 target/demo/catalog.ndjson >"$out/catalog-300.ndjson"

smoke() {  # $1 = name; the rest = the command
  local name="$1" t0=$SECONDS
  shift
  echo "bench-smoke: $name"
  if "$@" >"$out/$name.log" 2>&1; then
    echo "bench-smoke: $name ok ($((SECONDS - t0)) s)"
  else
    echo "bench-smoke: $name FAILED after $((SECONDS - t0)) s; the end of $out/$name.log:"
    tail -40 "$out/$name.log"
    exit 1
  fi
}

for name in "${names[@]}"; do
  case "$name" in
    spaces) smoke spaces env BENCH_PARTS=b,e BENCH_SIZES=2000 BENCH_REAL_ITEMS=300 BENCH_INDEX_PARAMS=16:64 \
              bash bench/spaces/run.sh ;;
    events) smoke events bash bench/events/run.sh --users 30 --requests 30 ;;
    merchandising) smoke merchandising bash bench/merchandising/run.sh --recommendations 20000 --events 2000 ;;
    import) smoke import bash bench/import/run.sh --rows 2000 --datasets synthetic ;;
    train) smoke train bash bench/train/run.sh --users 2000 --items 1000 --interactions 20000 ;;
    load) smoke load bash bench/load/run.sh --clients 2 --minutes 0.2 --items 300 --users 30 ;;
    embedding) smoke embedding env SHORT=50 OTHER=20 bash bench/embedding/run.sh ;;
    console) smoke console env MAP_TIMING_SIZES=2000 bash bench/console/run.sh ;;
    quality) smoke quality env DEMO_CATALOG="$root/$out/catalog-300.ndjson" \
               bash bench/quality/run.sh --dataset demo --users 30 ;;
    *) echo "bench-smoke: no bench named '$name' (see bench/)" >&2; exit 2 ;;
  esac
done
echo "bench-smoke: every bench ran"
