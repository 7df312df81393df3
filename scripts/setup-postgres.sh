#!/usr/bin/env bash
# Prepare the local PostgreSQL for embedrec: start the cluster, make sure the
# pgvector extension (>= 0.8) is installed, create the embedrec role and the
# service/test databases with the extensions enabled.
#
# Idempotent: a second run changes nothing, makes no apt-get calls and takes
# a second or two. Every change it makes is printed on its own line, prefixed
# with "setup-postgres: ".
#
# pgvector is not packaged for Debian bookworm, so when it is missing it is
# built from Debian's own source package (suite trixie, deb-src only: no
# trixie binary is ever installed) against the local server's headers.
#
# Environment (defaults in brackets):
#   EMBEDREC_DB_USER [embedrec]  EMBEDREC_DB_PASSWORD [embedrec]
#   EMBEDREC_DB_NAME [embedrec]  EMBEDREC_TEST_DB_NAME [embedrec_test]
#   PGHOST [127.0.0.1]  PGPORT [5432]  PGSUPERUSER [postgres]
#   PG_MAJOR [newest version under /etc/postgresql]
set -euo pipefail

DB_USER="${EMBEDREC_DB_USER:-embedrec}"
DB_PASSWORD="${EMBEDREC_DB_PASSWORD:-embedrec}"
DB_NAME="${EMBEDREC_DB_NAME:-embedrec}"
TEST_DB_NAME="${EMBEDREC_TEST_DB_NAME:-embedrec_test}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGSUPERUSER="${PGSUPERUSER:-postgres}"
MIN_VECTOR_VERSION="0.8"
SRC_FILE=/etc/apt/sources.list.d/embedrec-trixie-src.sources
BASE_SOURCES=/etc/apt/sources.list.d/debian.sources
export DEBIAN_FRONTEND=noninteractive
# Keep psql from picking up unrelated connection settings.
unset PGDATABASE PGUSER PGSERVICE PGOPTIONS || true
export PGHOST PGPORT

say() { printf 'setup-postgres: %s\n' "$*"; }
die() { printf 'setup-postgres: ERROR: %s\n' "$*" >&2; exit 1; }

CHANGED=0
changed() { CHANGED=1; say "$@"; }

LOG=""
log_file() {
    if [[ -z "$LOG" ]]; then
        LOG="$(mktemp "${TMPDIR:-/tmp}/setup-postgres.XXXXXX.log")"
    fi
}
# Run a noisy command with its output going to the log; on failure show the
# log's tail and where it is.
quiet() {
    log_file
    printf '\n$ %s\n' "$*" >>"$LOG"
    if ! "$@" >>"$LOG" 2>&1; then
        printf 'setup-postgres: ERROR: command failed: %s\n' "$*" >&2
        printf 'setup-postgres: last 30 lines of %s:\n' "$LOG" >&2
        tail -n 30 "$LOG" >&2
        printf 'setup-postgres: full log: %s\n' "$LOG" >&2
        exit 1
    fi
}

