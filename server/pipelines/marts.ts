// Where a workspace's marts live and how queries reach them. Every dbt run writes its marts to
// its own folder, `<lake>/marts/<workspace>/<run>/<model>.parquet`, and never touches another
// run's files. Switching a workspace to a run is one DuckDB transaction that re-points the views
// of the workspace's schema (`ws_<id>`) at that run's files — the pointer swap: a query sees the
// old run or the new one, never a mix, and never a half-written file. Queries pass the schema
// (ExecuteOptions.schema) so bare names like `fact_events` resolve to their workspace's marts.
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDbEngine } from '../query/duckdb-engine';
import { sqlIdent as quoteIdent, sqlString as quoteString } from '../query/sql-quote';

/** The engine schema holding a workspace's mart views. */
export function workspaceSchema(workspaceId: string): string {
  return `ws_${workspaceId.toLowerCase().replace(/[^a-z0-9]/g, '_')}`.slice(0, 63);
}

export function workspaceMartsDir(lakeDir: string, workspaceId: string): string {
  return path.join(lakeDir, 'marts', workspaceId);
}

export function runOutputDir(lakeDir: string, workspaceId: string, runId: string): string {
  return path.join(workspaceMartsDir(lakeDir, workspaceId), runId);
}

/** The marts a run wrote: model name → Parquet file. */
export async function runOutputs(outputDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!existsSync(outputDir)) return out;
  for (const entry of await readdir(outputDir, { withFileTypes: true })) {
    const match = /^([a-z_][a-z0-9_]*)\.parquet$/.exec(entry.name);
    if (entry.isFile() && match) out.set(match[1]!, path.join(outputDir, entry.name));
  }
  return out;
}

/**
 * The engine schema holding the views of one kept run's marts, for reading a workspace's data as
 * of an earlier run (time travel) while the workspace schema stays on the current run.
 */
export function runSchema(workspaceId: string, runId: string): string {
  const suffix = runId
    .toLowerCase()
    .replace(/[^a-f0-9]/g, '')
    .slice(-16);
  return `${workspaceSchema(workspaceId).slice(0, 43)}__r_${suffix}`;
}

/** The bronze tables a workspace schema shows as `bronze_<table>`: its own rows only. */
export const WORKSPACE_BRONZE = ['events', 'identifies'] as const;

/**
 * Points the views of `schema` at a run's files, in one transaction: views of marts the run has
 * are replaced, views of marts it lacks are dropped. With `bronzeOf` (the workspace schema, not
 * a kept run's: bronze has no versions), also `bronze_events` / `bronze_identifies`: the
 * workspace's rows of the bronze tables as received, for analysts (the SQL editor's scope check
 * keeps user SQL off `bronze.*` itself, which holds every workspace). Returns the view names.
 */
