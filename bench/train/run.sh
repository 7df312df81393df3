#!/usr/bin/env bash
# Collaborative training benchmark (issue 8): implicit-ALS training time and peak memory for 100,000 users x
# 50,000 items x 5,000,000 interactions, generated with a fixed seed (popularity skew + hidden low-rank tastes, see
# TrainBench.java), beside the time to stream the same interactions out of PostgreSQL with the training job's own
# code (TrainingRepository.read, the exact statement and fetch size the job uses) and a binary COPY of that query.
#
# Usage: bench/train/run.sh [--users N] [--items N] [--interactions N]
#
# Training runs in its own JVM (-Xmx4g, 2 threads, the service's default settings: 64 factors, regularization 0.1,
# alpha 2, 15 iterations, seed 42) under /usr/bin/time -v for the peak RSS, with a JFR recording for the profile
# note. The interactions are COPYed once into the bench database (kept between runs of the same size).
# Markdown goes to stdout and to bench/train/RESULTS.md (the previous file is replaced).
#
# Environment: EMBEDREC_BENCH_TRAIN_DB (default jdbc:postgresql://127.0.0.1:5432/embedrec_bench_train; user
#              embedrec; created with scripts/setup-postgres.sh and the migrations when missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/target/bench/train"
users=100000
items=50000
interactions=5000000
seed=42
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users="$2"; shift 2 ;;
    --items) items="$2"; shift 2 ;;
    --interactions) interactions="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
db_url="${EMBEDREC_BENCH_TRAIN_DB:-jdbc:postgresql://127.0.0.1:5432/embedrec_bench_train}"
hostport="${db_url#jdbc:postgresql://}"; dbname="${hostport#*/}"; hostport="${hostport%%/*}"
export PGPASSWORD="${EMBEDREC_DB_PASSWORD:-embedrec}"
psql_db=(psql -X -q -At -v ON_ERROR_STOP=1 -h "${hostport%:*}" -p "${hostport#*:}" -U embedrec "$dbname")
"$root/scripts/ensure-database.sh" "$db_url"
mkdir -p "$work"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
load0="$(cut -d' ' -f1-3 /proc/loadavg)"

app="$root/target/quarkus-app"
if [ ! -f "$app/quarkus-run.jar" ] || [ -n "$(find "$root/src/main" -newer "$app/quarkus-run.jar" -type f | head -1)" ]; then
  log "building the jar"
  (cd "$root" && ./mvnw -B -q package -DskipTests)
fi
cp="$(ls "$app"/app/*.jar | head -1)"
for j in "$app"/lib/main/org.ejml.*.jar "$app"/lib/main/org.postgresql.postgresql-*.jar; do cp="$cp:$j"; done
bench() { java -cp "$cp" "$here/TrainBench.java" "$@"; }

if [ "$("${psql_db[@]}" -c "SELECT to_regclass('events') IS NOT NULL" 2>/dev/null || echo f)" != t ]; then
  log "creating $dbname (scripts/setup-postgres.sh) and its schema (migrations/)"
  EMBEDREC_DB_NAME="$dbname" EMBEDREC_TEST_DB_NAME="$dbname" "$root/scripts/setup-postgres.sh" >&2
  for f in $(ls "$root"/migrations/V*.sql | sort -V); do "${psql_db[@]}" -f "$f"; done
  "${psql_db[@]}" -c "CREATE TABLE bench_train_meta (data text)"
fi
want="users=$users items=$items interactions=$interactions seed=$seed"
copied="(kept from an earlier run)"
if [ "$("${psql_db[@]}" -c "SELECT data FROM bench_train_meta")" != "$want" ]; then
  log "generating and COPYing $interactions events into $dbname"
  start=$(date +%s.%N)
  bench copy "$db_url" "$users" "$items" "$interactions" "$seed"
  copied="$(printf '%.0f s' "$(echo "$(date +%s.%N) - $start" | bc)")"
  "${psql_db[@]}" -c "DELETE FROM bench_train_meta" -c "INSERT INTO bench_train_meta VALUES ('$want')"
fi

log "loading: first and second run of TrainingRepository.read (fetch size 10000)"
declare -A L1 L2 T
while IFS='=' read -r k v; do L1[$k]="$v"; done < <(bench load "$db_url" 10000)
while IFS='=' read -r k v; do L2[$k]="$v"; done < <(bench load "$db_url" 10000)

log "training in its own JVM"
rm -f "$work/train.jfr"
/usr/bin/time -v -o "$work/time.txt" java -Xmx4g -XX:StartFlightRecording=filename="$work/train.jfr",settings=profile \
  -cp "$cp" "$here/TrainBench.java" train "$users" "$items" "$interactions" "$seed" > "$work/train.txt" 2> "$work/train.log"
while IFS='=' read -r k v; do T[$k]="$v"; done < "$work/train.txt"
rss_mb=$(( $(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt") / 1024 ))
hot="$(jfr print --events jdk.ExecutionSample "$work/train.jfr" | awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' \
  | sort | uniq -c | sort -rn | head -5 | awk '{c=$1; $1=""; printf "%s samples:%s\n", c, $0}')"
samples="$(jfr print --events jdk.ExecutionSample "$work/train.jfr" | grep -c 'stackTrace = \[' || true)"

sha="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo '+changes')"
minutes="$(printf "%.1f" "$(echo "${T[train_s]} / 60" | bc -l)")"
report="# Collaborative training (issue 8)

\`bench/train/run.sh\`, $(date -u '+%Y-%m-%d %H:%M') UTC, $sha, $(nproc) cores (load average before: $load0).
Generated interactions (\`TrainBench.java\`, seed $seed): $users users x $items items x $interactions events
(${T[nnz]} distinct user-item pairs after summing), 50 hidden topics, Zipf item popularity, log-normal user activity.
Training: implicit ALS (\`ImplicitAls\`, EJML Cholesky), the service defaults (64 factors, regularization 0.1,
alpha 2, 15 iterations, seed 42), 2 threads, own JVM with -Xmx4g. Events COPYed into \`$dbname\`: $copied.

| measure | result | beside it | goal |
| --- | ---: | --- | --- |
| ALS training, 15 iterations (users + items solved each) | ${T[train_s]} s ($minutes min; ${T[sweep_s]} s per iteration) | load from Postgres: ${L2[load_s]} s | ≤ 10 min |
| sparse matrix build (CSR by user and by item) | ${T[matrix_s]} s | generating the events in memory: ${T[generate_s]} s | |
| load: \`TrainingRepository.read\` (the job's query, fetch 10000), 1st / 2nd run | ${L1[load_s]} / ${L2[load_s]} s (${L2[load_events]} events) | binary \`COPY (same query) TO STDOUT\`: ${L2[copy_s]} s, ${L2[copy_mb]} MB | |
| peak memory of the training JVM | RSS ${rss_mb} MB; heap ${T[heap_peak_mb]} MB at its peak | matrix ${T[matrix_mb]} MB + factors ${T[factors_mb]} MB (+ input triplets while building) | |
| recovered structure: top-10 cosine neighbours in the item's hidden topic | ${T[topic_precision]} (500 sampled items) | random: 0.02 | |

Items with a vector: ${T[items_with_vectors]} of $items (the others had no positive event).

## Profile (JFR execution samples of the training JVM, $samples samples, top frames)

\`\`\`
$hot
\`\`\`"
printf '%s\n' "$report"
printf '%s\n' "$report" > "$here/RESULTS.md"
