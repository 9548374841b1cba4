// Where the lake's tables live, and the DuckDB views that make them queryable by name.
// bronze.events / bronze.identifies are Delta tables written by the flusher; the views are
// (re)created once a table exists, because delta_scan binds the table when a view is created.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DuckDbEngine } from '../query/duckdb-engine';
import { sqlString as quote } from '../query/sql-quote';

export interface LakeTables {
  events: string;
  identifies: string;
}

export function lakeTables(lakeDir: string): LakeTables {
  return {
    events: path.join(lakeDir, 'bronze', 'events'),
    identifies: path.join(lakeDir, 'bronze', 'identifies'),
  };
}

/**
 * The identity map the staging layer joins events through: each anonymous id belongs to the
 * first user an identify call linked it to (later links of the same anonymous id are ignored,
 * as Segment and PostHog do), per workspace.
 */
const IDENTITY_MAP_VIEW = `CREATE OR REPLACE VIEW bronze.identity_map AS
  SELECT workspace_id, anonymous_id, arg_min(user_id, ts) AS user_id, min(ts) AS linked_at
  FROM bronze.identifies
  WHERE anonymous_id IS NOT NULL
  GROUP BY workspace_id, anonymous_id`;

/** Whether a Delta table exists that has no bronze.* view among `viewed` yet. */
export function hasNewLakeTable(tables: LakeTables, viewed: ReadonlySet<string>): boolean {
  return Object.entries(tables).some(
    ([name, dir]) => !viewed.has(`bronze.${name}`) && existsSync(path.join(dir, '_delta_log')),
  );
}

/** Creates or refreshes bronze.* views for the Delta tables that exist. Returns their names. */
export async function refreshBronzeViews(
  engine: DuckDbEngine,
  tables: LakeTables,
): Promise<string[]> {
  const created: string[] = [];
  await engine.admin(async (conn) => {
    await conn.run('CREATE SCHEMA IF NOT EXISTS bronze');
    for (const [name, dir] of Object.entries(tables)) {
      if (!existsSync(path.join(dir, '_delta_log'))) continue;
      await conn.run(
        `CREATE OR REPLACE VIEW bronze.${name} AS SELECT * FROM delta_scan(${quote(dir)})`,
      );
      created.push(`bronze.${name}`);
      if (name === 'identifies') await conn.run(IDENTITY_MAP_VIEW);
    }
  });
  return created;
}
