// Against the real DuckDB: value conversion, parameters, row cap, timeout/cancel/queue, the
// read-only statement check, and — separately, through the raw admin connection — the instance
// lockdown that holds even for SQL the statement check would let through.
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { createDuckDbEngine, type DuckDbEngine } from './duckdb-engine';

let dir: string;
let lakeDir: string;
let engine: DuckDbEngine;

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

async function exists(p: string) {
  return stat(p).then(
    () => true,
    () => false,
  );
}

const LONG_QUERY = 'select count(*) from range(1e12::bigint) a';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tl-duckdb-engine-'));
  lakeDir = path.join(dir, 'lake');
  // The engine creates lakeDir; the fixture parquet comes from a separate, unlocked instance.
  engine = await createDuckDbEngine({
    lakeDir,
    tempDir: path.join(dir, 'tmp'),
    threads: 2,
    memoryLimit: '1GB',
    poolSize: 2,
    queueMax: 8,
    defaultTimeoutMs: 20_000,
    defaultMaxRows: 1_000,
    setup: async (conn) => {
      await conn.run(`create view numbers as select range as n from range(5)`);
    },
  });
  const writer = await DuckDBInstance.create(':memory:');
  const conn = await writer.connect();
  await conn.run(
    `copy (select range as id, 'event_' || range as name from range(100)) to '${lakeDir}/events.parquet' (format parquet)`,
  );
  conn.closeSync();
  writer.closeSync();
});

afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('typed columns and values', () => {
  it('maps DuckDB types and converts values to JSON', async () => {
    const result = await engine.execute(`
      select
        9007199254740993::bigint as big,
        42::bigint as small_big,
        170141183460469231731687303715884105727::hugeint as huge,
        12.345::decimal(10,3) as dec,
        date '2024-02-29' as d,
        timestamp '2026-11-01 10:00:00.123456' as ts,
        timestamptz '2026-11-01 12:00:00.123+02' as tstz,
        time '12:34:56' as t,
        interval '1 year 2 months 3 days 04:05:06' as iv,
        [1, 2, 3] as list,
        {'a': 1, 'b': ['x', null]} as struct,
        map {'k': 1} as m,
        '\\xAA\\xBB'::blob as blob,
        '4ad7a6c8-6a5c-4a3b-9d8a-0d5f3b1c2e7f'::uuid as id,
        '{"a":1}'::json as j,
        true as flag,
        1.5::double as dbl,
        null::integer as nothing
    `);
    expect(result.statementType).toBe('SELECT');
    expect(result.columns.map((c) => [c.name, c.type])).toEqual([
      ['big', 'integer'],
      ['small_big', 'integer'],
      ['huge', 'integer'],
      ['dec', 'decimal'],
      ['d', 'date'],
      ['ts', 'timestamp'],
      ['tstz', 'timestamp'],
      ['t', 'time'],
      ['iv', 'interval'],
      ['list', 'list'],
      ['struct', 'struct'],
      ['m', 'struct'],
      ['blob', 'binary'],
      ['id', 'uuid'],
      ['j', 'json'],
      ['flag', 'boolean'],
      ['dbl', 'float'],
      ['nothing', 'integer'],
    ]);
    expect(result.columns.find((c) => c.name === 'dec')?.engineType).toBe('DECIMAL(10,3)');
    expect(result.rows).toEqual([
      [
        '9007199254740993',
        42,
        '170141183460469231731687303715884105727',
        12.345,
        '2024-02-29',
        '2026-11-01T10:00:00.123Z',
        '2026-11-01T10:00:00.123Z',
        '12:34:56',
        '1 year 2 months 3 days 04:05:06',
        [1, 2, 3],
        { a: 1, b: ['x', null] },
        { k: 1 },
        'qrs=',
        '4ad7a6c8-6a5c-4a3b-9d8a-0d5f3b1c2e7f',
        '{"a":1}',
        true,
        1.5,
        null,
      ],
    ]);
    expect(JSON.parse(JSON.stringify(result.rows))).toEqual(result.rows);
  });
});

