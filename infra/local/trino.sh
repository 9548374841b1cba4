#!/usr/bin/env bash
# A single-node Trino (coordinator + worker in one JVM) on loopback, from Maven Central only
# (io.trino:trino-server:<version>:tar.gz via `mvn dependency:copy`), with a Delta Lake catalog
# `lake` over a local lake folder (file metastore inside it).
#
#   infra/local/trino.sh install   fetch and unpack the server into .tools/trino/<version> (once)
#   infra/local/trino.sh start     install if needed, write the config, start, wait until it answers
#   infra/local/trino.sh stop      stop the server started by `start`
#   infra/local/trino.sh status    exit 0 when the server answers
#
# Environment: TRINO_PORT (8080), TRINO_DATA_DIR (.tools/trino/data), TRINO_LAKE_DIR (the lake
# folder the `lake` catalog reads; default .data/lake), TRINO_HEAP (2G), TRINO_QUERY_MEMORY (1GB, a
# query's memory; with the 30% heap headroom it must fit TRINO_HEAP), TRINO_JAVA_HOME (a Java
# that Trino accepts: 24+; default /usr/lib/jvm/temurin-25-jdk-amd64). On success `start` prints
# the TRINO_URL to use.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION=476
TOOLS="$ROOT/.tools/trino"
HOME_DIR="$TOOLS/$VERSION"
PORT="${TRINO_PORT:-8080}"
DATA="${TRINO_DATA_DIR:-$TOOLS/data}"
LAKE="$(mkdir -p "${TRINO_LAKE_DIR:-$ROOT/.data/lake}" && cd "${TRINO_LAKE_DIR:-$ROOT/.data/lake}" && pwd)"
JAVA_HOME_TRINO="${TRINO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PIDFILE="$DATA/trino.pid"
LOG="$DATA/server.log"

say() { echo "[trino] $*"; }

install() {
  if [ -f "$HOME_DIR/.complete" ]; then return; fi
  command -v mvn >/dev/null || { say "mvn not found: install Maven (Debian: maven)"; exit 1; }
  say "fetching trino-server $VERSION from Maven Central (~800 MB, once)"
  local dl="$TOOLS/download"
  mkdir -p "$dl"
  mvn -q -B dependency:copy -Dartifact="io.trino:trino-server:$VERSION:tar.gz" \
    -DoutputDirectory="$dl" -Dmdep.overWriteReleases=false
  rm -rf "$HOME_DIR" && mkdir -p "$HOME_DIR"
  # The tarball hard-links jars shared between plugins, so it is unpacked whole; then only what
  # a Delta Lake catalog needs is kept (the launcher, the libraries and one plugin).
  tar -xzf "$dl/trino-server-$VERSION.tar.gz" -C "$HOME_DIR" --strip-components=1
  find "$HOME_DIR/plugin" -mindepth 1 -maxdepth 1 ! -name delta-lake -exec rm -rf {} +
  rm -f "$dl/trino-server-$VERSION.tar.gz"
  touch "$HOME_DIR/.complete"
}

# The coordinator says it has started before its own worker has announced itself to it: a query
# in between fails with "No nodes available to run query". Ready means a query runs.
query_runs() {
  local body next
  body=$(curl -fsS -X POST -H 'X-Trino-User: tl-admin' --data 'SELECT 1' \
    "http://127.0.0.1:$PORT/v1/statement" 2>/dev/null) || return 1
  for _ in $(seq 1 100); do
    if echo "$body" | grep -q '"error"'; then return 1; fi
    next=$(echo "$body" | grep -o '"nextUri":"[^"]*"' | cut -d'"' -f4 || true)
    [ -z "$next" ] && return 0 # finished, and without an error
    sleep 0.1
    body=$(curl -fsS -H 'X-Trino-User: tl-admin' "$next" 2>/dev/null) || return 1
  done
  return 1
}

