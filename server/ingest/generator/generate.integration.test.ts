// Runs the real generator into temp dirs: byte-identical output for the same arguments, exactly
// N events, and — via DuckDB on the eval dataset (200k events, seed 7, 90 days to 2026-11-01) —
// that the data supports the questions of shared/eval/nl-dev.jsonl and the ground truth holds.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, FEATURES } from './catalog';
import { OUTPUT_FILES, generateDataset } from './generate';
import { UUID_PATTERN } from './uuid';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tl-generate-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of Object.values(OUTPUT_FILES)) {
    out[name] = createHash('sha256')
      .update(await readFile(path.join(dir, name)))
      .digest('hex');
  }
  return out;
}

const small = (seed: number, dir: string) =>
  generateDataset({ events: 20_000, seed, days: 90, endDate: '2026-11-01', outDir: dir });

describe('determinism and exact size', () => {
  it('writes byte-identical files for the same arguments, different ones for another seed', async () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    const c = path.join(root, 'c');
    await small(7, a);
    await small(7, b);
    await small(8, c);
    const [da, db, dc] = [await digest(a), await digest(b), await digest(c)];
    expect(da).toEqual(db);
    for (const name of Object.values(OUTPUT_FILES)) expect(dc[name]).not.toBe(da[name]);
  });

  it('writes exactly N parseable events with unique v7 ids inside the window', async () => {
    const dir = path.join(root, 'n');
    for (const n of [1, 777, 20_000]) {
      const summary = await generateDataset({
        events: n,
        seed: 3,
        days: 30,
        endDate: '2026-11-01',
        outDir: dir,
      });
      const lines = (await readFile(path.join(dir, OUTPUT_FILES.events), 'utf8')).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(n);
      expect(summary.events).toBe(n);
      const ids = new Set<string>();
      for (const line of lines) {
        const e = JSON.parse(line) as { event_id: string; timestamp: string };
        expect(e.event_id).toMatch(UUID_PATTERN);
        expect(e.timestamp >= '2026-10-03T00:00:00.000Z').toBe(true);
        expect(e.timestamp < '2026-11-02T00:00:00.000Z').toBe(true);
        ids.add(e.event_id);
      }
      expect(ids.size).toBe(n);
    }
  });

  it('generates a large data set as parts: the users of one run, no id shared across parts', async () => {
    type Line = {
      event_id: string;
      user_id: string | null;
      session_id: string;
      anonymous_id: string;
    };
    const read = async (dir: string) =>
      (await readFile(path.join(dir, OUTPUT_FILES.events), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Line);
    const opts = { seed: 5, days: 30, endDate: '2026-11-01' };
    const whole = path.join(root, 'whole');
    await generateDataset({ ...opts, events: 30_000, outDir: whole });
    const p0 = path.join(root, 'part0');
    const first = await generateDataset({ ...opts, events: 10_000, outDir: p0 });
    const p1 = path.join(root, 'part1');
    const second = await generateDataset({
      ...opts,
      events: 10_000,
      firstUser: first.nextUser,
      outDir: p1,
    });
    expect(second.nextUser).toBeGreaterThan(first.nextUser);
    const [all, a, b] = [await read(whole), await read(p0), await read(p1)];
    // Part 0 is the start of the single run, ids included.
    expect(a).toEqual(all.slice(0, a.length));
    // Part 1 holds the next users of the single run, event for event (its own event ids).
    const strip = ({ event_id: _, ...rest }: Line) => rest;
    const start = all.findIndex((e) => e.anonymous_id === b[0]!.anonymous_id);
    expect(start).toBeGreaterThanOrEqual(a.length - 200);
    expect(b.map(strip)).toEqual(all.slice(start, start + b.length).map(strip));
    for (const key of ['event_id', 'user_id', 'session_id', 'anonymous_id'] as const) {
      const seen = new Set(a.map((e) => e[key]).filter((v) => v !== null));
      expect(b.filter((e) => e[key] !== null && seen.has(e[key]))).toEqual([]);
    }
  });
});

