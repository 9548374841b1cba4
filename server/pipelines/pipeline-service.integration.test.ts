// dbt runs end to end on a real runtime: generated Orbit data → WAL → Delta bronze → a real
// `dbt build` (dbt-duckdb) as a pg-boss job → per-run Parquet marts → the workspace's views.
// Checked against the generator's ground_truth.json; then the guarantees around runs: one at a
// time, queries keep answering from the previous run while one runs, a failing dbt test fails
// the run with its reason and leaves the previous marts in use, client retries change no count,
// and a server stopped mid-run leaves a clean state.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postBatch } from '@/test/post-batch';
import { generateDataset } from '@/server/ingest/generator/generate';
import { importFiles } from '@/server/ingest/import/import-files';
import { AppError } from '@/server/errors';
import { createApiKey } from '@/server/auth/api-keys';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';
import { dbtRunPaths } from './dbt-runner';
import type { NodeResult } from './run-results';
import { loadCatalog } from '@/server/catalog/dbt-catalog';

interface GroundTruth {
  counts: { users: number; events: number; events_by_name: Record<string, number> };
  funnel: { steps: string[]; users_any_time: number[] };
  experiments: Record<string, { variants: Record<string, { exposed_users: number }> }>;
  window: { end_date: string };
  churn: { churned_users: number; churned_at_by_user_id: Record<string, string> };
}