answers() {
  curl -fsS "http://127.0.0.1:$PORT/v1/info" 2>/dev/null | grep -q '"starting":false' && query_runs
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

configure() {
  mkdir -p "$DATA/etc/catalog" "$DATA/var"
  cat >"$DATA/etc/node.properties" <<PROPS
node.environment=local
node.id=tl-local-trino
node.data-dir=$DATA/var
# Loopback only: the HTTP server binds to node.bind-ip (0.0.0.0 by default), and the server
# announces itself at node.internal-address.
node.bind-ip=127.0.0.1
node.internal-address=127.0.0.1
PROPS
  cat >"$DATA/etc/jvm.config" <<PROPS
-server
-Xmx${TRINO_HEAP:-2G}
-XX:InitialRAMPercentage=5
-XX:+UseG1GC
-XX:+ExplicitGCInvokesConcurrent
-XX:+ExitOnOutOfMemoryError
-XX:+HeapDumpOnOutOfMemoryError
-XX:-OmitStackTraceInFastThrow
-XX:ReservedCodeCacheSize=256M
-Djdk.attach.allowAttachSelf=true
-Dfile.encoding=UTF-8
PROPS
  cat >"$DATA/etc/config.properties" <<PROPS
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$PORT
discovery.uri=http://127.0.0.1:$PORT
query.max-memory=${TRINO_QUERY_MEMORY:-1GB}
query.max-memory-per-node=${TRINO_QUERY_MEMORY:-1GB}
task.concurrency=2
# Insight statements reuse CTEs, which Trino plans once per reference; funnels take a one-pass
# statement on Trino, the other insights stay within ~160 stages, above the default limit of 150.
query.max-stage-count=1000
PROPS
  # Read-only for everyone but the admin user that registers the lake's tables: the server's own
  # guardrail behind the app's statement check.
  cat >"$DATA/etc/access-control.properties" <<PROPS
access-control.name=file
security.config-file=$DATA/etc/rules.json
PROPS
  cat >"$DATA/etc/rules.json" <<'JSON'
{
  "catalogs": [
    { "user": "tl-admin", "catalog": ".*", "allow": "all" },
    { "catalog": ".*", "allow": "read-only" }
  ],
  "procedures": [
    { "user": "tl-admin", "catalog": ".*", "schema": ".*", "procedure": ".*", "privileges": ["EXECUTE"] }
  ]
}
JSON
  cat >"$DATA/etc/log.properties" <<PROPS
io.trino=WARN
PROPS
  # The lake's Delta tables; the file metastore keeps its JSON inside the lake folder.
  cat >"$DATA/etc/catalog/lake.properties" <<PROPS
connector.name=delta_lake
hive.metastore=file
hive.metastore.catalog.dir=local:///_trino_metastore
fs.native-local.enabled=true
local.location=$LAKE
delta.register-table-procedure.enabled=true
# dbt-trino writes the marts (one writer per run schema; bronze is written by delta-rs, never by Trino).
delta.enable-non-concurrent-writes=true
PROPS
}

start() {
  install
  configure
  if running; then say "already running (pid $(cat "$PIDFILE"))"; else
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      say "port $PORT is already in use; set TRINO_PORT"; exit 1
    fi
    say "starting on 127.0.0.1:$PORT (lake $LAKE)"
    JAVA_HOME="$JAVA_HOME_TRINO" PATH="$JAVA_HOME_TRINO/bin:$PATH" nohup \
      "$HOME_DIR/bin/launcher" run --etc-dir="$DATA/etc" --data-dir="$DATA/var" \
      >"$LOG" 2>&1 &
    echo $! >"$PIDFILE"
  fi
  for _ in $(seq 1 180); do
    if ! running; then say "the server exited; its log:"; tail -40 "$LOG"; exit 1; fi
    if answers; then say "ready: TRINO_URL=http://127.0.0.1:$PORT"; return; fi
    sleep 1
  done
  say "not ready after 180 s; its log:"; tail -40 "$LOG"; exit 1
}

stop() {
  if running; then
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 1 30); do running || break; sleep 1; done
    running && kill -9 "$(cat "$PIDFILE")"
  fi
  rm -f "$PIDFILE"
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) answers ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
