// Where dbt writes a run's marts and how a workspace's queries are switched to them: the one
// place the two modes differ for pipelines.
//
// - DuckDB (embedded): dbt-duckdb writes one Parquet file per mart into the run's folder; the
//   workspace schema's DuckDB views are re-pointed at them (marts.ts).
// - Trino (distributed, TRINO_URL): dbt-trino writes every model as a Delta table into the run's
//   own Trino schema (`ws_<id>__r_<run>`, the same name marts.ts gives a run for time travel);
//   the app's queries resolve names there (querySchema: one run, whatever a switch is doing),
//   and the workspace schema (`ws_<id>`) holds one Trino view per mart over the current run's
//   table for other Trino clients.
//   The run's folder in the lake still exists (it holds `trino.json`), so retention, which deletes
//   the folders of runs it no longer keeps, works the same way and then drops their schemas.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDbEngine } from '../query/duckdb-engine';
import { sqlString } from '../query/sql-quote';
import type { TrinoEngine } from '../query/trino-engine';
import { dbtRunPaths } from './dbt-runner';
import {
  activateRun,
  dropRunSchemas,
  openRunMarts,
  outputRowCounts,
  runSchema,
  workspaceSchema,
} from './marts';

/** The dbt target a run uses and the environment its profile reads. */
export interface DbtTarget {
  name: 'duckdb' | 'trino';
  env: Record<string, string>;
}

export interface MartsStore {
  readonly engine: 'duckdb' | 'trino';
  /** Whether the app derives accelerator tables from a run's Parquet files (DuckDB only). */
  readonly accelerates: boolean;
  dbtTarget(workspaceId: string, runId: string): DbtTarget;
  /** Before dbt starts: whatever the run's target needs to exist. */
  prepareRun(workspaceId: string, runId: string, outputDir: string): Promise<void>;
  /** A selective run starts from the current run's marts (copies; the current ones stay as they are). */
  copyRun(workspaceId: string, fromRunId: string, toRunId: string): Promise<void>;
  /** Points the workspace schema at the run's marts. */
  activate(workspaceId: string, runId: string, outputDir: string): Promise<void>;
  /**
   * The schema a query of the run's marts resolves bare names in. DuckDB: the workspace schema
   * (its switch to a run is one transaction). Trino: the run's own schema, so that a query reads
   * every mart of one run even while `activate` replaces the workspace schema's views one by one.
   */
  querySchema(workspaceId: string, runId: string): string;
  /** The schema that reads a kept run's marts (time travel). */
  openRun(workspaceId: string, runId: string, outputDir: string): Promise<string>;
  /** Drops what the engine keeps of runs whose folders retention deleted. */
  dropRuns(workspaceId: string, runIds: readonly string[]): Promise<void>;
  /** Rows per mart of a run. */
  rowCounts(workspaceId: string, runId: string, outputDir: string): Promise<Record<string, number>>;
  /** Creates the (empty) workspace schema. */
  ensureSchema(schema: string): Promise<void>;
}

export class DuckDbMarts implements MartsStore {
  readonly engine = 'duckdb' as const;
  readonly accelerates = true;

  constructor(private readonly duckdb: DuckDbEngine) {}

  dbtTarget(): DbtTarget {
    return { name: 'duckdb', env: {} };
  }

  async prepareRun(): Promise<void> {}

  // The Parquet files are copied by the pipeline service together with the run's DuckDB file.
  async copyRun(): Promise<void> {}

  async activate(workspaceId: string, _runId: string, outputDir: string): Promise<void> {
    await activateRun(this.duckdb, workspaceId, outputDir);
  }

  querySchema(workspaceId: string): string {
    return workspaceSchema(workspaceId);
  }

  openRun(workspaceId: string, runId: string, outputDir: string): Promise<string> {
    return openRunMarts(this.duckdb, workspaceId, runId, outputDir);
  }

  dropRuns(workspaceId: string, runIds: readonly string[]): Promise<void> {
    return dropRunSchemas(this.duckdb, workspaceId, runIds);
  }