describe('bound parameters', () => {
  it('binds named parameters', async () => {
    const result = await engine.execute('select $name as name, $n + 1 as next', {
      params: { name: "o'brien; drop table x", n: 41 },
    });
    expect(result.rows).toEqual([["o'brien; drop table x", 42]]);
  });

  it('binds positional ? and $1 parameters', async () => {
    const q = await engine.execute('select ? as a, ? as b', { params: ['x', true] });
    expect(q.rows).toEqual([['x', true]]);
    const d = await engine.execute('select $2 as b, $1 as a', { params: [1, 2] });
    expect(d.rows).toEqual([[2, 1]]);
  });

  it('chooses DuckDB types from JS types', async () => {
    const result = await engine.execute(
      'select typeof($1), typeof($2), typeof($3), typeof($4), typeof($5), $5, typeof($6), $6, $7 is null',
      {
        params: [
          7,
          2 ** 40,
          1.25,
          2n ** 70n,
          new Date('2026-11-01T10:00:00.123Z'),
          9007199254740993n,
          null,
        ],
      },
    );
    expect(result.rows).toEqual([
      [
        'INTEGER',
        'BIGINT',
        'DOUBLE',
        'HUGEINT',
        'TIMESTAMP',
        '2026-11-01T10:00:00.123Z',
        'BIGINT',
        '9007199254740993',
        true,
      ],
    ]);
  });

  it('compares a Date parameter with TIMESTAMPTZ as the same instant', async () => {
    const result = await engine.execute(
      "select timestamptz '2026-11-01 12:00:00+02' = $at::timestamptz as same",
      { params: { at: new Date('2026-11-01T10:00:00Z') } },
    );
    expect(result.rows).toEqual([[true]]);
  });

  it('rejects unsupported values, missing and unknown parameters', async () => {
    expect(await rejection(engine.execute('select $1', { params: [{ a: 1 }] }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await rejection(engine.execute('select $a', { params: {} }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('$a'),
    });
    expect(await rejection(engine.execute('select $a', { params: { a: 1, b: 2 } }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('$b'),
    });
    expect(await rejection(engine.execute('select ?', { params: [] }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('row cap', () => {
  it('returns maxRows rows and flags truncation', async () => {
    const result = await engine.execute('select * from range(100000)', { maxRows: 10 });
    expect(result.rowCount).toBe(10);
    expect(result.rows).toEqual(Array.from({ length: 10 }, (_, i) => [i]));
    expect(result.truncated).toBe(true);
  });

  it('is not truncated when the result has exactly maxRows rows', async () => {
    const result = await engine.execute('select * from range(2048)', { maxRows: 2048 });
    expect(result.rowCount).toBe(2048);
    expect(result.truncated).toBe(false);
  });

  it('streams: a ten-billion-row result is capped without being computed', async () => {
    const started = Date.now();
    const result = await engine.execute('select range, range * 2 from range(1e10::bigint)', {
      maxRows: 5,
      timeoutMs: 10_000,
    });
    expect(result.rowCount).toBe(5);
    expect(result.truncated).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('streamed results', () => {
  it('yields the columns, row batches and the end; the rows are those of execute', async () => {
    const sql = 'select range as n, range % 7 as m from range(25000) order by n';
    const events = [];
    for await (const event of engine.stream(sql, { maxRows: 30_000 })) events.push(event);
    expect(events[0]).toMatchObject({
      type: 'columns',
      statementType: 'SELECT',
      columns: [
        { name: 'n', type: 'integer' },
        { name: 'm', type: 'integer' },
      ],
    });
    const batches = events.filter((e) => e.type === 'rows');
    // The first chunk goes out alone, before the rest is read.
    expect(batches.length).toBeGreaterThan(1);
    expect(batches[0]!.rows.length).toBeLessThanOrEqual(2048);
    expect(events.at(-1)).toMatchObject({ type: 'end', rowCount: 25000, truncated: false });
    const executed = await engine.execute(sql, { maxRows: 30_000 });
    expect(batches.flatMap((b) => b.rows)).toEqual(executed.rows);
  });

  it('gives the first rows of an endless result, and stopping early frees the connection', async () => {
    const stream = engine.stream('select range from range(1e12::bigint)', {
      maxRows: 1_000_000_000,
      timeoutMs: 10_000,
    });
    let firstRows: unknown[][] | undefined;
    for await (const event of stream) {
      if (event.type === 'rows') {
        firstRows = event.rows;
        break;
      }
    }
    expect(firstRows?.[0]).toEqual([0]);
    expect(engine.stats.busy).toBe(0);
    // Both connections serve again (the abandoned result does not poison its connection).
    const [a, b] = await Promise.all([
      engine.execute('select 1 as one'),
      engine.execute('select 2 as two'),
    ]);
    expect([a.rows, b.rows]).toEqual([[[1]], [[2]]]);
  });

  it('streams a big LIMIT on a wide table: no sink that reads every limited row first', async () => {
    // With insertion order kept, DuckDB plans `select * … limit <large>` on a wide Parquet
    // file as row numbers → semi join → ORDER BY file_row_number, which reads all limited rows
    // before returning the first (0.9 s at 10M events). The engine turns insertion order off.
    const cols = Array.from({ length: 20 }, (_, i) => `'v${i}_' || range as c${i}`).join(', ');
    await mkdir(path.join(lakeDir, 'wide'));
    const writer = await DuckDBInstance.create(':memory:');
    const conn = await writer.connect();
    await conn.run(
      `copy (select range as id, ${cols} from range(100000)) to '${lakeDir}/wide/wide.parquet' (format parquet, row_group_size 10000)`,
    );
    conn.closeSync();
    writer.closeSync();
    const plan = await engine.execute(
      `explain select * from '${lakeDir}/wide/wide.parquet' limit 50000`,
    );
    const text = plan.rows.map((r) => r.join('\n')).join('\n');
    expect(text).toContain('STREAMING_LIMIT');
    expect(text).not.toContain('ORDER_BY');
  });

  it('stops a stream at its timeout with the timeout error', async () => {
    const error = await rejection(
      (async () => {
        for await (const event of engine.stream(LONG_QUERY, { timeoutMs: 300 })) void event;
      })(),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(engine.stats.busy).toBe(0);
  });
});

describe('read-only statement check', () => {
  it.each([
    ['INSERT', 'insert into t values (1)'],
    ['CREATE', 'create table t (a int)'],
    ['CREATE', 'create view v as select 1'],
    ['DROP', 'drop table numbers'],
    ['UPDATE', 'update t set a = 1'],
    ['DELETE', 'delete from t'],
    ['ATTACH', "attach 'x.db' as x"],
    ['DETACH', 'detach x'],
    ['COPY', "copy (select 1) to '/tmp/x.csv'"],
    ['SET', 'set threads = 1'],
    ['RESET', 'reset threads'],
    ['PRAGMA', 'pragma enable_profiling'],
    ['PRAGMA', 'pragma show_tables'],
    ['INSTALL', 'install httpfs'],
    ['LOAD', 'load httpfs'],
    ['CALL', 'call pragma_version()'],
    ['EXPORT', "export database '/tmp/x'"],
    ['VACUUM', 'vacuum'],
    ['CHECKPOINT', 'checkpoint'],
    ['BEGIN', 'begin transaction'],
    ['EXPLAIN', 'explain analyze create table t as select 1'],
    ['EXPLAIN', 'explain (format json) select 1'],
  ])('rejects %s: %s', async (type, sql) => {
    const error = await rejection(engine.execute(sql));
    expect(error.code).toBe('QUERY_REJECTED');
    expect(error.message).toBe(`Only read-only SELECT queries are allowed; got ${type}.`);
  });

  it.each([
    ['two statements', 'select 1; select 2'],
    ['a statement smuggled after a comment', 'select 1; -- x\n drop table t'],
  ])('rejects %s', async (_label, sql) => {
    const error = await rejection(engine.execute(sql));
    expect(error.code).toBe('QUERY_REJECTED');
    expect(error.message).toMatch(/Only one statement per query is allowed; found 2/);
  });

  it.each([
    ['empty SQL', ''],
    ['whitespace', '  \n '],
    ['only a comment', '-- nothing here'],
  ])('rejects %s', async (_label, sql) => {
    const error = await rejection(engine.execute(sql));
    expect(error.code).toBe('QUERY_REJECTED');
    expect(error.message).toMatch(/empty/);
  });

  it('rejects without binding: COPY and EXPORT into the lake leave no trace', async () => {
    await rejection(engine.execute(`copy (select 1) to '${lakeDir}/copied.csv'`));
    await rejection(engine.execute(`export database '${lakeDir}/exported'`));
    expect(await exists(path.join(lakeDir, 'copied.csv'))).toBe(false);
    expect(await exists(path.join(lakeDir, 'exported'))).toBe(false);
  });

  it.each([
    'with x as (select 1 as a) select a from x',
    'from numbers',
    "select 'a;b' as s",
    'describe numbers',
    'explain select * from numbers',
    'explain analyze select count(*) from numbers',
  ])('allows %s', async (sql) => {
    await expect(engine.checkReadOnly(sql)).resolves.toBeUndefined();
    const result = await engine.execute(sql);
    expect(['SELECT', 'EXPLAIN']).toContain(result.statementType);
  });

  it('reports parse errors as QUERY_FAILED with line and column', async () => {
    const error = await rejection(engine.execute('select 1,\n  from frm where'));
    expect(error.code).toBe('QUERY_FAILED');
    expect(error.message).toMatch(/^Parser Error: syntax error/);
    expect(error.details).toMatchObject({ line: 2 });
    const missing = await rejection(engine.execute('select *\n  from nope'));
    expect(missing).toMatchObject({
      code: 'QUERY_FAILED',
      details: { line: 2, column: 8 },
    });
  });

  it('follows a misspelt column or function with a plain hint', async () => {
    const column = await rejection(engine.execute('select n, count(*) from numbers group by nn'));
    expect(column.code).toBe('QUERY_FAILED');
    expect(column.message).toMatch(
      /^Binder Error: Referenced column "nn" not found[\s\S]*\nHint: column nn not found — did you mean n\?$/,
    );
    expect(column.details).toMatchObject({
      position: 41, // the `nn` after `group by`
      hint: 'column nn not found — did you mean n?',
    });
    const fn = await rejection(engine.execute('select lenght(cast(n as varchar)) from numbers'));
    expect(fn.details).toMatchObject({
      hint: 'function lenght does not exist — did you mean length?',
    });
    // Nothing near: DuckDB's own candidates, no hint.
    const far = await rejection(engine.execute('select completely_other from numbers'));
    expect(far.message).not.toMatch(/Hint/);
  });

  it('checkReadOnly rejects like execute', async () => {
    expect(await rejection(engine.checkReadOnly('drop table numbers'))).toMatchObject({
      code: 'QUERY_REJECTED',
    });
  });
});

describe('lake access', () => {
  it('reads parquet inside the lake folder', async () => {
    const result = await engine.execute(
      `select count(*) as n, max(name) as last from read_parquet('${lakeDir}/events.parquet')`,
    );
    expect(result.rows).toEqual([[100, 'event_99']]);
    const globbed = await engine.execute(`select count(*) from glob('${lakeDir}/*')`);
    expect(globbed.rows).toEqual([[1]]);
  });

  it('serves views created by setup before the lock', async () => {
    const result = await engine.execute('select sum(n) from numbers');
    expect(result.rows).toEqual([[10]]);
  });

  it('refuses files outside the lake through execute as QUERY_REJECTED', async () => {
    const error = await rejection(engine.execute("select * from read_csv('/etc/passwd')"));
    expect(error.code).toBe('QUERY_REJECTED');
    expect(error.message).toMatch(/Permission Error/);
  });
});

describe('workspace scope (scoped: user SQL)', () => {
  beforeAll(async () => {
    await engine.admin(async (conn) => {
      await conn.run('create schema if not exists ws_a');
      await conn.run('create schema if not exists ws_b');
      await conn.run(
        "create or replace view ws_a.events as select 'a' as owner, range as n from range(3)",
      );
      await conn.run(
        "create or replace view ws_b.events as select 'b' as owner, range as n from range(4)",
      );
    });
  });

  it('runs what stays in the workspace: its tables by plain name, CTEs, generators', async () => {
    const result = await engine.execute(
      'with t as (select * from events) select owner, count(*) from t, range(1) group by owner',
      { schema: 'ws_a', scoped: true },
    );
    expect(result.rows).toEqual([['a', 3]]);
  });

  it('refuses another workspace, lake files and system tables, pointing at the name', async () => {
    const sql = 'select *\nfrom events\njoin ws_b.events using (n)';
    const error = await rejection(engine.execute(sql, { schema: 'ws_a', scoped: true }));
    expect(error.code).toBe('QUERY_REJECTED');
    expect(error.message).toMatch(/ws_b\.events is outside this workspace/);
    expect(error.details).toMatchObject({ position: sql.indexOf('ws_b'), line: 3, column: 6 });
    for (const escape of [
      `select * from read_parquet('${lakeDir}/events.parquet')`,
      `select * from '${lakeDir}/events.parquet'`,
      'select * from numbers',
      'select * from duckdb_tables()',
    ]) {
      const e = await rejection(engine.execute(escape, { schema: 'ws_a', scoped: true }));
      expect(e.code, escape).toBe('QUERY_REJECTED');
    }
  });

  it('checks the statement inside EXPLAIN, with the position in the whole text', async () => {
    const sql = 'explain select * from ws_b.events';
    const error = await rejection(engine.execute(sql, { schema: 'ws_a', scoped: true }));
    expect(error.details).toMatchObject({ position: sql.indexOf('ws_b') });
    const ok = await engine.execute('explain select * from events', {
      schema: 'ws_a',
      scoped: true,
    });
    expect(ok.statementType).toBe('EXPLAIN');
  });

  it('leaves unscoped (compiled, trusted) SQL alone', async () => {
    const result = await engine.execute('select count(*) from ws_b.events', { schema: 'ws_a' });
    expect(result.rows).toEqual([[4]]);
  });
});

describe('instance lockdown (raw connection, no statement check)', () => {
  it.each([
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "select * from glob('/etc/*')",
    "copy (select 1) to '/tmp/x.csv'",
    "attach '/tmp/tl-lockdown-test.db' as x",
    'install httpfs',
    'load httpfs',
  ])('refuses %s', async (sql) => {
    await expect(engine.admin((conn) => conn.run(sql))).rejects.toThrow(/Permission|disabled/);
  });

  it('refuses a sibling folder that shares the lake prefix', async () => {
    await expect(
      engine.admin((conn) => conn.run(`select * from glob('${lakeDir}-backup/*')`)),
    ).rejects.toThrow(/Permission/);
  });

  it('refuses to change settings once locked', async () => {
    for (const sql of [
      'SET enable_external_access = true',
      "SET allowed_directories = ['/']",
      'SET autoload_known_extensions = true',
      'SET lock_configuration = false',
    ]) {
      await expect(engine.admin((conn) => conn.run(sql))).rejects.toThrow(/locked/);
    }
  });

  it('still reads the lake through the raw connection', async () => {
    const reader = await engine.admin((conn) =>
      conn.runAndReadAll(`select count(*)::int from '${lakeDir}/events.parquet'`),
    );
    expect(reader.getRows()).toEqual([[100]]);
  });
});

describe('timeouts, cancellation and the queue (pool of 1)', () => {
  let small: DuckDbEngine;
  beforeAll(async () => {
    small = await createDuckDbEngine({
      lakeDir,
      tempDir: path.join(dir, 'tmp-small'),
      threads: 1,
      memoryLimit: '512MB',
      poolSize: 1,
      queueMax: 0,
      defaultTimeoutMs: 20_000,
      defaultMaxRows: 100,
    });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('interrupts a query past its timeout and keeps the connection usable', async () => {
    const started = Date.now();
    const error = await rejection(small.execute(LONG_QUERY, { timeoutMs: 300 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/exceeded the 300 ms limit/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const after = await small.execute('select 1 as ok');
    expect(after.rows).toEqual([[1]]);
  });

  it('cancels a running query through its AbortSignal', async () => {
    const controller = new AbortController();
    const running = small.execute(LONG_QUERY, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await rejection(running)).toMatchObject({ code: 'CANCELLED' });
    expect((await small.execute('select 2')).rows).toEqual([[2]]);
  });

  it('never runs a query whose signal is already aborted', async () => {
    const error = await rejection(
      small.execute("select error('this must not run')", { signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('CANCELLED');
  });

  it('answers ENGINE_BUSY when the connection is taken and the queue is full', async () => {
    const controller = new AbortController();
    const running = small.execute(LONG_QUERY, { signal: controller.signal });
    // Let the long query take the only connection.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rejection(small.execute('select 1'))).toMatchObject({ code: 'ENGINE_BUSY' });
    expect(await small.health()).toMatchObject({ ok: true, detail: expect.stringMatching(/busy/) });
    controller.abort();
    expect(await rejection(running)).toMatchObject({ code: 'CANCELLED' });
    expect((await small.execute('select 3')).rows).toEqual([[3]]);
  });
});

describe('health and close', () => {
  it('reports health and refuses work after close', async () => {
    const own = await createDuckDbEngine({
      lakeDir,
      tempDir: path.join(dir, 'tmp-close'),
      threads: 1,
      memoryLimit: '256MB',
      poolSize: 1,
      queueMax: 1,
      defaultTimeoutMs: 5_000,
      defaultMaxRows: 10,
    });
    expect(await own.health()).toMatchObject({ ok: true });
    await own.close();
    await own.close();
    expect(await rejection(own.execute('select 1'))).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(await rejection(own.checkReadOnly('select 1'))).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(await own.health()).toMatchObject({ ok: false });
  });
});
