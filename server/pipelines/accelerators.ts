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
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { USER_EVENT_TIMES } from '../insights/funnels';
import { USER_EVENT_DAYS } from '../insights/trends';
import type { DuckDbEngine } from '../query/duckdb-engine';
import { sqlString as quoteString } from '../query/sql-quote';

export interface Accelerator {
  /** The table name queries use (a view like a mart's). */
  name: string;
  /** The mart it is computed from. */
  source: string;
  /** The statement, over `source` (a table expression). */
  select(source: string): string;
}

export const ACCELERATORS: readonly Accelerator[] = [
  {
    // Per event name and user, the times of that user's events of that name, ascending, as
    // epoch microseconds (the DuckDB dialect's time keys). Plain funnels walk these lists: one
    // row per user and step instead of every event of every step (server/insights/funnels.ts).
    // Ordered by event name so that a step's rows are a few row groups a scan can pick.
    name: USER_EVENT_TIMES,
    source: 'fact_events',
    select: (source) =>
      `SELECT event_name, user_id, list_sort(list(epoch_us(ts))) AS times FROM ${source} WHERE user_id IS NOT NULL GROUP BY event_name, user_id ORDER BY event_name, user_id`,
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
];

export const ACCELERATOR_NAMES: ReadonlySet<string> = new Set(ACCELERATORS.map((a) => a.name));

const fileOf = (outputDir: string, name: string) => path.join(outputDir, `${name}.parquet`);

/** Builds the accelerators the run's folder lacks (and can have). Returns the names built. */
export async function buildAccelerators(
  engine: DuckDbEngine,
  outputDir: string,
): Promise<string[]> {
  const built: string[] = [];
  for (const a of ACCELERATORS) {
    const file = fileOf(outputDir, a.name);
    const source = fileOf(outputDir, a.source);
    if (existsSync(file) || !existsSync(source)) continue;
    const tmp = `${file}.tmp`;
    await rm(tmp, { force: true });
    await engine.admin((conn) =>
      conn.run(
        `COPY (${a.select(`read_parquet(${quoteString(source)})`)}) TO ${quoteString(tmp)} (FORMAT parquet)`,
      ),
    );
    await rename(tmp, file);
    built.push(a.name);
  }
  return built;
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
