#!/usr/bin/env bash
# Quick start: run every test of embedrec on this machine.
#
# Usage: scripts/test.sh [extra Maven arguments, e.g. -Dtest=MetricsTest]
#
# Prepares PostgreSQL (scripts/setup-postgres.sh: pgvector, role, databases),
# then runs ./mvnw -B verify: the licence check of shipped dependencies, the
# unit and @QuarkusTest integration tests (surefire), the packaged jar, and the
# end-to-end tests against it (failsafe, *IT).
#
# Environment: EMBEDREC_TEST_DB_URL [jdbc:postgresql://127.0.0.1:5432/embedrec_test]
# and those of scripts/setup-postgres.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."

bash scripts/setup-postgres.sh
bash scripts/install-browser.sh
exec ./mvnw -B verify "$@"
