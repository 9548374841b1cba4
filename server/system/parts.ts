// Admin → System: which implementation runs each part of the platform (embedded or
// distributed), and whether it is healthy right now. Every check is bounded so one slow part
// cannot hold up the page.
import type { Runtime } from '../runtime';

export type PartState = 'ok' | 'degraded' | 'down' | 'off';

export interface SystemPart {
  part: string;
  implementation: string;
  mode: 'embedded' | 'distributed' | 'not available';
  state: PartState;
  detail: string;
  /** The environment variable that switches this part. */
  switch: string | null;
}

async function bounded<T>(p: Promise<T>, ms = 3000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (error: unknown) => (error as Error).message ?? String(error);

export async function systemParts(runtime: Runtime, workspaceId: string): Promise<SystemPart[]> {
  const { config } = runtime;
  const metadata = bounded(runtime.prisma.$queryRawUnsafe('SELECT 1')).then(
    () => ({ state: 'ok' as const, detail: 'answers' }),
    (error: unknown) => ({ state: 'down' as const, detail: message(error) }),
  );
  const engine = bounded(runtime.queryEngine.health()).then(
    (h) => ({ state: h.ok ? ('ok' as const) : ('down' as const), detail: h.detail }),
    (error: unknown) => ({ state: 'down' as const, detail: message(error) }),
  );
  const kafka = runtime.kafka
    ? bounded(runtime.kafka.lag()).then(
        (partitions) => {
          const lag = partitions.reduce((sum, p) => sum + p.lag, 0);
          return {
            state: 'ok' as const,
            detail: `${partitions.length} partitions · consumer group ${config.ingest.kafka!.groupId} is ${lag === 0 ? 'up to date' : `${lag} messages behind`}`,
          };
        },
        (error: unknown) => ({ state: 'down' as const, detail: message(error) }),
      )
    : undefined;
  const stream = runtime.streamWriters
    ? bounded(runtime.streamWriters.status()).then(
        (s) => ({ ok: true as const, s }),
        (error: unknown) => ({ ok: false as const, error: message(error) }),
      )
    : undefined;
  const [meta, eng, k, st] = await Promise.all([metadata, engine, kafka, stream]);
  const retrieval = runtime.ask.retrievalStatus(workspaceId);

  const wal = runtime.wal.stats;
  const lastFlush = runtime.flusher.lastFlushAt;
  const lakeWriterError = runtime.flusher.lastError;
  const parts: SystemPart[] = [
    {
      part: 'Metadata',
      implementation:
        runtime.mode.metadata === 'pglite' ? 'PGlite (embedded PostgreSQL)' : 'PostgreSQL',
      mode: runtime.mode.metadata === 'pglite' ? 'embedded' : 'distributed',
      switch: 'DATABASE_URL',
      ...meta,
    },
    {
      part: 'Query engine',
      implementation: config.trino
        ? `Trino, catalog ${config.trino.catalog} (Delta Lake connector over the lake; dbt-trino builds the marts)`
        : 'DuckDB (in-process, locked to the lake)',
      mode: config.trino ? 'distributed' : 'embedded',
      switch: 'TRINO_URL',
      ...eng,
    },
    config.ingest.kafka
      ? {
          part: 'Event intake',
          implementation: `Kafka topic ${config.ingest.kafka.topic} on ${config.ingest.kafka.brokers.join(', ')}`,
          mode: 'distributed',
          switch: 'KAFKA_BROKERS',
          ...k!,
        }
      : {
          part: 'Event intake',
          implementation: 'Write-ahead log (fsync per request)',
          mode: 'embedded',
          switch: 'KAFKA_BROKERS',
          state: 'ok',
          detail: `${wal.sealed} sealed segment(s) waiting · ${wal.pendingBytes} bytes pending`,
        },
    {
      part: 'Lake writer',
      implementation: config.ingest.kafka
        ? st?.ok && st.s.writer === 'spark'
          ? 'the Spark job (see Stream writer); the app’s consumer steps back'
          : 'Kafka consumer group → Delta (delta-rs)'
        : 'Flusher → Delta (delta-rs)',
      mode: config.ingest.kafka ? 'distributed' : 'embedded',
      switch: 'KAFKA_BROKERS',
      state: lakeWriterError ? 'degraded' : 'ok',
      detail: lakeWriterError
        ? `last error: ${lakeWriterError}`
        : lastFlush
          ? `last commit ${lastFlush.toISOString()}`
          : 'no commit since start',
    },
    {
      part: 'Lake',
      implementation: `Delta tables in ${config.lakeDir}`,
      mode: 'embedded',
      switch: null,
      state: runtime.deltaAvailable ? 'ok' : 'degraded',
      detail: runtime.deltaAvailable
        ? 'bronze readable through DuckDB’s delta extension'
        : 'the DuckDB delta extension is missing: run npm start again',
    },
    {
      part: 'Ask retrieval',
      implementation: retrieval
        ? `${retrieval.backend === 'qdrant' ? 'Qdrant' : 'embedded vector store'} · ${retrieval.embedder ? `${retrieval.embedder.kind === 'model' ? 'sentence model' : 'hashed n-grams'} ${retrieval.embedder.id}` : 'no embedder yet'}`
        : 'off',
      mode: retrieval?.backend === 'qdrant' ? 'distributed' : 'embedded',
      switch: 'QDRANT_URL',
      state: !retrieval ? 'off' : retrieval.state === 'failed' ? 'degraded' : 'ok',
      detail: retrieval
        ? `${retrieval.state}${retrieval.documents === null ? '' : ` · ${retrieval.documents} documents`}${retrieval.error ? ` · ${retrieval.error}` : ''}`
        : 'not configured',
    },
    streamWriterPart(config.ingest.kafka !== undefined, config.ingest.spark.master, st),
  ];
  return parts;
}

type StreamStatus =
  | { ok: true; s: Awaited<ReturnType<NonNullable<Runtime['streamWriters']>['status']>> }
  | { ok: false; error: string }
  | undefined;

/** The Spark Structured Streaming job: off, installed and idle, running, or failed. */
function streamWriterPart(kafka: boolean, master: string, st: StreamStatus): SystemPart {
  const base = {
    part: 'Stream writer',
    implementation: `Spark Structured Streaming (${master}) → Delta`,
    switch: 'SPARK_MASTER',
  };
  if (!kafka || !st)
    return {
      ...base,
      mode: 'not available',
      state: 'off',
      detail:
        'streams the Kafka events topic: set KAFKA_BROKERS (and SPARK_MASTER to run it at start)',
    };
  if (!st.ok) return { ...base, mode: 'distributed', state: 'down', detail: st.error };
  const { s } = st;
  const last = s.lastBatch
    ? `last micro-batch #${s.lastBatch.batch_id} at ${s.lastBatch.at}: ${s.lastBatch.events} events in ${s.lastBatch.duration_ms} ms${s.lastBatch.dead_letters ? `, ${s.lastBatch.dead_letters} dead letters` : ''}`
    : 'no micro-batch yet';
  if (s.running)
    return {
      ...base,
      mode: 'distributed',
      state: 'ok',
      detail: `running (pid ${s.pid}) · ${last} · ${s.events} events since start`,
    };
  if (s.state?.state === 'failed')
    return {
      ...base,
      mode: 'distributed',
      state: 'degraded',
      detail: `failed: ${s.state.error ?? 'see the job log'} · the app's consumer writes the lake`,
    };
  return {
    ...base,
    mode: s.installed ? 'distributed' : 'not available',
    state: 'off',
    detail: s.installed
      ? `not running (start it in Admin → Pipelines); the app's consumer writes the lake${s.lastBatch ? ` · ${last}` : ''}`
      : 'not installed here: infra/local/spark.sh install',
  };
}
