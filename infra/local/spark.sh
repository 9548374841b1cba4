#!/usr/bin/env bash
# The Spark Structured Streaming lake writer's runtime (pipelines/spark), from the registries only:
# PySpark (which carries Spark itself) and the Kafka client from PyPI into the project's .venv,
# and the Kafka source and Delta Lake jars from Maven Central into .tools/spark/<version>/jars.
# Spark runs in local mode inside the job's process (SPARK_MASTER=local[2] by default), or on a
# cluster named by SPARK_MASTER; no Spark distribution tarball is downloaded.
#
#   infra/local/spark.sh install   install (once; again after pipelines/spark/requirements.txt changes)
#   infra/local/spark.sh status    exit 0 when PySpark imports and the jars are in place
#   infra/local/spark.sh env       print the TL_SPARK_JARS value to use
#
# Needs: the project's .venv (npm start / npm test make it), Java 17 or 21 (JAVA_HOME or the
# machine's java), Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION=4.2.0
JARS="$ROOT/.tools/spark/$VERSION/jars"
PY="$ROOT/.venv/bin/python"
REQ="$ROOT/pipelines/spark/requirements.txt"
STAMP="$ROOT/.venv/.tl-spark-requirements"

say() { echo "[spark] $*"; }

python_ok() {
  [ -x "$PY" ] && [ -f "$STAMP" ] && cmp -s "$REQ" "$STAMP" &&
    "$PY" -c "import pyspark, confluent_kafka" 2>/dev/null
}

install() {
  [ -x "$PY" ] || { say "no .venv: run npm start or npm test once first (they create it)"; exit 1; }
  if ! python_ok; then
    say "installing PySpark $VERSION and the Kafka client into .venv (PyPI)"
    "$PY" -m pip install -q --disable-pip-version-check -r "$REQ"
    cp "$REQ" "$STAMP"
  fi
  if [ ! -f "$JARS/.complete" ]; then
    command -v mvn >/dev/null || { say "mvn not found: install Maven (Debian: maven)"; exit 1; }
    say "fetching the Kafka source and Delta Lake jars from Maven Central"
    rm -rf "$JARS"
    # Exactly the pom's artifacts: Spark's own dependencies come with PySpark.
    mvn -q -B -f "$ROOT/infra/local/spark/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$JARS" -DexcludeTransitive=true
    touch "$JARS/.complete"
  fi
  say "ready: PySpark $("$PY" -c 'import pyspark; print(pyspark.__version__)'), jars in $JARS"
}

case "${1:-}" in
  install) install ;;
  status) python_ok && [ -f "$JARS/.complete" ] ;;
  env) echo "TL_SPARK_JARS=$JARS" ;;
  *) echo "usage: $0 install|status|env" >&2; exit 2 ;;
esac
