// The same insight on DuckDB and on Trino returns the same result (issue: distributed mode).
// Two runtimes, one after the other (a process holds one runtime), over the same generated data
// (20k Orbit events, seed 5): one embedded (dbt-duckdb marts, DuckDB queries, the accelerators),
// one with TRINO_URL set (dbt-trino builds the marts as Delta tables in a real Trino server
// started by infra/local/trino.sh over that runtime's lake; insights compile with the Trino
// dialect and run there). Every insight type, with the options whose SQL differs most between
// the dialects, must give equal chart-ready results.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import { TestTrino, trinoAvailable } from '@/test/trino-server';
import { ACCELERATOR_NAMES } from '../pipelines/accelerators';
import type { TrinoEngine } from '../query/trino-engine';
import type { InsightQuery } from './insight-service';
import { normalise } from '@/test/normalise';

const available = trinoAvailable();
if (!available.ok) {
  if (process.env.REQUIRE_SERVICES === '1')
    throw new Error(`REQUIRE_SERVICES=1 but Trino cannot start here: ${available.reason}`);
  console.warn(`\n⚠ Trino equivalence suite skipped: ${available.reason}. CI runs it.\n`);
}

const window = { from: '2026-09-03', to: '2026-10-17' };
const ONBOARDING = ['signed_up', 'onboarding_completed', 'project_created'].map((event) => ({
  event,
}));

type Input = Record<string, unknown> & { kind: InsightQuery['kind'] };

/**
 * One case per option whose compiled SQL differs between the dialects. Funnels take another
 * statement on Trino (funnel-walk.ts: one pass per user instead of DuckDB's CTE chain, which
 * Trino plans again at every reference — with exclusion steps ~350 stages, past any time limit),
 * so every funnel option is here.
 */
