// The process-wide runtime: config, logger, metadata database (PGlite or PostgreSQL), auth and
// the query engine. Started once by server/main.ts (or a test) and kept on globalThis, because
// Next.js compiles route handlers into their own module graph: a module-level singleton would
// exist twice in one process, a globalThis slot exists once.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config';
import { AppError } from './errors';
import { createLogger, type Logger } from './logger';
import {
  checkConnection,
  createDatabase,
  type DatabaseHandle,
  type PrismaClient,
} from './db/client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres';
import { migrate, type MigrateResult } from './db/migrator';
import { createAuth, type Auth } from './auth/auth';
import { generateToken, readOrCreateSecretFile } from './auth/secrets';
import { seedFirstStart, type SeedResult } from './auth/seed';
import type { DuckDbEngine } from './query/duckdb-engine';
import type { QueryEngine } from './query/query-engine';
import { TrinoEngine } from './query/trino-engine';
import { DuckDbMarts, TrinoMarts, type MartsStore } from './pipelines/marts-store';
import { openLakeEngine } from './lake/lake-engine';
import { DeltaWriter } from './lake/delta-writer';
import { PipelineService } from './pipelines/pipeline-service';
import { InsightService } from './insights/insight-service';
import { CohortService } from './insights/cohort-service';
import { buildRetrievalDocs, loadMetadataSources, loadVocabulary } from './ask/ask-documents';
import { AskHistory } from './ask/ask-history';
import { AskRetriever } from './ask/ask-retrieval';
import { createPlanGenerator } from './ask/llm/plan-generators';
import { createEmbedder } from './ask/retrieval/embedder';
import {
  EmbeddedVectorStore,
  QdrantVectorStore,
  type VectorStore,
} from './ask/retrieval/vector-store';
import { loadCatalog } from './catalog/dbt-catalog';
import { AskService, todayUtc } from './ask/ask-service';
import { maxRunningPerUser, SqlService } from './sql/sql-service';
import { startJobQueue, type JobQueue } from './jobs/job-queue';
import { hasNewLakeTable, lakeTables, refreshBronzeViews, type LakeTables } from './lake/lake';
import { Compactor } from './lake/compactor';
import { WriteAheadLog } from './ingest/wal/write-ahead-log';
import { Flusher } from './ingest/flusher';
import type { IntakeLog, IntakeMode, LakeSink } from './ingest/intake';
import { KafkaEventLog } from './ingest/kafka/kafka-log';
import { KafkaLakeWriter } from './ingest/kafka/kafka-lake-writer';
import { SparkStreamJob } from './ingest/kafka/spark-stream';
import { LakeWriterHandover } from './ingest/kafka/writer-handover';
import { DeadLetterSink } from './ingest/kafka/dead-letter-sink';
import { IngestBus } from './ingest/ingest-bus';
import { startDemoData } from './ingest/demo-data';
import { SegmentAggregator } from './catalog/schema-registry/aggregate-segment';
import { updateRegistryFromSegment } from './catalog/schema-registry/update-registry';
import { IngestStats } from './ingest/monitor/ingest-stats';
import { LiveHub } from './ingest/monitor/live-hub';
import { storeDeadLetters } from './ingest/monitor/dead-letters';
import { ImportJobs } from './ingest/import/import-jobs';
import { importFiles } from './ingest/import/import-files';
import { seedDemoDashboard } from './dashboards/demo-dashboard';

