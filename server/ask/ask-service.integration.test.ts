// Ask end to end: generated Orbit data → bronze → a real dbt build → the offline planner → the
// compiled SQL on the workspace's marts (scoped, read-only). Each answer is compared with a
// hand-written query on the same marts (compareResults: the scoring of shared/eval/README.md),
// with "today" fixed at 2026-10-17, a Saturday (weeks start on Monday). Refusals, input
// validation and authorisation go through the tRPC procedure `ask.ask` like the app's calls, and
// the lexicon follows the marts to a new dbt run.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { importFiles } from '@/server/ingest/import/import-files';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import { compareResults } from './ask-eval';
import type { AskPlan } from './ask-plan';
import { AskService, type AskAnswer, type AskResult } from './ask-service';

const TODAY = '2026-10-17';
const SOURCE_HREF = /^data\?tab=catalog&node=model\.telemetry_lakehouse\.[a-z_]+$/;

function answered(result: AskResult, question = result.question): AskAnswer {
  expect(result.refused, `${question} was refused: ${result.refused ? result.reason : ''}`).toBe(
    false,
  );
  return result as AskAnswer;
}

describe('Ask on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  let service: AskService;
  let ws: string;

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    ws = ctx.fx.workspace.id;
    const { runtime } = ctx.fx;
    // The runtime's AskService takes "today" from TL_NOW, which the shared fixture does not set:
    // the same service, wired the same way (current run = marts version), with today fixed.
    service = new AskService({
      engine: runtime.engine,
      martsOf: async (workspaceId) => {
        const current = await runtime.prisma.pipelineRun.findFirst({
          where: { workspaceId, isCurrent: true },
          select: { id: true },
        });
        return current
          ? { schema: runtime.pipelines.schemaOf(workspaceId), version: current.id }
          : undefined;
      },
      today: () => TODAY,
    });
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  /** Asks, and compares the answer's rows with the reference query's. */
  async function check(
    question: string,
    reference: string,
    options: { ordered?: boolean; context?: AskPlan } = {},
  ): Promise<AskAnswer> {
    const answer = answered(await service.ask(ws, question, { context: options.context }));
    const expected = await ctx.sql(reference);
    // A reference that finds nothing would let an empty answer pass.
    expect(expected.length, `reference of "${question}"`).toBeGreaterThan(0);
    expect(
      expected.flat().some((v) => typeof v === 'number' && v > 0),
      `reference of "${question}" has a non-zero value`,
    ).toBe(true);
    expect(
      compareResults(expected, answer.rows, { ordered: options.ordered }),
      `${question}\n${answer.sql}\nrows: ${JSON.stringify(answer.rows)}\nexpected: ${JSON.stringify(expected)}`,
    ).toEqual({ match: true });
    expect(answer.truncated).toBe(false);
    expect(answer.planner).toBe('offline');
    for (const source of answer.sources) expect(source.href).toMatch(SOURCE_HREF);
    return answer;
  }

  describe('answers like a hand-written query', () => {
    it('counts users who signed up in a month', async () => {
      const answer = await check(
        'How many users signed up in October 2026?',
        `select count(distinct user_id) from fact_events
         where event_name = 'signed_up' and ts >= timestamptz '2026-10-01 00:00:00+00'
           and ts < timestamptz '2026-11-01 00:00:00+00'`,
      );
      expect(answer.explanation).toContain('2026-10-01');
      expect(answer.sources.map((s) => s.name)).toEqual(['fact_events']);
    });

    it('breaks active users in the last 30 days (today included) down by current plan', async () => {
      const answer = await check(
        'Break down active users in the last 30 days by plan',
        `select u.plan, count(distinct e.user_id) from fact_events e
         join dim_users u on u.user_id = e.user_id
         where e.event_date >= date '2026-09-18' and e.event_date <= date '2026-10-17'
         group by u.plan`,
      );
      expect(answer.explanation).toMatch(/today included/);
      expect(answer.explanation).toMatch(/active/i);
      // Active users come from the daily activity mart: the same users, a smaller table.
      expect(answer.sources.map((s) => s.name).sort()).toEqual([
        'dim_users',
        'fct_user_activity_daily',
      ]);
    });

    it('gives daily active users over the last 7 days as a trend, in date order', async () => {
      const answer = await check(
        'What were daily active users over the last 7 days?',
        `select event_date, count(distinct user_id) from fact_events
         where user_id is not null and event_date between date '2026-10-11' and date '2026-10-17'
         group by 1 order by 1`,
        { ordered: true },
      );
      expect(answer.rows).toHaveLength(7);
    });

    it('ranks the top 5 features by users last month (September)', async () => {
      await check(
        'Which 5 features were used by the most users last month?',
        `select json_extract_string(properties, '$.feature_name') as f, count(distinct user_id) as n
         from fact_events where event_name = 'feature_used'
           and event_date >= date '2026-09-01' and event_date < date '2026-10-01'
         group by 1 order by n desc, f limit 5`,
        { ordered: true },
      );
    });

    it('counts errors per day on the web platform last week (Monday to Sunday)', async () => {
      const answer = await check(
        'How many errors per day did the web platform have last week?',
        `select event_date, count(*) from fact_events
         where event_name = 'error_occurred' and platform = 'web'
           and event_date between date '2026-10-05' and date '2026-10-11'
         group by 1 order by 1`,
        { ordered: true },
      );
      expect(answer.explanation).toMatch(/Monday to Sunday/);
    });

    it('counts errors on a platform in the last 14 days', async () => {
      await check(
        'How many errors on android in the last 14 days?',
        `select count(*) from fact_events where event_name = 'error_occurred'
           and platform = 'android' and event_date between date '2026-10-04' and date '2026-10-17'`,
      );
    });

    it('ranks the top 10 error codes in the last 7 days', async () => {
      await check(
        'Top 10 error codes in the last 7 days',
        `select error_code, count(*) as n from fact_events where event_name = 'error_occurred'
           and event_date between date '2026-10-11' and date '2026-10-17'
         group by 1 order by n desc, error_code limit 10`,
        { ordered: true },
      );
    });

    it('gives the share of September signups who completed onboarding at any time', async () => {
      const answer = await check(
        'What share of users who signed up in September completed onboarding?',
        `with s as (select distinct user_id from fact_events where event_name = 'signed_up'
                      and event_date between date '2026-09-01' and date '2026-09-30'),
              o as (select distinct user_id from fact_events where event_name = 'onboarding_completed')
         select (select count(*) from s where user_id in (select user_id from o))::double
                / (select count(*) from s)`,
      );
      const rate = Number(answer.rows[0]![0]);
      expect(rate).toBeGreaterThan(0);
      expect(rate).toBeLessThanOrEqual(1);
      expect(answer.explanation).toMatch(/any time/);
    });

    it('averages session duration in minutes by platform', async () => {
      const answer = await check(
        'What is the average session duration in minutes by platform?',
        `select platform, sum(session_duration) / count(*) / 60.0 from fct_sessions group by 1`,
      );
      expect(answer.columns.map((c) => c.name)).toContain('avg_minutes');
    });

    it('sums MRR of active subscriptions by plan', async () => {
      await check(
        'Monthly recurring revenue of active subscriptions by plan',
        `select plan, sum(mrr_usd) from fct_subscriptions where status = 'active' group by 1`,
      );
    });

    it('gives MRR at the end of a past month, read back from the subscription events', async () => {
      // Each user's latest subscription started before the instant, not cancelled by then, at
      // the price of its latest upgrade before the instant (else its starting price).
      const answer = await check(
        'What was our MRR at the end of September?',
        `with started as (
           select user_id, arg_max(ts, ts) as at,
                  arg_max(cast(json_extract_string(properties, '$.mrr_usd') as double), ts) as mrr
           from fact_events
           where event_name = 'subscription_started' and ts < timestamptz '2026-10-01 00:00:00+00'
           group by 1),
         live as (
           select s.* from started s
           where not exists (select 1 from fact_events c
             where c.user_id = s.user_id and c.event_name = 'subscription_cancelled'
               and c.ts >= s.at and c.ts < timestamptz '2026-10-01 00:00:00+00'))
         select sum(coalesce(
           (select arg_max(cast(json_extract_string(u.properties, '$.mrr_usd') as double), u.ts)
            from fact_events u
            where u.user_id = l.user_id and u.event_name = 'subscription_upgraded'
              and u.ts >= l.at and u.ts < timestamptz '2026-10-01 00:00:00+00'),
           l.mrr))
         from live l`,
      );
      expect(answer.explanation).toContain('at the end of September 2026');
    });

    it('gives the share of a part: logins by Google among all logins last month', async () => {
      await check(
        'What share of logins last month used Google sign-in?',
        `select count(*) filter (where json_extract_string(properties, '$.method') = 'google')::double
                / count(*)
         from fact_events where event_name = 'logged_in'
           and ts >= timestamptz '2026-09-01 00:00:00+00' and ts < timestamptz '2026-10-01 00:00:00+00'`,
      );
    });

    it('averages daily active users over the days of a month', async () => {
      await check(
        'What was the average DAU across September?',
        `select avg(n) from (
           select cast(ts as date) as d, count(distinct user_id) as n from fact_events
           where user_id is not null
             and ts >= timestamptz '2026-09-01 00:00:00+00' and ts < timestamptz '2026-10-01 00:00:00+00'
           group by 1)`,
      );
    });

    it('counts users who churned per month by their churn date', async () => {
      await check(
        'How many users churned in each month?',
        `select date_trunc('month', churned_at), count(*) from dim_users where is_churned group by 1`,
      );
    });

    it('counts the users who completed a three-step funnel within 14 days of its first step', async () => {
      await check(
        'For the signup -> onboarding -> project created funnel, how many users who signed up in September reached the last step?',
        `with s as (select user_id, min(ts) as t1 from fact_events
                    where event_name = 'signed_up' and ts >= timestamptz '2026-09-01 00:00:00+00'
                      and ts < timestamptz '2026-10-01 00:00:00+00' group by 1),
              o as (select s.user_id, s.t1, min(e.ts) as t2 from s join fact_events e
                    on e.user_id = s.user_id and e.event_name = 'onboarding_completed'
                   and e.ts > s.t1 and e.ts <= s.t1 + interval 14 day group by 1, 2)
         select count(distinct o.user_id) from o join fact_events e
           on e.user_id = o.user_id and e.event_name = 'project_created'
          and e.ts > o.t2 and e.ts <= o.t1 + interval 14 day`,
      );
    });

    it('gives the share of sessions with at least one error', async () => {
      await check(
        'In September, what fraction of sessions had at least one error?',
        `select count(*) filter (where errors > 0)::double / count(*) from fct_sessions
         where started_at >= timestamptz '2026-09-01 00:00:00+00'
           and started_at < timestamptz '2026-10-01 00:00:00+00'`,
      );
    });

    it('counts the users exposed to each variant of an experiment', async () => {
      await check(
        'annual_plan_default experiment - how many users were exposed to each variant?',
        `select json_extract_string(properties, '$.variant'), count(distinct user_id)
         from fact_events where event_name = 'experiment_exposed'
           and json_extract_string(properties, '$.experiment_key') = 'annual_plan_default'
         group by 1`,
      );
    });

    it('averages a numeric property the lexicon found in the events (results per search)', async () => {
      await check(
        'What was the average number of results returned per search in September?',
        `select avg(cast(json_extract_string(properties, '$.results_count') as double))
         from fact_events where event_name = 'search_performed'
           and ts >= timestamptz '2026-09-01 00:00:00+00' and ts < timestamptz '2026-10-01 00:00:00+00'`,
      );
    });

    it('gives the share of users who did A that did B with a value', async () => {
      await check(
        'Of the users who have exported a report as CSV, what share have also used the dashboards feature?',
        `with a as (select distinct user_id from fact_events
                    where event_name = 'report_exported'
                      and json_extract_string(properties, '$.format') = 'csv')
         select count(distinct f.user_id)::double / (select count(*) from a)
         from a join fact_events f on f.user_id = a.user_id and f.event_name = 'feature_used'
          and f.feature_name = 'dashboards'`,
      );
    });

    it('gives the share of users who did A that did B per value compared (paid vs organic)', async () => {
      await check(
        'Onboarding completion rate for users who signed up via the paid channel versus the organic channel',
        `select s.channel, count(distinct o.user_id)::double / count(distinct s.user_id)
         from (select distinct user_id, json_extract_string(properties, '$.channel') as channel
               from fact_events where event_name = 'signed_up'
                 and json_extract_string(properties, '$.channel') in ('paid', 'organic')) s
         left join fact_events o on o.user_id = s.user_id and o.event_name = 'onboarding_completed'
         group by 1`,
      );
    });

    it('takes the median session duration, not the mean', async () => {
      await check(
        'Median session duration in seconds for web sessions',
        `select quantile_cont(session_duration, 0.5) from fct_sessions where platform = 'web'`,
      );
    });

    it('counts users by the plan they were on when the event happened', async () => {
      await check(
        'How many users used a premium feature while they were on the free plan?',
        `select count(distinct e.user_id) from fact_events e
         join dim_features f on f.feature_name = e.feature_name
         where e.event_name = 'feature_used' and f.is_premium and e.plan_at_event = 'free'`,
      );
    });

    it('ranks the hours of the day (UTC) by logins', async () => {
      await check(
        'Top 3 hours of the day by number of logins',
        `select hour(ts at time zone 'UTC'), count(*) from fact_events
         where event_name = 'logged_in' group by 1 order by 2 desc, 1 limit 3`,
        { ordered: true },
      );
    });

    it('counts the users who used both of two features, not either', async () => {
      await check(
        'How many users used both dashboards and gantt_chart?',
        `select count(*) from (
           select user_id from fact_events where event_name = 'feature_used' and user_id is not null
             and feature_name = 'dashboards'
           intersect
           select user_id from fact_events where event_name = 'feature_used' and user_id is not null
             and feature_name = 'gantt_chart')`,
      );
    });

    it('lists the users who did something', async () => {
      // (Not `check`: a list of ids has no number to be non-zero.)
      const answer = answered(
        await service.ask(ws, 'List the users who cancelled their subscription'),
      );
      const expected = await ctx.sql(
        `select distinct user_id from fact_events
         where event_name = 'subscription_cancelled' and user_id is not null`,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(compareResults(expected, answer.rows, {})).toEqual({ match: true });
      expect(answer.columns.map((c) => c.name)).toEqual(['user_id']);
    });

    it('gives the share of a month’s signups who were active in a later month', async () => {
      await check(
        'What share of users who signed up in September were active in October?',
        `with s as (select distinct user_id from fact_events where event_name = 'signed_up'
                      and user_id is not null and event_date between '2026-09-01' and '2026-09-30')
         select count(*) filter (where exists (
                  select 1 from fact_events e where e.user_id = s.user_id
                    and e.event_date between '2026-10-01' and '2026-10-31'))::double / count(*)
         from s`,
      );
    });

    it('averages lifetime events per user by cohort month', async () => {
      await check(
        'Average lifetime events per user by cohort month',
        `select cohort_month, sum(lifetime_events)::double / count(*) from dim_users group by 1`,
      );
    });

    it('counts sessions longer than a number of minutes', async () => {
      await check(
        'How many sessions lasted longer than 5 minutes?',
        `select count(*) from fct_sessions where session_duration > 300`,
      );
    });

    it('counts users active on at least N distinct days', async () => {
      await check(
        'How many users were active on 3 or more different days?',
        `select count(*) from (select user_id from fact_events where user_id is not null
                               group by 1 having count(distinct event_date) >= 3)`,
      );
    });

    it('counts searches with zero results (a numeric property compared)', async () => {
      await check(
        'How many searches returned zero results?',
        `select count(*) from fact_events where event_name = 'search_performed'
           and cast(json_extract(properties, '$.results_count') as integer) = 0`,
      );
    });

    it('takes the median time between two events per user, in minutes', async () => {
      await check(
        'Median time from signup to completing onboarding, in minutes',
        `with s as (select user_id, min(ts) as t from fact_events where event_name = 'signed_up' group by 1),
              o as (select user_id, min(ts) as t from fact_events where event_name = 'onboarding_completed' group by 1)
         select median(epoch(o.t - s.t) / 60.0) from s join o using (user_id) where o.t >= s.t`,
      );
    });

    it('gives each compared value’s share of the whole (export formats)', async () => {
      await check(
        'What share of report exports were csv vs pdf?',
        // The whole is every format (xlsx too): the shares are taken before the rows are kept.
        `select format, share from (
           select json_extract_string(properties, '$.format') as format,
                  count(*)::double / (select count(*) from fact_events where event_name = 'report_exported') as share
           from fact_events where event_name = 'report_exported' group by 1)
         where format in ('csv', 'pdf')`,
      );
    });

    it('ranks users by their events (top N users)', async () => {
      await check(
        'Which 3 users exported the most reports?',
        `select user_id, count(*) from fact_events
         where event_name = 'report_exported' and user_id is not null
         group by 1 order by 2 desc, 1 limit 3`,
        { ordered: true },
      );
    });

    it('gives the share of events that match a comparison (zero results)', async () => {
      await check(
        'What percentage of searches returned zero results?',
        `select 100.0 * avg(case when cast(json_extract(properties, '$.results_count') as integer) = 0 then 1 else 0 end)
         from fact_events where event_name = 'search_performed'`,
      );
    });

    it('gives a share broken down by a property of the users’ first event', async () => {
      await check(
        'onboarding completion rate by signup method',
        `with s as (select distinct user_id, json_extract_string(properties, '$.signup_method') as m
                    from fact_events where event_name = 'signed_up'),
              o as (select distinct user_id from fact_events where event_name = 'onboarding_completed')
         select s.m, avg(case when o.user_id is not null then 1.0 else 0.0 end)
         from s left join o using (user_id) group by 1`,
      );
    });

    it('gives the share of a week’s signups active the following week', async () => {
      await check(
        'Of the users who signed up the week of Sept 7, what share were active the following week?',
        `with c as (select distinct user_id from fact_events where event_name = 'signed_up'
                      and event_date between date '2026-09-07' and date '2026-09-13')
         select count(distinct e.user_id)::double / (select count(*) from c)
         from c join fact_events e on e.user_id = c.user_id
           and e.event_date between date '2026-09-14' and date '2026-09-20'`,
      );
    });

    it('gives week-1 retention: any event 7 to 13 days after the signup day', async () => {
      await check(
        'Week 1 retention of the users who signed up in September',
        `with c as (select user_id, min(event_date) as d from fact_events
                    where event_name = 'signed_up' and event_date between date '2026-09-01' and date '2026-09-30'
                    group by 1)
         select avg(case when exists (select 1 from fact_events e where e.user_id = c.user_id
                                      and e.event_date between c.d + 7 and c.d + 13) then 1.0 else 0.0 end)
         from c`,
      );
    });

    it('gives week-1 retention per signup week (weekly cohorts)', async () => {
      await check(
        'Week-1 retention for September signups by signup week',
        `with c as (select user_id, min(event_date) as d from fact_events
                    where event_name = 'signed_up' and event_date between date '2026-09-01' and date '2026-09-30'
                    group by 1)
         select date_trunc('week', c.d), avg(case when exists (select 1 from fact_events e where e.user_id = c.user_id
                                      and e.event_date between c.d + 7 and c.d + 13) then 1.0 else 0.0 end)
         from c group by 1`,
      );
    });

    it('averages daily active users per month', async () => {
      await check(
        'Average DAU for September and for October 2026, one row per month',
        `select date_trunc('month', event_date), avg(n) from (
           select event_date, count(distinct user_id) as n from fact_events
           where user_id is not null and event_date between date '2026-09-01' and date '2026-10-31'
           group by 1) group by 1`,
      );
    });

    it('gives a part as a rate per 1,000 rows: errors per 1,000 events by platform', async () => {
      await check(
        'Errors per 1,000 events by platform in October 2026',
        `select platform, 1000.0 * count(*) filter (where event_name = 'error_occurred') / count(*)
         from fact_events where event_date between date '2026-10-01' and date '2026-10-31' group by 1`,
      );
    });

    it('counts an experiment’s exposed and converted users per variant', async () => {
      await check(
        'onboarding_checklist_v2: how many users were exposed and how many converted in each variant?',
        `select variant, count(distinct user_id), count(distinct user_id) filter (where converted)
         from fct_experiment_exposures where experiment_key = 'onboarding_checklist_v2' group by 1`,
      );
    });

    it('keeps events without a feature in the whole of a share of premium-feature users', async () => {
      await check(
        'Among pro users active in October 2026, what share used a premium feature?',
        `select count(distinct e.user_id) filter (where f.is_premium)::double / count(distinct e.user_id)
         from fact_events e join dim_users u using (user_id) left join dim_features f using (feature_name)
         where e.event_date between date '2026-10-01' and date '2026-10-31' and u.plan = 'pro'`,
      );
    });

    it('reads WAU on one day as the 7 days ending that day, and DAU of one day as a number', async () => {
      await check(
        'What was WAU as of October 10, 2026?',
        `select count(distinct user_id) from fact_events where user_id is not null
           and event_date between date '2026-10-04' and date '2026-10-10'`,
      );
      await check(
        'DAU yesterday?',
        `select count(distinct user_id) from fact_events where user_id is not null
           and event_date = date '2026-10-16'`,
      );
    });

    it('counts users by two breakdowns named apart ("on each plan, per country")', async () => {
      await check(
        'How many user accounts are on each current plan, per country?',
        `select plan, country, count(*) from dim_users group by 1, 2`,
      );
    });

    it('gives stickiness over a month: average DAU over the month’s distinct users', async () => {
      await check(
        'How sticky was the product in September 2026?',
        `select (select avg(n) from (select event_date, count(distinct user_id) as n from fact_events
                  where user_id is not null and event_date between date '2026-09-01' and date '2026-09-30' group by 1))
              / (select count(distinct user_id) from fact_events
                  where user_id is not null and event_date between date '2026-09-01' and date '2026-09-30')`,
      );
    });

    it('gives the share who did a second event within 14 days of the first (timestamps)', async () => {
      await check(
        'Of the people who signed up in September 2026, what share completed onboarding within 14 days after signing up?',
        `with s as (select user_id, min(ts) as t from fact_events where event_name = 'signed_up'
                    and event_date between date '2026-09-01' and date '2026-09-30' group by 1)
         select count(distinct e.user_id)::double / (select count(*) from s)
         from s join fact_events e on e.user_id = s.user_id and e.event_name = 'onboarding_completed'
           and e.ts > s.t and e.ts <= s.t + interval 14 day`,
      );
    });

    it('compares two months as a row each, by their first day', async () => {
      await check(
        'How did active users in October 2026 compare with September? One row per month.',
        `select date_trunc('month', event_date), count(distinct user_id) from fact_events
         where user_id is not null and event_date between date '2026-09-01' and date '2026-10-31'
         group by 1`,
      );
    });

    it('averages the distinct features each user used', async () => {
      await check(
        'How many distinct features did users use on average in September?',
        `select avg(n) from (select user_id, count(distinct feature_name) as n from fact_events
           where event_name = 'feature_used' and user_id is not null
             and event_date between date '2026-09-01' and date '2026-09-30' group by 1)`,
      );
    });

    it('gives the billing of an experiment’s exposed users’ subscriptions by variant', async () => {
      await check(
        'In the annual_plan_default test, what fraction of the subscriptions of exposed users were annual, per variant?',
        `select x.variant, avg(case when s.billing_period = 'annual' then 1.0 else 0.0 end)
         from fct_experiment_exposures x join fct_subscriptions s on s.user_id = x.user_id
         where x.experiment_key = 'annual_plan_default' group by 1`,
      );
    });

    it('gives stickiness: DAU over the users active in the 30 days ending that day', async () => {
      await check(
        'What was our stickiness (DAU/MAU) on October 10?',
        `select count(distinct user_id) filter (where event_date = date '2026-10-10')::double
                / count(distinct user_id)
         from fact_events where user_id is not null
           and event_date between date '2026-09-11' and date '2026-10-10'`,
      );
    });

    it('averages daily active users on weekdays and at weekends', async () => {
      await check(
        'Average daily active users on weekdays vs weekends',
        `select case when dayofweek(event_date) in (0, 6) then 'weekend' else 'weekday' end, avg(n)
         from (select event_date, count(distinct user_id) as n from fact_events
               where user_id is not null group by 1)
         group by 1`,
      );
    });

    it('counts the users of a month’s signups who were active in a later month', async () => {
      await check(
        'Of the users who signed up in September, how many were still active in October?',
        `select count(*) from (
           select user_id from fact_events where event_name = 'signed_up'
             and event_date between '2026-09-01' and '2026-09-30'
           intersect
           select user_id from fact_events where event_date between '2026-10-01' and '2026-10-31')`,
      );
    });

    it('ranks page paths by page views', async () => {
      await check(
        'Top 3 page paths by page views',
        `select page_path, count(*) from fact_events where event_name = 'page_viewed'
         group by 1 order by 2 desc, 1 limit 3`,
        { ordered: true },
      );
    });

    it('averages events per session by platform', async () => {
      await check(
        'avg number of events per session on iOS vs Android',
        `select platform, avg(event_count) from fct_sessions where platform in ('ios', 'android') group by 1`,
      );
    });

    it('gives an experiment’s lift as one difference of conversion rates', async () => {
      await check(
        // (Negative in this data: the test's number is checked as the difference of the two
        // rates, the first named minus the second; the reference is written the other way round.)
        'For annual_plan_default, what is the difference in conversion rate, control minus treatment?',
        `select -(avg(case when converted then 1.0 else 0.0 end) filter (where variant = 'treatment')
              - avg(case when converted then 1.0 else 0.0 end) filter (where variant = 'control'))
         from fct_experiment_exposures where experiment_key = 'annual_plan_default'`,
      );
    });

    it('breaks feature usage down by the feature’s category (dim_features)', async () => {
      await check(
        'feature usage events by feature category in September',
        `select f.category, count(*) from fact_events e join dim_features f using (feature_name)
         where e.event_name = 'feature_used'
           and e.ts >= timestamptz '2026-09-01 00:00:00+00' and e.ts < timestamptz '2026-10-01 00:00:00+00'
         group by 1`,
      );
    });

    it('gives experiment conversion by variant', async () => {
      await check(
        'Conversion rate to subscription by variant in the annual_plan_default experiment',
        `select variant, count(*) filter (where converted)::double / count(*)
         from fct_experiment_exposures where experiment_key = 'annual_plan_default' group by 1`,
      );
    });

    it('counts churned users by plan (dim_users.is_churned)', async () => {
      await check(
        'How many users have churned, by plan?',
        `select plan, count(*) from dim_users where is_churned group by 1`,
      );
    });

    it('filters on an event property: reports exported as PDF', async () => {
      const answer = await check(
        'How many reports were exported as PDF in the last 14 days?',
        `select count(*) from fact_events where event_name = 'report_exported'
           and (properties->>'$.format') = 'pdf'
           and event_date between date '2026-10-04' and date '2026-10-17'`,
      );
      // Not every export: the filter is what makes the number.
      const all = await ctx.sql(
        `select count(*) from fact_events where event_name = 'report_exported'
           and event_date between date '2026-10-04' and date '2026-10-17'`,
      );
      expect(Number(answer.rows[0]![0])).toBeLessThan(Number(all[0]![0]));
    });

    it('counts weekly signups since September in Monday weeks', async () => {
      const answer = await check(
        'Weekly signups since September',
        `select event_date - cast(isodow(event_date) - 1 as integer) as monday,
                count(distinct user_id)
         from fact_events where event_name = 'signed_up' and event_date >= date '2026-09-01'
         group by 1 order by 1`,
        { ordered: true },
      );
      expect(answer.explanation).toMatch(/weeks start on Monday/);
    });

    it('ranks countries by users', async () => {
      await check(
        'Which countries have the most users?',
        `select country, count(*) as n from dim_users group by 1 order by n desc, country`,
        { ordered: true },
      );
    });

    it('counts enterprise users active yesterday', async () => {
      await check(
        'How many enterprise users were active yesterday?',
        `select count(distinct e.user_id) from fact_events e join dim_users u using (user_id)
         where u.plan = 'enterprise' and e.event_date = date '2026-10-16'`,
      );
    });

    it('answers a follow-up by editing the previous plan ("now only enterprise")', async () => {
      const first = await check(
        'How many users were active last week?',
        `select count(distinct user_id) from fact_events
         where event_date between date '2026-10-05' and date '2026-10-11'`,
      );
      const followUp = await check(
        'now only enterprise',
        `select count(distinct e.user_id) from fact_events e join dim_users u using (user_id)
         where u.plan = 'enterprise' and e.event_date between date '2026-10-05' and date '2026-10-11'`,
        { context: first.plan },
      );
      expect(followUp.plan.period).toEqual(first.plan.period);
      expect(Number(followUp.rows[0]![0])).toBeLessThan(Number(first.rows[0]![0]));
      // Without the context the same words are not a question about last week.
      const alone = await service.ask(ws, 'now only enterprise');
      expect(!alone.refused && alone.plan.period?.from === '2026-10-05').toBe(false);
    });

    it('answers every suggestion it offers with a refusal', async () => {
      const refusal = await service.ask(ws, 'What is our NPS?');
      expect(refusal.refused).toBe(true);
      if (!refusal.refused) return;
      expect(refusal.cause).toBe('no_data');
      expect(refusal.suggestions.length).toBeGreaterThan(0);
      for (const suggestion of refusal.suggestions) {
        const answer = answered(await service.ask(ws, suggestion), suggestion);
        expect(answer.rows.length, suggestion).toBeGreaterThan(0);
      }
    });

    it('refuses a plan whose parts do not go together, saying so, instead of failing', async () => {
      const answer = await service.ask(
        ws,
        'Among users who have hit 5 or more errors in total, what share have churned?',
      );
      expect(answer.refused).toBe(true);
      if (!answer.refused) return;
      // Its own kind (the panel's headline says the question was understood, not that the
      // data lacks it), in a PM's words: no table or rule names.
      expect(answer.cause).toBe('too_complex');
      expect(answer.reason).toMatch(/^Users who did something at least \(or at most\) N times/);
      expect(answer.reason).not.toMatch(/fact_events|dim_users|plan\.|metric/);
      expect(answer.suggestions.length).toBeGreaterThan(0);
    });

    // dbt's fact_events carries some string properties typed (login_method, export_format, …):
    // the lexicon finds them in the marts and the answer reads the column, not the JSON.
    it('reads a property the marts carry typed from its column', async () => {
      const { lexicon } = await service.lexiconFor(ws);
      const typed = Object.fromEntries(
        lexicon.dimensions
          .filter((d) => d.columns[0]?.property && d.columns[0].column !== 'properties')
          .map((d) => [d.id, d.columns[0]!.column]),
      );
      expect(typed).toMatchObject({
        'logged_in.method': 'login_method',
        'report_exported.format': 'export_format',
      });
      const answer = await check(
        'Number of logins by method in October 2026',
        `select json_extract_string(properties, '$.method'), count(*) from fact_events
          where event_name = 'logged_in' and event_date between date '2026-10-01' and date '2026-10-31'
          group by 1`,
      );
      expect(answer.sql).toContain('e.login_method');
      expect(answer.sql).not.toContain('json_extract_string');
    });

    // Regression: findPhrases' one-typo matching took the word "table" for the device type
    // "tablet" (a letter short), so the answer filtered on device_type = 'tablet' (4 signups
    // instead of every signup of last week). A word a letter longer or shorter is another word.
    it('does not read the word "table" as the device type "tablet"', async () => {
      const answer = await check(
        'How many users signed up last week? Show it as a table.',
        `select count(distinct user_id) from fact_events where event_name = 'signed_up'
           and event_date between date '2026-10-05' and date '2026-10-11'`,
      );
      expect(answer.plan.filters).toEqual([]);
    });
  });

  describe('through tRPC', () => {
    it('answers a viewer like the service does, and a follow-up with the returned plan', async () => {
      const first = answered(
        await ctx.viewer.ask.ask({ question: '  How many users signed up in October 2026?  ' }),
      );
      expect(first.question).toBe('How many users signed up in October 2026?');
      const reference = await ctx.sql(
        `select count(distinct user_id) from fact_events where event_name = 'signed_up'
           and event_date between date '2026-10-01' and date '2026-10-31'`,
      );
      expect(compareResults(reference, first.rows)).toEqual({ match: true });
      const followUp = answered(
        await ctx.viewer.ask.ask({ question: 'now only pro', context: first.plan }),
      );
      const pro = await ctx.sql(
        `select count(distinct e.user_id) from fact_events e join dim_users u using (user_id)
         where e.event_name = 'signed_up' and u.plan = 'pro'
           and e.event_date between date '2026-10-01' and date '2026-10-31'`,
      );
      expect(Number(pro[0]![0])).toBeGreaterThan(0);
      expect(compareResults(pro, followUp.rows)).toEqual({ match: true });
    });

    it.each([
      ['What is our NPS?', /net promoter/i],
      ['What will the weather be tomorrow?', /outside the product/i],
      ['write a poem about our users', /read-only: like the ones below/i],
      ['drop table fact_events', /read-only/i],
      ['What is the lifetime value of an enterprise customer?', /lifetime value/i],
    ])('refuses "%s" with a reason and suggestions', async (question, reason) => {
      const result = await ctx.viewer.ask.ask({ question });
      expect(result).toMatchObject({ refused: true, question });
      if (!result.refused) return;
      expect(result.reason).toMatch(reason);
      expect(result.reason).not.toMatch(/\d{2,}/); // a reason, never a number
      expect(result.suggestions.length).toBeGreaterThanOrEqual(3);
    });

    it('rejects an empty and an over-long question with a clear message', async () => {
      for (const question of ['', '   '])
        await expect(ctx.viewer.ask.ask({ question })).rejects.toMatchObject({
          code: 'BAD_REQUEST',
          message: expect.stringMatching(/Type a question/),
        });
      const long = `How many users signed up in October 2026? ${'x'.repeat(1_000)}`.slice(0, 1_001);
      expect(long).toHaveLength(1_001);
      await expect(ctx.viewer.ask.ask({ question: long })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(/at most 1000 characters/),
      });
      // The service checks it too (the CLI and other callers do not go through zod).
      await expect(service.ask(ws, long)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      // 1,000 characters is still a question.
      const result = await ctx.viewer.ask.ask({ question: long.slice(0, 1_000) });
      expect(answered(result).plan).toMatchObject({ metric: 'users', event: 'signed_up' });
    });

    // Synonyms learned from descriptions: an admin names other words for an event in the schema
    // registry, and the next question may use them (the runtime's service, through tRPC).
    it('learns an event’s synonym from its registry description', async () => {
      const question = 'How many downloads in October 2026?';
      expect(await ctx.viewer.ask.ask({ question })).toMatchObject({ refused: true });
      const admin = createCaller(
        await ctx.fx.context({
          cookie: await ctx.fx.cookieFor(ctx.fx.users.admin.email),
          workspace: ctx.fx.workspace.slug,
        }),
      );
      await admin.data.events.updateDescription({
        name: 'report_exported',
        description: 'A report saved as a file (PDF, CSV, XLSX). Also called downloads.',
      });
      try {
        const answer = answered(await ctx.viewer.ask.ask({ question }));
        expect(answer.plan.event).toBe('report_exported');
        expect(answer.rows).toEqual(
          await ctx.sql(
            `select count(*) from fact_events where event_name = 'report_exported'
               and event_date between date '2026-10-01' and date '2026-10-31'`,
          ),
        );
      } finally {
        await admin.data.events.updateDescription({ name: 'report_exported', description: '' });
      }
      expect(await ctx.viewer.ask.ask({ question })).toMatchObject({ refused: true });
    });

    it('refuses callers who are not members: no session, another workspace', async () => {
      const anonymous = createCaller(await ctx.fx.context({ workspace: ctx.fx.workspace.slug }));
      await expect(
        anonymous.ask.ask({ question: 'How many users signed up in October 2026?' }),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      const outsiderCookie = await ctx.fx.cookieFor(ctx.fx.users.outsider.email);
      const outsider = createCaller(
        await ctx.fx.context({ cookie: outsiderCookie, workspace: ctx.fx.workspace.slug }),
      );
      await expect(
        outsider.ask.ask({ question: 'How many users signed up in October 2026?' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      // In their own workspace (no marts built) they get that, not this workspace's numbers.
      const own = createCaller(
        await ctx.fx.context({ cookie: outsiderCookie, workspace: ctx.fx.other.slug }),
      );
      await expect(
        own.ask.ask({ question: 'How many users signed up in October 2026?' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no marts/) });
    });
  });

  // The evaluation contract of the CLI: one JSON line with the answer (or the refusal) and exit
  // 0, reading the same lake. Regression: `tl ask` opened its engine with one connection and no
  // queue, and the lexicon's two side-by-side reads made every question fail with ENGINE_BUSY.
  describe('tl ask --json (the real CLI on this lake)', () => {
    function tlAsk(question: string): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'scripts/tl.ts', 'ask', '--json', question],
          {
            cwd: process.cwd(),
            env: {
              ...process.env,
              TL_DATA_DIR: ctx.fx.runtime.config.dataDir,
              TL_NOW: TODAY,
              TL_LLM: 'off',
              LOG_LEVEL: 'warn',
            },
            timeout: 60_000,
          },
          (error, stdout, stderr) =>
            resolve({
              code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
              stdout,
              stderr,
            }),
        );
      });
    }

    it('prints question, plan, sql, columns, rows, explanation and sources', async () => {
      const run = await tlAsk('How many users signed up in October 2026?');
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      const printed = JSON.parse(lines[0]!) as Record<string, unknown>;
      const reference = await ctx.sql(
        `select count(distinct user_id) from fact_events where event_name = 'signed_up'
           and event_date between date '2026-10-01' and date '2026-10-31'`,
      );
      expect(printed).toMatchObject({
        question: 'How many users signed up in October 2026?',
        refused: false,
        rows: reference,
        plan: expect.objectContaining({ event: 'signed_up' }),
        sql: expect.stringMatching(/fact_events/),
        explanation: expect.stringMatching(/signed_up|signed up/i),
      });
      expect(printed.columns).toHaveLength(1);
      expect((printed.sources as unknown[]).length).toBeGreaterThan(0);
    }, 90_000);

    it('prints a refusal as {refused: true, reason} and still exits 0', async () => {
      const run = await tlAsk('drop table fact_events');
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout.trim())).toMatchObject({
        refused: true,
        reason: expect.any(String),
      });
    }, 90_000);
  });

  // Last: it adds events and rebuilds the marts.
  it('reloads the lexicon after a new dbt run', async () => {
    const question = 'How many webhook delivered events happened in October 2026?';
    const before = await service.lexiconFor(ws);
    expect(before.lexicon.events.map((e) => e.event)).not.toContain('webhook_delivered');
    const unknown = await service.ask(ws, question);
    expect(!unknown.refused && unknown.plan.event === 'webhook_delivered').toBe(false);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-ask-new-'));
    try {
      const lines = [1, 2, 3].map((i) =>
        JSON.stringify({
          event: 'webhook_delivered',
          user_id: 'u_000053',
          timestamp: `2026-10-0${i}T10:00:00Z`,
          properties: { target: 'slack' },
        }),
      );
      await writeFile(path.join(dir, 'new.ndjson'), `${lines.join('\n')}\n`);
      await importFiles(ctx.fx.runtime, { workspaceId: ws, paths: [dir] });
      await ctx.fx.runtime.flusher.flush();
      const run = await ctx.fx.runtime.pipelines.startRun({ workspaceId: ws, trigger: 'manual' });
      const done = await ctx.fx.runtime.pipelines.waitFor(run.id);
      expect(done.status, done.error ?? '').toBe('succeeded');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const after = await service.lexiconFor(ws);
    expect(after.lexicon).not.toBe(before.lexicon);
    expect(after.lexicon.events.map((e) => e.event)).toContain('webhook_delivered');
    const answer = answered(await service.ask(ws, question));
    expect(answer.plan.event).toBe('webhook_delivered');
    expect(answer.rows).toEqual([[3]]);
  }, 120_000);
});
