#!/usr/bin/env bash
# Build the embedrec demo catalog: an NDJSON file of real items made from
# Debian's own package descriptions (bookworm main, English translations).
#
# Usage: scripts/make-demo-catalog.sh [OUTPUT] [--limit N] [--refresh]
#   OUTPUT     default: target/demo/catalog.ndjson (relative to the repo root)
#   --limit N  write at most N items (the best-described ones)
#   --refresh  download the package lists again even if the cache is fresh
#
# The package lists are downloaded with apt-get into a private cache
#   ${XDG_CACHE_HOME:-$HOME/.cache}/embedrec/apt
# (its own lists dir, sources list and cache dir: the system's apt state is
# left alone) and reused for a day. Network: deb.debian.org (or whichever
# Debian mirror the system's apt sources use) only.
#
# Environment: DEMO_SUITE (default bookworm), PYTHON (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
py="${PYTHON:-python3}"
suite="${DEMO_SUITE:-bookworm}"

out=""
limit=""
refresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) [ $# -ge 2 ] || { echo "--limit needs a number" >&2; exit 2; }
             limit="$2"; shift 2 ;;
    --limit=*) limit="${1#--limit=}"; shift ;;
    --refresh) refresh=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) [ -z "$out" ] || { echo "only one output path, got '$out' and '$1'" >&2; exit 2; }
       out="$1"; shift ;;
  esac
done
if [ -n "$limit" ] && ! [[ "$limit" =~ ^[1-9][0-9]*$ ]]; then
  echo "--limit must be a positive integer, got '$limit'" >&2; exit 2
fi
[ -n "$out" ] || out="$root/target/demo/catalog.ndjson"

command -v "$py" >/dev/null || { echo "$py not found" >&2; exit 1; }
command -v apt-get >/dev/null || { echo "apt-get not found (needs a Debian machine)" >&2; exit 1; }

cache="${XDG_CACHE_HOME:-$HOME/.cache}/embedrec/apt"
lists="$cache/lists"
stamp="$cache/updated.stamp"
mkdir -p "$lists/partial" "$cache/cache/archives/partial" "$cache/etc"

have_lists() {
  ls "$lists"/*_Packages* >/dev/null 2>&1 && ls "$lists"/*_Translation-en* >/dev/null 2>&1
}

fresh=0
if [ "$refresh" = 0 ] && [ -f "$stamp" ] && have_lists \
   && [ -n "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
  fresh=1
fi

if [ "$fresh" = 0 ]; then
  arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
  "$py" "$here/demo_catalog.py" apt-source --suite "$suite" --arch "$arch" > "$cache/etc/sources.list"
  # Read after /etc/apt/apt.conf.d (so proxies etc. still apply), but drop the
  # system's update hooks: they act on the system's lists, not ours.
  cat > "$cache/etc/apt.conf" <<'EOF'
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
EOF
  [ -f /etc/apt/apt.conf ] && cat /etc/apt/apt.conf >> "$cache/etc/apt.conf"
  printf 'Dir::Etc::main "%s";\n' "$cache/etc/apt.conf" > "$cache/etc/apt-config"

  sandbox=()
  # as root, apt would drop to _apt, which cannot write into e.g. /root/.cache
  [ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)

  echo "fetching Debian $suite package lists into $cache ..." >&2
  if APT_CONFIG="$cache/etc/apt-config" apt-get update -qq "${sandbox[@]}" \
       -o Dir::State::Lists="$lists" \
       -o Dir::Cache="$cache/cache" \
       -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
       -o Dir::Etc::SourceList="$cache/etc/sources.list" \
       -o Dir::Etc::SourceParts=/dev/null \
       -o Acquire::Languages=en \
       -o APT::Get::List-Cleanup=true >&2; then
    touch "$stamp"
  elif have_lists; then
    echo "warning: apt-get update failed, using the lists from an earlier run" >&2
  else
    echo "error: could not download the Debian package lists" >&2
    exit 1
  fi
else
  echo "using cached Debian package lists in $cache (less than a day old)" >&2
fi

args=(build --lists-dir "$lists" --out "$out")
[ -z "$limit" ] || args+=(--limit "$limit")
"$py" "$here/demo_catalog.py" "${args[@]}"
