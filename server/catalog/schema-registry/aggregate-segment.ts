// Aggregation of a committed WAL segment's events for the schema registry: per
// (workspace, event) the count and time range, per (workspace, event, property key) the JSON
// type(s), count, time range and a few short example values. Only `properties` keys are
// tracked; context fields are fixed bronze columns. Events repeated inside the segment with the
// same event_id (client retries) are counted once, as bronze keeps them once.
//
// The work runs in a small private DuckDB instance (one thread, file access limited to the WAL
// and bronze.events folders), never on the Node event loop that acknowledges ingestion. It reads
// the segment's rows back from the Parquet files its Delta commit added (columns, so the only
// JSON parsed is `properties`); a replayed segment whose commit was made before a crash has no
// file list and is read from the WAL segment's JSON instead. Only the aggregates — one row per
// event name and per property — come back to JavaScript. (The JavaScript version this replaced
// parsed every segment line on the main thread, 0.5–0.9 s per commit at 20k events/s: the
// largest cause of acknowledgement-latency spikes.)
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { allowedDirectoryEntry } from '../../query/duckdb-engine';
import { sqlString } from '../../query/sql-quote';

export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

export interface EventAggregate {
  workspaceId: string;
  name: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

export interface PropertyAggregate {
  workspaceId: string;
  eventName: string;
  name: string;
  /** Type of the value with the latest timestamp (ties: the later row). */
  type: JsonType;
  seenTypes: JsonType[];
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Up to MAX_EXAMPLES distinct, short values, in order of appearance. */
  examples: unknown[];
}

export interface SegmentAggregate {
  events: EventAggregate[];
  properties: PropertyAggregate[];
}

export const MAX_EXAMPLES = 5;
export const MAX_EXAMPLE_STRING = 100;
export const MAX_EXAMPLE_JSON = 200;
/** A client sending random keys cannot grow one event's registry by more than this per segment. */
export const MAX_PROPERTIES_PER_EVENT = 1_000;
/**
 * How segments are read, in order until one succeeds. DuckDB allocates read buffers by the
 * longest line it accepts, so the common case (an API request is at most 5 MiB of body) reads
 * with a small limit; a long import record gets a second try with a large one; a torn last line
 * (a crash mid-write, never acknowledged) a third that skips what does not parse.
 */
const READ_ATTEMPTS = [
  { maxRecordBytes: 16 * 1024 * 1024, ignoreErrors: false },
  { maxRecordBytes: 128 * 1024 * 1024, ignoreErrors: false },
  { maxRecordBytes: 128 * 1024 * 1024, ignoreErrors: true },
] as const;

const JSON_TYPE_SQL = `CASE json_type(value)
    WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean'
    WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array'
    WHEN 'BIGINT' THEN 'number' WHEN 'UBIGINT' THEN 'number' WHEN 'DOUBLE' THEN 'number'
    WHEN 'HUGEINT' THEN 'number'
    ELSE 'null' END`;

/** Where a segment's rows are read from. */
export type SegmentSource =
  { kind: 'parquet'; files: readonly string[] } | { kind: 'wal'; segment: string };

/**
 * The segment's distinct events (first occurrence of each workspace/event_id) as table `ev`
 * with `rn` (arrival order) and `event_at` (event time). Rows with an unreadable time are left out.
 */
const DEDUP_SQL = `
    SELECT rn, workspace_id, event, try_cast(ts AS TIMESTAMPTZ) AS event_at, properties
    FROM numbered
    WHERE try_cast(ts AS TIMESTAMPTZ) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY workspace_id, event_id ORDER BY rn) = 1`;

function parquetEventsSql(files: readonly string[]): string {
  return `
    CREATE OR REPLACE TEMP TABLE ev AS
    WITH numbered AS (
      SELECT event_id, workspace_id, event, ts, properties,
             row_number() OVER (ORDER BY filename, file_row_number) AS rn
      FROM read_parquet([${files.map(sqlString).join(', ')}],
                        filename = true, file_row_number = true)
    )${DEDUP_SQL}`;
}

function walEventsSql(
  segment: string,
  { maxRecordBytes, ignoreErrors }: (typeof READ_ATTEMPTS)[number],
): string {
  return `
    CREATE OR REPLACE TEMP TABLE ev AS
    WITH records AS (
      -- Whole lines as JSON documents, then one json_transform: ~20x faster than read_json's
      -- own structured reader on lines of a thousand nested events.
      SELECT json_transform(json, '{"events": [{"event_id": "VARCHAR",
        "workspace_id": "VARCHAR", "event": "VARCHAR", "ts": "VARCHAR",
        "properties": "VARCHAR"}]}').events AS events
      FROM read_ndjson_objects(${sqlString(segment)},
        maximum_object_size = ${maxRecordBytes},
        ignore_errors = ${ignoreErrors})
    ), rows AS (
      SELECT unnest(events, recursive := true) FROM records
    ), numbered AS (
      SELECT *, row_number() OVER () AS rn FROM rows
    )${DEDUP_SQL}`;
}

const EVENT_AGGREGATES_SQL = `
  SELECT workspace_id, event, count(*)::INTEGER AS n,
         epoch_ms(min(event_at)) AS first_ms, epoch_ms(max(event_at)) AS last_ms
  FROM ev GROUP BY workspace_id, event ORDER BY min(rn)`;

// Properties that are not a JSON object (or not JSON at all) contribute no keys.
const PROPERTY_AGGREGATES_SQL = `
  WITH kv AS (
    SELECT rn, workspace_id, event, event_at, generate_subscripts(entries, 1) AS pos,
           unnest(entries) AS entry
    FROM (
      SELECT rn, workspace_id, event, event_at,
             map_entries(json_transform(properties, '"MAP(VARCHAR, JSON)"')) AS entries
      FROM ev
      WHERE json_valid(properties) AND json_type(properties) = 'OBJECT'
    )
  ), typed AS (
    SELECT rn, pos, workspace_id, event, event_at, entry.key AS key, entry.value AS value,
           ${JSON_TYPE_SQL} AS type
    FROM kv
  ), examples AS (
    SELECT *, CASE
        WHEN type = 'string' THEN to_json(left(value ->> '$', ${MAX_EXAMPLE_STRING}))::VARCHAR
        WHEN type IN ('number', 'boolean') THEN value::VARCHAR
        WHEN type IN ('object', 'array') AND length(value::VARCHAR) <= ${MAX_EXAMPLE_JSON}
          THEN value::VARCHAR
      END AS example
    FROM typed
  ), keys AS (
    SELECT workspace_id, event, key,
           count(*)::INTEGER AS n,
           epoch_ms(min(event_at)) AS first_ms, epoch_ms(max(event_at)) AS last_ms,
           arg_max(type, (event_at, rn)) AS type,
           list(DISTINCT type ORDER BY type) AS seen_types,
           min((rn, pos)) AS first_at
    FROM examples GROUP BY workspace_id, event, key
  ), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY workspace_id, event ORDER BY first_at) AS k
    FROM keys
  ), first_examples AS (
    SELECT workspace_id, event, key, list(example ORDER BY first_rn) AS examples
    FROM (
      SELECT workspace_id, event, key, example, min(rn) AS first_rn,
             row_number() OVER (PARTITION BY workspace_id, event, key ORDER BY min(rn)) AS e
      FROM examples WHERE example IS NOT NULL GROUP BY workspace_id, event, key, example
    )
    WHERE e <= ${MAX_EXAMPLES * 2}
    GROUP BY workspace_id, event, key
  )
  SELECT r.workspace_id, r.event, r.key, r.n, r.first_ms, r.last_ms, r.type, r.seen_types,
         coalesce(x.examples, []) AS examples
  FROM ranked r LEFT JOIN first_examples x USING (workspace_id, event, key)
  WHERE r.k <= ${MAX_PROPERTIES_PER_EVENT}
  ORDER BY r.first_at`;

/** Distinct examples (by value as JSON, e.g. 1 and 1.0 are one), at most MAX_EXAMPLES. */
function pickExamples(texts: readonly string[]): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    const key = JSON.stringify(value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
    if (out.length === MAX_EXAMPLES) break;
  }
  return out;
}

