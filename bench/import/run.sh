#!/usr/bin/env bash
# Import throughput: POST /v1/items/import beside a raw COPY of the same rows into the same table, same run.
#
# Usage: bench/import/run.sh [--rows N] [--baseline-rev REV] [--datasets LIST]
#   --rows N            lines of the synthetic catalog (default 1000000)
#   --baseline-rev REV  also measure the API as built from git revision REV (built once into target/bench/)
#   --datasets LIST     comma-separated, of: demo, synthetic (default both)
#
# Builds the jar if it is missing, makes the demo catalog if it is missing, generates the synthetic catalog
# (deterministic; cached in target/bench/), then per dataset: TRUNCATE items + COPY the rows with psql's \copy, and
# for each build: start the service on a fresh JVM, warm it up on the demo catalog, TRUNCATE, import the file
# (all created), import it again (all unchanged), read the JVM's peak RSS (VmHWM), stop it. A second COPY closes the
# dataset; the COPY rate is the mean of the two. The markdown table goes to stdout and to bench/results/.
#
# Environment: EMBEDREC_BENCH_DB (default jdbc:postgresql://127.0.0.1:5432/embedrec_bench; user embedrec),
#              BENCH_PG_SUPERUSER (default postgres; used only for CHECKPOINT between runs),
#              BENCH_JAVA_OPTS (extra JVM options, e.g. to record a JFR profile).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/target/bench"
rows=1000000
baseline_rev=""
datasets="demo,synthetic"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --baseline-rev) baseline_rev="$2"; shift 2 ;;
    --datasets) datasets="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[[ "$rows" =~ ^[1-9][0-9]*$ ]] || { echo "--rows must be a positive integer, got '$rows'" >&2; exit 2; }

db_url="${EMBEDREC_BENCH_DB:-jdbc:postgresql://127.0.0.1:5432/embedrec_bench}"
hostport="${db_url#jdbc:postgresql://}"; dbname="${hostport#*/}"; hostport="${hostport%%/*}"
psql_db=(psql -X -q -v ON_ERROR_STOP=1 -h "${hostport%:*}" -p "${hostport#*:}" -U embedrec "$dbname")
mkdir -p "$work" "$root/bench/results"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---- builds: this tree, and optionally a baseline revision ----
apps=()
labels=()
if [ ! -f "$root/target/quarkus-app/quarkus-run.jar" ]; then
  log "building the jar"
  (cd "$root" && ./mvnw -B -q package -DskipTests)
fi
if [ -n "$baseline_rev" ]; then
  sha="$(git -C "$root" rev-parse --short "$baseline_rev")"
  src="$work/build-$sha"
  if [ ! -f "$src/target/quarkus-app/quarkus-run.jar" ]; then
    log "building $baseline_rev ($sha) in $src"
    rm -rf "$src" && mkdir -p "$src"
    git -C "$root" archive "$sha" | tar -x -C "$src"
    (cd "$src" && ./mvnw -B -q package -DskipTests)
  fi
  apps+=("$src/target/quarkus-app"); labels+=("API @$sha")
fi
apps+=("$root/target/quarkus-app"); labels+=("API (this tree)")

# ---- datasets: NDJSON for the API, COPY text with the same rows ----
demo="$root/target/demo/catalog.ndjson"
if [ ! -s "$demo" ]; then
  log "making the demo catalog"
  "$root/scripts/make-demo-catalog.sh" "$demo"
fi
if [ ! -s "$work/demo.tsv" ] || [ "$demo" -nt "$work/demo.tsv" ]; then
  python3 "$here/datasets.py" copy "$demo" "$work/demo.tsv"
fi
syn="$work/synthetic-$rows.ndjson"
if [ ! -s "$syn" ] || [ ! -s "$work/synthetic-$rows.tsv" ] || [ "$here/datasets.py" -nt "$syn" ]; then
  log "generating $rows synthetic items"
  python3 "$here/datasets.py" synthetic --rows "$rows" --ndjson "$syn.tmp" --copy "$work/synthetic-$rows.tsv"
  mv "$syn.tmp" "$syn"
fi

# ---- helpers ----
now() { date +%s.%N; }
rate() { python3 -c "import sys; print(round(int(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
# a checkpoint between runs keeps one run's dirty pages from being written during the next; it needs a superuser
# (or pg_checkpoint), so it is skipped where there is none
checkpoint() { psql -X -q -h "${hostport%:*}" -p "${hostport#*:}" -U "${BENCH_PG_SUPERUSER:-postgres}" "$dbname" \
                 -c CHECKPOINT >/dev/null 2>&1 || true; }
fresh_table() { "${psql_db[@]}" -c "TRUNCATE items"; checkpoint; }
table_rows() { "${psql_db[@]}" -At -c "SELECT count(*) FROM items"; }

pid=""
port=""
stop_service() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; wait "$pid" 2>/dev/null || true
  fi
  pid=""
}
trap stop_service EXIT

