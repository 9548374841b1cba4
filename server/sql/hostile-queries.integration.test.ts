// The hostile-query suite: SQL an attacker (or a careless analyst) might type into the editor,
// run through SqlService on a real runtime exactly as sql.run does. Each must be refused with a
// clear message and leave nothing behind: no file written, no table, view, schema or setting
// changed, the engine's connections free. The layers are tested on their own elsewhere (the
// statement check and the instance lockdown in server/query/duckdb-engine.integration.test.ts,
// the workspace scope in server/query/scope.integration.test.ts); this is the whole path.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@/test/databases';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { isAppError, type AppError } from '../errors';
import { ZRunSqlInput } from './sql-service';

const [pglite] = testDatabases();
let fx: Fixture;
let schema: string;
let otherSchema: string;
const OUT = path.join(os.tmpdir(), `tl-hostile-${randomUUID()}`);

beforeAll(async () => {
  fx = await startFixture(pglite!, { TL_QUERY_TIMEOUT_MS: '2000' });
  schema = fx.runtime.pipelines.schemaOf(fx.workspace.id);
  otherSchema = fx.runtime.pipelines.schemaOf(fx.other.id);
  await fx.runtime.engine.admin(async (conn) => {
    for (const [s, owner] of [
      [schema, 'us'],
      [otherSchema, 'them'],
    ] as const) {
      await conn.run(`create schema if not exists ${s}`);
      await conn.run(
        `create or replace view ${s}.fact_events as select '${owner}' as owner, range as n from range(10)`,
      );
    }
  });
});

afterAll(async () => {
  await fx?.dispose();
});

async function run(sql: string): Promise<AppError> {
  try {
    const input = ZRunSqlInput.parse({ sql, runId: randomUUID() });
    await fx.runtime.sql.run(fx.workspace.id, fx.users.analyst.id, input);
  } catch (error) {
    if (isAppError(error)) return error;
    // zod's refusal of the input, as the router would answer it.
    if (error instanceof Error && error.name === 'ZodError') {
      return { code: 'BAD_REQUEST', message: error.message } as AppError;
    }
    throw error;
  }
  throw new Error(`not refused: ${sql.slice(0, 200)}`);
}

/** What the engine holds that a statement could have changed. */
async function engineState() {
  return fx.runtime.engine.admin(async (conn) => {
    const read = async (sql: string) => (await conn.runAndReadAll(sql)).getRows();
    return {
      tables: await read(
        'select database_name, schema_name, table_name from duckdb_tables() order by all',
      ),
      views: await read(
        'select schema_name, view_name, sql from duckdb_views() where not internal order by all',
      ),
      schemas: await read('select database_name, schema_name from duckdb_schemas() order by all'),
      databases: await read('select database_name, path from duckdb_databases() order by all'),
      settings: await read(
        "select name, value from duckdb_settings() where name in ('enable_external_access', 'lock_configuration', 'allowed_directories', 'threads', 'memory_limit', 'autoinstall_known_extensions', 'autoload_known_extensions') order by name",
      ),
    };
  });
}

