#!/usr/bin/env bash
# Experiment report bench: GET /v1/experiments/{name}/report over a large recommendation log with attributed events,
# beside the raw SQL that only counts the experiment's logged answers per variant, in the same run; and the
# per-strategy report over the same log. (The rules' and experiments' cost on feeds is in bench/events.)
#
# Usage: bench/merchandising/run.sh [--recommendations N] [--events M]
#   --recommendations N  logged answers of the experiment (default 10000000), 10 items each
#   --events M           click/purchase events quoting them (default 1000000)
#
# Data: written by SQL (generate_series, seeded random()) into the bench database, kept between runs of the same
# size: 200,000 users, 10,000 items, answers spread over two variants, events on random answers (a third of them
# purchases); the report rollups that the log writer keeps are built by migration V34's backfill statements.
# Markdown goes to stdout and to bench/merchandising/RESULTS.md.
#
# Environment: EMBEDREC_BENCH_DB (default jdbc:postgresql://127.0.0.1:5432/embedrec_bench_merch; user embedrec).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/target/bench/merchandising"
recs=10000000
events=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --recommendations) recs="$2"; shift 2 ;;
    --events) events="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
db_url="${EMBEDREC_BENCH_DB:-jdbc:postgresql://127.0.0.1:5432/embedrec_bench_merch}"
hostport="${db_url#jdbc:postgresql://}"; dbname="${hostport#*/}"; hostport="${hostport%%/*}"
psql_db=(psql -X -q -At -v ON_ERROR_STOP=1 -h "${hostport%:*}" -p "${hostport#*:}" -U embedrec "$dbname")
"$root/scripts/ensure-database.sh" "$db_url"
mkdir -p "$work"
# shellcheck source=../lib.sh
. "$root/bench/lib.sh"
load0="$(cut -d' ' -f1-3 /proc/loadavg)"
bench_app

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
EMBEDREC_DB_URL="$db_url" EMBEDREC_PORT="$port" java -Dembedrec.jobs.workers=false -jar "$app/quarkus-run.jar" \
  > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -fs "$url/q/health/ready" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$work/service.log" >&2; echo "the service died" >&2; exit 1; }
  sleep 0.5
done

have="$("${psql_db[@]}" -c "SELECT count(*) FROM recommendations WHERE experiment = 'bench'")"
have_ev="$("${psql_db[@]}" -c "SELECT count(*) FROM events WHERE recommendation_id IS NOT NULL")"
load_s=kept
if [ "$have" != "$recs" ] || [ "$have_ev" != "$events" ]; then
  log "writing $recs logged answers and $events attributed events by SQL"
  t0=$SECONDS
  "${psql_db[@]}" <<SQL
SET synchronous_commit = off;
TRUNCATE items, users, recommendations, experiments CASCADE;
SELECT setseed(0.42);
INSERT INTO users (external_id) SELECT 'u' || g FROM generate_series(1, 200000) g;
INSERT INTO items (external_id, title) SELECT 'i' || g, 'item ' || g FROM generate_series(1, 10000) g;
INSERT INTO experiments (name, salt, status, variants) VALUES ('bench', 'bench', 'stopped',
  '[{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5, "weights": "content:1"}]');
INSERT INTO recommendations (id, strategy, space_id, subject, item_ids, created_at, experiment, variant)
SELECT gen_random_uuid(), 'feed:personal', 1, 'u' || (1 + (g * 7919) % 200000),
       ARRAY['i' || (1 + g % 10000), 'i' || (1 + (g + 1) % 10000), 'i' || (1 + (g + 2) % 10000),
             'i' || (1 + (g + 3) % 10000), 'i' || (1 + (g + 4) % 10000), 'i' || (1 + (g + 5) % 10000),
             'i' || (1 + (g + 6) % 10000), 'i' || (1 + (g + 7) % 10000), 'i' || (1 + (g + 8) % 10000),
             'i' || (1 + (g + 9) % 10000)],
       now() - (g % 86400) * interval '1 second', 'bench', CASE WHEN (1 + (g * 7919) % 200000) % 2 = 0 THEN 'A' ELSE 'B' END