describe.each(testDatabases())('dbt runs on $kind', (kind) => {
  let fx: Fixture;
  let dir: string;
  let truth: GroundTruth;
  let key: string;

  const query = async (sql: string) =>
    (
      await fx.runtime.engine.execute(sql, {
        schema: fx.runtime.pipelines.schemaOf(fx.workspace.id),
      })
    ).rows;
  const scalar = async (sql: string) => Number((await query(sql))[0]?.[0]);
  const build = async (selector: string | null = null) => {
    await fx.runtime.flusher.flush();
    const run = await fx.runtime.pipelines.startRun({
      workspaceId: fx.workspace.id,
      selector,
      trigger: 'manual',
    });
    return fx.runtime.pipelines.waitFor(run.id);
  };
  const post = async (batch: unknown[]) => {
    const res = await postBatch(fx.runtime, key, { batch });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tl-dbt-'));
    await generateDataset({
      events: 30_000,
      seed: 11,
      days: 45,
      endDate: '2026-11-01',
      outDir: path.join(dir, 'gen'),
    });
    truth = JSON.parse(await readFile(path.join(dir, 'gen', 'ground_truth.json'), 'utf8'));
    // Runs here start from a spare dbt process (started ahead of each run), as on a server.
    fx = await startFixture(kind, { TL_DBT_SPARE: '1' });
    key = (
      await createApiKey(
        fx.runtime.prisma,
        fx.workspace.id,
        { id: fx.users.admin.id, email: fx.users.admin.email, ip: null },
        'dbt test',
      )
    ).secret;
    await importFiles(fx.runtime, { workspaceId: fx.workspace.id, paths: [path.join(dir, 'gen')] });
  }, 120_000);
  afterAll(async () => {
    await fx?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds every mart from bronze and matches the ground truth', async () => {
    await fx.runtime.flusher.flush();
    const started = await fx.runtime.pipelines.startRun({
      workspaceId: fx.workspace.id,
      selector: null,
      trigger: 'manual',
    });
    let live: { done: number; total: number } | undefined;
    fx.runtime.pipelines.eventsOf(started.id).on('progress', (p) => (live = p));
    const run = await fx.runtime.pipelines.waitFor(started.id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.isCurrent).toBe(true);
    const nodes = run.results as unknown as NodeResult[];
    // Two dbt threads finish nodes out of their start order; the live count still ends at all
    // of them (it once ended at "150 / 151", read from the last result's start index).
    expect(live).toEqual({ done: nodes.length, total: nodes.length });
    expect([run.nodesDone, run.nodesTotal]).toEqual([nodes.length, nodes.length]);
    const models = nodes.filter((n) => n.resourceType === 'model').map((n) => n.name);
    for (const mart of [
      'dim_users',
      'fact_events',
      'fct_sessions',
      'dim_features',
      'fct_feature_usage_daily',
      'fct_user_activity_daily',
      'metrics_daily',
      'fct_subscriptions',
      'fct_experiment_exposures',
      'user_features',
    ])
      expect(models).toContain(mart);
    expect(nodes.filter((n) => n.resourceType === 'test').length).toBeGreaterThan(20);
    expect(nodes.find((n) => n.name === 'fact_events')?.rows).toBeGreaterThan(0);

    // Bare names resolve to this workspace's marts.
    expect(await scalar('select count(*) from dim_users')).toBe(truth.counts.users);
    const byName = Object.fromEntries(
      (await query('select event_name, count(*) from fact_events group by 1')).map(([n, c]) => [
        n,
        Number(c),
      ]),
    );
    for (const [name, count] of Object.entries(truth.counts.events_by_name))
      // Anonymous events never linked to a user are not in fact_events (user_id is required).
      expect(byName[name] ?? 0).toBeGreaterThanOrEqual(count * 0.97);
    for (const [experiment, { variants }] of Object.entries(truth.experiments))
      for (const [variant, { exposed_users }] of Object.entries(variants))
        expect(
          await scalar(
            `select count(distinct user_id) from fct_experiment_exposures where experiment_key = '${experiment}' and variant = '${variant}'`,
          ),
        ).toBe(exposed_users);
    // Churn: a user stopped by the simulation is only observable once 14 days have passed
    // without an event (dim_users' rule). Those must be flagged, and every flagged user must
    // really have stopped.
    const flagged = new Set(
      (await query('select user_id from dim_users where is_churned')).map(([u]) => String(u)),
    );
    const cutoff = new Date(Date.parse(truth.window.end_date) - 14 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const observable = Object.entries(truth.churn.churned_at_by_user_id)
      .filter(([, at]) => at < cutoff)
      .map(([u]) => u);
    const found = observable.filter((u) => flagged.has(u)).length;
    expect(found / observable.length).toBeGreaterThanOrEqual(0.95);
    const real = [...flagged].filter((u) => u in truth.churn.churned_at_by_user_id).length;
    expect(real / flagged.size).toBeGreaterThanOrEqual(0.9);
    const sessions = await scalar('select count(*) from fct_sessions');
    expect(sessions).toBeGreaterThan(truth.counts.users);
    expect(
      await scalar(
        'select count(*) from fact_events where session_duration < 0 or session_duration > 86400',
      ),
    ).toBe(0);
  }, 300_000);

  it('describes the project in the catalog: layers, columns with types and tests, lineage', async () => {
    const catalog = await loadCatalog(
      fx.runtime.prisma,
      fx.runtime.engine,
      fx.runtime.config.dataDir,
      fx.workspace.id,
    );
    const byName = new Map(catalog.nodes.map((n) => [n.name, n]));
    expect(new Set(catalog.nodes.map((n) => n.layer))).toEqual(
      new Set(['source', 'seed', 'staging', 'intermediate', 'marts', 'snapshot']),
    );
    const facts = byName.get('fact_events')!;
    expect(facts).toMatchObject({ layer: 'marts', queryable: true, status: 'success' });
    expect(facts.description.length).toBeGreaterThan(20);
    expect(facts.rows).toBeGreaterThan(0);
    const duration = facts.columns.find((c) => c.name === 'session_duration')!;
    expect(duration.type).toMatch(/INT|DOUBLE|DECIMAL|BIGINT/);
    expect(duration.tests.map((t) => t.kind)).toContain('accepted_range');
    expect(duration.tests.every((t) => t.status === 'pass')).toBe(true);
    expect(facts.columns.find((c) => c.name === 'user_id')!.tests.map((t) => t.kind)).toContain(
      'not_null',
    );
    // Every column of every model is described (they feed the catalog and Ask).
    for (const node of catalog.nodes.filter((n) => n.resourceType === 'model'))
      for (const column of node.columns)
        expect(column.description, `${node.name}.${column.name}`).not.toBe('');
    // Lineage: source → staging → … → marts.
    const stg = byName.get('stg_events')!;
    expect(stg.upstream.some((id) => id.startsWith('source.'))).toBe(true);
    expect(stg.downstream.length).toBeGreaterThan(0);
    expect(facts.upstream.length).toBeGreaterThan(0);
    expect(byName.get('int_events')?.queryable ?? false).toBe(false);
    // The stored staging models and the workspace's bronze rows are queryable too (the SQL
    // editor's schema browser lists them); stg_events is a view dbt inlines: not stored.
    expect(byName.get('stg_identity_map')).toMatchObject({
      layer: 'staging',
      queryable: true,
      relation: 'stg_identity_map',
    });
    expect(byName.get('stg_events')).toMatchObject({ queryable: false, relation: null });
    const bronze = byName.get('bronze.events')!;
    expect(bronze).toMatchObject({ layer: 'source', queryable: true, relation: 'bronze_events' });
    expect(bronze.columns.map((c) => c.name)).toContain('event');
    expect(bronze.columns.map((c) => c.name)).not.toContain('workspace_id');
    const schema = fx.runtime.pipelines.schemaOf(fx.workspace.id);
    const scoped = async (sql: string) =>
      Number((await fx.runtime.engine.execute(sql, { schema, scoped: true })).rows[0]?.[0]);
    // bronze_events holds exactly this workspace's bronze rows, and user SQL may read it.
    expect(await scoped('select count(*) from bronze_events')).toBe(
      Number(
        (
          await fx.runtime.engine.execute(
            `select count(*) from bronze.events where workspace_id = '${fx.workspace.id}'`,
          )
        ).rows[0]?.[0],
      ),
    );
    expect(await scoped('select count(*) from bronze_events')).toBeGreaterThan(0);
    expect(await scoped('select count(*) from stg_identity_map')).toBeGreaterThan(0);

    // `tl query` (no metadata database) finds the current marts through the lake's pointer.
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/tl.ts',
          'query',
          '--json',
          'select count(*) as n from dim_users',
        ],
        { env: { ...process.env, TL_DATA_DIR: fx.runtime.config.dataDir, LOG_LEVEL: 'warn' } },
        (error, stdout, stderr) =>
          error ? reject(new Error(stderr || error.message)) : resolve(stdout),
      ),
    );
    expect(JSON.parse(out).rows).toEqual([[truth.counts.users]]);
  }, 60_000);

  it('refuses a second run while one is queued or running, and cancels a run', async () => {
    const current = await fx.runtime.prisma.pipelineRun.findFirstOrThrow({
      where: { workspaceId: fx.workspace.id, isCurrent: true },
    });
    const first = await fx.runtime.pipelines.startRun({
      workspaceId: fx.workspace.id,
      trigger: 'manual',
    });
    await expect(
      fx.runtime.pipelines.startRun({ workspaceId: fx.workspace.id, trigger: 'manual' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already/) });
    // Cancel once dbt is really running.
    await expect
      .poll(
        async () =>
          (await fx.runtime.prisma.pipelineRun.findUniqueOrThrow({ where: { id: first.id } }))
            .status,
        { timeout: 30_000, interval: 100 },
      )
      .toBe('running');
    const cancelled = await fx.runtime.pipelines.cancel(fx.workspace.id, first.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.isCurrent).toBe(false);
    expect(
      (
        await fx.runtime.prisma.pipelineRun.findFirstOrThrow({
          where: { workspaceId: fx.workspace.id, isCurrent: true },
        })
      ).id,
    ).toBe(current.id);
    expect(await scalar('select count(*) from dim_users')).toBe(truth.counts.users);
  }, 120_000);

  it('keeps answering from the previous run while a run builds, then switches at once', async () => {
    const before = await scalar('select count(*) from fact_events');
    // New events for the next run: one more user with three events.
    const at = (m: number) => `2026-11-01T12:0${m}:00.000Z`;
    await post(
      [1, 2, 3].map((m) => ({
        event: 'page_viewed',
        user_id: 'u_test_new',
        timestamp: at(m),
        properties: { page: 'projects', duration_ms: 1000 },
      })),
    );
    await fx.runtime.flusher.flush();
    const run = await fx.runtime.pipelines.startRun({
      workspaceId: fx.workspace.id,
      trigger: 'manual',
    });
    const seen = new Set<number>();
    for (;;) {
      seen.add(await scalar('select count(*) from fact_events'));
      const now = await fx.runtime.prisma.pipelineRun.findUniqueOrThrow({ where: { id: run.id } });
      if (now.status !== 'queued' && now.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Only ever the old count or the new one: never a half-built state, never an error.
    expect([...seen].every((n) => n === before || n === before + 3)).toBe(true);
    expect(seen.has(before)).toBe(true);
    expect(await scalar('select count(*) from fact_events')).toBe(before + 3);
    // dbt reused the previous run's parse: the profile (relative paths) is the same every run.
    const log = await readFile(
      path.join(
        dbtRunPaths(fx.runtime.config.dataDir, fx.runtime.config.lakeDir, fx.workspace.id, run.id)
          .workDir,
        'dbt.log',
      ),
      'utf8',
    );
    expect(log).toMatch(/"name":\s*"FoundStats"/);
    expect(log).not.toContain('UnableToPartialParse');

    // Time travel: the previous run's marts stay readable (yesterday's numbers) next to the
    // current ones, until retention deletes them.
    const versions = await fx.runtime.pipelines.versions(fx.workspace.id);
    expect(versions[0]).toMatchObject({ runId: run.id, isCurrent: true });
    const previous = versions[1]!;
    expect(previous.isCurrent).toBe(false);
    const asOf = async (runId: string) =>
      Number(
        (
          await fx.runtime.engine.execute('select count(*) from fact_events', {
            schema: await fx.runtime.pipelines.schemaAt(fx.workspace.id, runId),
          })
        ).rows[0]?.[0],
      );
    expect(await asOf(previous.runId)).toBe(before);
    expect(await asOf(run.id)).toBe(before + 3);
    expect(await scalar('select count(*) from fact_events')).toBe(before + 3);
    await expect(
      fx.runtime.pipelines.schemaAt(fx.workspace.id, '01a21652-0000-7000-8000-000000000000'),
    ).rejects.toThrow(/No such run/);
  }, 300_000);

  it('counts a batch sent three times (client retries) once in staging and the marts', async () => {
    const before = await scalar('select count(*) from fact_events');
    const users = await scalar('select count(*) from dim_users');
    const batch = [
      {
        event_id: '0b7c6f5e-1d2a-4b3c-8d4e-5f6a7b8c9d01',
        event: 'feature_used',
        user_id: 'u_test_retry',
        timestamp: '2026-11-01T13:00:00.000Z',
        properties: { feature_name: 'bulk_edit', duration_ms: 10 },
      },
      {
        event_id: '0b7c6f5e-1d2a-4b3c-8d4e-5f6a7b8c9d02',
        event: 'report_exported',
        user_id: 'u_test_retry',
        timestamp: '2026-11-01T13:01:00.000Z',
        properties: { format: 'csv' },
      },
    ];
    for (let i = 0; i < 3; i++) await post(batch);
    const run = await build();
    expect(run.status).toBe('succeeded');
    expect(await scalar('select count(*) from fact_events')).toBe(before + 2);
    expect(await scalar('select count(*) from dim_users')).toBe(users + 1);
    expect(
      await scalar(`select lifetime_events from dim_users where user_id = 'u_test_retry'`),
    ).toBe(2);
  }, 300_000);

  it('builds a selection on top of the current run, keeping every other mart', async () => {
    const before = await scalar('select count(*) from dim_users');
    const run = await build('fact_events');
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    const models = (run.results as unknown as NodeResult[])
      .filter((n) => n.resourceType === 'model')
      .map((n) => n.name);
    expect(models).toEqual(['fact_events']);
    // The marts the selection did not build are still there (copied from the previous run).
    expect(await scalar('select count(*) from dim_users')).toBe(before);
    expect(await scalar('select count(*) from fact_events')).toBeGreaterThan(0);
    expect(await scalar('select count(*) from metrics_daily')).toBeGreaterThan(0);
  }, 300_000);

  it('builds the accelerators after the switch, again for a selection that rebuilt fact_events', async () => {
    await fx.runtime.pipelines.accelerated(fx.workspace.id);
    const times = 'select count(*) from agg_user_event_times';
    const pairs = `select count(*) from (select distinct event_name, user_id from fact_events where user_id is not null)`;
    expect(await scalar(times)).toBe(await scalar(pairs));
    // A new event, then a selection that rebuilds fact_events (what it reads and what reads it):
    // the accelerator copied from the current run along with the other marts is stale.
    await post([
      {
        event: 'search_performed',
        user_id: 'u_test_accelerator',
        timestamp: '2026-11-01T14:00:00.000Z',
        properties: { query: 'x' },
      },
    ]);
    const run = await build('+fact_events+');
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    await fx.runtime.pipelines.accelerated(fx.workspace.id);
    const user = `select len(times) from agg_user_event_times where user_id = 'u_test_accelerator' and event_name = 'search_performed'`;
    expect(await scalar(user)).toBe(1);
    expect(await scalar(times)).toBe(await scalar(pairs));
    expect(await scalar('select sum(len(times)) from agg_user_event_times')).toBe(
      await scalar('select count(*) from fact_events where user_id is not null'),
    );
    expect(await scalar('select count(*) from agg_user_event_days')).toBe(
      await scalar(
        'select count(*) from (select distinct event_name, event_date, user_id from fact_events where user_id is not null)',
      ),
    );
    expect(
      await scalar(
        `select count(*) from agg_user_event_days where user_id = 'u_test_accelerator' and day = date '2026-11-01'`,
      ),
    ).toBe(1);
    expect(await scalar('select sum(length(events)) from agg_user_timeline')).toBe(
      await scalar('select count(*) from fact_events where user_id is not null'),
    );
    // 2026-11-01 is day 20,758 since 1970-01-01.
    expect(
      await scalar(
        `select count(*) from agg_user_timeline as t join agg_event_codes as c on c.event_name = 'search_performed'
         where t.user_id = 'u_test_accelerator' and t.events = c.code and t.runs = c.code and t.days = [20758]
           and t.ev_first = [1] and t.ev_last = [1] and t.run_first = [1] and t.run_last = [1]`,
      ),
    ).toBe(1);
  }, 300_000);

  it('fails a run whose dbt test fails, says which and why, and keeps the previous marts', async () => {
    const current = await fx.runtime.prisma.pipelineRun.findFirstOrThrow({
      where: { workspaceId: fx.workspace.id, isCurrent: true },
    });
    const before = await scalar('select count(*) from fact_events');
    // A plan outside the accepted values of the marts.
    await post([
      {
        event: 'subscription_started',
        user_id: 'u_test_bad_plan',
        timestamp: '2026-11-01T14:00:00.000Z',
        properties: { plan: 'platinum', billing_period: 'monthly', mrr_usd: 10 },
      },
    ]);
    const run = await build();
    expect(run.status).toBe('failed');
    const failed = (run.results as unknown as NodeResult[]).filter(
      (n) => n.status === 'fail' || n.status === 'error',
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.compiledSql).toBeTruthy();
    expect(run.error).toMatch(/failed: .*accepted_values/);
    expect(run.isCurrent).toBe(false);
    // Still the previous run's marts.
    expect(
      (
        await fx.runtime.prisma.pipelineRun.findFirstOrThrow({
          where: { workspaceId: fx.workspace.id, isCurrent: true },
        })
      ).id,
    ).toBe(current.id);
    expect(await scalar('select count(*) from fact_events')).toBe(before);
    const notice = await fx.runtime.prisma.auditLog.findFirst({
      where: { action: 'pipeline.run_failed', targetId: run.id },
    });
    expect(notice?.details).toMatchObject({
      failedTests: expect.arrayContaining([expect.any(String)]),
    });
    // Its dbt database (staging and intermediate tables) is deleted; its log and results stay.
    // The current run keeps its own: a selective run starts from it.
    const dbOf = (id: string) =>
      path.join(
        dbtRunPaths(fx.runtime.config.dataDir, '', fx.workspace.id, id).workDir,
        'dbt.duckdb',
      );
    expect(existsSync(dbOf(run.id))).toBe(false);
    expect(existsSync(path.join(path.dirname(dbOf(run.id)), 'dbt.log'))).toBe(true);
    expect(existsSync(dbOf(current.id))).toBe(true);
  }, 300_000);

  it('refuses selectors that are not dbt syntax before anything runs', async () => {
    await expect(
      fx.runtime.pipelines.startRun({
        workspaceId: fx.workspace.id,
        selector: 'fact_events --vars {x: 1}',
        trigger: 'manual',
      }),
    ).rejects.toBeInstanceOf(AppError);
  });

  it('after a crash mid-run, the next start marks the run failed and keeps the current marts', async () => {
    const current = await fx.runtime.prisma.pipelineRun.findFirstOrThrow({
      where: { workspaceId: fx.workspace.id, isCurrent: true },
    });
    // What a kill -9 leaves: a run row still "running" and half-written outputs.
    const crashed = await fx.runtime.prisma.pipelineRun.create({
      data: { workspaceId: fx.workspace.id, status: 'running', trigger: 'manual' },
    });
    const half = path.join(fx.runtime.config.lakeDir, 'marts', fx.workspace.id, crashed.id);
    await import('node:fs/promises').then((fs) => fs.mkdir(half, { recursive: true }));
    await writeFile(path.join(half, 'fact_events.parquet'), 'partial');
    const { PipelineService } = await import('./pipeline-service');
    const { DuckDbMarts } = await import('./marts-store');
    const restarted = await PipelineService.start({
      prisma: fx.runtime.prisma,
      marts: new DuckDbMarts(fx.runtime.engine),
      logger: fx.runtime.logger,
      boss: fx.runtime.jobs.boss,
      projectRoot: fx.runtime.config.projectRoot,
      dataDir: fx.runtime.config.dataDir,
      lakeDir: fx.runtime.config.lakeDir,
      keepRuns: fx.runtime.config.dbt.keepRuns,
      acceleratorBuild: { threads: 1, tempDir: fx.runtime.config.duckdb.tempDir },
    });
    try {
      const after = await fx.runtime.prisma.pipelineRun.findUniqueOrThrow({
        where: { id: crashed.id },
      });
      expect(after.status).toBe('failed');
      expect(after.error).toMatch(/server stopped/);
      expect(
        (
          await fx.runtime.prisma.pipelineRun.findFirstOrThrow({
            where: { workspaceId: fx.workspace.id, isCurrent: true },
          })
        ).id,
      ).toBe(current.id);
      expect(await scalar('select count(*) from fact_events')).toBeGreaterThan(0);
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
