#!/usr/bin/env bash
# Import throughput: POST /v1/items/import beside a raw COPY of the same rows into the same table, same run.
#
# Usage: bench/import/run.sh [--rows N] [--baseline-rev REV] [--datasets LIST] [--repeat N]
#   --rows N            lines of the synthetic catalog (default 1000000)
#   --baseline-rev REV  also measure the API as built from git revision REV (built once into target/bench/)
#   --datasets LIST     comma-separated, of: demo, synthetic (default both)
#   --repeat N          rounds per dataset; each figure is the best of the N (default 1)
#
# Builds the jar if it is missing, makes the demo catalog if it is missing, generates the synthetic catalog
# (deterministic; cached in target/bench/), then per dataset: start each build's service on a fresh JVM and warm it
# up on the demo catalog; then, each round, TRUNCATE items + COPY the rows with psql's \copy, and for each build
# TRUNCATE, import the file (all created) and import it again (all unchanged); finally read each JVM's peak RSS
# (VmHWM). The machine is shared, so COPY and the builds take turns within each round and the best round counts.
# The markdown table goes to stdout and to bench/results/.
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
repeat=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --baseline-rev) baseline_rev="$2"; shift 2 ;;
    --datasets) datasets="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[[ "$rows" =~ ^[1-9][0-9]*$ ]] || { echo "--rows must be a positive integer, got '$rows'" >&2; exit 2; }
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "--repeat must be a positive integer, got '$repeat'" >&2; exit 2; }

db_url="${EMBEDREC_BENCH_DB:-jdbc:postgresql://127.0.0.1:5432/embedrec_bench}"
hostport="${db_url#jdbc:postgresql://}"; dbname="${hostport#*/}"; hostport="${hostport%%/*}"
psql_db=(psql -X -q -v ON_ERROR_STOP=1 -h "${hostport%:*}" -p "${hostport#*:}" -U embedrec "$dbname")
"$root/scripts/ensure-database.sh" "$db_url"
mkdir -p "$work" "$root/bench/results"
load0="$(cut -d' ' -f1-3 /proc/loadavg)"
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
best() { printf '%s\n' "$@" | sort -g | head -1; }
# a checkpoint between runs keeps one run's dirty pages from being written during the next; it needs a superuser
# (or pg_checkpoint), so it is skipped where there is none
checkpoint() { psql -X -q -h "${hostport%:*}" -p "${hostport#*:}" -U "${BENCH_PG_SUPERUSER:-postgres}" "$dbname" \
                 -c CHECKPOINT >/dev/null 2>&1 || true; }
# CASCADE: the embedding queue, vectors and events reference items (a bench database holds nothing else of value)
fresh_table() { "${psql_db[@]}" -c "TRUNCATE items CASCADE"; checkpoint; }
table_rows() { "${psql_db[@]}" -At -c "SELECT count(*) FROM items"; }
peak_rss_mib() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
jvm_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

pids=()
ports=()
stop_services() {
  local p
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then kill "$p"; wait "$p" 2>/dev/null || true; fi
  done
  pids=(); ports=()
}
trap stop_services EXIT

start_service() {  # $1 = quarkus-app dir, $2 = log file; appends to pids and ports
  local port pid
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  # shellcheck disable=SC2086
  EMBEDREC_DB_URL="$db_url" EMBEDREC_PORT="$port" \
    java ${BENCH_JAVA_OPTS:-} -jar "$1/quarkus-run.jar" >"$2" 2>&1 &
  pid=$!
  pids+=("$pid"); ports+=("$port")
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$2" >&2; echo "the service died" >&2; exit 1; }
    sleep 0.5
  done
  echo "the service did not become ready" >&2; exit 1
}