async function pointSchemaAt(
  engine: DuckDbEngine,
  schema: string,
  outputDir: string,
  bronzeOf?: string,
): Promise<string[]> {
  const outputs = await runOutputs(outputDir);
  const views: string[] = [];
  await engine.admin(async (conn) => {
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      const bronze = bronzeOf
        ? (
            (
              await conn.runAndReadAll(
                `SELECT view_name FROM duckdb_views() WHERE schema_name = 'bronze' AND NOT internal`,
              )
            ).getRows() as [string][]
          )
            .map(([name]) => name)
            .filter((name) => (WORKSPACE_BRONZE as readonly string[]).includes(name))
        : [];
      const existing = await conn.runAndReadAll(
        `SELECT view_name FROM duckdb_views() WHERE schema_name = ${quoteString(schema)} AND NOT internal`,
      );
      for (const [name] of existing.getRows() as [string][])
        if (!outputs.has(name) && !bronze.some((table) => name === `bronze_${table}`))
          await conn.run(`DROP VIEW ${quoteIdent(schema)}.${quoteIdent(name)}`);
      for (const [name, file] of outputs) {
        await conn.run(
          `CREATE OR REPLACE VIEW ${quoteIdent(schema)}.${quoteIdent(name)} AS SELECT * FROM read_parquet(${quoteString(file)})`,
        );
        views.push(name);
      }
      for (const table of bronze) {
        await conn.run(
          `CREATE OR REPLACE VIEW ${quoteIdent(schema)}.${quoteIdent(`bronze_${table}`)} AS SELECT * EXCLUDE (workspace_id) FROM bronze.${quoteIdent(table)} WHERE workspace_id = ${quoteString(bronzeOf!)}`,
        );
        views.push(`bronze_${table}`);
      }
      await conn.run('COMMIT');
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
  return views.sort();
}

/**
 * Switches the workspace's schema (`ws_<id>`) to the run's files: the pointer swap. The schema
 * also shows the workspace's bronze rows (pointSchemaAt).
 */
export async function activateRun(
  engine: DuckDbEngine,
  workspaceId: string,
  outputDir: string,
): Promise<string[]> {
  return pointSchemaAt(engine, workspaceSchema(workspaceId), outputDir, workspaceId);
}

/** Opens (or refreshes) the run schema of a kept run and returns its name. */
export async function openRunMarts(
  engine: DuckDbEngine,
  workspaceId: string,
  runId: string,
  outputDir: string,
): Promise<string> {
  const schema = runSchema(workspaceId, runId);
  await pointSchemaAt(engine, schema, outputDir);
  return schema;
}

/** Drops the run schemas of runs whose files retention deleted. */
export async function dropRunSchemas(
  engine: DuckDbEngine,
  workspaceId: string,
  runIds: readonly string[],
): Promise<void> {
  if (runIds.length === 0) return;
  await engine.admin(async (conn) => {
    for (const runId of runIds)
      await conn.run(`DROP SCHEMA IF EXISTS ${quoteIdent(runSchema(workspaceId, runId))} CASCADE`);
  });
}

const POINTER = 'CURRENT.json';

/**
 * Records the run a workspace's marts point at in the lake itself, next to the run folders
 * (written atomically), for readers without the metadata database: `tl query`, and later other
 * engines over the same lake. The database's is_current stays the source of truth for the app.
 */
export async function writeCurrentPointer(
  lakeDir: string,
  workspaceId: string,
  runId: string,
): Promise<void> {
  const dir = workspaceMartsDir(lakeDir, workspaceId);
  const tmp = path.join(dir, `${POINTER}.tmp`);
  await writeFile(tmp, `${JSON.stringify({ runId, activatedAt: new Date().toISOString() })}\n`);
  await rename(tmp, path.join(dir, POINTER));
}

/** The run the workspace's current pointer names, or null when there is none. */
export async function readCurrentPointer(
  lakeDir: string,
  workspaceId: string,
): Promise<string | null> {
  const file = path.join(workspaceMartsDir(lakeDir, workspaceId), POINTER);
  if (!existsSync(file)) return null;
  return (JSON.parse(await readFile(file, 'utf8')) as { runId: string }).runId;
}

/** Creates the views of every workspace that has a current pointer. Returns their schemas. */
export async function openCurrentMarts(
  engine: DuckDbEngine,
  lakeDir: string,
): Promise<{ workspaceId: string; schema: string; runId: string }[]> {
  const root = path.join(lakeDir, 'marts');
  if (!existsSync(root)) return [];
  const opened: { workspaceId: string; schema: string; runId: string }[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const pointer = path.join(root, entry.name, POINTER);
    if (!entry.isDirectory() || !existsSync(pointer)) continue;
    const { runId } = JSON.parse(await readFile(pointer, 'utf8')) as { runId: string };
    await activateRun(engine, entry.name, runOutputDir(lakeDir, entry.name, runId));
    opened.push({ workspaceId: entry.name, schema: workspaceSchema(entry.name), runId });
  }
  return opened;
}

/** Row counts of a run's marts, from the Parquet footers (no data is read). */
export async function outputRowCounts(
  engine: DuckDbEngine,
  outputDir: string,
): Promise<Record<string, number>> {
  const outputs = await runOutputs(outputDir);
  const counts: Record<string, number> = {};
  if (outputs.size === 0) return counts;
  await engine.admin(async (conn) => {
    for (const [name, file] of outputs) {
      const r = await conn.runAndReadAll(
        `SELECT sum(num_rows)::BIGINT FROM parquet_file_metadata(${quoteString(file)})`,
      );
      counts[name] = Number(r.getRows()[0]?.[0] ?? 0);
    }
  });
  return counts;
}

/** Deletes run folders that are not in `keep`. Returns the deleted run ids. */
export async function deleteRunOutputs(
  lakeDir: string,
  workspaceId: string,
  keep: ReadonlySet<string>,
): Promise<string[]> {
  const dir = workspaceMartsDir(lakeDir, workspaceId);
  if (!existsSync(dir)) return [];
  const deleted: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || keep.has(entry.name)) continue;
    await rm(path.join(dir, entry.name), { recursive: true, force: true });
    deleted.push(entry.name);
  }
  return deleted;
}
