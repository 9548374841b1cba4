// SqlService on a real runtime (PGlite, DuckDB): runs in the workspace's schema, refuses what
// leaves it, cancels with the engine's interrupt, limits runs per user, and records every run
// in the user's history with its outcome.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@/test/databases';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { isAppError } from '../errors';
import {
  createSavedQuery,
  deleteSavedQuery,
  getSavedQuery,
  listHistory,
  listSavedQueries,
  maxRunningPerUser,
  SqlService,
  updateSavedQuery,
} from './sql-service';
import { loadSqlSchema } from './sql-schema';

const [pglite] = testDatabases();
let fx: Fixture;
let service: SqlService;
const FOREVER = 'select count(*) from range(1e12::bigint) a';

beforeAll(async () => {
  // Three engine connections: two for one user's runs, one left for everybody else.
  fx = await startFixture(pglite!, { TL_QUERY_POOL_SIZE: '3' });
  const { runtime } = fx;
  service = new SqlService({
    prisma: runtime.prisma,
    engine: runtime.engine,
    schemaFor: (id) => runtime.pipelines.ensureSchema(id),
    maxRunningPerUser: maxRunningPerUser(runtime.config.query.poolSize),
  });
  await runtime.engine.admin(async (conn) => {
    for (const [ws, n] of [
      [fx.workspace.id, 3],
      [fx.other.id, 5],
    ] as const) {
      const schema = runtime.pipelines.schemaOf(ws);
      await conn.run(`create schema if not exists ${schema}`);
      await conn.run(
        `create or replace view ${schema}.numbers as select range as n from range(${n})`,
      );
    }
  });
});

afterAll(async () => {
  await fx?.dispose();
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const history = (userId: string) =>
  fx.runtime.prisma.queryRun.findMany({
    where: { workspaceId: fx.workspace.id, userId },
    orderBy: { createdAt: 'asc' },
  });

describe('SqlService', () => {
  it("runs in the workspace's own tables and records the run", async () => {
    const userId = fx.users.analyst.id;
    const result = await service.run(fx.workspace.id, userId, {
      sql: 'select count(*) as n from numbers',
      runId: randomUUID(),
    });
    expect(result.rows).toEqual([[3]]);
    const [run] = await history(userId);
    expect(run).toMatchObject({
      sql: 'select count(*) as n from numbers',
      status: 'succeeded',
      rowCount: 1,
      truncated: false,
    });
  });

  it('runs before the first dbt build (no marts, no schema yet)', async () => {
    const fresh = await fx.runtime.prisma.workspace.create({
      data: { slug: 'no-marts', name: 'No marts' },
    });
    const result = await service.run(fresh.id, fx.users.analyst.id, {
      sql: 'select 42 as answer',
      runId: randomUUID(),
    });
    expect(result.rows).toEqual([[42]]);
    const missing = await failure(
      service.run(fresh.id, fx.users.analyst.id, {
        sql: 'select * from fact_events',
        runId: randomUUID(),
      }),
    );
    expect(missing.message).toMatch(/fact_events does not exist in this workspace/);
  });

  it("refuses another workspace's tables and records the rejection", async () => {
    const userId = fx.users.admin.id;
    const other = fx.runtime.pipelines.schemaOf(fx.other.id);
    const error = await failure(
      service.run(fx.workspace.id, userId, {
        sql: `select * from ${other}.numbers`,
        runId: randomUUID(),
      }),
    );
    expect(error.code).toBe('QUERY_REJECTED');
    expect(error.message).toContain('outside this workspace');
    expect((await history(userId)).at(-1)).toMatchObject({
      status: 'rejected',
      error: expect.stringContaining('outside this workspace') as string,
    });
  });

  it('caps rows, explains, and keeps a saved query link only within the workspace', async () => {
    const userId = fx.users.analyst.id;
    const capped = await service.run(fx.workspace.id, userId, {
      sql: 'select * from range(50)',
      runId: randomUUID(),
      maxRows: 10,
    });
    expect(capped).toMatchObject({ rowCount: 10, truncated: true });
    const plan = await service.run(fx.workspace.id, userId, {
      sql: 'select * from numbers',
      runId: randomUUID(),
      explain: 'plan',
    });
    expect(plan.statementType).toBe('EXPLAIN');
    const foreign = await fx.runtime.prisma.savedQuery.create({
      data: { workspaceId: fx.other.id, name: 'theirs', sql: 'select 1' },
    });
    await service.run(fx.workspace.id, userId, {
      sql: 'select 1',
      runId: randomUUID(),
      savedQueryId: foreign.id,
    });
    const runs = await history(userId);
    expect(runs.at(-2)).toMatchObject({ sql: 'EXPLAIN select * from numbers' });
    expect(runs.at(-1)?.savedQueryId).toBeNull();
  });

  it('cancels a running query with the engine interrupt; only its owner can', async () => {
    const userId = fx.users.analyst.id;
    const runId = randomUUID();
    const running = failure(service.run(fx.workspace.id, userId, { sql: FOREVER, runId }));
    await new Promise((r) => setTimeout(r, 300));
    expect(service.cancel(fx.workspace.id, fx.users.admin.id, runId)).toBe(false);
    expect(service.cancel(fx.other.id, userId, runId)).toBe(false);
    const started = performance.now();
    expect(service.cancel(fx.workspace.id, userId, runId)).toBe(true);
    const error = await running;
    expect(error.code).toBe('CANCELLED');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await history(userId)).at(-1)).toMatchObject({ status: 'cancelled' });
    expect(service.cancel(fx.workspace.id, userId, runId)).toBe(false);
    // The engine is free again.
    const after = await service.run(fx.workspace.id, userId, {
      sql: 'select 1',
      runId: randomUUID(),
    });
    expect(after.rows).toEqual([[1]]);
  });

  it('allows all but one engine connection to one user, and keeps one for others', async () => {
    expect(maxRunningPerUser(1)).toBe(1);
    expect(maxRunningPerUser(2)).toBe(1);
    expect(maxRunningPerUser(fx.runtime.config.query.poolSize)).toBe(2);
    const userId = fx.users.viewer.id;
    const ids = [randomUUID(), randomUUID()];
    const runs = ids.map((runId) =>
      failure(service.run(fx.workspace.id, userId, { sql: FOREVER, runId })),
    );
    await new Promise((r) => setTimeout(r, 200));
    const refused = await failure(
      service.run(fx.workspace.id, userId, { sql: 'select 1', runId: randomUUID() }),
    );
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    // Another user is not held up by it.
    const other = await service.run(fx.workspace.id, fx.users.admin.id, {
      sql: 'select 2',
      runId: randomUUID(),
    });
    expect(other.rows).toEqual([[2]]);
    for (const id of ids) service.cancel(fx.workspace.id, userId, id);
    expect((await Promise.all(runs)).map((e) => e.code)).toEqual(ids.map(() => 'CANCELLED'));
  });
});

