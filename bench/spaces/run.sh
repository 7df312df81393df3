#!/usr/bin/env bash
# Spaces benchmark, one command: re-embedding throughput vs the model alone, "similar" over HTTP vs raw SQL with
# recall, and latency as the space grows. Prints markdown tables and writes them to bench/spaces/RESULTS.md.
#
# Environment: BENCH_DB_URL (default jdbc:postgresql://127.0.0.1:5432/embedrec_bench; its catalog is emptied),
#   BENCH_EMBED_ITEMS (demo-catalog items for part a, default 500: each pass over all ~14k takes many minutes on 2 shared cores; 0 = all), BENCH_SIZES (default 10000,100000),
#   BENCH_PARTS (default a,b,e), BENCH_REAL_ITEMS (demo items embedded for the recall check on real embeddings,
#   default 5000), BENCH_INDEX_PARAMS (m:ef_construction pairs compared in parts d and e, default
#   16:64,16:100,16:128), BENCH_JVM_OPTS (extra options of the service JVM). Needs the packaged app (built if missing) and the demo catalog (made if missing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export BENCH_DB_URL="${BENCH_DB_URL:-jdbc:postgresql://127.0.0.1:5432/embedrec_bench}"
scripts/ensure-database.sh "$BENCH_DB_URL"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
[ -f target/demo/catalog.ndjson ] || scripts/make-demo-catalog.sh
exec java -cp "target/quarkus-app/lib/main/*" bench/spaces/SpacesBench.java
