# syntax=docker/dockerfile:1
# Telemetry Lakehouse in one image: the Node 20 server (`npm start` without its set-up step, which
# runs here at build time), the project's Python 3.11 virtualenv (delta-rs sidecar, dbt, the
# embedding model files, PySpark) and a Java 17 runtime for the Spark Structured Streaming job.
# docker-compose.yml runs it as the app (which runs the Spark job's driver when SPARK_MASTER is
# set), as the Spark standalone master and worker (profile `spark`) and as the one-off
# `init-volumes` that hands the data volumes to the image's user.
#
# Everything is fetched while building (npm, PyPI, Maven Central, Debian); nothing at run time.
# linux/amd64 is the platform to build for: the DuckDB delta extension comes from a PyPI package
# built for linux x86_64 only (scripts/bootstrap.mjs), elsewhere DuckDB would download it itself.

ARG NODE_VERSION=20

# --- base: what both stages need at the same paths (the venv points at /usr/bin/python3.11) ---
FROM node:${NODE_VERSION}-bookworm-slim AS base
# The JRE's package needs the man directory that slim images leave out; /usr/lib/jvm/java-17 is
# one JAVA_HOME whatever the architecture's directory is called.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates python3 python3-venv openjdk-17-jre-headless procps tini \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" /usr/lib/jvm/java-17
ENV JAVA_HOME=/usr/lib/jvm/java-17 \
    NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
WORKDIR /app

# --- build: scripts/bootstrap.mjs does what `npm start` does before serving ---
FROM base AS build
# Maven fetches the Spark job's jars; make and g++ are there for a native npm module without a
# prebuilt binary for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends maven make g++ \
 && rm -rf /var/lib/apt/lists/*

# 1. npm packages, the Prisma client and the virtualenv, from the files bootstrap.mjs hashes for
#    them, so that a source change does not reinstall them (`dev` mode skips the web build).
COPY package.json package-lock.json .npmrc prisma.config.ts requirements.txt ./
COPY prisma/schema.prisma prisma/schema.prisma
COPY scripts/bootstrap.mjs scripts/bootstrap.mjs
RUN --mount=type=cache,target=/root/.npm \
    --mount=type=cache,target=/root/.cache/pip \
    node scripts/bootstrap.mjs dev

# 2. The Spark job (infra/local/spark.sh install): PySpark and its Kafka client from
#    pipelines/spark/requirements.txt into the same venv, and the jars of the Kafka source and of
#    Delta from Maven Central into .tools/spark/<version>/jars, where the job looks for them.
COPY pipelines/spark/requirements.txt pipelines/spark/requirements.txt
COPY infra/local/spark.sh infra/local/spark.sh
COPY infra/local/spark/ infra/local/spark/
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=cache,target=/root/.m2 \
    bash infra/local/spark.sh install

# 3. The sources, then the production Next.js build (the other steps find their stamps current).
COPY . .
RUN node scripts/bootstrap.mjs start && rm -rf .next/cache

# --- runtime ---
FROM base AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    TL_DATA_DIR=/var/lib/telemetry-lakehouse \
    PYSPARK_PYTHON=/app/.venv/bin/python \
    PATH=/app/.venv/bin:$PATH
# The server writes under TL_DATA_DIR (mount a volume there; docker-compose.yml mounts two: the
# data and, inside it, the lake shared with Trino and the Spark job) and Next.js's cache under
# .next, so both belong to the unprivileged user. uid 1000, as Trino's image runs as: both write
# the lake.
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /var/lib/telemetry-lakehouse/lake \
 && chown -R node:node /var/lib/telemetry-lakehouse
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/trpc/system.health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# tini reaps the Python and dbt children the server starts and forwards signals to it.
ENTRYPOINT ["/usr/bin/tini", "--"]
# What `npm start` runs once scripts/bootstrap.mjs has nothing left to do.
CMD ["node", "--import", "tsx", "server/main.ts"]