const CASES: [string, Input][] = [
  [
    'trends: total per day',
    { kind: 'trends', series: [{ event: 'signed_up' }], dateRange: window },
  ],
  [
    'trends: unique users per week, two series, formula, previous period',
    {
      kind: 'trends',
      series: [
        { event: 'feature_used', math: 'unique_users' },
        { event: 'logged_in', math: 'unique_users' },
      ],
      interval: 'week',
      formulas: [{ expression: 'A / B * 100' }],
      compare: true,
      dateRange: { from: '2026-09-21', to: '2026-10-17' },
    },
  ],
  [
    'trends: per month, event-property breakdown, user-property filter',
    {
      kind: 'trends',
      series: [{ event: 'page_viewed' }],
      interval: 'month',
      breakdown: { property: { source: 'event', name: 'platform' }, limit: 3 },
      filters: [{ property: { source: 'user', name: 'plan' }, op: 'eq', value: 'pro' }],
      dateRange: window,
    },
  ],
  [
    'trends: per hour',
    {
      kind: 'trends',
      series: [{ event: 'error_occurred' }],
      interval: 'hour',
      dateRange: { from: '2026-10-10', to: '2026-10-12' },
    },
  ],
  [
    'funnels: sequential, 14-day window',
    {
      kind: 'funnels',
      steps: ONBOARDING,
      conversionWindow: { value: 14, unit: 'day' },
      dateRange: window,
    },
  ],
  [
    'funnels: strict order, breakdown by plan',
    {
      kind: 'funnels',
      // (In this data signed_up is never directly followed by onboarding_completed: new users
      // are exposed to an experiment first.)
      steps: [{ event: 'signed_up' }, { event: 'experiment_exposed' }, { event: 'page_viewed' }],
      order: 'strict',
      breakdown: { property: { source: 'user', name: 'plan' } },
      dateRange: window,
    },
  ],
  ['funnels: any order', { kind: 'funnels', steps: ONBOARDING, order: 'any', dateRange: window }],
  [
    'funnels: exclusion steps',
    {
      kind: 'funnels',
      steps: [...ONBOARDING, { event: 'feature_used' }],
      exclusions: [
        { event: 'error_occurred', fromStep: 0, toStep: 2 },
        { event: 'logged_in', fromStep: 1, toStep: 3 },
      ],
      dateRange: window,
    },
  ],
  [
    'funnels: strict order, an exclusion, hours',
    {
      kind: 'funnels',
      // New users are exposed to the onboarding experiment right after signing up, then view
      // pages; the exclusion (a web page view between steps 1 and 3) hits step 2's event.
      steps: [
        { event: 'signed_up' },
        { event: 'experiment_exposed' },
        { event: 'page_viewed' },
        { event: 'page_viewed' },
      ],
      order: 'strict',
      exclusions: [
        {
          event: 'page_viewed',
          filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
          fromStep: 1,
          toStep: 3,
        },
      ],
      conversionWindow: { value: 2, unit: 'hour' },
      dateRange: window,
    },
  ],
  [
    'funnels: any order, a step filter on an event property, 1-day window',
    {
      kind: 'funnels',
      steps: [
        { event: 'page_viewed' },
        {
          event: 'feature_used',
          filters: [
            {
              property: { source: 'event_property', name: 'feature_name' },
              op: 'eq',
              value: 'kanban_board',
            },
          ],
        },
        { event: 'logged_in' },
      ],
      order: 'any',
      conversionWindow: { value: 1, unit: 'day' },
      dateRange: window,
    },
  ],
  [
    'funnels: five repeated steps, 30-day window, event-column breakdown (top 2 + other)',
    {
      kind: 'funnels',
      steps: Array.from({ length: 5 }, () => ({ event: 'page_viewed' })),
      conversionWindow: { value: 30, unit: 'day' },
      breakdown: { property: { source: 'event', name: 'platform' }, limit: 2 },
      dateRange: window,
    },
  ],
  [
    'funnels: global user-property filter, time to convert between middle steps',
    {
      kind: 'funnels',
      steps: [...ONBOARDING, { event: 'feature_used' }],
      filters: [{ property: { source: 'user', name: 'plan' }, op: 'neq', value: 'free' }],
      view: 'time_to_convert',
      timeToConvert: { fromStep: 1, toStep: 3, bins: 6 },
      dateRange: window,
    },
  ],
  [
    'funnels: any order, conversion over time (daily)',
    { kind: 'funnels', steps: ONBOARDING, order: 'any', view: 'trends', dateRange: window },
  ],
  [
    'funnels: time to convert',
    { kind: 'funnels', steps: ONBOARDING, view: 'time_to_convert', dateRange: window },
  ],
  [
    'funnels: conversion over time (weekly)',
    {
      kind: 'funnels',
      steps: ONBOARDING,
      view: 'trends',
      trendsInterval: 'week',
      dateRange: window,
    },
  ],
  [
    'funnels: strict order, conversion over time (monthly)',
    {
      kind: 'funnels',
      steps: [{ event: 'signed_up' }, { event: 'experiment_exposed' }],
      order: 'strict',
      view: 'trends',
      trendsInterval: 'month',
      dateRange: window,
    },
  ],
  [
    'retention: first time, weekly',
    {
      kind: 'retention',
      startEvent: { event: 'signed_up' },
      returnEvent: { event: null },
      period: 'week',
      periods: 5,
      dateRange: window,
    },
  ],
  [
    'retention: recurring, on or after, daily, breakdown',
    {
      kind: 'retention',
      startEvent: { event: 'logged_in' },
      returnEvent: { event: 'feature_used' },
      cohortType: 'recurring',
      returnCounting: 'on_or_after',
      period: 'day',
      periods: 7,
      breakdown: { property: { source: 'user', name: 'plan' } },
      dateRange: { from: '2026-10-01', to: '2026-10-17' },
    },
  ],
  [
    'paths: after an event',
    { kind: 'paths', start: { event: 'signed_up' }, depth: 4, minUsers: 2, dateRange: window },
  ],
  [
    'paths: before an event, repeats kept',
    {
      kind: 'paths',
      end: { event: 'project_created' },
      depth: 3,
      collapseRepeats: false,
      dateRange: window,
    },
  ],
  ['feature adoption: by plan', { kind: 'feature_adoption', segment: 'plan', dateRange: window }],
  [
    'feature adoption: by cohort month, all segment users',
    {
      kind: 'feature_adoption',
      segment: 'cohort_month',
      denominator: 'segment_users',
      dateRange: window,
    },
  ],
  [
    'lifecycle: daily',
    {
      kind: 'lifecycle',
      event: { event: 'logged_in' },
      interval: 'day',
      dateRange: { from: '2026-09-20', to: '2026-10-17' },
    },
  ],
  [
    'lifecycle: weekly, any event',
    { kind: 'lifecycle', event: { event: null }, interval: 'week', dateRange: window },
  ],
  [
    'stickiness: daily',
    {
      kind: 'stickiness',
      event: { event: 'feature_used' },
      interval: 'day',
      dateRange: { from: '2026-10-01', to: '2026-10-14' },
    },
  ],
  [
    'stickiness: weekly, any event',
    { kind: 'stickiness', event: { event: null }, interval: 'week', dateRange: window },
  ],
];

