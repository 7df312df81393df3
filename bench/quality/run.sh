#!/usr/bin/env bash
# Recommendation quality on real data, through the public HTTP API of the packaged service, beside reference
# recommenders computed in the same run on the same split.
#
# Usage: bench/quality/run.sh --dataset DIR|demo [--split test|validation] [--jar PATH] [--port N]
#                             [--config key=value ...] [--train JSON] [--variant NAME=QUERY ...]
#                             [--users N] [--seed S]
#   --dataset DIR         a directory holding anime.zip (anime-5k; see its README), or the keyword demo (the
#                         synthetic demo: scripts/make-demo-catalog.sh and scripts/make-demo-history.sh)
#   --split               test (default): score against each user's held-out 20% of positives; validation: split
#                         the train part again the same way and score against that (tune defaults on this one)
#   --jar PATH            default target/quarkus-app/quarkus-run.jar (built with ./mvnw if missing)
#   --port N              the service's port (default 18091)
#   --config key=value    passed to the service as -Dkey=value (repeatable); anime-5k has no time order, so it
#                         gets embedrec.users.decay=none unless a decay is given
#   --train JSON          body of POST /v1/jobs/train (default {})
#   --variant NAME=QUERY  one more feed row: QUERY is appended to /v1/users/{id}/recommendations?k=10 and
#                         {collab} in it becomes the trained space's name (repeatable)
#   --users N             only N users (a seeded sample), for a quick run
#   --seed S              seed of the random split and the user sample (default 42)
#   --no-offline          skip the offline evaluation of the same split (it posts the held-out events after the
#                         train events, then runs POST /v1/evaluations, whose per-user split finds exactly them)
#
# Creates a fresh database embedrec_quality, starts the jar on it, imports the catalog, waits until the content
# space has embedded it, posts the train events, trains a collaborative space, and asks every evaluated user's
# feed for each variant (engine = the default feed, content, collaborative, extra ones; 4 client threads). Beside
# them, bench/quality/quality.py computes most_popular, item_knn and EASE (λ tuned on a split of the train part)
# on the same train events, and prints Recall@10, NDCG@10, HitRate@10, coverage and cold hits per recommender,
# the engine's ratios to item_knn and EASE and the wall clock of each phase. The table also goes to
# bench/quality/results/<dataset>-<split>.md (a --users run's to target/bench/quality/ instead: a partial run is
# no result to keep); the service's log to target/bench/quality/service.log.
#
# Environment: PGHOST, PGPORT (default 127.0.0.1:5432; superuser postgres, owner role embedrec),
#              PYTHON (default python3; /usr/bin/python3 after installing python3-numpy/python3-scipy),
#              OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (default 1: the references stay on one core),
#              DEMO_CATALOG (default target/demo/catalog.ndjson, made if missing),
#              BENCH_JAVA_OPTS (extra JVM options).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/target/bench/quality"
dataset=""
split=test
jar="$root/target/quarkus-app/quarkus-run.jar"
port=18091
configs=()
train='{}'
variants=()
users=""
seed=42
offline_flag=()
need() { [ $# -ge 2 ] && [ -n "$2" ] || { echo "$1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) need "$@"; dataset="$2"; shift 2 ;;
    --split) need "$@"; split="$2"; shift 2 ;;
    --jar) need "$@"; jar="$2"; shift 2 ;;
    --port) need "$@"; port="$2"; shift 2 ;;
    --train) need "$@"; train="$2"; shift 2 ;;
    --users) need "$@"; users="$2"; shift 2 ;;
    --seed) need "$@"; seed="$2"; shift 2 ;;
    --no-offline) offline_flag=(--no-offline); shift ;;
    --config|--variant)  # one or more values, up to the next option
      opt="$1"; need "$@"; shift
      while [ $# -gt 0 ] && [[ "$1" != --* ]]; do
        [[ "$1" == *=* ]] || { echo "$opt takes NAME=VALUE, got '$1'" >&2; exit 2; }
        if [ "$opt" = --config ]; then configs+=("$1"); else variants+=("$1"); fi
        shift
      done ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[ -n "$dataset" ] || { echo "--dataset DIR|demo is required (see --help)" >&2; exit 2; }
[[ "$split" =~ ^(test|validation)$ ]] || { echo "--split must be test or validation, got '$split'" >&2; exit 2; }
[[ "$port" =~ ^[1-9][0-9]*$ ]] || { echo "--port must be a number, got '$port'" >&2; exit 2; }
[ -z "$users" ] || [[ "$users" =~ ^[1-9][0-9]*$ ]] || { echo "--users must be positive, got '$users'" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "--seed must be a number, got '$seed'" >&2; exit 2; }
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
mkdir -p "$work"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---- prerequisites: numpy/scipy, the jar, PostgreSQL ----
py="${PYTHON:-python3}"
if ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
  log "installing python3-numpy and python3-scipy"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q python3-numpy python3-scipy >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q python3-numpy python3-scipy >/dev/null; }
  py=/usr/bin/python3
  "$py" -c 'import numpy, scipy' || { echo "numpy/scipy still missing for $py" >&2; exit 1; }
