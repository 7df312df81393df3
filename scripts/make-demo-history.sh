#!/usr/bin/env bash
# Make a synthetic interaction history for the demo catalog: NDJSON events of
# users with hidden tastes over the catalog's categories, ready for
#   curl -H 'Content-Type: application/x-ndjson' --data-binary @OUT http://localhost:8080/v1/events
#
# Usage: scripts/make-demo-history.sh [CATALOG] [OUT] [--users N] [--seed S]
#                                     [--events-per-user E] [--days D] [--end ISO]
#   CATALOG  default: target/demo/catalog.ndjson (scripts/make-demo-catalog.sh makes it)
#   OUT      default: target/demo/history.ndjson; the users' hidden tastes go to OUT.tastes.json
#   --users N             default 500
#   --seed S              default 42 (same seed, same end: same file)
#   --events-per-user E   median events per user, default 30
#   --days D              history length, default 90
#   --end ISO             end of the history, default now (rounded down to the hour)
#
# Environment: PYTHON (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
py="${PYTHON:-python3}"

positional=()
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --users|--seed|--events-per-user|--days|--end)
      [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --users=*|--seed=*|--events-per-user=*|--days=*|--end=*) args+=("${1%%=*}" "${1#*=}"); shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -le 2 ] || { echo "at most CATALOG and OUT, got: ${positional[*]}" >&2; exit 2; }
catalog="${positional[0]:-$root/target/demo/catalog.ndjson}"
out="${positional[1]:-$root/target/demo/history.ndjson}"
[ -f "$catalog" ] || { echo "no catalog at $catalog (run scripts/make-demo-catalog.sh first)" >&2; exit 1; }
command -v "$py" >/dev/null || { echo "$py not found" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
exec "$py" "$here/demo_history.py" --catalog "$catalog" --out "$out" "${args[@]}"