/** Funnel drill-downs: the users who dropped off at or converted to a step. */
const FUNNEL_USERS: [string, { query: Input; step: number; outcome: 'converted' | 'dropped' }][] = [
  [
    'funnel users: dropped off at step 2, with an exclusion',
    {
      query: {
        kind: 'funnels',
        steps: ONBOARDING,
        exclusions: [{ event: 'page_viewed', fromStep: 1, toStep: 2 }],
        dateRange: window,
      },
      step: 2,
      outcome: 'dropped',
    },
  ],
  [
    'funnel users: converted to step 1, strict order',
    {
      query: {
        kind: 'funnels',
        steps: [{ event: 'signed_up' }, { event: 'experiment_exposed' }, { event: 'page_viewed' }],
        order: 'strict',
        dateRange: window,
      },
      step: 1,
      outcome: 'converted',
    },
  ],
];

/**
 * Ask on both engines: questions whose compiled SQL differs most between the dialects (medians,
 * shares, times between events, hour / weekday breakdowns, JSON properties, DAU/MAU, user lists,
 * funnels, experiment variants). "Today" is the data's last day on both.
 */
const QUESTIONS = [
  'How many users signed up in October 2026?',
  'Which 5 features were used by the most users last month?',
  'What share of users who signed up in September completed onboarding?',
  'What is the average session duration in minutes by platform?',
  'median session duration in seconds for web sessions since October 1',
  'What share of logins last month used Google sign-in?',
  'What was the average DAU across September?',
  'What was our stickiness (DAU/MAU) on October 10?',
  'How many users churned in each month?',
  'For the signup -> onboarding -> project created funnel, how many users who signed up in September reached the last step?',
  'In September, what fraction of sessions had at least one error?',
  'What was the average number of results returned per search in September?',
  'How many distinct features did users use on average in September?',
  'Conversion rate to subscription by variant in the annual_plan_default experiment',
  'Which 3 users exported the most reports?',
  'List the users who cancelled their subscription',
  'How many sessions lasted longer than 5 minutes?',
  'Number of logins by method in the last 30 days',
  'page views by day of week last month',
  'logins by hour of day last week',
  'page views on weekends vs weekdays in September',
  'How long does it take from signing up to creating a project, in hours?',
  'median number of days from sign up to first project',
  // Two periods, a second breakdown, users without activity, figures side by side, MRR flows.
  'percent change in weekly active users, this week vs last week',
  'Compare active users in Oct 1–15 vs Oct 16–31',
  'Which app version + platform combination has thrown the most errors overall?',
  'How many users have not been active at all in the last 30 days?',
  'Show me the number of sessions for each day last week, with the average session length in minutes',
  'How much new MRR did subscriptions started in October bring in?',
  'How many of the users who signed up in September completed onboarding within 24 hours of signing up?',
  'signed_up -> onboarding_completed -> project_created funnel for September signups, as one row',
  'Average sessions per user for each of the past 4 weeks',
  // Averages per month, rates per 1,000, two counts per variant, weekly cohorts, stickiness over
  // a month, a share within 14 days, two months as a row each.
  'Average DAU for September and for October 2026, one row per month',
  'Errors per 1,000 events by platform in September',
  'onboarding_checklist_v2: how many users were exposed and how many converted in each variant?',
  'Week-1 retention for September signups by signup week',
  'How sticky was the product in September 2026?',
  'Of the people who signed up in September, what share completed onboarding within 14 days after signing up?',
  'How did active users in October 2026 compare with September? One row per month.',
];