const P = '/etc/passwd';
// Workspace schema names are known once the fixture runs: `$schema` and `$other` stand for them.
const HOSTILE: [name: string, sql: string, message: RegExp][] = [
  // File reads: the scope check refuses the table functions, the lockdown would refuse the read.
  ['read_csv of /etc/passwd', `select * from read_csv('${P}')`, /read_csv\(\) is not available/],
  ['read_csv_auto', `select * from read_csv_auto('${P}')`, /read_csv_auto\(\)/],
  ['read_text', `select * from read_text('${P}')`, /read_text\(\)/],
  ['read_blob (Grafana CVE-2024-9264)', `select * from read_blob('${P}')`, /read_blob\(\)/],
  ['sniff_csv (DuckDB CVE-2024-41672)', `select * from sniff_csv('${P}')`, /sniff_csv\(\)/],
  ['glob of the root', "select * from glob('/*')", /glob\(\)/],
  ['read_json', `select * from read_json('${P}')`, /read_json\(\)/],
  [
    'read_parquet of another workspace files',
    "select * from read_parquet('lake/marts/*/*/*.parquet')",
    /read_parquet\(\)/,
  ],
  ['a file path used as a table', `select * from '${P}'`, /does not exist in this workspace/],
  [
    'a file read hidden in a subquery',
    `select * from fact_events where owner in (select * from read_csv('${P}'))`,
    /read_csv\(\)/,
  ],
  [
    'a file read hidden in a CTE',
    `with x as (select * from read_text('${P}')) select * from fact_events`,
    /read_text\(\)/,
  ],
  ['query() running other SQL', "select * from query('select * from bronze.events')", /query\(\)/],
  [
    'serialised SQL executed',
    "select json_execute_serialized_sql(json_serialize_sql('select 1'))",
    /json_execute_serialized_sql\(\)/,
  ],
  ['getenv', "select getenv('HOME')", /getenv\(\)/],
  // Statements that write, attach, install or reconfigure: one read statement only.
  [
    'COPY TO a file',
    `copy (select 1) to '${OUT}'`,
    /Only read-only SELECT queries are allowed; got COPY/,
  ],
  ['EXPORT DATABASE', `export database '${OUT}'`, /Only read-only SELECT/],
  ['ATTACH a database file', `attach '${OUT}.db' as evil`, /got ATTACH/],
  ['INSTALL an extension', 'install httpfs', /got INSTALL/],
  ['LOAD an extension', 'load httpfs', /got LOAD/],
  ['SET a setting', 'set enable_external_access = true', /got SET/],
  ['RESET the lock', 'reset lock_configuration', /Only read-only SELECT/],
  ['PRAGMA', 'pragma enable_profiling', /Only read-only SELECT/],
  ['CREATE TABLE', 'create table t as select 1', /got CREATE/],
  ['CREATE a view in the workspace schema', 'create view $schema.v as select 1', /got CREATE/],
  ['INSERT', 'insert into fact_events values (1)', /got INSERT/],
  ['DROP the workspace view', 'drop view $schema.fact_events', /got DROP/],
  ['DELETE', 'delete from fact_events', /got DELETE/],
  ['CALL a pragma function', 'call pragma_version()', /Only read-only SELECT/],
  [
    'a statement smuggled after a comment',
    'select 1; -- harmless\ndrop view fact_events',
    /Only one statement per query is allowed; found 2/,
  ],
  [
    'a statement smuggled inside a block comment end',
    "select 1 /* x */; copy (select 1) to '/tmp/x'",
    /found 2/,
  ],
  ['EXPLAIN of a write', `explain copy (select 1) to '${OUT}'`, /Only read-only SELECT/],
  [
    'EXPLAIN ANALYZE of a file read',
    `explain analyze select * from read_csv('${P}')`,
    /read_csv\(\)/,
  ],
  // Another workspace's data.
  [
    "another workspace's marts by schema",
    'select * from $other.fact_events',
    /outside this workspace/,
  ],
  ['bronze, which holds every workspace', 'select * from bronze.events', /outside this workspace/],
  ['a catalog-qualified name', 'select * from memory.$other.fact_events', /outside this workspace/],
  [
    'information_schema (other workspaces’ table names)',
    'select * from information_schema.tables',
    /outside this workspace/,
  ],
  [
    'duckdb_tables() (other workspaces’ table names)',
    'select * from duckdb_tables()',
    /duckdb_tables\(\)/,
  ],
  // Size and depth.
  ['a query over the size limit', `select '${'x'.repeat(210_000)}'`, /at most 200,000 characters/],
  [
    'deeply nested expressions',
    `select ${'('.repeat(20_000)}1${')'.repeat(20_000)}`,
    /nested too deeply|depth limit/,
  ],
  [
    'deeply nested subqueries',
    `select * from ${'(select * from '.repeat(1_500)}fact_events${') t'.repeat(1_500)}`,
    /nested too deeply|depth limit/,
  ],
  // Runs forever: the timeout stops it.
  [
    'a cross join that would run forever',
    'select count(*) from range(1e9::bigint) a, range(1e9::bigint) b',
    /exceeded the 2000 ms limit and was stopped/,
  ],
];

describe('hostile queries through the SQL editor path', () => {
  it(`has at least 30 cases (${HOSTILE.length})`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE)('refuses %s, clearly, leaving nothing behind', async (_name, sql, message) => {
    const before = await engineState();
    const error = await run(sql.replaceAll('$schema', schema).replaceAll('$other', otherSchema));
    expect(['QUERY_REJECTED', 'QUERY_FAILED', 'BAD_REQUEST', 'TIMEOUT']).toContain(error.code);
    expect(error.message).toMatch(message);
    expect(await engineState()).toEqual(before);
    expect(existsSync(OUT)).toBe(false);
    expect(existsSync(`${OUT}.db`)).toBe(false);
    // Resources released: every connection is back, and a normal query runs at once.
    expect(fx.runtime.engine.stats.busy).toBe(0);
    const ok = await fx.runtime.sql.run(fx.workspace.id, fx.users.analyst.id, {
      sql: 'select count(*), min(owner) from fact_events',
      runId: randomUUID(),
    });
    expect(ok.rows).toEqual([[10, 'us']]);
  });
});