FROM generate_series(1::bigint, $recs) g;
CREATE TEMP TABLE picked AS SELECT id, subject, item_ids[1] AS item FROM recommendations
  WHERE experiment = 'bench' ORDER BY random() LIMIT $events;
INSERT INTO events (event_id, user_pk, item_pk, type, weight, ts, recommendation_id)
SELECT 'e' || row_number() OVER (), u.pk, i.pk, CASE WHEN random() < 0.33 THEN 'purchase' ELSE 'click' END, 1, now(), p.id
FROM picked p JOIN users u ON u.external_id = p.subject JOIN items i ON i.external_id = p.item;
TRUNCATE answer_counts, answer_outcomes, experiment_users;
SQL
  # the report rollups the log writer keeps, built here by migration V34's own backfill statements
  sed -n '/^INSERT INTO answer_counts/,$p' "$root/migrations/V34__answer_rollups.sql" | "${psql_db[@]}"
  "${psql_db[@]}" -c "ANALYZE recommendations" -c "ANALYZE events" -c "ANALYZE answer_counts" \
    -c "ANALYZE answer_outcomes" -c "ANALYZE experiment_users"

  load_s="$((SECONDS - t0)) s"
fi

# the experiment's report through the API, and the strategies' report, each: one cold call then 5 timed
time_get() {  # $1 = url; prints the median of 5 calls in ms after one first call (printed separately)
  first="$(curl -fsS -o /dev/null -w '%{time_total}' "$1")"
  ts=()
  for _ in 1 2 3 4 5; do ts+=("$(curl -fsS -o /dev/null -w '%{time_total}' "$1")"); done
  python3 -c "import sys; v=sorted(float(x) for x in sys.argv[2:]); print(round(float(sys.argv[1])*1000), round(v[2]*1000))" "$first" "${ts[@]}"
}
time_sql() {  # $1 = SQL; median of 5 runs in ms (psql's own timing: no process start in it)
  for _ in 1 2 3 4 5; do "${psql_db[@]}" -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'; done \
    | sort -n | sed -n 3p | python3 -c 'import sys; print(round(float(sys.stdin.read())))'
}
log "experiment report"
read -r report_first report_ms < <(time_get "$url/v1/experiments/bench/report")
curl -fsS "$url/v1/experiments/bench/report" > "$work/report.json"
log "raw count per variant"
raw_ms="$(time_sql "SELECT variant, count(*) FROM recommendations WHERE experiment = 'bench' GROUP BY variant")"
log "strategies report (the whole log)"
read -r strat_first strat_ms < <(time_get "$url/v1/strategies/report?window=30d")
raw_strat_ms="$(time_sql "SELECT strategy, count(*) FROM recommendations WHERE created_at >= now() - interval '30 days' GROUP BY strategy")"
summary="$(python3 -c "
import json; r = json.load(open('$work/report.json'))
print('; '.join('%s: %d answers, %d users, CTR %.4f' % (v['name'], v['impressions'], v['users'], v['ctr']['value']) for v in r['variants']))")"

sha="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo '+changes')"
ratio() { python3 -c "print('%.1f×' % ($1 / max($2, 1)))"; }
report="# Experiment reports (issue 15)

\`bench/merchandising/run.sh --recommendations $recs --events $events\`, $(date -u '+%Y-%m-%d %H:%M') UTC, $sha,
$(nproc) cores (load average before: $load0). Data written by SQL (load: $load_s): $recs logged answers of one
experiment (two variants), $events events quoting them. Report: $summary.
Times: median of 5 calls after a first one (shown apart); the baseline is the raw SQL that only counts the answers
per variant (per strategy), with psql's timing, in the same run.

| measure | embedrec | baseline | ratio | goal |
| --- | ---: | ---: | ---: | --- |
| experiment report (impressions, users, clicks, conversions, intervals) | $report_ms ms (first $report_first ms) | $raw_ms ms (count per variant) | $(ratio "$report_ms" "$raw_ms") | ≤ 2,000 ms |
| strategies report, last 30 days | $strat_ms ms (first $strat_first ms) | $raw_strat_ms ms (count per strategy) | $(ratio "$strat_ms" "$raw_strat_ms") | |"
printf '%s\n' "$report"
printf '%s\n' "$report" > "$here/RESULTS.md"