# Root for the system-changing steps: root itself, or sudo when available.
SUDO=()
need_root() {
    if [[ $EUID -eq 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo -E)
    else
        die "$1 needs root: run this script as root (sudo is not available)"
    fi
}

# ---------------------------------------------------------------- version
if [[ -z "${PG_MAJOR:-}" ]]; then
    [[ -d /etc/postgresql ]] || die "no /etc/postgresql: is PostgreSQL installed? (apt-get install postgresql)"
    PG_MAJOR="$(ls /etc/postgresql | grep -E '^[0-9]+$' | sort -n | tail -n 1 || true)"
    [[ -n "$PG_MAJOR" ]] || die "no PostgreSQL cluster found under /etc/postgresql"
fi
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"

psql_su() { # psql as the superuser on database $1, remaining args passed on
    local db="$1"; shift
    psql -X -q -v ON_ERROR_STOP=1 -At -U "$PGSUPERUSER" -d "$db" "$@"
}

# ---------------------------------------------------------------- 1. server up
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" >/dev/null 2>&1; then
    need_root "starting PostgreSQL ${PG_MAJOR}/main"
    changed "starting PostgreSQL cluster ${PG_MAJOR}/main"
    quiet "${SUDO[@]}" pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main start
    for _ in $(seq 1 60); do
        pg_isready -q -h "$PGHOST" -p "$PGPORT" >/dev/null 2>&1 && break
        sleep 0.5
    done
    pg_isready -q -h "$PGHOST" -p "$PGPORT" >/dev/null 2>&1 \
        || die "PostgreSQL on ${PGHOST}:${PGPORT} is not ready after 30 s (see /var/log/postgresql/postgresql-${PG_MAJOR}-main.log)"
fi

# ---------------------------------------------------------------- 2. pgvector
# Prints the default version of the available vector extension if >= MIN.
available_vector() {
    psql_su postgres -c "SELECT default_version FROM pg_available_extensions
        WHERE name = 'vector'
          AND string_to_array(split_part(default_version, '-', 1), '.')::int[]
              >= string_to_array('${MIN_VECTOR_VERSION}', '.')::int[]"
}

install_pgvector() {
    need_root "installing pgvector"
    [[ -r "$BASE_SOURCES" ]] || die "$BASE_SOURCES not found: cannot derive the Debian archive URIs"
    local uris keyring
    uris="$(awk -F': *' '$1 == "URIs" && $2 ~ /\/debian\/?$/ {print $2; exit}' "$BASE_SOURCES")"
    keyring="$(awk -F': *' '$1 == "Signed-By" {print $2; exit}' "$BASE_SOURCES")"
    uris="${uris:-http://deb.debian.org/debian}"
    keyring="${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}"
    local want
    want="$(printf '%s\n' \
        "# Added by embedrec scripts/setup-postgres.sh: source packages only," \
        "# used to build pgvector (not packaged for bookworm). No binaries." \
        "Types: deb-src" \
        "URIs: ${uris}" \
        "Suites: trixie" \
        "Components: main" \
        "Signed-By: ${keyring}")"
    if [[ ! -f "$SRC_FILE" ]] || [[ "$(cat "$SRC_FILE")" != "$want" ]]; then
        changed "adding apt source ${SRC_FILE} (deb-src trixie main, ${uris})"
        printf '%s\n' "$want" | "${SUDO[@]}" tee "$SRC_FILE" >/dev/null
    fi

    changed "updating apt package lists"
    quiet "${SUDO[@]}" apt-get update

    local pkgs=() p
    for p in "postgresql-server-dev-${PG_MAJOR}" dpkg-dev gcc make; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$p")
    done
    if ((${#pkgs[@]})); then
        changed "installing packages ${pkgs[*]}"
        quiet "${SUDO[@]}" apt-get install -y --no-install-recommends "${pkgs[@]}"
    fi

    local work
    work="$(mktemp -d "${TMPDIR:-/tmp}/setup-postgres-pgvector.XXXXXX")"
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" EXIT
    pushd "$work" >/dev/null
    quiet apt-get source --download-only pgvector/trixie
    popd >/dev/null
    local orig
    orig="$(ls "$work"/pgvector_*.orig.tar.* 2>/dev/null | head -n 1 || true)"
    [[ -n "$orig" ]] || die "apt-get source gave no pgvector .orig tarball (see ${LOG})"
    local version
    version="$(basename "$orig" | sed -E 's/^pgvector_(.*)\.orig\.tar\..*$/\1/')"
    changed "building pgvector ${version} from Debian source"
    mkdir "$work/src"
    quiet tar -xf "$orig" -C "$work/src" --strip-components=1
    # OPTFLAGS= as in Debian's packaging: no -march=native, the binary stays
    # portable (pgvector picks CPU-specific code paths at run time).
    quiet make -C "$work/src" PG_CONFIG="$PG_CONFIG" OPTFLAGS=
    changed "installing pgvector ${version} into $("$PG_CONFIG" --pkglibdir)"
    quiet "${SUDO[@]}" make -C "$work/src" PG_CONFIG="$PG_CONFIG" OPTFLAGS= install
    rm -rf "$work"
    trap - EXIT
}

VECTOR_VERSION="$(available_vector)"
if [[ -z "$VECTOR_VERSION" ]]; then
    install_pgvector
    VECTOR_VERSION="$(available_vector)"
    [[ -n "$VECTOR_VERSION" ]] || die "pgvector >= ${MIN_VECTOR_VERSION} still not available after the build${LOG:+ (log: $LOG)}"
fi

# ---------------------------------------------------------------- 3. role, dbs
if [[ "$(psql_su postgres -v u="$DB_USER" <<<"SELECT 1 FROM pg_roles WHERE rolname = :'u';")" != 1 ]]; then
    psql_su postgres -v u="$DB_USER" -v p="$DB_PASSWORD" \
        <<<"CREATE ROLE :\"u\" LOGIN CREATEDB PASSWORD :'p';"
    changed "created role ${DB_USER}"
fi

for db in "$DB_NAME" "$TEST_DB_NAME"; do
    if [[ "$(psql_su postgres -v d="$db" <<<"SELECT 1 FROM pg_database WHERE datname = :'d';")" != 1 ]]; then
        psql_su postgres -v d="$db" -v u="$DB_USER" <<<"CREATE DATABASE :\"d\" OWNER :\"u\";"
        changed "created database ${db} (owner ${DB_USER})"
    fi
    for ext in vector pg_trgm; do
        state="$(psql_su "$db" -v e="$ext" <<<"
            SELECT coalesce(x.extversion, '-') || '|' || coalesce(a.default_version, '-')
            FROM pg_available_extensions a LEFT JOIN pg_extension x ON x.extname = a.name
            WHERE a.name = :'e';")"
        [[ -n "$state" ]] || continue   # not available (pg_trgm is optional)
        installed="${state%%|*}"; default="${state##*|}"
        if [[ "$installed" == "-" ]]; then
            psql_su "$db" -v e="$ext" <<<"CREATE EXTENSION IF NOT EXISTS :\"e\";"
            changed "created extension ${ext} ${default} in database ${db}"
        elif [[ "$installed" != "$default" ]]; then
            psql_su "$db" -v e="$ext" <<<"ALTER EXTENSION :\"e\" UPDATE;"
            changed "updated extension ${ext} ${installed} -> ${default} in database ${db}"
        fi
    done
done

# ---------------------------------------------------------------- done
summary="pgvector ${VECTOR_VERSION}, role ${DB_USER}, databases ${DB_NAME}, ${TEST_DB_NAME}"
if ((CHANGED)); then
    [[ -n "$LOG" ]] && say "log of the quieted commands: ${LOG}"
    say "ready (${summary}) on ${PGHOST}:${PGPORT}"
else
    say "nothing to change (${summary})"
fi
