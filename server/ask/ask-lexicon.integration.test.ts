// typedPropertyColumns on real DuckDB: a fact_events table whose text columns hold some event
// properties typed (like dbt's fact_events), some that only look like it. Only a column that
// equals its property on the event's rows and is null elsewhere may replace the JSON.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typedPropertyColumns } from './ask-lexicon';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

const run = async (sql: string) => {
  const reader = await conn.runAndReadAll(sql);
  return {
    rows: reader.getRows(),
    columns: reader.columnNames().map((name, i) => ({
      name,
      type: 'other' as const,
      engineType: reader.columnType(i).toString(),
    })),
  };
};

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`
    create table fact_events (
      event_name varchar, properties varchar,
      login_method varchar, export_format varchar, channel varchar, page_template varchar,
      "odd name_method" varchar, session_count bigint
    )`);
  await conn.run(`
    insert into fact_events values
      -- login_method: the property on logged_in rows (also where it is missing), null elsewhere
      ('logged_in', '{"method":"sso"}', 'sso', null, null, null, 'sso', null),
      ('logged_in', '{"method":"password"}', 'password', null, null, null, 'password', null),
      ('logged_in', '{}', null, null, null, null, null, null),
      -- export_format differs from the property on one row: not the same thing
      ('report_exported', '{"format":"pdf"}', null, 'pdf', null, null, null, null),
      ('report_exported', '{"format":"csv"}', null, 'xlsx', null, null, null, null),
      -- channel is the property of signed_up, but is also set on another event's row
      ('signed_up', '{"channel":"ads"}', null, null, 'ads', null, null, null),
      ('page_viewed', '{"count":"3"}', null, null, 'ads', null, null, null),
      -- page_template is always null: nothing to replace properties.template with
      ('project_created', '{"template":"kanban"}', null, null, null, null, null, null)
  `);
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

describe('typedPropertyColumns', () => {
  it('takes a column only where it equals the property on its event and is null elsewhere', async () => {
    const found = await typedPropertyColumns(run, [
      { event: 'logged_in', key: 'method' },
      { event: 'report_exported', key: 'format' },
      { event: 'signed_up', key: 'channel' },
      { event: 'project_created', key: 'template' },
    ]);
    expect(Object.fromEntries(found)).toEqual({ 'logged_in.method': 'login_method' });
  });

  it('finds nothing when no text column is named after the key', async () => {
    expect((await typedPropertyColumns(run, [{ event: 'logged_in', key: 'count' }])).size).toBe(0);
    expect((await typedPropertyColumns(run, [])).size).toBe(0);
  });
});
