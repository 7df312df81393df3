#!/usr/bin/env bash
# Embedding benchmark: LangChain4j's in-process all-MiniLM-L6-v2 vs embedrec fp32 and int8 on the demo catalog's
# titles (short) and descriptions (medium <= 128 tokens, long > 128 tokens, all cut at 128 like LangChain4j),
# the machine's matmul rate, int8-vs-fp32 cosine, and single-text HTTP latency with and without the micro-batcher.
# Prints a markdown table. Usage: bench/embedding/run.sh
# Environment: THREADS (default: all cores), BATCH_TOKENS (768), SHORT (1000), OTHER (200) texts per set,
#   EMBEDREC_DB_URL (the server's database for the HTTP part; default jdbc:postgresql://127.0.0.1:5432/embedrec),
#   BENCH_PORT (18093), SKIP_HTTP=1 to leave the HTTP part out.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="target/bench/embedding"
mkdir -p "$out/classes"
threads="${THREADS:-$(nproc)}"
budget="${BATCH_TOKENS:-768}"
port="${BENCH_PORT:-18093}"

echo "building ..." >&2
./mvnw -B -q -DskipTests package >&2
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/cp.txt" >&2
cp="target/classes:$(cat "$out/cp.txt")"
javac -q -d "$out/classes" -cp "$cp" bench/embedding/src/io/embedrec/embedding/*.java 2>/dev/null \
  || javac -d "$out/classes" -cp "$cp" bench/embedding/src/io/embedrec/embedding/*.java
run() { java -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$out/classes:$cp" \
  io.embedrec.embedding.EmbeddingBench "$@" 2>>"$out/stderr.log"; }

[ -s target/demo/catalog.ndjson ] || scripts/make-demo-catalog.sh >&2
results="$out/results.txt"
: > "$results"
echo "texts ..." >&2
run prepare target/demo/catalog.ndjson "$out/texts" "${SHORT:-1000}" "${OTHER:-200}"
echo "matmul peak ..." >&2
run matmul 1024 "$threads" | tee -a "$results" >&2
for engine in lc4j fp32 int8 fp32-256; do
  echo "throughput: $engine ..." >&2
  run throughput "$engine" "$out/texts" "$threads" "$budget" | tee -a "$results" >&2
done
echo "int8 vs fp32 cosine ..." >&2
run cosine "$out/texts" "$threads" | tee -a "$results" >&2

if [ "${SKIP_HTTP:-0}" != 1 ]; then
  for wait in 2ms 0s; do
    label="micro-batcher-on"; [ "$wait" = 0s ] && label="micro-batcher-off"
    echo "HTTP ($label) ..." >&2
    EMBEDREC_PORT="$port" EMBEDREC_DB_URL="${EMBEDREC_DB_URL:-jdbc:postgresql://127.0.0.1:5432/embedrec}" \
      java -Xmx2g -Dembedrec.embedding.micro-batch-wait="$wait" -Dembedrec.embedding.threads="$threads" \
      -Dquarkus.log.level=WARN -jar target/quarkus-app/quarkus-run.jar >"$out/server-$label.log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    for _ in $(seq 1 120); do
      curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
      kill -0 $server 2>/dev/null || { echo "server did not start: see $out/server-$label.log" >&2; exit 1; }
      sleep 1
    done
    run http "$label" "http://127.0.0.1:$port" "$out/texts/short.txt" 1 200 | tee -a "$results" >&2
    run http "$label" "http://127.0.0.1:$port" "$out/texts/short.txt" 8 100 | tee -a "$results" >&2
    kill $server; wait $server 2>/dev/null || true
    trap - EXIT
  done
fi

echo >&2
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), threads=$threads, batch budget=$budget tokens, $(date -u +%Y-%m-%d)"
echo
run report "$results"