export class SegmentAggregator {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /**
   * A private DuckDB that may read only the given folders (the WAL and bronze.events). One
   * thread and 1 GB suit the collector's segments; a bulk load of millions of events per call
   * (bench/bronze-loader.ts) needs more memory.
   */
  static async open(
    dirs: readonly string[],
    limits: { threads?: number; memoryLimit?: string } = {},
  ): Promise<SegmentAggregator> {
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(limits.threads ?? 1),
      memory_limit: limits.memoryLimit ?? '1GB',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      enable_external_access: 'true',
    });
    const conn = await instance.connect();
    await conn.run(
      `SET allowed_directories = [${dirs.map((d) => sqlString(allowedDirectoryEntry(d))).join(', ')}]`,
    );
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
    return new SegmentAggregator(instance, conn);
  }

  /** Aggregates one segment. Calls are serialised (one connection, one temp table). */
  aggregate(source: SegmentSource): Promise<SegmentAggregate> {
    const run = this.queue.then(() => this.run(source));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(source: SegmentSource): Promise<SegmentAggregate> {
    if (source.kind === 'parquet') {
      if (source.files.length === 0) return { events: [], properties: [] };
      await this.conn.run(parquetEventsSql(source.files));
    } else {
      for (const [i, attempt] of READ_ATTEMPTS.entries()) {
        try {
          await this.conn.run(walEventsSql(source.segment, attempt));
          break;
        } catch (error) {
          if (i === READ_ATTEMPTS.length - 1) throw error;
        }
      }
    }
    try {
      const events = (await this.conn.runAndReadAll(EVENT_AGGREGATES_SQL)).getRowObjectsJS();
      const properties = (await this.conn.runAndReadAll(PROPERTY_AGGREGATES_SQL)).getRowObjectsJS();
      return {
        events: events.map((r) => ({
          workspaceId: String(r.workspace_id),
          name: String(r.event),
          count: Number(r.n),
          firstSeen: new Date(Number(r.first_ms)),
          lastSeen: new Date(Number(r.last_ms)),
        })),
        properties: properties.map((r) => ({
          workspaceId: String(r.workspace_id),
          eventName: String(r.event),
          name: String(r.key),
          type: r.type as JsonType,
          seenTypes: r.seen_types as JsonType[],
          count: Number(r.n),
          firstSeen: new Date(Number(r.first_ms)),
          lastSeen: new Date(Number(r.last_ms)),
          examples: pickExamples(r.examples as string[]),
        })),
      };
    } finally {
      await this.conn.run('DROP TABLE IF EXISTS ev');
    }
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
