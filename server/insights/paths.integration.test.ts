// Paths end to end: generated Orbit data → a real dbt build → insights.run through tRPC. Every
// node, link and drop-off is checked against a hand-written reference that works on per-user
// ordered event LISTS (list(), list comprehension, list_position, slicing) instead of the
// compiler's window functions — and, since the service reads the per-user timelines
// (agg_user_timeline), the general path over fact_events is checked against the same results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import type { InsightResponse } from './insight-service';
import { duckdbDialect } from './dialect';
import {
  compilePaths,
  shapePaths,
  USER_TIMELINE,
  ZPathsQuery,
  type PathsQueryInput,
  type PathsResult,
} from './paths';

describe('paths on generated data (pglite)', () => {
  let ctx: InsightsFixture;
  type Query = Omit<PathsQueryInput, 'kind'>;
  let run: (q: Query) => Promise<InsightResponse<PathsResult>>;
  const window = { from: '2026-09-03', to: '2026-10-17' };
  const range = `ts >= timestamptz '2026-09-03 00:00:00+00' and ts < timestamptz '2026-10-18 00:00:00+00'`;

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    run = async (q) =>
      (await ctx.viewer.insights.run({ kind: 'paths', ...q })) as InsightResponse<PathsResult>;
  }, 240_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  /**
   * The reference: `paths` is a CTE of (user_id, path, first_step) where path is the user's list
   * of events and first_step the step number of path[1]. Returns node users, links (≥ minUsers),
   * and dropped users by node id.
   */
  async function reference(
    pathsCte: string,
    depth: number,
    minUsers: number,
    endAnchored: boolean,
  ) {
    const rows = async (select: string) =>
      (
        await ctx.sql(`with ${pathsCte}, steps as (
          select user_id, path, first_step, i, first_step + i - 1 as step
          from paths, unnest(range(1, len(path) + 1)) as t(i)
        ) ${select}`)
      ).map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    const nodes = new Map(
      (await rows(`select step || ':' || path[i], count(*) from steps group by 1`)).map(
        ([id, n]) => [String(id), Number(n)],
      ),
    );
    const links = new Map(
      (
        await rows(
          `select step || ':' || path[i] || '>' || (step + 1) || ':' || path[i + 1], count(*)
           from steps where i < len(path) group by 1 having count(*) >= ${minUsers}`,
        )
      ).map(([id, n]) => [String(id), Number(n)]),
    );
    const ended = endAnchored ? `first_step > 1 and i = 1` : `i = len(path) and step < ${depth}`;
    const dropped = new Map(
      (
        await rows(`select step || ':' || path[i], count(*) from steps where ${ended} group by 1`)
      ).map(([id, n]) => [String(id), Number(n)]),
    );
    return { nodes, links, dropped };
  }

  /**
   * The service read the per-user timelines (the accelerator the fixture waited for), and the
   * general path — window passes over fact_events — gives the same result.
   */
  async function expectGeneralAgrees(q: Query, res: InsightResponse<PathsResult>) {
    expect(res.sql).toContain(`from ${USER_TIMELINE}`);
    const parsed = ZPathsQuery.parse({ kind: 'paths', ...q });
    const general = compilePaths(parsed, duckdbDialect);
    expect(general.sql).not.toContain(USER_TIMELINE);
    expect(shapePaths(parsed, await ctx.sql(general.sql, general.params))).toEqual(res.result);
  }

  function expectSame(
    res: PathsResult,
    ref: Awaited<ReturnType<typeof reference>>,
    minUsers: number,
  ) {
    const keptNodes = [...ref.nodes].filter(([, n]) => n >= minUsers);
    expect(keptNodes.length).toBeGreaterThan(3);
    expect(new Map(res.nodes.map((n) => [n.id, n.users]))).toEqual(new Map(keptNodes));
    expect(new Map(res.links.map((l) => [`${l.source}>${l.target}`, l.users]))).toEqual(ref.links);
    for (const n of res.nodes) expect(n.dropped, n.id).toBe(ref.dropped.get(n.id) ?? 0);
    // Step totals are not pruned.
    const totals = new Map<number, number>();
    for (const [id, n] of ref.nodes) {
      const step = Number(id.split(':')[0]);
      totals.set(step, (totals.get(step) ?? 0) + n);
    }
    for (const s of res.steps) expect(s.users, `step ${s.step}`).toBe(totals.get(s.step) ?? 0);
  }

  it('follows users after their first signed_up, repeats collapsed, page views excluded', async () => {
    const q: Query = {
      start: { event: 'signed_up' },
      depth: 4,
      minUsers: 3,
      exclude: ['page_viewed'],
      dateRange: window,
    };
    const res = await run(q);
    const ref = await reference(
      `ev as (
         select user_id, list(event_name order by ts, event_id) as names from fact_events
         where ${range} and event_name <> 'page_viewed' group by user_id
       ),
       col as (select user_id, [x for x, i in names if i = 1 or x <> names[i - 1]] as names from ev),
       anch as (select user_id, names, list_position(names, 'signed_up') as pos from col),
       paths as (select user_id, names[pos:pos + 3] as path, 1 as first_step from anch where pos > 0)`,
      4,
      3,
      false,
    );
    expectSame(res.result, ref, 3);
    // Exclusions take the general path (the timeline's runs are not theirs).
    expect(res.sql).not.toContain(USER_TIMELINE);
    expect(res.result.users).toBe(ref.nodes.get('1:signed_up'));
    // Flow is conserved: who reaches a step either goes on to the next one or drops there.
    const [first, second] = res.result.steps;
    expect(first!.users - first!.dropped).toBe(second!.users);
    expect(res.result.links.filter((l) => l.source === '1:signed_up').length).toBeGreaterThan(0);
  });

  it('leads up to the first subscription_started, without collapsing', async () => {
    const q: Query = {
      end: { event: 'subscription_started' },
      depth: 3,
      minUsers: 1,
      collapseRepeats: false,
      dateRange: window,
    };
    const res = await run(q);
    const ref = await reference(
      `ev as (
         select user_id, list(event_name order by ts, event_id) as names from fact_events
         where ${range} group by user_id
       ),
       anch as (select user_id, names, list_position(names, 'subscription_started') as pos from ev),
       paths as (
         select user_id, names[greatest(1, pos - 2):pos] as path, 3 - (pos - greatest(1, pos - 2)) as first_step
         from anch where pos > 0
       )`,
      3,
      1,
      true,
    );
    expectSame(res.result, ref, 1);
    await expectGeneralAgrees(q, res);
    expect(res.result.users).toBe(ref.nodes.get('3:subscription_started'));
  });

  it('starts from each user first event without an anchor', async () => {
    const q: Query = { depth: 3, minUsers: 10, dateRange: window };
    const res = await run(q);
    const ref = await reference(
      `ev as (
         select user_id, list(event_name order by ts, event_id) as names from fact_events
         where ${range} group by user_id
       ),
       col as (select user_id, [x for x, i in names if i = 1 or x <> names[i - 1]] as names from ev),
       paths as (select user_id, names[1:3] as path, 1 as first_step from col)`,
      3,
      10,
      false,
    );
    expectSame(res.result, ref, 10);
    await expectGeneralAgrees(q, res);
    expect(res.result.users).toBe(
      Number(
        (await ctx.sql(`select count(distinct user_id) from fact_events where ${range}`))[0]![0],
      ),
    );
  });

  it('refuses an anchor the workspace never received', async () => {
    await expect(run({ start: { event: 'no_such_event' }, dateRange: window })).rejects.toThrow(
      /No event named "no_such_event"/,
    );
  });
});