# POSTs a file (streamed from disk by curl, not read into its memory first) and checks the report; prints the
# seconds it took and the JVM's CPU seconds (user + system, all threads, GC and JIT included) meanwhile
import_file() {  # $1 = port, $2 = JVM pid, $3 = file, $4 = expected lines, $5 = the count that must equal them
  local t0 t1 cpu0 cpu1 report
  cpu0="$(jvm_cpu_ticks "$2")"
  t0="$(now)"
  report="$(curl -fsS -X POST -H 'Content-Type: application/x-ndjson' -H 'Expect:' -T "$3" \
            "http://127.0.0.1:$1/v1/items/import")"
  t1="$(now)"
  cpu1="$(jvm_cpu_ticks "$2")"
  python3 - "$report" "$4" "$5" <<'EOF'
import json, sys
r, n, key = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
if r["lines"] != n or r[key] != n or r["rejected"]:
    sys.exit(f"unexpected import report (wanted {key} = {n}): {sys.argv[1][:500]}")
EOF
  python3 -c "import os, sys; a = sys.argv[1:]; \
print(float(a[1]) - float(a[0]), (int(a[3]) - int(a[2])) / os.sysconf('SC_CLK_TCK'))" "$t0" "$t1" "$cpu0" "$cpu1"
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

# ---- the run ----
out="$root/bench/results/import-$(date +%Y%m%d-%H%M%S).md"
table="| dataset | rows | build | API items/s | COPY rows/s | ratio | JVM CPU µs/item | API peak RSS |
| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
IFS=, read -r -a chosen <<<"$datasets"
log "migrating $dbname (Flyway runs at start-up)"
start_service "${apps[-1]}" "$work/service-migrate.log"
stop_services
demo_n="$(grep -c . "$demo")"
for ds in "${chosen[@]}"; do
  case "$ds" in
    demo) file="$demo"; tsv="$work/demo.tsv"; name="demo catalog" ;;
    synthetic) file="$syn"; tsv="$work/synthetic-$rows.tsv"; name="synthetic" ;;
    *) echo "unknown dataset: $ds" >&2; exit 2 ;;
  esac
  n="$(grep -c . "$file")"
  log "$name: $n rows; starting ${#apps[@]} service(s) on fresh JVMs, warming each up on the demo catalog"
  for k in "${!apps[@]}"; do
    start_service "${apps[$k]}" "$work/service-$k.log"
    fresh_table
    import_file "${ports[$k]}" "${pids[$k]}" "$demo" "$demo_n" created >/dev/null
  done
  copies=()
  imp=(); imp_cpu=(); re=(); re_cpu=()
  for rep in $(seq 1 "$repeat"); do
    c="$(copy_file "$tsv" "$n")"; copies+=("$c")
    log "  round $rep/$repeat: COPY ${c}s"
    for k in "${!apps[@]}"; do
      fresh_table
      read -r a a_cpu <<<"$(import_file "${ports[$k]}" "${pids[$k]}" "$file" "$n" created)"
      read -r b b_cpu <<<"$(import_file "${ports[$k]}" "${pids[$k]}" "$file" "$n" unchanged)"
      imp[$k]="${imp[$k]:-} $a"; imp_cpu[$k]="${imp_cpu[$k]:-} $a_cpu"
      re[$k]="${re[$k]:-} $b"; re_cpu[$k]="${re_cpu[$k]:-} $b_cpu"
      log "  round $rep/$repeat: ${labels[$k]}: import ${a}s (JVM CPU ${a_cpu}s), re-import ${b}s (JVM CPU ${b_cpu}s)"
    done
  done
  # shellcheck disable=SC2086
  copy_rate="$(rate "$n" "$(best ${copies[*]})")"
  for k in "${!apps[@]}"; do
    rss="$(peak_rss_mib "${pids[$k]}")"
    # shellcheck disable=SC2086
    for kind in import re-import; do
      if [ "$kind" = import ]; then t="$(best ${imp[$k]})"; cpu="$(best ${imp_cpu[$k]})"; label="$name"
      else t="$(best ${re[$k]})"; cpu="$(best ${re_cpu[$k]})"; label="$name, re-import unchanged"; fi
      r="$(rate "$n" "$t")"
      table+="
| $label | $n | ${labels[$k]} | $r | $copy_rate | $(python3 -c "print(f'{$r / $copy_rate:.0%}')") \
| $(python3 -c "print(round($cpu * 1e6 / $n))") | $rss MiB |"
    done
  done
  stop_services
done
fresh_table

{
  echo "Import benchmark, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores (load average before: $load0)," \
       "$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD || echo '+changes'), best of $repeat"
  echo
  echo "$table"
  echo
  echo "COPY: psql \\copy of the same rows (text format) into the same table with its indexes, taking turns with"
  echo "the imports. Re-import rows divide by the same COPY rate. JVM CPU: user + system time of the service's JVM"
  echo "during the import, all threads. RSS: VmHWM of the service's JVM after its warm-up and all rounds."
} | tee "$out"
