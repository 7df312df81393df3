# Shared by the benches' run.sh scripts (sourced after they set $root).

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Sets $app to the packaged service's directory, building it first when the jar is missing.
bench_app() {
  app="$root/target/quarkus-app"
  if [ ! -f "$app/quarkus-run.jar" ]; then
    log "building the jar"
    (cd "$root" && ./mvnw -B -q package -DskipTests)
  fi
}

# Sets $catalog to the demo catalog, making it first when missing.
bench_catalog() {
  catalog="$root/target/demo/catalog.ndjson"
  [ -s "$catalog" ] || { log "making the demo catalog"; "$root/scripts/make-demo-catalog.sh" "$catalog"; }
}