export interface Runtime {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  db: DatabaseHandle;
  auth: Auth;
  /** The embedded DuckDB over the lake: bronze views, lake maintenance, admin reads. */
  engine: DuckDbEngine;
  /**
   * The engine insights, the SQL editor, cohorts and Ask query the marts on: Trino when
   * TRINO_URL is set, else `engine`.
   */
  queryEngine: QueryEngine;
  /** Set in the Trino mode (health for Admin → System). */
  trino: TrinoEngine | undefined;
  lake: LakeTables;
  /** The intake log: the write-ahead log, or the Kafka events topic (KAFKA_BROKERS). */
  wal: IntakeLog;
  /** Moves the intake log into the lake: the flusher, or the Kafka lake writer. */
  flusher: LakeSink;
  /** Set in the Kafka mode (lag and health for Admin → System). */
  kafka: KafkaLakeWriter | undefined;
  /**
   * Kafka mode: the Spark Structured Streaming job as the alternative lake writer (started at
   * start when SPARK_MASTER is set, or from Admin → Pipelines), handed the topic by the app's.
   */
  streamWriters: LakeWriterHandover | undefined;
  /** Merges small lake files (jobs); `lastRun()` / `lastRunWithChanges()` say what it did. */
  compactor: Compactor;
  /** What the collector and imports accepted or rejected, for live views, stats and dead letters. */
  ingestBus: IngestBus;
  ingestStats: IngestStats;
  liveHub: LiveHub;
  /** Imports of files uploaded in Admin → Ingestion (persisted jobs). */
  importJobs: ImportJobs;
  /** dbt runs (persisted jobs), schedules, and which run's marts each workspace reads. */
  pipelines: PipelineService;
  /** Typed insights (trends, …) compiled to SQL and cached per marts version. */
  insights: InsightService;
  /** Saved cohorts (user groups) of each workspace; insights resolve cohort references here. */
  cohorts: CohortService;
  /** The SQL editor's runs: scoped to the workspace, cancellable, recorded in history. */
  sql: SqlService;
  /** Plain-English questions answered by the offline planner (server/ask/). */
  ask: AskService;
  /** Each member's Ask conversations and feedback. */
  askHistory: AskHistory;
  /** The one pg-boss of this server: the queue and scheduler of dbt runs, compaction, imports. */
  jobs: JobQueue;
  deltaAvailable: boolean;
  mode: { metadata: 'pglite' | 'postgres'; queryEngine: 'duckdb' | 'trino'; intake: IntakeMode };
  migrations: MigrateResult;
  seed: SeedResult;
  startedAt: Date;
  close(): Promise<void>;
}

const SLOT = Symbol.for('telemetry-lakehouse.runtime');
type Slot = { runtime?: Runtime; starting?: Promise<Runtime> };
function slot(): Slot {
  const g = globalThis as unknown as Record<symbol, Slot | undefined>;
  g[SLOT] ??= {};
  return g[SLOT];
}

/** First start: build the demo workspace's marts once its events are in the lake. */
async function buildDemoMarts(runtime: Runtime, state: string): Promise<void> {
  if (state !== 'done') return;
  try {
    const workspace = await runtime.prisma.workspace.findUnique({
      where: { slug: runtime.config.demoWorkspaceSlug },
    });
    if (!workspace) return;
    const built = await runtime.prisma.pipelineRun.count({
      where: { workspaceId: workspace.id, status: { in: ['queued', 'running', 'succeeded'] } },
    });
    if (built) return;
    await runtime.flusher.flush();
    await runtime.pipelines.startRun({ workspaceId: workspace.id, trigger: 'startup' });
    runtime.logger.info('demo data: building the marts (Admin → Pipelines shows the run)');
  } catch (error) {
    runtime.logger.error({ err: error }, 'demo data: could not start the first dbt build');
  }
}

export function findRuntime(): Runtime | undefined {
  return slot().runtime;
}

export function getRuntime(): Runtime {
  const runtime = slot().runtime;
  if (!runtime) {
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      'The server is still starting. Try again in a few seconds.',
    );
  }
  return runtime;
}

export interface StartOptions {
  migrationsDir?: string;
  logger?: Logger;
  /** Seed the first admin and demo workspace (default true). */
  seed?: boolean;
}

export function startRuntime(config: Config, opts: StartOptions = {}): Promise<Runtime> {
  const s = slot();
  if (s.runtime) return Promise.resolve(s.runtime);
  s.starting ??= boot(config, opts).then(
    (runtime) => {
      s.runtime = runtime;
      s.starting = undefined;
      return runtime;
    },
    (error: unknown) => {
      s.starting = undefined;
      throw error;
    },
  );
  return s.starting;
}

