#!/usr/bin/env bash
# A single-node Kafka broker (KRaft) on loopback for the distributed mode and its tests, from
# Maven Central only (the broker's jars via `mvn dependency:copy-dependencies`; no tarball).
#
#   infra/local/kafka.sh install   fetch the jars into .tools/kafka/<version>/libs (once)
#   infra/local/kafka.sh start     install if needed, format the data dir once, start, wait
#   infra/local/kafka.sh stop      stop the broker started by `start`
#   infra/local/kafka.sh status    exit 0 when the broker answers
#
# Environment: KAFKA_PORT (9092; the controller listens on KAFKA_PORT+1), KAFKA_DATA_DIR
# (.tools/kafka/data), KAFKA_HEAP (512m), JAVA_HOME (any Java 17+; the machine's java otherwise).
# On success `start` prints the KAFKA_BROKERS value to use. Durability: an acknowledged
# (acks=all) message is in the broker's page cache, so it survives the broker's kill -9; surviving
# the machine's power loss takes replication (3 brokers, min.insync.replicas=2), as with any Kafka.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION=4.1.1
TOOLS="$ROOT/.tools/kafka"
LIBS="$TOOLS/$VERSION/libs"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT=$((PORT + 1))
DATA="${KAFKA_DATA_DIR:-$TOOLS/data}"
PIDFILE="$DATA/broker.pid"
LOG="$DATA/broker.log"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { echo "[kafka] $*"; }

install() {
  if [ -f "$LIBS/.complete" ]; then return; fi
  command -v mvn >/dev/null || { say "mvn not found: install Maven (Debian: maven)"; exit 1; }
  say "fetching Kafka $VERSION from Maven Central"
  rm -rf "$LIBS"
  mvn -q -B -f "$ROOT/infra/local/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime
  touch "$LIBS/.complete"
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  install
  mkdir -p "$DATA/logs"
  cat >"$DATA/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA/logs
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  if running; then say "already running (pid $(cat "$PIDFILE"))"; else
    for port in "$PORT" "$CONTROLLER_PORT"; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        say "port $port is already in use (another broker?); set KAFKA_PORT"; exit 1
      fi
    done
    if [ ! -f "$DATA/logs/meta.properties" ]; then
      "$JAVA" -cp "$LIBS/*" kafka.tools.StorageTool format -t "tl-local-kafka-cluster1" \
        -c "$DATA/server.properties" >"$DATA/format.log" 2>&1
    fi
    say "starting on 127.0.0.1:$PORT (data in $DATA)"
    nohup "$JAVA" -Xms256m -Xmx"${KAFKA_HEAP:-512m}" -XX:+UseG1GC \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "$LIBS/*" kafka.Kafka "$DATA/server.properties" >"$LOG" 2>&1 &
    echo $! >"$PIDFILE"
  fi
  for _ in $(seq 1 90); do
    if ! running; then say "the broker exited; its log:"; tail -30 "$LOG"; exit 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      say "ready: KAFKA_BROKERS=127.0.0.1:$PORT"
      return
    fi
    sleep 1
  done
  say "not ready after 90 s; its log:"; tail -30 "$LOG"; exit 1
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
  status) running && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
