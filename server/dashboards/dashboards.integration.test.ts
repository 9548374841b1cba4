// Saved insights and dashboards through the tRPC API on a real runtime with built marts (20k
// generated events, a real dbt build): CRUD and roles, workspace isolation, layout validation,
// the "Product overview" template running end to end, and the dashboard's date range and
// filters applied to every tile (compared with running the overridden query directly).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import type { FunnelsResult } from '@/server/insights/funnels';
import type { InsightQuery, InsightResponse } from '@/server/insights/insight-service';
import type { TrendsQueryInput, TrendsResult } from '@/server/insights/trends';
import { startInsightsFixture, type InsightsFixture } from '@/test/insights-fixture';
import { seedDemoDashboard } from './demo-dashboard';
import { createDashboard } from './dashboards';

type Api = ReturnType<typeof createCaller>;

const signups = (from: string, to: string): TrendsQueryInput => ({
  kind: 'trends',
  series: [{ event: 'signed_up', math: 'total' }],
  interval: 'day',
  dateRange: { from, to },
});

function nonEmpty(res: InsightResponse): boolean {
  if (res.kind === 'trends')
    return (res.result as TrendsResult).series.some((s) => s.values.some((v) => v > 0));
  if (res.kind === 'funnels') return ((res.result as FunnelsResult).steps[0]?.users ?? 0) > 0;
  return JSON.stringify(res.result).length > 20;
}