/**
 * An insight and an editor query while the workspace schema's switch is half done. On Trino,
 * `activate` replaces the workspace schema's views one statement at a time; here `fact_events`'s
 * view is left reading nothing, as a view not yet switched might read another run, and the app's
 * queries must still read the current run (they resolve names in the run's own schema). DuckDB
 * switches in one transaction: the same queries, for the expected values.
 */
async function queriesMidSwitch(
  ctx: InsightsFixture,
  editorSql: (sql: string) => Promise<unknown[]>,
): Promise<Answers['midSwitch']> {
  const run = async () => ({
    insight: normalise(
      (
        await ctx.viewer.insights.run({
          kind: 'trends',
          series: [{ event: 'signed_up', math: 'unique_users' }],
          interval: 'week',
          dateRange: { from: '2026-09-07', to: '2026-10-11' },
        })
      ).result,
    ),
    editor: normalise(
      await editorSql('select count(*) as n, count(distinct user_id) from fact_events'),
    ),
  });
  if (ctx.fx.runtime.mode.queryEngine !== 'trino') return { ...(await run()), viewRows: -1 };
  const trino = ctx.fx.runtime.queryEngine as TrinoEngine;
  const ws = ctx.fx.runtime.pipelines.schemaOf(ctx.fx.workspace.id);
  const current = await ctx.fx.runtime.pipelines.currentSchema(ctx.fx.workspace.id);
  expect(current).not.toBe(ws);
  const view = `"${trino.catalog}"."${ws}"."fact_events"`;
  const table = `"${trino.catalog}"."${current}"."fact_events"`;
  await trino.admin(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM ${table} WHERE false`);
  try {
    const [[viewRows]] = (await trino.admin(`SELECT count(*) FROM ${view}`)) as [[unknown]];
    return { ...(await run()), viewRows: Number(viewRows) };
  } finally {
    await trino.admin(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM ${table}`);
  }
}

/** What one runtime answers: each case's result and SQL, and a few facts about its marts. */
interface Answers {
  engine: string;
  midSwitch: { insight: unknown; editor: unknown; viewRows: number };
  facts: { marts: string[]; events: number };
  results: Map<string, { sql?: string; result?: unknown; error?: string }>;
  /** The SQL editor: a mart query's rows, what reading bronze gives, the schema browser. */
  editor: {
    rows: unknown;
    bronze: string;
    /** bronze_events by event; another workspace's bronze rows (the refusal); a typo's error. */
    ownBronze: unknown;
    otherBronze: string;
    typo: string;
    /** An EXPLAIN from the editor: its statement type and plan rows. */
    plan: { statementType?: string; rows: number };
    tables: string[];
    functions: number;
  };
  /** Admin → System's query engine row. */
  engineRow: { implementation: string; mode: string; state: string; detail: string } | undefined;
  /** Per question: the answer's plan and rows (sorted), or the refusal. */
  answers: Map<
    string,
    { plan?: unknown; rows?: string[]; sql?: string; refused?: string; error?: string }
  >;
}

const COHORT = {
  match: 'any' as const,
  groups: [
    {
      match: 'all' as const,
      conditions: [
        {
          type: 'performed' as const,
          event: 'feature_used',
          operator: 'at_least' as const,
          count: 3,
          window: { last: 14, unit: 'day' as const },
        },
      ],
    },
  ],
};

