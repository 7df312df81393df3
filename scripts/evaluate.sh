#!/usr/bin/env bash
# Evaluate the feed offline: the engine (the hybrid feed) beside its components (content, collaborative), item-kNN,
# most-popular and random. Starts an evaluation job through the API, waits for it, and prints a markdown table and
# the job's JSON result.
#
# Usage: scripts/evaluate.sh [--k 10] [--test-fraction 0.2] [--seed 42] [--space NAME] [--tune]
#                            [--url http://localhost:8080] [--key KEY] [--timeout SECONDS]
#   --tune   first choose the hybrid's weights on a validation split carved from the train part (never the test
#            part), print every weighing tried and the configuration lines to keep the best, then evaluate with it
#   --key    an admin API key (needed when embedrec.security.keys is set); default $EMBEDREC_API_KEY
#
# Needs curl and python3.
set -euo pipefail

url="${EMBEDREC_URL:-http://localhost:8080}"
key="${EMBEDREC_API_KEY:-}"
timeout=600
body="{}"
add() { body="$(python3 -c 'import json,sys; b=json.loads(sys.argv[1]); b[sys.argv[2]]=json.loads(sys.argv[3]); print(json.dumps(b))' "$body" "$1" "$2")"; }
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { [ "$1" = -h ] || [ "$1" = --help ] || [ "$1" = --tune ] || { echo "$1 needs a value" >&2; exit 2; }; }
  case "$1" in
    --k) add k "$2"; shift 2 ;;
    --test-fraction) add test_fraction "$2"; shift 2 ;;
    --seed) add seed "$2"; shift 2 ;;
    --space) add space "\"$2\""; shift 2 ;;
    --tune) add tune true; shift ;;
    --url) url="$2"; shift 2 ;;
    --key) key="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
auth=()
[ -z "$key" ] || auth=(-H "Authorization: Bearer $key")

started="$(curl -sS -w '\n%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' -d "$body" \
  "$url/v1/evaluations")"
code="${started##*$'\n'}"
started="${started%$'\n'*}"
[ "$code" = 202 ] || { echo "POST /v1/evaluations answered $code: $started" >&2; exit 1; }
id="$(printf '%s' "$started" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
echo "evaluation job $id started" >&2

deadline=$(( $(date +%s) + timeout ))
while :; do
  job="$(curl -sS -f "${auth[@]}" "$url/v1/jobs/$id")"
  state="$(printf '%s' "$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
  case "$state" in queued|running) ;; *) break ;; esac
  [ "$(date +%s)" -lt "$deadline" ] || { echo "job $id still $state after ${timeout}s" >&2; exit 1; }
  sleep 1
done
[ "$state" = done ] || { echo "job $id ended $state: $job" >&2; exit 1; }

printf '%s' "$job" | python3 -c '
import json, sys
r = json.load(sys.stdin)["result"]
u = r["users"]
k = r["k"]
print("Offline evaluation of space `%s`: %d users evaluated (last %g of each user'"'"'s positive events as test; "
      "skipped: %d with < 2 positive events, %d with nothing new in the test), %d catalog items, k = %d, %.1f s"
      % (r["space"], u["evaluated"], r["test_fraction"], u["few_positives"], u["nothing_new"], r["catalog_items"], k,
         r["seconds"]))
def table(rows, first):
    print("| %s | Recall@%d | NDCG@%d | HitRate@%d | coverage | cold hits |" % (first, k, k, k))
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| %s | %.4f | %.4f | %.4f | %.4f | %d |" % (row["name"], row["recall"], row["ndcg"], row["hit_rate"],
                                                          row["coverage"], row["cold_hits"]))
    print()
t = r.get("tuning")
if t:
    print()
    print("Tuning on a validation split of the train part (%d users):" % t["users"])
    print()
    table(t["trials"], "weights")
    print("Best: %s. To keep it, set:" % t["best"])
    for part in t["best"].split(","):
        name, value = part.split(":")
        print("  embedrec.hybrid.%s-weight=%s" % (name, value))
print()
print("Engine weights: %s" % r["weights"])
print()
table(r["recommenders"], "recommender")
print(json.dumps(r, indent=2, sort_keys=True))
'