describe('dashboards (pglite)', () => {
  let ctx: InsightsFixture;
  let analyst: Api;
  let viewer: Api;
  let outsider: Api;

  beforeAll(async () => {
    ctx = await startInsightsFixture();
    const { fx } = ctx;
    const callerFor = async (email: string, workspace: string) =>
      createCaller(await fx.context({ cookie: await fx.cookieFor(email), workspace }));
    analyst = await callerFor(fx.users.analyst.email, fx.workspace.slug);
    viewer = ctx.viewer;
    outsider = await callerFor(fx.users.outsider.email, fx.other.slug);
  }, 300_000);
  afterAll(async () => ctx?.dispose());

  it('saved insights: analysts create, update and delete; viewers only read', async () => {
    const created = await analyst.savedInsights.create({
      name: 'Signups',
      query: signups(ctx.window.from, ctx.window.to),
      chartType: 'bar',
    });
    expect(created).toMatchObject({ name: 'Signups', chartType: 'bar', tileCount: 0 });
    // Defaults of the query schema are applied before it is stored.
    expect(created.query).toMatchObject({ kind: 'trends', filters: [] });
    expect((await viewer.savedInsights.list()).map((i) => i.id)).toContain(created.id);
    expect(await viewer.savedInsights.get({ id: created.id })).toEqual(created);

    await expect(
      viewer.savedInsights.create({ name: 'x', query: signups(ctx.window.from, ctx.window.to) }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viewer.savedInsights.update({ id: created.id, name: 'y' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    const renamed = await analyst.savedInsights.update({ id: created.id, name: 'New signups' });
    expect(renamed.name).toBe('New signups');
    await expect(
      analyst.savedInsights.create({
        name: 'bad',
        query: { ...signups(ctx.window.from, ctx.window.to), interval: 'fortnight' } as never,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await analyst.savedInsights.delete({ id: created.id })).toEqual({
      id: created.id,
      tilesRemoved: 0,
    });
    await expect(viewer.savedInsights.get({ id: created.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('dashboards: create, add tiles, arrange, duplicate, remove, delete; viewers cannot edit', async () => {
    const d = await analyst.dashboards.create({ name: 'Growth', description: 'Weekly review' });
    expect(d).toMatchObject({ name: 'Growth', tiles: [], filters: { filters: [] }, isHome: false });
    await expect(viewer.dashboards.create({ name: 'Mine' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(viewer.dashboards.update({ id: d.id, name: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      viewer.dashboards.addTile({ dashboardId: d.id, tile: { type: 'text', text: 'hi' } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // A new insight saved on the way, an existing one, and a text note: each on its own row.
    const withNew = await analyst.dashboards.addTile({
      dashboardId: d.id,
      tile: {
        type: 'new_insight',
        insight: { name: 'Signups', query: signups(ctx.window.from, ctx.window.to) },
      },
    });
    const insightId = withNew.tiles[0]!.insight!.id;
    const withExisting = await analyst.dashboards.addTile({
      dashboardId: d.id,
      tile: { type: 'insight', insightId },
      size: { w: 4, h: 3 },
    });
    const full = await analyst.dashboards.addTile({
      dashboardId: d.id,
      tile: { type: 'text', text: 'Signups doubled after the launch.' },
    });
    expect(full.tiles.map((t) => [t.type, t.x, t.y, t.w, t.h])).toEqual([
      ['insight', 0, 0, 6, 4],
      ['insight', 0, 4, 4, 3],
      ['text', 0, 7, 6, 2],
    ]);
    expect(withExisting.tiles[1]!.insight!.id).toBe(insightId);
    expect((await viewer.savedInsights.get({ id: insightId })).tileCount).toBe(2);
    await expect(
      analyst.dashboards.addTile({
        dashboardId: d.id,
        tile: { type: 'insight', insightId: 'nope' },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: /No such saved insight/ });

    const [a, b, c] = full.tiles.map((t) => t.id) as [string, string, string];
    const arranged = await analyst.dashboards.updateLayout({
      dashboardId: d.id,
      layout: [
        { id: a, x: 0, y: 0, w: 8, h: 4 },
        { id: b, x: 8, y: 0, w: 4, h: 4 },
        { id: c, x: 0, y: 4, w: 12, h: 2 },
      ],
    });
    expect(arranged.tiles.map((t) => [t.id, t.x, t.y, t.w])).toEqual([
      [a, 0, 0, 8],
      [b, 8, 0, 4],
      [c, 0, 4, 12],
    ]);

    const copy = await analyst.dashboards.duplicate({ id: d.id });
    expect(copy.name).toBe('Growth (copy)');
    expect(copy.id).not.toBe(d.id);
    expect(copy.tiles.map((t) => [t.type, t.x, t.y, t.w, t.h, t.insight?.id ?? t.text])).toEqual(
      arranged.tiles.map((t) => [t.type, t.x, t.y, t.w, t.h, t.insight?.id ?? t.text]),
    );

    const removed = await analyst.dashboards.removeTile({ dashboardId: d.id, tileId: c });
    expect(removed.tiles.map((t) => t.id)).toEqual([a, b]);
    await expect(
      analyst.dashboards.removeTile({ dashboardId: d.id, tileId: c }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: /No such tile/ });
    // A tile of the copy cannot be removed through the original.
    await expect(
      analyst.dashboards.removeTile({ dashboardId: d.id, tileId: copy.tiles[0]!.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const updated = await analyst.dashboards.update({
      id: d.id,
      name: 'Growth review',
      filters: { dateRange: { kind: 'relative', days: 14 }, filters: [] },
    });
    expect(updated).toMatchObject({
      name: 'Growth review',
      filters: { dateRange: { kind: 'relative', days: 14 } },
    });
    expect((await viewer.dashboards.list()).map((x) => x.name)).toEqual(
      expect.arrayContaining(['Growth review', 'Growth (copy)']),
    );

    await analyst.dashboards.delete({ id: copy.id });
    await expect(viewer.dashboards.get({ id: copy.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Tiles go with their dashboard; the shared insight stays, shown by the original's tiles.
    expect((await viewer.savedInsights.get({ id: insightId })).tileCount).toBe(2);
  });

  it('rejects layouts off the grid, with overlaps, or not listing every tile', async () => {
    const d = await analyst.dashboards.create({ name: 'Layout checks' });
    const t1 = (
      await analyst.dashboards.addTile({ dashboardId: d.id, tile: { type: 'text', text: 'one' } })
    ).tiles[0]!;
    const t2 = (
      await analyst.dashboards.addTile({ dashboardId: d.id, tile: { type: 'text', text: 'two' } })
    ).tiles[1]!;
    const layout = (items: { id: string; x: number; y: number; w: number; h: number }[]) =>
      analyst.dashboards.updateLayout({ dashboardId: d.id, layout: items });

    await expect(
      layout([
        { id: t1.id, x: 8, y: 0, w: 6, h: 2 },
        { id: t2.id, x: 0, y: 2, w: 6, h: 2 },
      ]),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /past the 12-column grid/ });
    await expect(
      layout([
        { id: t1.id, x: 0, y: 0, w: 6, h: 2 },
        { id: t2.id, x: 3, y: 1, w: 6, h: 2 },
      ]),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /overlap/ });
    await expect(layout([{ id: t1.id, x: 0, y: 0, w: 6, h: 2 }])).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: /leaves out 1 tile/,
    });
    await expect(
      layout([
        { id: t1.id, x: 0, y: 0, w: 6, h: 2 },
        { id: t2.id, x: 6, y: 0, w: 6, h: 2 },
        { id: 'stranger', x: 0, y: 2, w: 6, h: 2 },
      ]),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /not on this dashboard/ });
    // Input validation (negative, zero width) stops before the service.
    await expect(
      layout([
        { id: t1.id, x: -1, y: 0, w: 6, h: 2 },
        { id: t2.id, x: 6, y: 0, w: 0, h: 2 },
      ]),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it("another workspace's dashboards and insights are NOT_FOUND, both ways", async () => {
    const { fx } = ctx;
    const mine = await analyst.dashboards.create({ name: 'Private' });
    await expect(outsider.dashboards.get({ id: mine.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      outsider.dashboards.runTile({ dashboardId: mine.id, tileId: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outsider.dashboards.delete({ id: mine.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(outsider.dashboards.pin({ dashboardId: mine.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await outsider.dashboards.list()).map((d) => d.id)).not.toContain(mine.id);

    const theirs = await createDashboard(fx.runtime.prisma, fx.other.id, fx.users.outsider.id, {
      name: 'Theirs',
    });
    await expect(viewer.dashboards.get({ id: theirs.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      analyst.dashboards.addTile({ dashboardId: theirs.id, tile: { type: 'text', text: 'x' } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const insight = await outsider.savedInsights.create({
      name: 'Theirs',
      query: signups(ctx.window.from, ctx.window.to),
    });
    await expect(viewer.savedInsights.get({ id: insight.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const d = await analyst.dashboards.create({ name: 'Borrowing' });
    await expect(
      analyst.dashboards.addTile({
        dashboardId: d.id,
        tile: { type: 'insight', insightId: insight.id },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the Product overview template: every insight tile runs on the data and returns numbers', async () => {
    const d = await analyst.dashboards.fromTemplate({ template: 'product-overview' });
    expect(d.name).toBe('Product overview');
    const insights = d.tiles.filter((t) => t.type === 'insight');
    expect(insights.map((t) => t.insight!.name)).toEqual(
      expect.arrayContaining([
        'Daily active users',
        'Weekly active users',
        'Monthly active users',
        'Signups',
        'Onboarding funnel',
        'Week-1 retention',
        'Top features',
        'Errors',
      ]),
    );
    // The template shows the last 30 days; the fixture's data ends on 2026-10-17.
    const range = { kind: 'absolute', from: ctx.window.from, to: ctx.window.to } as const;
    const started = performance.now();
    const runs = await Promise.all(
      insights.map((t) =>
        viewer.dashboards.runTile({ dashboardId: d.id, tileId: t.id, dateRange: range }),
      ),
    );
    const coldMs = performance.now() - started;
    for (const run of runs) {
      expect(nonEmpty(run.response), run.response.kind).toBe(true);
      expect(run.query).toMatchObject({ dateRange: { from: ctx.window.from, to: ctx.window.to } });
    }
    const top = runs.find(
      (r) => r.response.kind === 'trends' && 'breakdown' in r.query && r.query.breakdown,
    );
    expect((top!.response.result as TrendsResult).series.length).toBeGreaterThan(3);
    // Opened again with no new data: every tile from the cache.
    const again = performance.now();
    const cached = await Promise.all(
      insights.map((t) =>
        viewer.dashboards.runTile({ dashboardId: d.id, tileId: t.id, dateRange: range }),
      ),
    );
    expect(cached.every((r) => r.response.cached)).toBe(true);
    expect(performance.now() - again).toBeLessThan(Math.max(500, coldMs));
    // The text tile does not run.
    const text = d.tiles.find((t) => t.type === 'text')!;
    await expect(
      viewer.dashboards.runTile({ dashboardId: d.id, tileId: text.id }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /text tile/ });
  });

  it("the dashboard's date range and filters change each tile like the overridden query run directly", async () => {
    const d = await analyst.dashboards.create({
      name: 'Filtered',
      filters: {
        dateRange: { kind: 'absolute', from: '2026-10-01', to: '2026-10-10' },
        filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
      },
    });
    const tile = (
      await analyst.dashboards.addTile({
        dashboardId: d.id,
        tile: {
          type: 'new_insight',
          insight: {
            name: 'Signups by country',
            query: {
              ...signups(ctx.window.from, ctx.window.to),
              filters: [{ property: { source: 'event', name: 'country' }, op: 'eq', value: 'US' }],
            },
          },
        },
      })
    ).tiles[0]!;
    const saved = tile.insight!.query as Extract<InsightQuery, { kind: 'trends' }>;
    const direct = (q: InsightQuery) => viewer.insights.run(q);

    // Saved dashboard filters: range replaced, platform filter appended to the tile's country.
    const run = await viewer.dashboards.runTile({ dashboardId: d.id, tileId: tile.id });
    const expected: InsightQuery = {
      ...saved,
      dateRange: { from: '2026-10-01', to: '2026-10-10' },
      filters: [
        ...saved.filters,
        { property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' },
      ],
    };
    expect(run.query).toEqual(expected);
    expect(run.response.result).toEqual((await direct(expected)).result);
    const buckets = (run.response.result as TrendsResult).buckets;
    expect(buckets).toHaveLength(10);
    const unfiltered = await direct(saved);
    expect((unfiltered.result as TrendsResult).buckets).toHaveLength(45);
    expect((run.response.result as TrendsResult).series[0]!.total).toBeLessThan(
      (unfiltered.result as TrendsResult).series[0]!.total,
    );

    // A viewer's unsaved change (another range, other filters) overrides the saved ones.
    const override = await viewer.dashboards.runTile({
      dashboardId: d.id,
      tileId: tile.id,
      dateRange: { kind: 'absolute', from: '2026-09-10', to: '2026-09-16' },
      filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'ios' }],
    });
    const overridden: InsightQuery = {
      ...saved,
      dateRange: { from: '2026-09-10', to: '2026-09-16' },
      filters: [
        ...saved.filters,
        { property: { source: 'event', name: 'platform' }, op: 'eq', value: 'ios' },
      ],
    };
    expect(override.query).toEqual(overridden);
    expect(override.response.result).toEqual((await direct(overridden)).result);
    expect((override.response.result as TrendsResult).buckets).toHaveLength(7);
  });

  it('a saved SQL query as a tile: charted, following the dashboard range, for viewers too', async () => {
    const sql =
      'select event_date, count(*) as events from fact_events where {{ filters }} group by 1 order by 1';
    const query = await analyst.sql.saved.create({
      name: 'Events per day',
      sql,
      chart: { type: 'line', x: 'event_date', y: ['events'] },
    });
    const dashboard = await analyst.dashboards.create({
      name: 'SQL tiles',
      filters: { dateRange: { kind: 'absolute', from: ctx.window.from, to: ctx.window.to } },
    });
    const withTile = await analyst.dashboards.addTile({
      dashboardId: dashboard.id,
      tile: { type: 'query', savedQueryId: query.id },
    });
    const tile = withTile.tiles.find((t) => t.type === 'query')!;
    expect(tile.savedQuery).toMatchObject({ id: query.id, name: 'Events per day' });

    const run = await viewer.dashboards.runQueryTile({
      dashboardId: dashboard.id,
      tileId: tile.id,
    });
    expect(run.query.chart).toEqual({ type: 'line', x: 'event_date', y: ['events'] });
    expect(run.range).toEqual({ from: ctx.window.from, to: ctx.window.to });
    // The same SQL with the range written out by hand gives the same rows.
    const direct = await analyst.sql.saved.get({ id: query.id });
    const expected = await ctx.fx.runtime.sql.run(ctx.fx.workspace.id, ctx.fx.users.analyst.id, {
      sql: direct.sql.replace(
        '{{ filters }}',
        `event_date between date '${ctx.window.from}' and date '${ctx.window.to}'`,
      ),
      runId: crypto.randomUUID(),
    });
    expect(run.result.rows).toEqual(expected.rows);
    expect(run.result.rowCount).toBeGreaterThan(1);

    // A narrower range from the viewer's unsaved change: fewer days.
    const narrow = await viewer.dashboards.runQueryTile({
      dashboardId: dashboard.id,
      tileId: tile.id,
      dateRange: { kind: 'absolute', from: ctx.window.from, to: ctx.window.from },
    });
    expect(narrow.result.rows).toEqual([expected.rows[0]]);

    // Private queries stay off dashboards; viewers cannot add tiles.
    const mine = await analyst.sql.saved.create({ name: 'Mine', sql: 'select 1', shared: false });
    await expect(
      analyst.dashboards.addTile({
        dashboardId: dashboard.id,
        tile: { type: 'query', savedQueryId: mine.id },
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('private') as string });
    await expect(
      viewer.dashboards.addTile({
        dashboardId: dashboard.id,
        tile: { type: 'query', savedQueryId: query.id },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Insight tiles and query tiles do not run through each other's procedure.
    await expect(
      viewer.dashboards.runTile({ dashboardId: dashboard.id, tileId: tile.id }),
    ).rejects.toMatchObject({ message: expect.stringContaining('runQueryTile') as string });
    await analyst.dashboards.delete({ id: dashboard.id });
  });

  it('home: a pinned dashboard per member, else the workspace’s first; the demo seed pins one for everyone', async () => {
    const { fx } = ctx;
    const first = (await viewer.dashboards.list())[0]!;
    const home = await viewer.dashboards.home();
    expect(home).toMatchObject({ pinned: false, dashboard: { id: first.id } });

    const d = await analyst.dashboards.create({ name: 'Viewer home' });
    expect(await viewer.dashboards.pin({ dashboardId: d.id })).toEqual({ homeDashboardId: d.id });
    expect(await viewer.dashboards.home()).toMatchObject({
      pinned: true,
      dashboard: { id: d.id, isHome: true },
    });
    // Personal: the analyst's home did not change.
    expect((await analyst.dashboards.home()).pinned).toBe(false);
    await viewer.dashboards.pin({ dashboardId: null });
    expect((await viewer.dashboards.home()).pinned).toBe(false);

    // An empty workspace has no home.
    expect(await outsider.dashboards.home()).toMatchObject({
      pinned: false,
      dashboard: { name: 'Theirs' },
    });
    const fresh = await fx.runtime.prisma.workspace.create({
      data: { slug: 'fresh', name: 'Fresh' },
    });
    await fx.runtime.prisma.membership.createMany({
      data: [
        { workspaceId: fresh.id, userId: fx.users.viewer.id, role: 'viewer' },
        { workspaceId: fresh.id, userId: fx.users.admin.id, role: 'admin' },
      ],
    });
    const freshViewer = createCaller(
      await fx.context({ cookie: await fx.cookieFor(fx.users.viewer.email), workspace: 'fresh' }),
    );
    expect(await freshViewer.dashboards.home()).toEqual({ dashboard: null, pinned: false });

    // The first-start seed: a Product overview pinned for every member, once.
    const id = await seedDemoDashboard(fx.runtime.prisma, 'fresh');
    expect(id).toBeDefined();
    expect(await freshViewer.dashboards.home()).toMatchObject({
      pinned: true,
      dashboard: { id, name: 'Product overview', template: 'product-overview' },
    });
    expect(await seedDemoDashboard(fx.runtime.prisma, 'fresh')).toBeUndefined();
    expect(await fx.runtime.prisma.dashboard.count({ where: { workspaceId: fresh.id } })).toBe(1);
  });
});