async function collect(ctx: InsightsFixture): Promise<Answers> {
  const results: Answers['results'] = new Map();
  for (const [name, query] of CASES) {
    try {
      const res = await ctx.viewer.insights.run(query as never);
      results.set(name, { sql: res.sql, result: normalise(res.result) });
    } catch (error) {
      results.set(name, { error: (error as Error).message });
    }
  }
  for (const [name, { query, step, outcome }] of FUNNEL_USERS) {
    try {
      const res = await ctx.viewer.insights.funnelUsers({
        query: query as never,
        step,
        outcome,
        limit: 1000,
      });
      results.set(name, { sql: res.sql, result: { total: res.total, users: res.users } });
    } catch (error) {
      results.set(name, { error: (error as Error).message });
    }
  }
  // A saved cohort as a filter and as a breakdown.
  const analyst = createCaller(
    await ctx.fx.context({
      cookie: await ctx.fx.cookieFor(ctx.fx.users.analyst.email),
      workspace: ctx.fx.workspace.slug,
    }),
  );
  const { id } = await analyst.cohorts.create({ name: 'Engaged', definition: COHORT });
  const query = {
    kind: 'trends' as const,
    series: [{ event: 'logged_in', math: 'unique_users' as const }],
    dateRange: { from: '2026-10-01', to: '2026-10-17' },
  };
  for (const [name, q] of [
    ['cohort filter', { ...query, filters: [{ cohort: { id } }] }],
    ['cohort breakdown', { ...query, breakdown: { cohort: { id } } }],
  ] as const) {
    try {
      const res = await ctx.viewer.insights.run(q as never);
      results.set(name, { sql: res.sql, result: normalise(res.result) });
    } catch (error) {
      results.set(name, { error: (error as Error).message });
    }
  }
  const answers: Answers['answers'] = new Map();
  for (const question of QUESTIONS) {
    try {
      const res = await ctx.viewer.ask.ask({ question });
      answers.set(
        question,
        res.refused
          ? { refused: res.reason }
          : {
              plan: res.plan,
              sql: res.sql,
              rows: res.rows.map((r) => JSON.stringify(normalise(r))).sort(),
            },
      );
    } catch (error) {
      answers.set(question, { error: (error as Error).message });
    }
  }
  // The SQL editor, as an analyst: user SQL scoped to the workspace's marts.
  const editorSql = (sql: string) =>
    analyst.sql.run({ sql, runId: randomUUID() }).then(async (events) => {
      const rows: unknown[] = [];
      for await (const e of events) if (e.type === 'rows') rows.push(...JSON.parse(e.rowsJson));
      return rows;
    });
  const rows = normalise(
    await editorSql(
      'select event_name, count(*) as n, count(distinct user_id) as users from fact_events group by 1 order by 2 desc, 1 limit 5',
    ),
  );
  const bronze = await editorSql('select count(*) from bronze.events').then(
    () => 'read',
    (error: Error) => error.message,
  );
  // The workspace's own bronze rows (bronze_events), and another workspace's refused even when
  // written against bronze.events directly.
  const ownBronze = normalise(
    await editorSql('select event, count(*) as n from bronze_events group by 1 order by 1'),
  );
  const otherBronze = await editorSql(
    "select count(*) from bronze.events where workspace_id = 'another-workspace'",
  ).then(
    () => 'read',
    (error: Error) => error.message,
  );
  const typo = await editorSql('select evnt_name from fact_events').then(
    () => 'ran',
    (error: Error) => error.message,
  );
  let plan: { statementType?: string; rows: number } = { rows: 0 };
  for await (const e of await analyst.sql.run({
    sql: 'select count(*) from fact_events',
    runId: randomUUID(),
    explain: 'plan',
  })) {
    if (e.type === 'columns') plan.statementType = e.statementType;
    if (e.type === 'rows') plan = { ...plan, rows: plan.rows + JSON.parse(e.rowsJson).length };
  }
  const browser = await analyst.sql.schema();
  const midSwitch = await queriesMidSwitch(ctx, editorSql);
  const editor = {
    rows,
    bronze,
    ownBronze,
    otherBronze,
    typo,
    plan,
    tables: browser.tables.map((t) => `${t.layer}:${t.name}`).sort(),
    functions: browser.functions.length,
  };
  const admin = createCaller(
    await ctx.fx.context({
      cookie: await ctx.fx.cookieFor(ctx.fx.users.admin.email),
      workspace: ctx.fx.workspace.slug,
    }),
  );
  const engineRow = (await admin.system.parts()).find((p) => p.part === 'Query engine');
  const schema = ctx.fx.runtime.pipelines.schemaOf(ctx.fx.workspace.id);
  const marts = await ctx.sql(
    `select table_name from information_schema.tables where table_schema = '${schema}' order by 1`,
  );
  const [[events]] = (await ctx.sql('select count(*) from fact_events')) as [[unknown]];
  return {
    engine: ctx.fx.runtime.mode.queryEngine,
    midSwitch,
    facts: { marts: marts.map((r) => String(r[0])), events: Number(events) },
    results,
    answers,
    editor,
    engineRow,
  };
}

