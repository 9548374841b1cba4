// scopeViolation on DuckDB's real parse trees (json_serialize_sql of an in-memory DuckDB, the
// parser the engine uses): what stays in the workspace passes, every way out is refused with
// the offset of the offending name.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closest, scopeViolation, type ScopeRules } from './scope';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

const rules: ScopeRules = {
  schema: 'ws_demo',
  tables: new Set(['fact_events', 'dim_users', 'bronze_events']),
};

async function check(sql: string) {
  const reader = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const parsed = JSON.parse(String(reader.getRows()[0]![0])) as {
    error: boolean;
    statements: unknown[];
  };
  expect(parsed.error).toBe(false);
  return scopeViolation(parsed.statements[0] as never, rules);
}

describe('scopeViolation', () => {
  it.each([
    ['plain names', 'select event_name, count(*) from fact_events group by 1'],
    ['the schema named', 'select * from ws_demo.fact_events f join dim_users u using (user_id)'],
    [
      'CTEs, also one shadowing nothing and one used by a later CTE',
      'with a as (select 1 as x), b as (select x from a) select * from b, a',
    ],
    [
      'a recursive CTE',
      'with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) select * from t',
    ],
    [
      'subqueries and set operations',
      'select * from (select user_id from dim_users) union all select user_id from fact_events where user_id in (select user_id from dim_users)',
    ],
    ['generators', 'select * from range(3), generate_series(1, 2), unnest([1, 2])'],
    [
      'lateral joins and scalar functions',
      "select upper(u.user_id), x from dim_users u, lateral (select 1 as x) where u.user_id like 'u_%'",
    ],
    ['case-insensitive names', 'SELECT * FROM WS_DEMO.Fact_Events'],
  ])('allows %s', async (_name, sql) => {
    expect(await check(sql)).toBeUndefined();
  });

  it.each([
    [
      'bronze, shared by every workspace',
      'select * from bronze.events',
      'bronze.events is outside',
    ],
    [
      'another workspace schema',
      'select * from ws_other.fact_events',
      'ws_other.fact_events is outside',
    ],
    [
      'a catalog',
      'select * from memory.ws_demo.fact_events',
      'memory.ws_demo.fact_events is outside',
    ],
    ['information_schema', 'select * from information_schema.tables', 'is outside'],
    [
      'a system view by its plain name',
      'select * from duckdb_tables',
      'Table duckdb_tables does not exist',
    ],
    ['a file as a table', "select * from '/etc/passwd'", 'Table /etc/passwd does not exist'],
    [
      'a lake file as a table',
      "select * from 'lake/marts/x/y/fact_events.parquet'",
      'does not exist',
    ],
    ['read_csv', "select * from read_csv('/etc/passwd')", 'table function read_csv()'],
    ['read_text', "select * from read_text('/etc/passwd')", 'table function read_text()'],
    ['glob', "select * from glob('/*')", 'table function glob()'],
    [
      'parquet_metadata',
      "select * from parquet_metadata('x.parquet')",
      'table function parquet_metadata()',
    ],
    ['delta_scan', "select * from delta_scan('lake/bronze/events')", 'table function delta_scan()'],
    ['query()', "select * from query('select * from bronze.events')", 'table function query()'],
    ['duckdb_settings()', 'select * from duckdb_settings()', 'table function duckdb_settings()'],
    ['a schema-qualified generator', 'select * from main.range(3)', 'table function range()'],
    ['getenv', "select getenv('HOME')", 'getenv() is not available'],
    ['current_setting', "select current_setting('allowed_directories')", 'current_setting()'],
    [
      'running serialised SQL',
      "select json_execute_serialized_sql('{}')",
      'json_execute_serialized_sql()',
    ],
    [
      'a file read in a subquery',
      "select * from fact_events where user_id in (select * from read_csv('/etc/passwd'))",
      'read_csv()',
    ],
    [
      'a file read in a CTE',
      "with x as (select * from read_parquet('a.parquet')) select 1",
      'read_parquet()',
    ],
    ['a file read in a scalar subquery', "select (select count(*) from glob('/*'))", 'glob()'],
    [
      'a CTE used before it is defined',
      'with a as (select * from pg_tables), pg_tables as (select 1) select * from a',
      'Table pg_tables does not exist',
    ],
    [
      'a CTE used outside its subquery',
      'select * from (with t as (select 1) select * from t), t',
      'Table t does not exist',
    ],
    [
      'a qualified name that a CTE shadows',
      'with events as (select 1) select * from bronze.events',
      'bronze.events is outside',
    ],
    [
      'a table behind a lateral join',
      'select * from fact_events, lateral (select * from bronze.identifies)',
      'bronze.identifies is outside',
    ],
  ])('refuses %s', async (_name, sql, message) => {
    const violation = await check(sql);
    expect(violation?.message).toContain(message);
  });

  it('points at the offending name', async () => {
    const sql = 'select *\nfrom fact_events f\njoin bronze.events b using (event_id)';
    const violation = await check(sql);
    expect(violation?.location).toBe(sql.indexOf('bronze.events'));
  });

  it('suggests the nearest table for a typo', async () => {
    expect((await check('select * from fact_evnts'))?.message).toBe(
      'Table fact_evnts does not exist in this workspace — did you mean fact_events?',
    );
    expect((await check('select * from orders'))?.message).toBe(
      'Table orders does not exist in this workspace.',
    );
    expect(closest('dim_user', ['dim_users', 'fact_events'])).toBe('dim_users');
    expect(closest('x', [])).toBeUndefined();
  });
});