describe('schema for autocomplete', () => {
  it("lists the engine's functions with their parameters, not those the scope refuses", async () => {
    const schema = await loadSqlSchema(
      { prisma: fx.runtime.prisma, engine: fx.runtime.engine, dataDir: fx.runtime.config.dataDir },
      fx.workspace.id,
    );
    const names = new Set(schema.functions.map((f) => f.name));
    expect(schema.functions.length).toBeGreaterThan(500);
    expect(schema.functions.find((f) => f.name === 'date_trunc')).toMatchObject({
      kind: 'scalar',
      parameters: 'part, timestamp',
    });
    expect(schema.functions.find((f) => f.name === 'approx_count_distinct')?.kind).toBe(
      'aggregate',
    );
    for (const denied of ['getenv', 'current_setting', 'json_execute_serialized_sql'])
      expect(names.has(denied), denied).toBe(false);
    expect([...names].some((n) => n.startsWith('__'))).toBe(false);
  });
});

describe('streamed runs', () => {
  it('streams the columns, row batches and totals; a reader that stops cancels the run', async () => {
    const userId = fx.users.analyst.id;
    const events = [];
    for await (const event of service.stream(fx.workspace.id, userId, {
      sql: 'select range as n from range(30000) order by n',
      runId: randomUUID(),
      maxRows: 20_000,
    }))
      events.push(event);
    expect(events[0]).toMatchObject({ type: 'columns', runId: expect.any(String) as string });
    const rows = events.flatMap((e) => (e.type === 'rows' ? e.rows : []));
    expect(rows).toHaveLength(20_000);
    expect(rows.at(-1)).toEqual([19_999]);
    expect(events.at(-1)).toMatchObject({ type: 'end', rowCount: 20_000, truncated: true });

    // The browser goes away after the first rows: the run ends, recorded as cancelled, and
    // frees its connection.
    const runId = randomUUID();
    for await (const event of service.stream(fx.workspace.id, userId, {
      sql: FOREVER.replace('count(*)', '*'),
      runId,
    })) {
      if (event.type === 'rows') break;
    }
    expect((await history(userId)).at(-1)).toMatchObject({ status: 'cancelled' });
    expect(service.cancel(fx.workspace.id, userId, runId)).toBe(false);
    expect(fx.runtime.engine.stats.busy).toBe(0);
  });
});