async function boot(config: Config, opts: StartOptions): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let embedded: EmbeddedPostgres | undefined;
    let url = config.databaseUrl;
    if (!url) {
      embedded = await startEmbeddedPostgres(config.pgliteDir, logger);
      cleanups.unshift(() => embedded!.stop());
      url = embedded.url;
      logger.info({ dataDir: config.pgliteDir }, 'embedded PGlite started');
    }
    const db = createDatabase(url, { embedded: Boolean(embedded) });
    cleanups.unshift(() => db.close());
    await checkConnection(db.pool, embedded ? 'TL_DATA_DIR (embedded PGlite)' : 'DATABASE_URL');

    const client = await db.pool.connect();
    let migrations: MigrateResult;
    try {
      migrations = await migrate(client, opts.migrationsDir ?? path.resolve('prisma/migrations'));
    } finally {
      client.release();
    }
    if (migrations.applied.length)
      logger.info({ applied: migrations.applied }, 'migrations applied');
    // One pg-boss for every kind of job; stopped after the services that use it (they stop first).
    const jobs = await startJobQueue({ databaseUrl: url, logger });
    cleanups.unshift(() => jobs.stop());

    const secret =
      config.authSecret ??
      (await readOrCreateSecretFile(config.dataDir, 'auth-secret', () => generateToken(48)));
    const base = new URL(config.baseUrl);
    const trustedOrigins = [
      ...new Set([
        base.origin,
        `http://localhost:${config.port}`,
        `http://127.0.0.1:${config.port}`,
      ]),
    ];
    const auth = createAuth({
      prisma: db.prisma,
      secret,
      baseUrl: config.baseUrl,
      trustedOrigins,
      loginRateLimitPerMinute: config.loginRateLimitPerMinute,
      logger,
    });

    const { engine, deltaAvailable, views } = await openLakeEngine(config, logger, {
      poolSize: config.query.poolSize,
      queueMax: config.query.queueMax,
    });
    cleanups.unshift(() => engine.close());
    // The distributed query engine: marts are built and queried there (bronze stays readable by
    // the embedded DuckDB for the lake's own maintenance and admin views).
    const trino = config.trino
      ? new TrinoEngine({
          url: config.trino.url,
          catalog: config.trino.catalog,
          schema: 'default',
          user: config.trino.user,
          adminUser: config.trino.adminUser,
          timeoutMs: config.query.timeoutMs,
          maxRows: config.query.maxRows,
        })
      : undefined;
    const queryEngine: QueryEngine = trino ?? engine;
    const marts: MartsStore = trino
      ? new TrinoMarts(trino, { lakeDir: config.lakeDir, dataDir: config.dataDir })
      : new DuckDbMarts(engine);

    const lake = lakeTables(config.lakeDir);
    const viewed = new Set(views);
    const writer = new DeltaWriter({ root: config.projectRoot, logger });
    const kafkaSettings = config.ingest.kafka;
    let wal: IntakeLog;
    let flusher: LakeSink;
    let kafka: KafkaLakeWriter | undefined;
    let walPathOf: (segment: number) => string;
    let closeIntake: () => Promise<void>;
    let startIntake: () => void | Promise<void>;
    let deadLetterLog: KafkaEventLog | undefined;
    let streamWriters: LakeWriterHandover | undefined;
    if (kafkaSettings) {
      const log = await KafkaEventLog.open(kafkaSettings, logger);
      kafka = new KafkaLakeWriter({
        settings: kafkaSettings,
        writer,
        eventsTable: lake.events,
        identifiesTable: lake.identifies,
        spoolDir: path.join(config.dataDir, 'kafka-spool'),
        maxWaitMs: config.ingest.flushIntervalMs,
        logger,
      });
      wal = log;
      flusher = kafka;
      walPathOf = () => {
        throw new Error('the Kafka lake writer passes the committed rows as a path');
      };
      closeIntake = () => log.close();
      deadLetterLog = log;
      const handover = new LakeWriterHandover(
        kafka,
        new SparkStreamJob({
          settings: kafkaSettings,
          projectRoot: config.projectRoot,
          lakeDir: config.lakeDir,
          dataDir: config.dataDir,
          master: config.ingest.spark.master,
          trigger: config.ingest.spark.trigger,
          logger,
        }),
        logger,
      );
      streamWriters = handover;
      // What the lake writers dead-letter reaches Admin → Ingestion's list (dead-letter-sink.ts).
      const sink = new DeadLetterSink({ settings: kafkaSettings, prisma: db.prisma, logger });
      cleanups.unshift(() => sink.stop());
      startIntake = async () => {
        await handover.start(config.ingest.spark.atStart);
        await sink.start();
      };
    } else {
      const log = await WriteAheadLog.open({
        dir: config.ingest.walDir,
        segmentBytes: config.ingest.flushBytes * 2,
        maxPendingBytes: config.ingest.maxPendingBytes,
      });
      const local = new Flusher({
        wal: log,
        writer,
        eventsTable: lake.events,
        identifiesTable: lake.identifies,
        intervalMs: config.ingest.flushIntervalMs,
        flushBytes: config.ingest.flushBytes,
        logger,
      });
      wal = log;
      flusher = local;
      walPathOf = (segment) => log.pathOf(segment);
      closeIntake = () => log.close();
      startIntake = () => local.start();
    }
    // A bronze table appears with its first commit; it gets its view before the flush returns.
    flusher.afterCommit('bronze-views', async () => {
      // Only when a table without a view now exists: re-creating views binds every Delta
      // table again (a log read per commit otherwise, e.g. while bronze.identifies is absent).
      if (!deltaAvailable || !hasNewLakeTable(lake, viewed)) return;
      for (const name of await refreshBronzeViews(engine, lake)) viewed.add(name);
    });
    const registryAggregator = await SegmentAggregator.open([config.ingest.walDir, lake.events]);
    cleanups.unshift(async () => registryAggregator.close());
    flusher.afterCommit('schema-registry', (s) =>
      updateRegistryFromSegment(
        db.prisma,
        registryAggregator,
        { wal: { pathOf: walPathOf }, eventsTable: lake.events },
        s,
      ),
    );
    const ingestBus = new IngestBus((err, event) =>
      logger.error({ err, event }, 'an ingest-bus listener failed'),
    );
    const ingestStats = new IngestStats();
    ingestStats.attach(ingestBus);
    const liveHub = new LiveHub();
    liveHub.attach(ingestBus);
    storeDeadLetters(ingestBus, db.prisma, logger);
    if (deadLetterLog) {
      // Kafka mode: rejected payloads also go to the dead-letter topic (they are in Postgres for
      // the admin view either way); best effort, off the request path.
      const log = deadLetterLog;
      ingestBus.on('rejected', (batch) => {
        const items = batch.items.map((item) => ({
          key: batch.workspaceId,
          value: JSON.stringify({ ...batch, items: undefined, item }),
        }));
        log
          .deadLetter(items)
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'could not write to the dead-letter topic'),
          );
      });
    }
    cleanups.unshift(async () => {
      await streamWriters?.close();
      await flusher.stop();
      // Best effort: what stays in the log is replayed at the next start (the WAL), or stays
      // on the topic uncommitted (Kafka).
      await flusher.flush().catch(() => undefined);
      await writer.close();
      await closeIntake();
    });
    await startIntake();
    // Shares the flusher's writer (one sidecar, one request at a time); stops before it closes.
    const compactor = await Compactor.start({
      prisma: db.prisma,
      boss: jobs.boss,
      writer,
      tables: { ...lake },
      flusher,
      intervalMs: config.compaction.intervalMs,
      afterSegments: config.compaction.afterSegments,
      logger,
    });
    cleanups.unshift(() => compactor.stop());
    // Declared before the runtime object exists; its worker starts once the runtime does.
    const ref: { runtime?: Runtime } = {};
    const importJobs = await ImportJobs.open({
      dataDir: config.dataDir,
      prisma: db.prisma,
      boss: jobs.boss,
      logger,
      runImport: (o) => importFiles(ref.runtime!, o),
    });
    // Registered after the flusher's: runs before it, so an import stops before the log closes.
    cleanups.unshift(() => importJobs.close());
    const pipelines = await PipelineService.start({
      prisma: db.prisma,
      marts,
      logger,
      boss: jobs.boss,
      projectRoot: config.projectRoot,
      dataDir: config.dataDir,
      lakeDir: config.lakeDir,
      keepRuns: config.dbt.keepRuns,
      acceleratorBuild: {
        threads: config.duckdb.threads,
        tempDir: path.join(config.duckdb.tempDir, 'accelerators'),
      },
      spareDbt: config.dbt.spare,
      beforeBuild: () => flusher.flush(),
    });
    // Stops (and cancels a running dbt) before the engine and the database close.
    cleanups.unshift(() => pipelines.close());

    const seed =
      opts.seed === false
        ? {
            created: false,
            adminEmail: config.admin.email,
            workspaceSlug: config.demoWorkspaceSlug,
          }
        : await seedFirstStart(db.prisma, auth, {
            dataDir: config.dataDir,
            adminEmail: config.admin.email,
            adminPassword: config.admin.password,
            workspaceSlug: config.demoWorkspaceSlug,
          });

    // The demo workspace opens on a "Product overview" dashboard (computed when viewed).
    if (seed.created && config.demoData)
      await seedDemoDashboard(db.prisma, seed.workspaceSlug).catch((err: unknown) =>
        logger.error({ err }, 'demo data: could not create the Product overview dashboard'),
      );

    const cohorts = new CohortService({ prisma: db.prisma, engine: queryEngine, pipelines });
    let closed = false;
    const askHistory = new AskHistory(db.prisma);
    // Ask: retrieval over the catalog (Qdrant when QDRANT_URL is set, else embedded under the
    // data directory), with the sentence-embedding model from the venv or the hashed fallback.
    const vectorStore: VectorStore = config.qdrant
      ? new QdrantVectorStore({ url: config.qdrant.url, apiKey: config.qdrant.apiKey })
      : await EmbeddedVectorStore.open(path.join(config.dataDir, 'vectors'));
    cleanups.unshift(() => vectorStore.close());
    const martsOf = async (workspaceId: string) => {
      const current = await db.prisma.pipelineRun.findFirst({
        where: { workspaceId, isCurrent: true },
        select: { id: true },
      });
      return current
        ? { schema: pipelines.schemaOf(workspaceId, current.id), version: current.id }
        : undefined;
    };
    const retriever = new AskRetriever({
      store: vectorStore,
      embedder: () =>
        createEmbedder({
          projectRoot: config.projectRoot,
          onFallback: (err) =>
            logger.warn(
              { err },
              'ask retrieval: the sentence-embedding model did not load; using the hashed n-gram fallback',
            ),
        }),
      version: async (workspaceId) => (await martsOf(workspaceId))?.version,
      documents: async (workspaceId) => {
        const [{ lexicon }, meta, catalog] = await Promise.all([
          // Before the first dbt run there are no marts: the metadata documents still count.
          ask
            .lexiconFor(workspaceId)
            .catch(() => ({ lexicon: { events: [], values: [], dimensions: [], measures: [] } })),
          loadMetadataSources(db.prisma, workspaceId),
          loadCatalog(db.prisma, queryEngine, config.dataDir, workspaceId).catch(() => undefined),
        ]);
        // Ask answers from the marts: the staging models and bronze rows the SQL editor also
        // lists are not documents for it.
        const columns = (catalog?.nodes ?? [])
          .filter((n) => n.queryable && n.layer === 'marts')
          .flatMap((n) =>
            n.columns
              .filter((c) => c.description)
              .map((c) => ({ table: n.name, column: c.name, description: c.description })),
          );
        return buildRetrievalDocs({ lexicon, columns, ...meta });
      },
      logger,
    });
    const ask: AskService = new AskService({
      engine: queryEngine,
      martsOf,
      today: () => todayUtc(config.now),
      history: askHistory,
      retriever,
      vocabularyOf: (workspaceId) => loadVocabulary(db.prisma, workspaceId),
      llm: config.llm && {
        load: () =>
          createPlanGenerator(config.llm!, {
            projectRoot: config.projectRoot,
            dataDir: config.dataDir,
          }),
        timeoutMs: config.llm.timeoutMs,
      },
    });
    cleanups.unshift(() => ask.close());
    const runtime: Runtime = {
      config,
      logger,
      prisma: db.prisma,
      db,
      auth,
      engine,
      queryEngine,
      trino,
      lake,
      wal,
      flusher,
      kafka,
      streamWriters,
      compactor,
      ingestBus,
      ingestStats,
      liveHub,
      importJobs,
      pipelines,
      insights: new InsightService({ prisma: db.prisma, engine: queryEngine, pipelines, cohorts }),
      sql: new SqlService({
        prisma: db.prisma,
        engine: queryEngine,
        schemaFor: (workspaceId) => pipelines.currentSchema(workspaceId),
        maxRunningPerUser: maxRunningPerUser(config.query.poolSize),
      }),
      ask,
      askHistory,
      cohorts,
      jobs,
      deltaAvailable,
      mode: {
        metadata: embedded ? 'pglite' : 'postgres',
        queryEngine: queryEngine.dialect,
        intake: kafka ? 'kafka' : 'wal',
      },
      migrations,
      seed,
      startedAt: new Date(),
      async close() {
        if (closed) return;
        closed = true;
        if (slot().runtime === runtime) slot().runtime = undefined;
        for (const cleanup of cleanups)
          await cleanup().catch((e: unknown) => logger.error({ err: e }, 'shutdown step failed'));
      },
    };
    ref.runtime = runtime;
    // Imports (queued ones from before a restart too) can run now.
    await importJobs.startWorker();
    // First start: load the demo dataset in the background (the server does not wait for it);
    // shutdown stops it before the log closes, and the next start resumes it.
    if (config.demoData && opts.seed !== false) {
      const demo = startDemoData(runtime);
      cleanups.unshift(() => demo.stop());
      // Then the marts: once the demo events are in the lake, a first dbt build.
      void demo.done.then((status) => buildDemoMarts(runtime, status.state));
    }
    return runtime;
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}
