#!/usr/bin/env bash
# Makes sure a database for embedrec exists: created (owner embedrec) with the vector and pg_trgm extensions if it
# is missing; an existing one is left as it is. The benches call it so each runs on a fresh machine.
#
# Usage: scripts/ensure-database.sh jdbc:postgresql://HOST:PORT/NAME
# Environment: PGSUPERUSER (default postgres; trust or PGPASSWORD auth), EMBEDREC_DB_USER (owner, default embedrec).
set -euo pipefail
url="${1:?usage: $0 jdbc:postgresql://HOST:PORT/NAME}"
hostport="${url#jdbc:postgresql://}"; name="${hostport#*/}"; name="${name%%\?*}"; hostport="${hostport%%/*}"
host="${hostport%:*}"; port="${hostport#*:}"; [ "$port" != "$hostport" ] || port=5432
[[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "ensure-database: '$name' is not a plain database name" >&2; exit 2; }
owner="${EMBEDREC_DB_USER:-embedrec}"
su_psql=(psql -X -q -At -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "${PGSUPERUSER:-postgres}")
if [ "$("${su_psql[@]}" -d postgres -v d="$name" <<<"SELECT 1 FROM pg_database WHERE datname = :'d';")" != 1 ]; then
  echo "ensure-database: creating $name on $host:$port (owner $owner)" >&2
  "${su_psql[@]}" -d postgres -c "CREATE DATABASE \"$name\" OWNER \"$owner\""
fi
"${su_psql[@]}" -d "$name" -c "CREATE EXTENSION IF NOT EXISTS vector" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"