describe('script mode', () => {
  it('runs each statement in turn, stops at the first failure, and points at it in the script', async () => {
    const userId = fx.users.analyst.id;
    const sql =
      'select count(*) as n from numbers;\n-- the second\nselect {{ k }} + 1 as k;\nselect bogus from numbers;\nselect 4';
    const { statements } = await service.runScript(fx.workspace.id, userId, {
      sql,
      runId: randomUUID(),
      values: { k: '41' },
      declared: [{ name: 'k', type: 'number' }],
    });
    expect(statements.map((s) => s.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'skipped',
    ]);
    expect(statements[0]!.result?.rows).toEqual([[3]]);
    expect(statements[1]!.result?.rows).toEqual([[42]]);
    expect(statements[2]!.error).toMatchObject({
      code: 'QUERY_FAILED',
      position: sql.indexOf('bogus'),
      line: 4,
      column: 8,
    });
    // Each statement that ran is in the history on its own.
    expect((await history(userId)).slice(-3).map((r) => r.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
    ]);
  });

  it('refuses a write among reads, and cancelling the script skips the rest', async () => {
    const userId = fx.users.admin.id;
    const refused = await service.runScript(fx.workspace.id, userId, {
      sql: 'select 1; create table x (a int); select 2',
      runId: randomUUID(),
    });
    expect(refused.statements.map((s) => s.status)).toEqual(['succeeded', 'failed', 'skipped']);
    expect(refused.statements[1]!.error?.code).toBe('QUERY_REJECTED');

    const runId = randomUUID();
    const running = service.runScript(fx.workspace.id, userId, {
      sql: `${FOREVER}; select 2`,
      runId,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(service.cancel(fx.workspace.id, fx.users.analyst.id, runId)).toBe(false);
    expect(service.cancel(fx.workspace.id, userId, runId)).toBe(true);
    const { statements } = await running;
    expect(statements.map((s) => [s.status, s.error?.code])).toEqual([
      ['failed', 'CANCELLED'],
      ['skipped', undefined],
    ]);
  });
});

describe('template parameters', () => {
  it('binds typed values and the filters range; the history keeps the template', async () => {
    const userId = fx.users.analyst.id;
    const sql =
      "select count(*) as n, max({{ label }}) as label from (select n, date '2026-10-01' + n::int as event_date from numbers) where n >= {{ min_n }} and {{ filters }}";
    const all = await service.run(fx.workspace.id, userId, {
      sql,
      runId: randomUUID(),
      values: { label: "x' or 1=1 --", min_n: '1' },
      declared: [{ name: 'min_n', type: 'number' }],
    });
    // numbers has n = 0, 1, 2: two rows with n >= 1; the value is bound, not spliced.
    expect(all.rows).toEqual([[2, "x' or 1=1 --"]]);
    const ranged = await service.run(fx.workspace.id, userId, {
      sql,
      runId: randomUUID(),
      values: { label: 'a', min_n: '0' },
      declared: [{ name: 'min_n', type: 'number' }],
      range: { from: '2026-10-02', to: '2026-10-03' },
    });
    expect(ranged.rows).toEqual([[2, 'a']]);
    expect((await history(userId)).at(-1)).toMatchObject({ sql, status: 'succeeded' });
  });

  it('points errors at the analyst text, past rendered tags and the EXPLAIN prefix', async () => {
    const userId = fx.users.analyst.id;
    const sql = 'select {{ since }} as d,\n  bogus_column from numbers';
    for (const explain of [undefined, 'plan'] as const) {
      const error = await failure(
        service.run(fx.workspace.id, userId, {
          sql,
          runId: randomUUID(),
          values: { since: '2026-01-01' },
          explain,
        }),
      );
      expect(error.message).toContain('bogus_column');
      expect(error.details).toMatchObject({
        position: sql.indexOf('bogus_column'),
        line: 2,
        column: 3,
      });
    }
    const missing = await failure(
      service.run(fx.workspace.id, userId, { sql, runId: randomUUID() }),
    );
    expect(missing).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Give a value for {{ since }} (date).',
    });
  });
});

