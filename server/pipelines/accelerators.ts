// Accelerators: tables the app derives from a run's marts after the workspace switched to them,
// as indexes for insight queries. They are not dbt models on purpose: a dbt build on two cores is
// CPU-bound, and one more 10M-row aggregation in it made every build ~7 s longer (59 s → 66 s
// median at 10M events) — the time until new marts are queryable. Built afterwards, the marts
// switch as before and the index follows a few seconds later; until it exists, insights take
// their general path over fact_events and give the same answers.
//
// An accelerator is a Parquet file in the run's folder next to its marts, written to a temporary
// name and renamed, so readers (runOutputs, the views) only ever see a whole file. It depends on
// the run's files only, so a kept run can be switched back to with its accelerators.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { USER_EVENT_TIMES } from '../insights/funnels';
import { EVENT_CODES, USER_TIMELINE } from '../insights/paths';
import { USER_EVENT_DAYS } from '../insights/trends';
import { allowedDirectoryEntry } from '../query/duckdb-engine';
import { sqlString as quoteString } from '../query/sql-quote';

export interface Accelerator {
  /** The table name queries use (a view like a mart's). */
  name: string;
  /** The mart it is computed from. */
  source: string;
  /** The statement, over `source` (a table expression). */
  select(source: string): string;
  /**
   * Rows per Parquet row group, for a table queries read a slice of (by its sort order): a scan
   * decodes whole row groups, so with DuckDB's default (122,880) a funnel step's rows came with
   * most of another event's lists.
   */
  rowGroupSize?: number;
}

export const ACCELERATORS: readonly Accelerator[] = [
  {
    // Per event name and user, the times of that user's events of that name, ascending, as
    // epoch microseconds (the DuckDB dialect's time keys). Plain funnels walk these lists: one
    // row per user and step instead of every event of every step (server/insights/funnels.ts).
    // Ordered by event name and written in small row groups, so that a step decodes its own
    // event's lists only: 16,384 rows took the bench funnel from ~420 to ~240 ms at 10M events.
    name: USER_EVENT_TIMES,
    source: 'fact_events',
    select: (source) =>
      `SELECT event_name, user_id, list_sort(list(epoch_us(ts))) AS times FROM ${source} WHERE user_id IS NOT NULL GROUP BY event_name, user_id ORDER BY event_name, user_id`,
    rowGroupSize: 16_384,
  },
  {
    // Per event name and UTC day, the users who did it (distinct). Trends of unique users with
    // no property filter or breakdown count these rows instead of distinct users over every
    // event (server/insights/trends.ts); day, week and month buckets are whole UTC days.
    name: USER_EVENT_DAYS,
    source: 'fact_events',
    select: (source) =>
      `SELECT DISTINCT event_name, event_date AS day, user_id FROM ${source} WHERE user_id IS NOT NULL ORDER BY event_name, day`,
  },
  {
    // One character per event name (CJK ideographs from U+4E00 by name order: one code point
    // each, no combining marks, so string positions are event positions), for the timelines.
    name: EVENT_CODES,
    source: 'fact_events',
    select: (source) => `${eventCodes(source)} ORDER BY event_name`,
  },
  {
    // Per user, the event history as text (server/insights/paths.ts, USER_TIMELINE): paths read
    // one string per user instead of ordering every event of the range with window functions.
    // Built from the same codes as EVENT_CODES (the same statement over the same file). The
    // order is (ts, event_id); list_sort of structs, not ordered aggregates, which buffer every
    // group in memory (out of memory at 10M events under the 2 GB default).
    name: USER_TIMELINE,
    source: 'fact_events',
    select: (source) => `WITH c AS (${eventCodes(source)}),
o AS (
  SELECT f.user_id, epoch_us(f.ts) // 86400000000 AS day, c.code, row_number() OVER w AS i,
    c.code IS DISTINCT FROM lag(c.code) OVER w AS rs
  FROM ${source} AS f JOIN c ON c.event_name = f.event_name
  WHERE f.user_id IS NOT NULL
  WINDOW w AS (PARTITION BY f.user_id ORDER BY f.ts, f.event_id)
),
r AS (
  SELECT *, CAST(sum(CAST(rs AS INTEGER)) OVER (PARTITION BY user_id ORDER BY i ROWS UNBOUNDED PRECEDING) AS BIGINT) AS run
  FROM o
),
u AS (
  SELECT user_id,
    array_to_string(list_transform(list_sort(list({'i': i, 'c': code})), lambda x: x.c), '') AS events,
    array_to_string(list_transform(list_sort(list({'i': i, 'c': code}) FILTER (WHERE rs)), lambda x: x.c), '') AS runs
  FROM r GROUP BY user_id
),
d AS (
  SELECT user_id, list_sort(list({'day': day, 'ev_first': ev_first, 'ev_last': ev_last, 'run_first': run_first, 'run_last': run_last})) AS d
  FROM (
    SELECT user_id, day, min(i) AS ev_first, max(i) AS ev_last, min(run) AS run_first, max(run) AS run_last
    FROM r GROUP BY user_id, day
  )
  GROUP BY user_id
)
SELECT u.user_id, u.events, u.runs,
  list_transform(d.d, lambda x: x.day) AS days,
  list_transform(d.d, lambda x: x.ev_first) AS ev_first,
  list_transform(d.d, lambda x: x.ev_last) AS ev_last,
  list_transform(d.d, lambda x: x.run_first) AS run_first,
  list_transform(d.d, lambda x: x.run_last) AS run_last
FROM u JOIN d ON d.user_id = u.user_id`,
  },
];