  rowCounts(_workspaceId: string, _runId: string, outputDir: string) {
    return outputRowCounts(this.duckdb, outputDir);
  }

  async ensureSchema(schema: string): Promise<void> {
    await this.duckdb.admin((conn) => conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`));
  }
}

/** The bronze tables Trino must know before a build (registered when their Delta log exists). */
const BRONZE_TABLES = ['events', 'identifies'] as const;

/** The marker a Trino run leaves in its lake folder. */
const MARKER = 'trino.json';

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export class TrinoMarts implements MartsStore {
  readonly engine = 'trino' as const;
  readonly accelerates = false;

  constructor(
    private readonly trino: TrinoEngine,
    private readonly o: { lakeDir: string; dataDir: string },
  ) {}

  /**
   * The tables of a run users query: the models under models/marts and models/staging in the
   * run's manifest, by the name they were written as (a model's alias). The intermediate tables a
   * Trino run also writes into its schema get no view: as in the DuckDB mode (where the marts and
   * the stored staging models are the run's Parquet files).
   */
  private async marts(workspaceId: string, runId: string): Promise<ReadonlySet<string>> {
    const { workDir } = dbtRunPaths(this.o.dataDir, this.o.lakeDir, workspaceId, runId);
    const manifest = JSON.parse(
      await readFile(path.join(workDir, 'target', 'manifest.json'), 'utf8'),
    ) as {
      nodes: Record<
        string,
        { resource_type: string; original_file_path: string; alias?: string; name: string }
      >;
    };
    return new Set(
      Object.values(manifest.nodes)
        .filter(
          (n) =>
            n.resource_type === 'model' && /^models\/(marts|staging)\//.test(n.original_file_path),
        )
        .map((n) => n.alias ?? n.name),
    );
  }

  private get catalog(): string {
    return this.trino.catalog;
  }

  private qualified(schema: string, table?: string): string {
    return `${ident(this.catalog)}.${ident(schema)}${table ? `.${ident(table)}` : ''}`;
  }

  dbtTarget(workspaceId: string, runId: string): DbtTarget {
    const url = new URL(this.trino.url);
    return {
      name: 'trino',
      env: {
        TRINO_HOST: url.hostname,
        TRINO_PORT: url.port || (url.protocol === 'https:' ? '443' : '80'),
        TRINO_CATALOG: this.catalog,
        TRINO_SCHEMA: runSchema(workspaceId, runId),
        TRINO_USER: this.trino.adminUser,
      },
    };
  }

  async prepareRun(workspaceId: string, runId: string, outputDir: string): Promise<void> {
    const bronze = BRONZE_TABLES.filter((name) =>
      existsSync(path.join(this.o.lakeDir, 'bronze', name, '_delta_log')),
    );
    await this.trino.registerDeltaTables(
      bronze.map((table) => ({ schema: 'bronze', table, location: `/bronze/${table}` })),
    );
    const schema = runSchema(workspaceId, runId);
    await this.trino.admin(`CREATE SCHEMA IF NOT EXISTS ${this.qualified(schema)}`);
    await this.trino.admin(`CREATE SCHEMA IF NOT EXISTS ${this.qualified('tl_snapshots')}`);
    await mkdir(outputDir, { recursive: true });
    await writeFile(path.join(outputDir, MARKER), `${JSON.stringify({ schema })}\n`);
  }

  private async tables(schema: string): Promise<string[]> {
    const rows = await this.trino.admin(
      `SELECT table_name FROM ${ident(this.catalog)}.information_schema.tables WHERE table_schema = ${sqlString(schema)} AND table_type = 'BASE TABLE'`,
    );
    return rows.map((r) => String(r[0])).sort();
  }

  async copyRun(workspaceId: string, fromRunId: string, toRunId: string): Promise<void> {
    const from = runSchema(workspaceId, fromRunId);
    const to = runSchema(workspaceId, toRunId);
    await this.trino.admin(`CREATE SCHEMA IF NOT EXISTS ${this.qualified(to)}`);
    for (const table of await this.tables(from))
      await this.trino.admin(
        `CREATE TABLE IF NOT EXISTS ${this.qualified(to, table)} AS SELECT * FROM ${this.qualified(from, table)}`,
      );
  }

  async activate(workspaceId: string, runId: string): Promise<void> {
    const schema = workspaceSchema(workspaceId);
    const source = runSchema(workspaceId, runId);
    const marts = await this.marts(workspaceId, runId);
    const built = (await this.tables(source)).filter((t) => marts.has(t));
    await this.ensureSchema(schema);
    // The app's queries read the run's schema itself (querySchema), which gets the bronze views
    // too, before the pipeline marks the run current. The workspace schema's views are for other
    // clients of Trino (BI tools): one statement per view, each swap atomic, the set of them not.
    await this.bronzeViews(workspaceId, source);
    for (const table of built)
      await this.trino.admin(
        `CREATE OR REPLACE VIEW ${this.qualified(schema, table)} AS SELECT * FROM ${this.qualified(source, table)}`,
      );
    const bronze = await this.bronzeViews(workspaceId, schema);
    const views = await this.trino.admin(
      `SELECT table_name FROM ${ident(this.catalog)}.information_schema.views WHERE table_schema = ${sqlString(schema)}`,
    );
    for (const [name] of views)
      if (!built.includes(String(name)) && !bronze.includes(String(name)))
        await this.trino.admin(`DROP VIEW IF EXISTS ${this.qualified(schema, String(name))}`);
  }

  /**
   * `bronze_events` / `bronze_identifies` in the workspace schema: the workspace's rows of the
   * registered bronze tables, without workspace_id (as marts.ts does for DuckDB). User SQL may
   * read them because the scan they make is pinned to this workspace (trino-engine.ts inScope).
   */
  private async bronzeViews(workspaceId: string, schema: string): Promise<string[]> {
    const columns = await this.trino.admin(
      `SELECT table_name, column_name FROM ${ident(this.catalog)}.information_schema.columns WHERE table_schema = 'bronze' ORDER BY table_name, ordinal_position`,
    );
    const made: string[] = [];
    for (const table of BRONZE_TABLES) {
      const names = columns
        .filter(([t, c]) => t === table && c !== 'workspace_id')
        .map(([, c]) => ident(String(c)));
      if (names.length === 0) continue;
      await this.trino.admin(
        `CREATE OR REPLACE VIEW ${this.qualified(schema, `bronze_${table}`)} AS SELECT ${names.join(', ')} FROM ${this.qualified('bronze', table)} WHERE workspace_id = ${sqlString(workspaceId)}`,
      );
      made.push(`bronze_${table}`);
    }
    return made;
  }

  querySchema(workspaceId: string, runId: string): string {
    return runSchema(workspaceId, runId);
  }

  async openRun(workspaceId: string, runId: string): Promise<string> {
    return runSchema(workspaceId, runId);
  }

  async dropRuns(workspaceId: string, runIds: readonly string[]): Promise<void> {
    for (const runId of runIds) {
      const schema = runSchema(workspaceId, runId);
      for (const table of await this.tables(schema))
        await this.trino.admin(`DROP TABLE IF EXISTS ${this.qualified(schema, table)}`);
      await this.trino.admin(`DROP SCHEMA IF EXISTS ${this.qualified(schema)}`);
    }
  }

  async rowCounts(workspaceId: string, runId: string): Promise<Record<string, number>> {
    const schema = runSchema(workspaceId, runId);
    const marts = await this.marts(workspaceId, runId);
    const tables = (await this.tables(schema)).filter((t) => marts.has(t));
    if (!tables.length) return {};
    const rows = await this.trino.admin(
      tables
        .map((t) => `SELECT ${sqlString(t)}, count(*) FROM ${this.qualified(schema, t)}`)
        .join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map(([name, n]) => [String(name), Number(n)]));
  }

  async ensureSchema(schema: string): Promise<void> {
    await this.trino.admin(`CREATE SCHEMA IF NOT EXISTS ${this.qualified(schema)}`);
  }
}