describe('saved queries on dashboards', () => {
  it('runs a shared query with its defaults and the dashboard range, cached, for any member', async () => {
    const p = fx.runtime.prisma;
    const ws = fx.workspace.id;
    const q = await createSavedQuery(p, ws, fx.users.analyst.id, {
      name: 'Days in range',
      sql: "select count(*) as days from (select date '2026-10-01' + n::int as event_date from numbers) where event_date >= {{ start_date }} and {{ filters }} and {{ k }} > 0",
      params: [
        { name: 'start_date', type: 'date', default: '2026-01-01' },
        { name: 'k', type: 'number', default: '1' },
      ],
      chart: { type: 'number', y: ['days'] },
    });
    expect(q).toMatchObject({
      chart: { type: 'number', y: ['days'] },
      params: [{ name: 'start_date' }, { name: 'k' }],
    });
    const unranged = await service.runForTile(ws, q.id, undefined);
    expect(unranged).toMatchObject({ result: { rows: [[3]] }, cached: false, range: null });
    // The range fills start_date and {{ filters }}: only 2026-10-03 is on or after the 3rd.
    const ranged = await service.runForTile(ws, q.id, { from: '2026-10-03', to: '2026-10-31' });
    expect(ranged.result.rows).toEqual([[1]]);
    const again = await service.runForTile(ws, q.id, { from: '2026-10-03', to: '2026-10-31' });
    expect(again.cached).toBe(true);

    await updateSavedQuery(p, ws, { id: fx.users.analyst.id, isAdmin: false }, q.id, {
      shared: false,
    });
    await expect(service.runForTile(ws, q.id, undefined)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(service.runForTile(fx.other.id, q.id, undefined)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await deleteSavedQuery(p, ws, { id: fx.users.analyst.id, isAdmin: false }, q.id);
  });
});

describe('history and saved queries', () => {
  it("lists a user's own runs, newest first, searchable and paged", async () => {
    const userId = fx.users.analyst.id;
    const p = fx.runtime.prisma;
    const all = await listHistory(p, fx.workspace.id, userId, {});
    expect(all.length).toBeGreaterThan(3);
    expect(all.map((r) => r.createdAt.getTime())).toEqual(
      [...all].map((r) => r.createdAt.getTime()).sort((a, b) => b - a),
    );
    const found = await listHistory(p, fx.workspace.id, userId, { search: 'FROM NUMBERS' });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((r) => /from numbers/i.test(r.sql))).toBe(true);
    const page = await listHistory(p, fx.workspace.id, userId, { limit: 2 });
    const next = await listHistory(p, fx.workspace.id, userId, {
      limit: 2,
      before: page.at(-1)!.createdAt,
    });
    expect(page).toHaveLength(2);
    expect(next.every((r) => r.createdAt < page.at(-1)!.createdAt)).toBe(true);
    // Nobody else's runs.
    expect(await listHistory(p, fx.other.id, userId, {})).toEqual([]);
  });

  it('shares saved queries within the workspace; private ones stay with their owner', async () => {
    const p = fx.runtime.prisma;
    const ws = fx.workspace.id;
    const { analyst, admin, viewer } = fx.users;
    const shared = await createSavedQuery(p, ws, analyst.id, {
      name: 'Numbers',
      folder: 'Basics',
      sql: 'select * from numbers',
    });
    const mine = await createSavedQuery(p, ws, analyst.id, {
      name: 'Scratch',
      sql: 'select 1',
      shared: false,
    });
    expect(shared).toMatchObject({ shared: true, folder: 'Basics', owner: { id: analyst.id } });
    expect((await listSavedQueries(p, ws, analyst.id)).map((q) => q.name)).toEqual([
      'Scratch',
      'Numbers',
    ]);
    expect((await listSavedQueries(p, ws, admin.id)).map((q) => q.name)).toEqual(['Numbers']);
    await expect(getSavedQuery(p, ws, admin.id, mine.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(getSavedQuery(p, fx.other.id, analyst.id, shared.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    // Only the owner or an admin changes it; a change keeps the fields it does not name.
    await expect(
      updateSavedQuery(p, ws, { id: viewer.id, isAdmin: false }, shared.id, { name: 'x' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const renamed = await updateSavedQuery(p, ws, { id: admin.id, isAdmin: true }, shared.id, {
      name: 'All numbers',
    });
    expect(renamed).toMatchObject({ name: 'All numbers', folder: 'Basics', shared: true });
    await expect(
      createSavedQuery(p, ws, analyst.id, { name: ' ', sql: 'select 1' }),
    ).rejects.toThrow(/name/);
    await expect(
      deleteSavedQuery(p, ws, { id: admin.id, isAdmin: true }, mine.id),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await deleteSavedQuery(p, ws, { id: analyst.id, isAdmin: false }, mine.id)).toEqual({
      id: mine.id,
    });
  });
});
