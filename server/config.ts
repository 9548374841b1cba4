// The one place that reads the environment. Parsed once with zod at start-up; an invalid
// value is a start-up error that names the variable. The rest of the code receives Config.
import path from 'node:path';
import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';
import type { LlmConfig } from './ask/llm/plan-generators';
import { AppError } from './errors';
import type { KafkaSettings } from './ingest/kafka/kafka-log';

const intFrom = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

/** Variables of the distributed mode that later releases implement. Setting one now is an error, never a silent fallback. */
export function parseEnv(source: Record<string, string | undefined>) {
  return createEnv({
    server: {
      NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
      TL_DATA_DIR: z
        .string()
        .min(1)
        .default('./.data')
        .describe('Data directory: PGlite, lake, logs'),
      PORT: intFrom(3000, 1, 65535),
      HOST: z.string().min(1).default('localhost'),
      TL_BASE_URL: z.url().optional().describe('Public URL of the app; default http://HOST:PORT'),
      DATABASE_URL: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional()
        .describe('PostgreSQL for metadata; unset = embedded PGlite'),
      TL_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
      TL_ADMIN_EMAIL: z.email().default('admin@example.com'),
      TL_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
      TL_DEMO_WORKSPACE: z
        .string()
        .regex(/^[a-z0-9-]{2,40}$/)
        .default('demo'),
      TL_DEMO_DATA: z
        .stringbool({ error: 'must be 1/0, true/false, on/off or yes/no' })
        .default(true)
        .describe('Load a generated demo dataset into the demo workspace on the first start'),
      TL_NOW: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
        .refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date')
        .optional()
        .describe('Fixes "today" for relative dates in Ask (evaluation, demos); unset = the clock'),
      TL_QUERY_TIMEOUT_MS: intFrom(30_000, 100, 3_600_000),
      TL_QUERY_MAX_ROWS: intFrom(10_000, 1, 10_000_000),
      TL_QUERY_POOL_SIZE: intFrom(2, 1, 64),
      TL_QUERY_QUEUE_MAX: intFrom(64, 0, 10_000),
      TL_DUCKDB_THREADS: intFrom(2, 1, 256),
      TL_DUCKDB_MEMORY_LIMIT: z
        .string()
        .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must look like 2GB or 512MiB')
        .default('2GB'),
      TL_LOGIN_RATE_LIMIT: intFrom(10, 1, 10_000).describe('Sign-in attempts per minute per IP'),
      TL_FLUSH_INTERVAL_MS: intFrom(2_000, 50, 3_600_000).describe(
        'How often the WAL is flushed to the lake',
      ),
      TL_FLUSH_BYTES: intFrom(32 * 1024 * 1024, 1024, 2 ** 31).describe(
        'Flush early when the active WAL segment is this big',
      ),
      TL_WAL_MAX_PENDING_BYTES: intFrom(1024 ** 3, 1024, 2 ** 40).describe(
        'Answer 503 while this much waits for the lake',
      ),
      TL_INGEST_RATE_LIMIT: intFrom(200_000, 1, 100_000_000).describe(
        'Events per second per workspace before 429',
      ),
      TL_DBT_KEEP_RUNS: intFrom(7, 1, 1_000).describe(
        'Successful dbt runs whose marts are kept for time travel and rollback',
      ),
      TL_DBT_SPARE: z
        .stringbool({ error: 'must be 1/0, true/false, on/off or yes/no' })
        .default(true)
        .describe(
          'Keep a dbt process started ahead of the next run (saves ~3.5 s of dbt start-up per run)',
        ),
      TL_COMPACT_INTERVAL_MS: intFrom(600_000, 0, 86_400_000).describe(
        'How often small lake files are compacted (whole minutes, a pg-boss schedule); 0 = never',
      ),
      TL_COMPACT_AFTER_SEGMENTS: intFrom(100, 0, 1_000_000).describe(
        'Also compact after this many flushed WAL segments; 0 = interval only',
      ),
      LOG_LEVEL: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
      KAFKA_BROKERS: z
        .string()
        .regex(
          /^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/,
          'KAFKA_BROKERS must be host:port[,host:port…] (e.g. 127.0.0.1:9092)',
        )
        .optional()
        .describe(
          'Kafka brokers: the collector produces to Kafka and a consumer group writes the lake',
        ),
      KAFKA_TOPIC: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,200}$/, 'KAFKA_TOPIC: letters, digits, ".", "_" and "-" only')
        .default('tl.events'),
      KAFKA_PARTITIONS: intFrom(6, 1, 1000).describe('Partitions of a newly created events topic'),
      KAFKA_RETENTION_HOURS: intFrom(168, 1, 100_000).describe(
        'Retention of a newly created events topic (the lake is the system of record)',
      ),
      KAFKA_GROUP_ID: z.string().min(1).max(200).default('tl-lake-writer'),
      TRINO_URL: z
        .url({
          protocol: /^https?$/,
          error: 'TRINO_URL must be an http(s) URL, e.g. http://127.0.0.1:8080',
        })
        .optional()
        .describe('Trino coordinator: queries and dbt builds run there; unset = embedded DuckDB'),
      TRINO_CATALOG: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,62}$/, 'TRINO_CATALOG: lower-case letters, digits and "_"')
        .default('lake'),
      TRINO_USER: z.string().min(1).max(100).default('tl-app'),
      TRINO_ADMIN_USER: z.string().min(1).max(100).default('tl-admin'),
      QDRANT_URL: z
        .url()
        .optional()
        .describe("Qdrant for Ask's retrieval; unset = the embedded vector store"),
      QDRANT_API_KEY: z.string().min(1).optional(),
      TL_LLM: z
        .enum(['off', 'local', 'openai', 'anthropic', 'ollama'])
        .default('off')
        .describe('A language model for questions the offline planner cannot read'),
      TL_LLM_MODEL: z.string().min(1).max(500).optional(),
      TL_LLM_BASE_URL: z.url().optional(),
      TL_LLM_API_KEY: z.string().min(1).optional(),
      TL_LLM_TIMEOUT_MS: intFrom(30_000, 1_000, 600_000),
      TL_LLM_MAX_TOKENS: intFrom(512, 16, 4_096),
      SPARK_MASTER: z
        .string()
        .regex(
          /^(local(\[([1-9][0-9]{0,2}|\*)\])?|spark:\/\/[^\s,]+(,[^\s,]+)*|k8s:\/\/\S+|yarn)$/,
          'SPARK_MASTER must be a Spark master URL: local[N], spark://host:7077, k8s://… or yarn',
        )
        .optional()
        .describe(
          'Runs the Spark Structured Streaming job as the lake writer (needs KAFKA_BROKERS)',
        ),
      TL_SPARK_TRIGGER: z
        .string()
        .regex(/^[0-9]+(ms|s|m)$/, 'TL_SPARK_TRIGGER must be an interval like 5s, 1m or 500ms')
        .default('5s')
        .describe('The Spark job’s micro-batch interval'),
    },
    runtimeEnv: source,
    emptyStringAsUndefined: true,
    onValidationError: (issues) => {
      const lines = issues.map(
        (i) =>
          `  ${i.path?.map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.') ?? '?'}: ${i.message}`,
      );
      throw new AppError(
        'CONFIG_INVALID',
        `Invalid environment configuration:\n${lines.join('\n')}`,
        {
          variables: issues.map((i) =>
            i.path?.map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.'),
          ),
        },
      );
    },
  });
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  dataDir: string;
  lakeDir: string;
  logDir: string;
  pgliteDir: string;
  port: number;
  host: string;
  baseUrl: string;
  databaseUrl: string | undefined;
  authSecret: string | undefined;
  admin: { email: string; password: string | undefined };
  demoWorkspaceSlug: string;
  /** Load the generated demo dataset into the demo workspace once (server/ingest/demo-data.ts). */
  demoData: boolean;
  /** "Today" for Ask's relative dates when fixed (TL_NOW); undefined = the clock, UTC. */
  now: string | undefined;
  /** A language model for Ask (TL_LLM…); undefined = the offline planner only. */
  llm: LlmConfig | undefined;
  /** Qdrant for Ask's retrieval (QDRANT_URL); undefined = the embedded store under dataDir. */
  qdrant: { url: string; apiKey: string | undefined } | undefined;
  /**
   * Trino (TRINO_URL): insights, the SQL editor and Ask query it and dbt builds the marts there;
   * undefined = the embedded DuckDB. `user` is read-only on the server, `adminUser` writes marts.
   */
  trino: { url: string; catalog: string; user: string; adminUser: string } | undefined;
  query: { timeoutMs: number; maxRows: number; poolSize: number; queueMax: number };
  duckdb: { threads: number; memoryLimit: string; tempDir: string };
  loginRateLimitPerMinute: number;
  projectRoot: string;
  ingest: {
    flushIntervalMs: number;
    flushBytes: number;
    walDir: string;
    maxPendingBytes: number;
    rateLimitPerSecond: number;
    /** Set by KAFKA_BROKERS: intake goes to Kafka and a consumer group writes the lake. */
    kafka: KafkaSettings | undefined;
    /**
     * The Spark Structured Streaming lake writer (Kafka mode only): `atStart` when SPARK_MASTER
     * is set (it replaces the app's own consumer); otherwise Admin → Pipelines can start it in
     * local mode.
     */
    spark: { master: string; atStart: boolean; trigger: string };
  };
  /** dbt runs (server/pipelines). */
  dbt: { keepRuns: number; spare: boolean };
  /** Small-file compaction of the lake (server/lake/compactor.ts); intervalMs 0 = off. */
  compaction: { intervalMs: number; afterSegments: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): Config {
  const env = parseEnv(source);
  if (env.SPARK_MASTER && !env.KAFKA_BROKERS)
    throw new AppError(
      'CONFIG_INVALID',
      'SPARK_MASTER is set without KAFKA_BROKERS: the Spark job streams the Kafka events topic into the lake. Set KAFKA_BROKERS too, or unset SPARK_MASTER.',
      { variables: ['SPARK_MASTER', 'KAFKA_BROKERS'] },
    );
  const dataDir = path.resolve(cwd, env.TL_DATA_DIR);
  const baseUrl = (env.TL_BASE_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/$/, '');
  return {
    nodeEnv: env.NODE_ENV,
    dataDir,
    lakeDir: path.join(dataDir, 'lake'),
    logDir: path.join(dataDir, 'logs'),
    pgliteDir: path.join(dataDir, 'pglite'),
    port: env.PORT,
    host: env.HOST,
    baseUrl,
    databaseUrl: env.DATABASE_URL,
    authSecret: env.TL_AUTH_SECRET,
    admin: { email: env.TL_ADMIN_EMAIL, password: env.TL_ADMIN_PASSWORD },
    demoWorkspaceSlug: env.TL_DEMO_WORKSPACE,
    demoData: env.TL_DEMO_DATA,
    now: env.TL_NOW,
    qdrant: env.QDRANT_URL ? { url: env.QDRANT_URL, apiKey: env.QDRANT_API_KEY } : undefined,
    trino: env.TRINO_URL
      ? {
          url: env.TRINO_URL.replace(/\/+$/, ''),
          catalog: env.TRINO_CATALOG,
          user: env.TRINO_USER,
          adminUser: env.TRINO_ADMIN_USER,
        }
      : undefined,
    llm:
      env.TL_LLM === 'off'
        ? undefined
        : {
            provider: env.TL_LLM,
            model: env.TL_LLM_MODEL,
            baseUrl: env.TL_LLM_BASE_URL,
            apiKey: env.TL_LLM_API_KEY,
            timeoutMs: env.TL_LLM_TIMEOUT_MS,
            maxTokens: env.TL_LLM_MAX_TOKENS,
          },
    query: {
      timeoutMs: env.TL_QUERY_TIMEOUT_MS,
      maxRows: env.TL_QUERY_MAX_ROWS,
      poolSize: env.TL_QUERY_POOL_SIZE,
      queueMax: env.TL_QUERY_QUEUE_MAX,
    },
    duckdb: {
      threads: env.TL_DUCKDB_THREADS,
      memoryLimit: env.TL_DUCKDB_MEMORY_LIMIT,
      tempDir: path.join(dataDir, 'duckdb-tmp'),
    },
    loginRateLimitPerMinute: env.TL_LOGIN_RATE_LIMIT,
    projectRoot: path.resolve(cwd),
    ingest: {
      flushIntervalMs: env.TL_FLUSH_INTERVAL_MS,
      flushBytes: env.TL_FLUSH_BYTES,
      walDir: path.join(dataDir, 'wal'),
      maxPendingBytes: env.TL_WAL_MAX_PENDING_BYTES,
      rateLimitPerSecond: env.TL_INGEST_RATE_LIMIT,
      kafka: env.KAFKA_BROKERS
        ? {
            brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()),
            topic: env.KAFKA_TOPIC,
            partitions: env.KAFKA_PARTITIONS,
            retentionMs: env.KAFKA_RETENTION_HOURS * 3_600_000,
            groupId: env.KAFKA_GROUP_ID,
            clientId: 'telemetry-lakehouse',
          }
        : undefined,
      spark: {
        master: env.SPARK_MASTER ?? 'local[2]',
        atStart: env.SPARK_MASTER !== undefined,
        trigger: env.TL_SPARK_TRIGGER,
      },
    },
    dbt: { keepRuns: env.TL_DBT_KEEP_RUNS, spare: env.TL_DBT_SPARE },
    compaction: {
      intervalMs: env.TL_COMPACT_INTERVAL_MS,
      afterSegments: env.TL_COMPACT_AFTER_SEGMENTS,
    },
    logLevel: env.LOG_LEVEL,
  };
}

/**
 * The environment for a child process the server runs with its own settings (dbt): only PATH,
 * HOME, the locale and the temp folder of ours, so no secret of the server's environment
 * (DATABASE_URL, TL_SECRET, API keys) reaches it.
 */
export function childProcessEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const pick = (name: string) => process.env[name];
  const base: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'JAVA_HOME']) {
    const value = pick(name);
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...extra };
}
