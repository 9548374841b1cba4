import { describe, expect, it } from 'vitest';
import { ZInsightQuery, type InsightQuery } from '../insights/insight-service';
import { applyDashboardFilters, readDashboardFilters, resolveDateRange } from './dashboard-filters';

const NOW = new Date('2026-11-26T13:00:00Z');
type Trends = Extract<InsightQuery, { kind: 'trends' }>;
const trends = ZInsightQuery.parse({
  kind: 'trends',
  series: [{ event: 'signed_up' }],
  interval: 'day',
  dateRange: { from: '2026-01-01', to: '2026-01-31' },
  filters: [{ property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' }],
}) as Trends;
const funnel = ZInsightQuery.parse({
  kind: 'funnels',
  steps: [{ event: 'signed_up' }, { event: 'project_created' }],
  dateRange: { from: '2026-01-01', to: '2026-01-31' },
});
const country = { property: { source: 'event', name: 'country' }, op: 'eq', value: 'DE' } as const;

describe('resolveDateRange', () => {
  it('counts today in a relative range (UTC days)', () => {
    expect(resolveDateRange({ kind: 'relative', days: 1 }, NOW)).toEqual({
      from: '2026-11-26',
      to: '2026-11-26',
    });
    expect(resolveDateRange({ kind: 'relative', days: 30 }, NOW)).toEqual({
      from: '2026-10-28',
      to: '2026-11-26',
    });
  });
  it('keeps an absolute range as it is', () => {
    expect(
      resolveDateRange({ kind: 'absolute', from: '2026-02-01', to: '2026-02-03' }, NOW),
    ).toEqual({ from: '2026-02-01', to: '2026-02-03' });
  });
});

describe('applyDashboardFilters', () => {
  it('without dashboard filters returns the tile query unchanged', () => {
    expect(applyDashboardFilters(trends, { filters: [] }, NOW)).toEqual(trends);
  });

  it("replaces the tile's range and appends the dashboard's filters after the tile's own", () => {
    const q = applyDashboardFilters(
      trends,
      { dateRange: { kind: 'relative', days: 7 }, filters: [country] },
      NOW,
    ) as Extract<InsightQuery, { kind: 'trends' }>;
    expect(q.dateRange).toEqual({ from: '2026-11-20', to: '2026-11-26' });
    expect(q.filters).toEqual([...trends.filters, country]);
    expect(q.series).toEqual(trends.series);
  });

  it('applies to funnels too (every kind with a range and filters)', () => {
    const q = applyDashboardFilters(
      funnel,
      { dateRange: { kind: 'absolute', from: '2026-03-01', to: '2026-03-31' }, filters: [country] },
      NOW,
    ) as Extract<InsightQuery, { kind: 'funnels' }>;
    expect(q.dateRange).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(q.filters).toEqual([country]);
  });

  it('says why when the combination is not a valid query (hourly tile, long range)', () => {
    const hourly = {
      ...trends,
      interval: 'hour' as const,
      dateRange: { from: '2026-01-01', to: '2026-01-02' },
    };
    expect(() =>
      applyDashboardFilters(
        hourly,
        { dateRange: { kind: 'relative', days: 90 }, filters: [] },
        NOW,
      ),
    ).toThrow(/cannot use the dashboard's date range.*Hourly trends cover at most 31 days/);
  });
});

describe('readDashboardFilters', () => {
  it('reads what was stored and treats anything unreadable as no filters', () => {
    expect(readDashboardFilters({ dateRange: { kind: 'relative', days: 30 } })).toEqual({
      dateRange: { kind: 'relative', days: 30 },
      filters: [],
    });
    expect(readDashboardFilters(null)).toEqual({ filters: [] });
    expect(readDashboardFilters({ dateRange: { kind: 'someday' } })).toEqual({ filters: [] });
  });
});
