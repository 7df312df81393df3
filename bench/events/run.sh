#!/usr/bin/env bash
# Events and feeds benchmark: event ingest (batches of 1,000, live user vectors), single-event requests, feeds at 1
# and 8 concurrent clients beside the raw nearest-neighbour SQL for the same user vectors over JDBC, feeds with a
# rule set of 10 rules and an experiment beside the same feeds without, and the offline evaluation table, all in one
# run against the packaged app.
#
# Usage: bench/events/run.sh [--users N] [--requests N]
#   --users N     users of the synthetic demo history (default 500, ~30 events each)
#   --requests N  timed feed requests per concurrency level (default 1000)
#
# Data: the real demo catalog (scripts/make-demo-catalog.sh, ~14k Debian packages) imported through the API, with
# synthetic vectors loaded through SQL (synthetic_vectors.py: seeded, derived from each item's categories), because
# embedding 14k descriptions took > 20 min on the 2 shared cores. Catalog and vectors stay in the bench database
# between runs. Each run empties users, events, popularity and user vectors and replays the synthetic history
# (scripts/make-demo-history.sh, seed 42).
# Markdown tables go to stdout and to bench/events/RESULTS.md (the previous file is replaced).
#
# Environment: EMBEDREC_BENCH_DB (default jdbc:postgresql://127.0.0.1:5432/embedrec_bench_i6; user embedrec),
#              BENCH_JAVA_OPTS (extra JVM options for the app, e.g. a JFR recording).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/target/bench/events"
users=500
requests=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
db_url="${EMBEDREC_BENCH_DB:-jdbc:postgresql://127.0.0.1:5432/embedrec_bench_i6}"
hostport="${db_url#jdbc:postgresql://}"; dbname="${hostport#*/}"; hostport="${hostport%%/*}"
psql_db=(psql -X -q -At -v ON_ERROR_STOP=1 -h "${hostport%:*}" -p "${hostport#*:}" -U embedrec "$dbname")
"$root/scripts/ensure-database.sh" "$db_url"
mkdir -p "$work"
# shellcheck source=../lib.sh
. "$root/bench/lib.sh"
load0="$(cut -d' ' -f1-3 /proc/loadavg)"

bench_app
jdbc_jar="$(ls "$app"/lib/main/org.postgresql.postgresql-*.jar | head -1)"
bench_catalog
history="$work/history.ndjson"
"$root/scripts/make-demo-history.sh" "$catalog" "$history" --users "$users" --seed 42 2>"$work/history.log"
events_n="$(grep -c . "$history")"

start_app() {  # $@ = extra JVM options
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  url="http://127.0.0.1:$port"
  # shellcheck disable=SC2086
  EMBEDREC_DB_URL="$db_url" EMBEDREC_PORT="$port" java ${BENCH_JAVA_OPTS:-} "$@" -jar "$app/quarkus-run.jar" \
    >>"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    curl -fs "$url/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 $pid 2>/dev/null || { cat "$work/service.log" >&2; echo "the service died" >&2; exit 1; }
    sleep 0.5
  done
  echo "the service did not become ready" >&2; exit 1
}
stop_app() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop_app EXIT
: > "$work/service.log"

catalog_n="$(grep -c . "$catalog")"
space_id() { "${psql_db[@]}" -c "SELECT id FROM spaces WHERE kind = 'content' AND active"; }
if [ "$("${psql_db[@]}" -c 'SELECT count(*) FROM items' 2>/dev/null || echo 0)" != "$catalog_n" ] \
   || [ "$("${psql_db[@]}" -c "SELECT count(*) FROM item_vectors_$(space_id)")" != "$catalog_n" ]; then
  # workers off: the model must not start on the catalog while the synthetic vectors go in
  start_app -Dembedrec.jobs.workers=false
  log "loading the demo catalog ($catalog_n items) through the API, and synthetic vectors through SQL"
  "${psql_db[@]}" -c "TRUNCATE items, users CASCADE"
  curl -fsS -X POST -H 'Content-Type: application/x-ndjson' -H 'Expect:' -T "$catalog" "$url/v1/items/import" \
    >/dev/null
  python3 "$here/synthetic_vectors.py" "$catalog" "$work/vectors.tsv"
  sid="$(space_id)"
  "${psql_db[@]}" -c "CREATE TEMP TABLE v (id text, e text)" -c "\\copy v FROM '$work/vectors.tsv'" \
    -c "INSERT INTO item_vectors_$sid (item_pk, embedding) SELECT i.pk, v.e::vector FROM v JOIN items i ON i.external_id = v.id" \
    -c "DELETE FROM embedding_queue WHERE space_id = $sid" -c "ANALYZE items" -c "ANALYZE item_vectors_$sid"
  stop_app