describe('the eval dataset (200k events, seed 7, 90 days to 2026-11-01)', () => {
  let dir: string;
  let conn: DuckDBConnection;
  let instance: DuckDBInstance;
  let truth: {
    counts: { users: number; events_by_name: Record<string, number> };
    churn: {
      churned_users: number;
      churned_user_ids: string[];
      churned_at_by_user_id: Record<string, string>;
    };
    experiments: Record<string, { variants: Record<string, Record<string, number>> }>;
    anomalies: {
      error_spike: { app_version: string; platform: string; start_date: string; end_date: string };
      report_export_drop: { date: string };
    };
    features: Array<{ feature_name: string; launched_at: string }>;
  };

  const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
  const one = async (sql: string) => (await rows(sql))[0] as Record<string, unknown>;
  const num = (v: unknown) => Number(v);

  beforeAll(async () => {
    dir = path.join(root, 'eval');
    await generateDataset({
      events: 200_000,
      seed: 7,
      days: 90,
      endDate: '2026-11-01',
      outDir: dir,
    });
    truth = JSON.parse(
      await readFile(path.join(dir, OUTPUT_FILES.groundTruth), 'utf8'),
    ) as typeof truth;
    instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    conn = await instance.connect();
    const file = path.join(dir, OUTPUT_FILES.events).replaceAll("'", "''");
    await conn.run(`
      create table e as
      select event_id, event, user_id, anonymous_id, session_id,
             cast(timestamp as timestamp) as ts, cast(cast(timestamp as timestamp) as date) as d,
             properties, context.platform as platform, context.app_version as app_version,
             context.os as os, context.browser as browser, context.device_type as device_type
      from read_ndjson('${file}', columns = {
        event_id: 'VARCHAR', event: 'VARCHAR', user_id: 'VARCHAR', anonymous_id: 'VARCHAR',
        session_id: 'VARCHAR', timestamp: 'VARCHAR', properties: 'JSON',
        context: 'STRUCT(app_version VARCHAR, platform VARCHAR, os VARCHAR, browser VARCHAR,
                         device_type VARCHAR, country VARCHAR, locale VARCHAR, page_path VARCHAR)'
      })`);
    const ids = path.join(dir, OUTPUT_FILES.identifies).replaceAll("'", "''");
    await conn.run(`create table i as select * from read_ndjson_auto('${ids}')`);
  }, 120_000);

  afterAll(() => {
    conn?.closeSync();
    instance?.closeSync();
  });

  it('matches the ground truth counts and uses all 14 event types', async () => {
    const byName = await rows(`select event, count(*) as n from e group by 1`);
    const counts = Object.fromEntries(byName.map((r) => [r.event as string, num(r.n)]));
    expect(Object.keys(counts).sort()).toEqual([...EVENT_NAMES].sort());
    expect(counts).toEqual(truth.counts.events_by_name);
    const users = await one(`select count(distinct user_id) as n from e`);
    expect(num(users.n)).toBe(truth.counts.users);
  });

  it('has signups in October 2026 and users active on each of the last 7 days', async () => {
    const oct = await one(
      `select count(distinct user_id) as n from e where event = 'signed_up' and d between '2026-10-01' and '2026-10-31'`,
    );
    expect(num(oct.n)).toBeGreaterThan(300);
    const dau = await rows(
      `select d, count(distinct user_id) as dau from e where user_id is not null and d between '2026-10-26' and '2026-11-01' group by 1`,
    );
    expect(dau).toHaveLength(7);
    for (const r of dau) expect(num(r.dau)).toBeGreaterThan(50);
  });

  it('signs users up more on weekdays than at weekends', async () => {
    const r = await rows(
      `select isodow(d) >= 6 as weekend, count(*) / count(distinct d) as per_day from e where event = 'signed_up' group by 1 order by 1`,
    );
    expect(num(r[0]!.per_day) / num(r[1]!.per_day)).toBeGreaterThan(1.3);
  });

  it('gives every feature_used a known feature_name; ai_summaries only after its launch', async () => {
    const missing = await one(
      `select count(*) as n from e where event = 'feature_used' and json_extract_string(properties, '$.feature_name') is null`,
    );
    expect(num(missing.n)).toBe(0);
    const names = await rows(
      `select distinct json_extract_string(properties, '$.feature_name') as f from e where event = 'feature_used'`,
    );
    expect(names.map((r) => r.f).sort()).toEqual(FEATURES.map((f) => f.name).sort());
    const launch = truth.features.find((f) => f.feature_name === 'ai_summaries')!.launched_at;
    const early = await one(
      `select count(*) as n from e where json_extract_string(properties, '$.feature_name') = 'ai_summaries' and d < date '${launch}'`,
    );
    expect(num(early.n)).toBe(0);
    expect(launch > '2026-08-04' && launch < '2026-11-01').toBe(true);
  });

  it('has an onboarding funnel whose steps decrease (14-day window, in order)', async () => {
    const steps = [
      'signed_up',
      'onboarding_completed',
      'project_created',
      'teammate_invited',
      'subscription_started',
    ];
    // Each step: first occurrence after the previous step's time, within 14 days of step 1.
    const ctes = steps.map((s, k) =>
      k === 0
        ? `s0 as (select user_id, min(ts) as t from e where event = '${s}' group by 1)`
        : `s${k} as (select p.user_id, min(e.ts) as t from s${k - 1} p join e on e.user_id = p.user_id and e.event = '${s}' and e.ts >= p.t and e.ts <= (select t from s0 where s0.user_id = p.user_id) + interval 14 day group by 1)`,
    );
    const counts = await one(
      `with ${ctes.join(', ')} select ${steps.map((_, k) => `(select count(*) from s${k}) as c${k}`).join(', ')}`,
    );
    const c = steps.map((_, k) => num(counts[`c${k}`]));
    for (let k = 1; k < c.length; k++) expect(c[k]).toBeLessThan(c[k - 1]!);
    expect(c[1]! / c[0]!).toBeGreaterThan(0.55);
    expect(c[1]! / c[0]!).toBeLessThan(0.75);
    expect(c[4]).toBeGreaterThan(20);
  });

  it('keeps sessions under the 30-minute rule, 1–30 events and under a day', async () => {
    const s = await one(`
      with o as (
        select session_id, ts,
               lag(ts) over (partition by anonymous_id order by ts, event_id) as prev_ts,
               lag(session_id) over (partition by anonymous_id order by ts, event_id) as prev_session
        from e)
      select count(*) filter (where prev_session = session_id and ts - prev_ts >= interval 30 minute) as long_gaps,
             count(*) filter (where prev_session <> session_id and ts - prev_ts < interval 30 minute) as short_splits
      from o`);
    expect(num(s.long_gaps)).toBe(0);
    expect(num(s.short_splits)).toBe(0);
    const size = await one(
      `select max(n) as max_n, max(secs) as max_secs from (select session_id, count(*) as n, epoch(max(ts) - min(ts)) as secs from e group by 1)`,
    );
    expect(num(size.max_n)).toBeLessThanOrEqual(30);
    expect(num(size.max_secs)).toBeLessThan(86_400);
  });

  it('links anonymous page views to users through identify calls', async () => {
    const anon = await one(`
      select count(*) as n,
             count(*) filter (where event <> 'page_viewed') as not_page,
             count(*) filter (where anonymous_id not in (select anonymous_id from i)) as unlinked
      from e where user_id is null`);
    expect(num(anon.n)).toBeGreaterThan(500);
    expect(num(anon.not_page)).toBe(0);
    expect(num(anon.unlinked)).toBe(0);
  });

  it('keeps os and browser consistent with the platform', async () => {
    const bad = await one(`
      select count(*) filter (where platform = 'ios' and os not in ('iOS', 'iPadOS')) +
             count(*) filter (where platform = 'android' and os <> 'Android') +
             count(*) filter (where platform <> 'web' and browser is not null) +
             count(*) filter (where platform = 'web' and browser is null) as n
      from e`);
    expect(num(bad.n)).toBe(0);
  });

  it('records churned users who stop, with fewer features and more errors than retained users', async () => {
    expect(truth.churn.churned_users).toBeGreaterThan(200);
    const values = Object.entries(truth.churn.churned_at_by_user_id)
      .map(([u, at]) => `('${u}', date '${at}')`)
      .join(',');
    await conn.run(
      `create or replace table churned as select * from (values ${values}) v(user_id, churned_at)`,
    );
    const after = await one(
      `select count(*) as n from e join churned c using (user_id) where e.d > c.churned_at`,
    );
    expect(num(after.n)).toBe(0);
    const cmp = await rows(`
      select c.user_id is not null as churned,
             avg(features) as features, avg(errors / events) as error_rate
      from (select user_id, count(distinct json_extract_string(properties, '$.feature_name')) as features,
                   count(*) filter (where event = 'error_occurred') as errors, count(*) as events
            from e where user_id is not null group by 1) u
      left join churned c using (user_id)
      group by 1 order by 1`);
    const [kept, gone] = [cmp[0]!, cmp[1]!];
    expect(num(gone.features)).toBeLessThan(num(kept.features));
    expect(num(gone.error_rate)).toBeGreaterThan(num(kept.error_rate));
  });

  it('shows the experiments’ true effects: onboarding lift and more annual billing', async () => {
    const onboarding = await rows(`
      with x as (select user_id, json_extract_string(properties, '$.variant') as variant, min(ts) as t from e
                 where event = 'experiment_exposed' and json_extract_string(properties, '$.experiment_key') = 'onboarding_checklist_v2' group by 1, 2)
      select variant, avg(case when exists (select 1 from e where e.user_id = x.user_id and e.event = 'onboarding_completed' and e.ts >= x.t) then 1.0 else 0.0 end) as rate
      from x group by 1 order by 1`);
    expect(onboarding.map((r) => r.variant)).toEqual(['control', 'treatment']);
    expect(num(onboarding[1]!.rate) - num(onboarding[0]!.rate)).toBeGreaterThan(0.04);
    const annual = await rows(`
      with x as (select user_id, json_extract_string(properties, '$.variant') as variant from e
                 where event = 'experiment_exposed' and json_extract_string(properties, '$.experiment_key') = 'annual_plan_default')
      select variant, avg(case when json_extract_string(properties, '$.billing_period') = 'annual' then 1.0 else 0.0 end) as annual_share
      from x join e using (user_id) where e.event = 'subscription_started' group by 1 order by 1`);
    expect(num(annual[1]!.annual_share)).toBeGreaterThan(num(annual[0]!.annual_share) + 0.1);
    const v = truth.experiments.onboarding_checklist_v2!.variants;
    expect(v.treatment!.observed_conversion_rate).toBeGreaterThan(
      v.control!.observed_conversion_rate!,
    );
  });

  it('makes the anomaly days stand out', async () => {
    const spike = truth.anomalies.error_spike;
    const errors = await one(`
      select avg(n) filter (where d between '${spike.start_date}' and '${spike.end_date}') as in_window,
             avg(n) filter (where d between date '${spike.start_date}' - 7 and date '${spike.start_date}' - 1) as before
      from (select d, count(*) as n from e where event = 'error_occurred' and platform = '${spike.platform}' group by 1)`);
    expect(num(errors.in_window)).toBeGreaterThan(3 * num(errors.before));
    const top = await one(`
      select app_version, platform from e where event = 'error_occurred' and d between '${spike.start_date}' and '${spike.end_date}'
      group by all order by count(*) desc limit 1`);
    expect(top).toEqual({ app_version: spike.app_version, platform: spike.platform });
    const drop = truth.anomalies.report_export_drop.date;
    const exports = await one(`
      select sum(n) filter (where d = date '${drop}') as on_day,
             avg(n) filter (where d in (date '${drop}' - 7, date '${drop}' - 14, date '${drop}' - 21)) as usual
      from (select d, count(*) as n from e where event = 'report_exported' group by 1)`);
    expect(num(exports.on_day)).toBeLessThan(0.4 * num(exports.usual));
  });
});