start_service() {  # $1 = quarkus-app dir
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  # shellcheck disable=SC2086
  EMBEDREC_DB_URL="$db_url" EMBEDREC_PORT="$port" \
    java ${BENCH_JAVA_OPTS:-} -jar "$1/quarkus-run.jar" >"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/service.log" >&2; echo "the service died" >&2; exit 1; }
    sleep 0.5
  done
  echo "the service did not become ready" >&2; exit 1
}

# POST a file (streamed from disk by curl, not read into its memory first); prints seconds; checks the report
import_file() {  # $1 = file, $2 = expected lines, $3 = the count that must equal it (created|unchanged)
  local t0 t1 report
  t0="$(now)"
  report="$(curl -fsS -X POST -H 'Content-Type: application/x-ndjson' -H 'Expect:' -T "$1" \
            "http://127.0.0.1:$port/v1/items/import")"
  t1="$(now)"
  python3 - "$report" "$2" "$3" <<'EOF'
import json, sys
r, n, key = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
if r["lines"] != n or r[key] != n or r["rejected"]:
    sys.exit(f"unexpected import report (wanted {key} = {n}): {sys.argv[1][:500]}")
EOF
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$t0" "$t1"
}

copy_file() {  # $1 = COPY text file, $2 = expected rows; prints seconds
  local t0 t1
  fresh_table
  t0="$(now)"
  "${psql_db[@]}" -c "\\copy items (external_id, title, description, categories, attributes) FROM '$1'"
  t1="$(now)"
  [ "$(table_rows)" = "$2" ] || { echo "COPY loaded $(table_rows) rows, expected $2" >&2; exit 1; }
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$t0" "$t1"
}

peak_rss_mib() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$pid/status"; }

# ---- the run ----
stamp="$(date +%Y%m%d-%H%M%S)"
out="$root/bench/results/import-$stamp.md"
table="| dataset | rows | build | API items/s | COPY rows/s | ratio | API peak RSS |
| --- | ---: | --- | ---: | ---: | ---: | ---: |"
IFS=, read -r -a chosen <<<"$datasets"
log "migrating $dbname (Flyway runs at start-up)"
start_service "${apps[-1]}"
stop_service
for ds in "${chosen[@]}"; do
  case "$ds" in
    demo) file="$demo"; tsv="$work/demo.tsv"; name="demo catalog" ;;
    synthetic) file="$syn"; tsv="$work/synthetic-$rows.tsv"; name="synthetic" ;;
    *) echo "unknown dataset: $ds" >&2; exit 2 ;;
  esac
  n="$(grep -c . "$file")"
  log "$name: $n rows; COPY"
  c1="$(copy_file "$tsv" "$n")"
  log "  COPY: ${c1}s"
  results=()
  for k in "${!apps[@]}"; do
    log "  ${labels[$k]}: starting the service, warming up"
    start_service "${apps[$k]}"
    fresh_table
    import_file "$demo" "$(grep -c . "$demo")" created >/dev/null
    fresh_table
    a="$(import_file "$file" "$n" created)"
    rss_a="$(peak_rss_mib)"
    log "  ${labels[$k]}: import ${a}s, peak RSS ${rss_a} MiB; re-import"
    b="$(import_file "$file" "$n" unchanged)"
    rss_b="$(peak_rss_mib)"
    log "  ${labels[$k]}: re-import ${b}s, peak RSS ${rss_b} MiB"
    stop_service
    results+=("$a $rss_a $b $rss_b")
  done
  c2="$(copy_file "$tsv" "$n")"
  log "  COPY again: ${c2}s"
  copy_rate="$(python3 -c "import sys; print(round(2 * int(sys.argv[1]) / (float(sys.argv[2]) + float(sys.argv[3]))))" "$n" "$c1" "$c2")"
  for k in "${!apps[@]}"; do
    read -r a rss_a b rss_b <<<"${results[$k]}"
    ra="$(rate "$n" "$a")"; rb="$(rate "$n" "$b")"
    table+="
| $name | $n | ${labels[$k]} | $ra | $copy_rate | $(python3 -c "print(f'{$ra / $copy_rate:.0%}')") | $rss_a MiB |
| $name, re-import unchanged | $n | ${labels[$k]} | $rb | $copy_rate | $(python3 -c "print(f'{$rb / $copy_rate:.0%}')") | $rss_b MiB |"
  done
done
fresh_table

{
  echo "Import benchmark, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores, $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes')"
  echo
  echo "$table"
  echo
  echo "COPY: psql \\copy of the same rows (text format) into the same table with its indexes; mean of one run before"
  echo "and one after the API runs. Re-import rows divide by the same COPY rate. RSS: VmHWM of the service's JVM."
} | tee "$out"