describe.runIf(available.ok)('every insight type: DuckDB and Trino agree', () => {
  let duck: Answers;
  let trino: Answers;
  let server: TestTrino | undefined;
  const dirs: string[] = [];

  beforeAll(async () => {
    // The Trino runtime's data directory exists first: the server's catalog points at its lake.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tl-trino-eq-'));
    const trinoDir = await mkdtemp(path.join(os.tmpdir(), 'tl-trino-server-'));
    dirs.push(dataDir, trinoDir);
    const starting = TestTrino.start(trinoDir, path.join(dataDir, 'lake'));
    starting.catch(() => undefined);
    const embedded = await startInsightsFixture({ TL_NOW: '2026-10-17' });
    try {
      duck = await collect(embedded);
    } finally {
      await embedded.dispose();
    }
    server = await starting;
    const distributed = await startInsightsFixture({
      TL_DATA_DIR: dataDir,
      TRINO_URL: server.url,
      TL_NOW: '2026-10-17',
      // Correctness here, not speed: the slowest statements (paths, cohorts) take tens of
      // seconds on a loaded 2-core machine (bench distributed measures them).
      TL_QUERY_TIMEOUT_MS: '240000',
    });
    try {
      trino = await collect(distributed);
    } finally {
      await distributed.dispose();
    }
  }, 900_000);
  afterAll(async () => {
    await server?.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('built the marts with dbt-trino and queried them on Trino', () => {
    expect(duck.engine).toBe('duckdb');
    expect(trino.engine).toBe('trino');
    // The workspace schema's views over the run's tables: every mart of the DuckDB build.
    // (The accelerators are DuckDB-only tables the app derives from a run's Parquet files.)
    expect(trino.facts.marts).toEqual(duck.facts.marts.filter((m) => !ACCELERATOR_NAMES.has(m)));
    expect(trino.facts.events).toBe(duck.facts.events);
    expect(duck.facts.events).toBeGreaterThan(15_000);
  });

  it.each([
    ...CASES.map(([name]) => name),
    ...FUNNEL_USERS.map(([name]) => name),
    'cohort filter',
    'cohort breakdown',
  ])('%s', (name) => {
    const a = duck.results.get(name)!;
    const b = trino.results.get(name)!;
    expect(a.error).toBeUndefined();
    expect(b.error).toBeUndefined();
    expect(b.sql).not.toBe(a.sql); // compiled for each dialect
    expect(b.result).toEqual(a.result);
  });

  // Equal results prove little when both are empty: every funnel case has someone at its last
  // step (converted, for the views over time; the total, for the users lists).
  it('counts someone in every funnel case (equal results are not both empty)', () => {
    const size = (r: unknown): number => {
      const f = r as {
        steps?: { users: number }[];
        timeToConvert?: { users: number } | null;
        overTime?: { converted: number[] } | null;
        total?: number;
      };
      if (f.total !== undefined) return f.total;
      if (f.timeToConvert) return f.timeToConvert.users;
      if (f.overTime) return f.overTime.converted.reduce((a, v) => a + v, 0);
      return f.steps?.at(-1)?.users ?? 0;
    };
    const funnels = [
      ...CASES.filter(([, q]) => q.kind === 'funnels').map(([name]) => name),
      ...FUNNEL_USERS.map(([name]) => name),
    ];
    expect(funnels.filter((name) => size(duck.results.get(name)!.result) === 0)).toEqual([]);
  });

  it('answers from one run while the workspace schema is switched view by view (Trino)', () => {
    expect(trino.midSwitch.viewRows).toBe(0);
    expect(trino.midSwitch.insight).toEqual(duck.midSwitch.insight);
    expect(trino.midSwitch.editor).toEqual(duck.midSwitch.editor);
    expect(Number((duck.midSwitch.editor as unknown[][])[0]![0])).toBeGreaterThan(15_000);
  });

  it('shows Trino as the query engine in Admin → System, with its live state', () => {
    expect(duck.engineRow).toMatchObject({ mode: 'embedded', state: 'ok' });
    expect(trino.engineRow).toMatchObject({ mode: 'distributed', state: 'ok' });
    expect(trino.engineRow!.implementation).toMatch(/^Trino, catalog lake/);
    expect(trino.engineRow!.detail).toMatch(/1 active node\(s\) · \d+ other quer(y|ies) running/);
  });

  it('runs the SQL editor on Trino, scoped to the workspace', () => {
    expect(trino.editor.rows).toEqual(duck.editor.rows);
    expect((duck.editor.rows as unknown[]).length).toBe(5);
    expect(duck.editor.bronze).toMatch(/only|workspace|scope/i);
    expect(trino.editor.bronze).toMatch(/may read only this workspace's marts/);
    expect(trino.editor.tables).toEqual(duck.editor.tables);
    // The browser lists marts, stored staging models and the workspace's bronze rows.
    expect(duck.editor.tables).toEqual(
      expect.arrayContaining([
        'marts:fact_events',
        'staging:stg_identity_map',
        'bronze:bronze_events',
      ]),
    );
    expect(duck.editor.tables).not.toContain('staging:stg_events');
    expect(trino.editor.functions).toBeGreaterThan(100);
    // bronze_events: the same rows on both engines; another workspace's rows: refused on both.
    expect((duck.editor.ownBronze as unknown[]).length).toBeGreaterThan(3);
    expect(trino.editor.ownBronze).toEqual(duck.editor.ownBronze);
    expect(duck.editor.otherBronze).toMatch(/outside this workspace/);
    expect(trino.editor.otherBronze).toMatch(/may read only this workspace's marts/);
    // A misspelt column gets the same hint; EXPLAIN draws a plan on both.
    for (const side of [duck, trino])
      expect(side.editor.typo).toMatch(
        /\nHint: column evnt_name not found — did you mean event_name\?$/,
      );
    expect(duck.editor.plan.statementType).toBe('EXPLAIN');
    expect(trino.editor.plan).toMatchObject({ statementType: 'EXPLAIN' });
    expect(trino.editor.plan.rows).toBeGreaterThan(0);
  });

  it.each(QUESTIONS)('Ask: %s', (question) => {
    const a = duck.answers.get(question)!;
    const b = trino.answers.get(question)!;
    expect(a.error).toBeUndefined();
    expect(b.error).toBeUndefined();
    expect(b.refused).toBe(a.refused);
    expect(b.plan).toEqual(a.plan);
    expect(b.rows).toEqual(a.rows);
  });

  it('answered most questions (not only refusals)', () => {
    const answered = [...duck.answers.values()].filter((a) => a.rows).length;
    expect(answered).toBeGreaterThanOrEqual(QUESTIONS.length - 4);
  });
});