fi
start_app
log "catalog ready: $("${psql_db[@]}" -c "SELECT count(*) FROM item_vectors_$(space_id)") vectors"

"${psql_db[@]}" -c "TRUNCATE users, item_popularity, recommendations CASCADE" -c "DROP TABLE IF EXISTS bench_events" \
  -c "TRUNCATE experiments, rule_sets, rule_set_default, answer_counts, answer_outcomes, experiment_users"
for sid in $("${psql_db[@]}" -c "SELECT id FROM spaces WHERE kind = 'collaborative'"); do   # earlier runs' trainings
  "${psql_db[@]}" -c "DROP TABLE IF EXISTS item_vectors_$sid" -c "DELETE FROM spaces WHERE id = $sid"
done
bench() { java -cp "$jdbc_jar" "$here/EventsBench.java" "$@"; }
rows=()
log "ingest: $events_n events in batches of 1000"
rows+=("$(bench ingest "$url" "$db_url" "$history" 1000)")
log "single events"
rows+=("$(bench single "$url" "$db_url" "$catalog" 500)")
for clients in 1 8; do
  log "feeds, $clients client(s)"
  rows+=("$(bench feed "$url" "$db_url" "$clients" "$requests")")
done
log "feeds with 10 rules and an experiment, 1 client"
rows+=("$(bench rules "$url" "$db_url" 1 "$requests")")
log "training a collaborative space"
train="$(curl -fsS -X POST -H 'Content-Type: application/json' -d '{"name":"bench-collaborative"}' "$url/v1/jobs/train")"
train_id="$(printf '%s' "$train" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
t0=$(date +%s.%N)
while :; do
  state="$(curl -fsS "$url/v1/jobs/$train_id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
  case "$state" in queued|running) sleep 1 ;; done) break ;; *) echo "training ended $state" >&2; exit 1 ;; esac
done
train_s="$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")"
for clients in 1 8; do
  log "hybrid feeds, $clients client(s)"
  rows+=("$(bench hybrid "$url" "$db_url" "$clients" "$requests")")
done
log "offline evaluation"
evaluation="$("$root/scripts/evaluate.sh" --url "$url" --k 10 | sed '/^{/,$d')"
"${psql_db[@]}" -c "DROP TABLE IF EXISTS bench_events"

sha="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo '+changes')"
report="# Events, feeds and offline evaluation (issue 6)

\`bench/events/run.sh\`, $(date -u '+%Y-%m-%d %H:%M') UTC, $sha, $(nproc) cores (load average before: $load0).
Demo catalog: $catalog_n Debian packages; **synthetic 384-dim vectors from each item's categories** (seeded,
\`bench/events/synthetic_vectors.py\`, loaded by SQL; HNSW m=16). History:
\`scripts/make-demo-history.sh --users $users --seed 42\` ($events_n events, time-ordered as a log would replay).
Client: one JVM (\`EventsBench.java\`), keep-alive HTTP/1.1; baselines over JDBC on the same database in the same run.

Collaborative space for the hybrid rows: \`POST /v1/jobs/train\` with the default settings on the history above
(took ${train_s} s end to end).

| measure | embedrec | baseline | ratio | goal |
| --- | ---: | ---: | ---: | --- |
$(printf '%s\n' "${rows[@]}")

## Offline evaluation on the synthetic demo history

$evaluation"
printf '%s\n' "$report"
printf '%s\n' "$report" > "$here/RESULTS.md"