fi
if [ ! -f "$jar" ]; then
  [ "$jar" = "$root/target/quarkus-app/quarkus-run.jar" ] || { echo "no jar at $jar" >&2; exit 1; }
  log "building the jar"
  (cd "$root" && ./mvnw -B -q package -DskipTests)
fi
"$root/scripts/setup-postgres.sh" >&2

# ---- the dataset: its loader, its directory, its defaults ----
if [ "$dataset" = demo ]; then
  kind=demo; name=demo; dir="$work/demo"
  mkdir -p "$dir"
  catalog="${DEMO_CATALOG:-$root/target/demo/catalog.ndjson}"
  [ -s "$catalog" ] || "$root/scripts/make-demo-catalog.sh" "$catalog"
  cp "$catalog" "$dir/catalog.ndjson"
  "$root/scripts/make-demo-history.sh" "$dir/catalog.ndjson" "$dir/history.ndjson" --seed "$seed" >/dev/null
elif [ -f "$dataset/anime.zip" ]; then
  kind=anime; dir="$(cd "$dataset" && pwd)"; name="$(basename "$dir")"
  printf '%s\n' "${configs[@]}" | grep -q '^embedrec\.users\.decay=' || configs+=(embedrec.users.decay=none)
else
  echo "--dataset: $dataset is neither demo nor a directory holding anime.zip" >&2; exit 2
fi

# ---- a fresh database and the service on it ----
pghost="${PGHOST:-127.0.0.1}"; pgport="${PGPORT:-5432}"; db=embedrec_quality
su_psql=(psql -X -q -v ON_ERROR_STOP=1 -h "$pghost" -p "$pgport" -U postgres)
log "creating the database $db"
"${su_psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER embedrec"
"${su_psql[@]}" -d "$db" -c "CREATE EXTENSION vector" -c "CREATE EXTENSION pg_trgm"

pid=""
stop_service() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
trap stop_service EXIT
sysprops=()
for c in "${configs[@]}"; do sysprops+=("-D$c"); done
log "starting $jar on port $port (log: ${work#"$root"/}/service.log) ${sysprops[*]}"
# shellcheck disable=SC2086
EMBEDREC_DB_URL="jdbc:postgresql://$pghost:$pgport/$db" EMBEDREC_PORT="$port" \
  java ${BENCH_JAVA_OPTS:-} "${sysprops[@]}" -jar "$jar" >"$work/service.log" 2>&1 &
pid=$!
for i in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { tail -50 "$work/service.log" >&2; echo "the service died" >&2; exit 1; }
  [ "$i" -lt 240 ] || { echo "the service was not ready after 120 s" >&2; exit 1; }
  sleep 0.5
done

# ---- the measurement ----
commit="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo '+changes')"
note="Service: $jar (repo at $commit), config: ${configs[*]:-defaults}."
args=(--url "http://127.0.0.1:$port" --dataset "$kind" --dataset-dir "$dir" --name "$name" --split "$split"
      --train "$train" --seed "$seed" --note "$note")
for v in "${variants[@]}"; do args+=(--variant "$v"); done
args+=("${offline_flag[@]}")
if [ -n "$users" ]; then
  args+=(--users "$users")  # a partial run: its table is not a result to keep
  args+=(--out "$work/$name-$split-$users-users.md")
else
  args+=(--out "$here/results/$name-$split.md")
fi
"$py" "$here/quality.py" "${args[@]}"