/** The distinct event names of users' events with their characters (EVENT_CODES). */
const eventCodes = (source: string) =>
  `SELECT event_name, chr(19968 + CAST(row_number() OVER (ORDER BY event_name) AS INTEGER) - 1) AS code FROM (SELECT DISTINCT event_name FROM ${source} WHERE user_id IS NOT NULL)`;

export const ACCELERATOR_NAMES: ReadonlySet<string> = new Set(ACCELERATORS.map((a) => a.name));

const fileOf = (outputDir: string, name: string) => path.join(outputDir, `${name}.parquet`);

export interface AcceleratorBuildLimits {
  threads: number;
  /** DuckDB size string; undefined = DuckDB's default (80% of RAM), as dbt's builds have. */
  memoryLimit?: string;
  /** Where the build spills (its sorts and windows exceed memory at 100M events). */
  tempDir: string;
}

/**
 * Builds the accelerators the run's folder lacks (and can have). Returns the names built.
 *
 * On a DuckDB instance of its own, not the query engine's: the engine's memory limit (2 GB by
 * default) is for queries and locked; per-user lists over 100M events need more (the first
 * accelerator ran out of memory there on the engine), as dbt's own builds do. The instance can
 * read and write the run's folder only, and is closed when the build ends.
 */
export async function buildAccelerators(
  outputDir: string,
  limits: AcceleratorBuildLimits,
): Promise<string[]> {
  const todo = ACCELERATORS.filter(
    (a) => !existsSync(fileOf(outputDir, a.name)) && existsSync(fileOf(outputDir, a.source)),
  );
  if (todo.length === 0) return [];
  await mkdir(limits.tempDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(limits.threads),
    ...(limits.memoryLimit ? { memory_limit: limits.memoryLimit } : {}),
    temp_directory: limits.tempDir,
    preserve_insertion_order: 'true',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  try {
    await conn.run(
      `SET allowed_directories = [${quoteString(allowedDirectoryEntry(outputDir))}, ${quoteString(allowedDirectoryEntry(limits.tempDir))}]`,
    );
    await conn.run('SET enable_external_access = false');
    const built: string[] = [];
    for (const a of todo) {
      const file = fileOf(outputDir, a.name);
      const source = fileOf(outputDir, a.source);
      const tmp = `${file}.tmp`;
      await rm(tmp, { force: true });
      await conn.run(
        `COPY (${a.select(`read_parquet(${quoteString(source)})`)}) TO ${quoteString(tmp)} (FORMAT parquet${a.rowGroupSize ? `, ROW_GROUP_SIZE ${a.rowGroupSize}` : ''})`,
      );
      await rename(tmp, file);
      built.push(a.name);
    }
    return built;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Removes a run folder's accelerators: a selective run starts from a copy of the current run's
 * files, and an accelerator copied along may describe a fact_events the run rebuilt.
 */
export async function removeAccelerators(outputDir: string): Promise<void> {
  for (const a of ACCELERATORS) {
    await rm(fileOf(outputDir, a.name), { force: true });
    await rm(`${fileOf(outputDir, a.name)}.tmp`, { force: true });
  }
}
