import { describe, expect, it } from 'vitest';
import { shapeTrends, ZTrendsQuery } from '@/server/insights/trends';
import { toCsv } from '../csv';
import { chartLines, trendLines, trendsCsv } from './trends-data';

// Results come from the server's own shaper, so these follow its labels and layout.
const query = ZTrendsQuery.parse({
  kind: 'trends',
  series: [{ event: 'signed_up' }, { event: 'subscription_started', math: 'unique_users' }],
  dateRange: { from: '2026-05-01', to: '2026-05-02' },
  breakdown: { property: { source: 'user', name: 'plan' }, limit: 1 },
  formulas: [{ expression: 'B / A' }],
});
const at = (d: string) => `${d}T00:00:00.000Z`;
const rows = [
  [0, 0, at('2026-05-01'), 'pro', 4],
  [0, 0, at('2026-05-02'), '$other', 2],
  [1, 0, at('2026-05-01'), 'pro', 1],
];

describe('trends lines, chart and CSV', () => {
  it('keeps one palette slot per series and breakdown value, and Other readable', () => {
    const lines = trendLines(query, shapeTrends(query, rows));
    expect(lines.filter((l) => !l.formula).map((l) => l.label)).toEqual([
      'signed_up · pro',
      'signed_up · Other',
      'subscription_started (users) · pro',
    ]);
    expect(lines.find((l) => l.label === 'signed_up · Other')?.other).toBe(true);
    // With a formula the chart draws only the formula lines.
    expect(chartLines(lines).every((l) => l.formula)).toBe(true);
  });

  it('exports one row per bucket and one column per line', () => {
    const result = shapeTrends(query, rows);
    const csv = toCsv(trendsCsv(query, result)).split('\r\n');
    expect(csv[0]).toMatch(/^bucket_start_utc,signed_up · pro,signed_up · Other,/);
    expect(csv[1]).toMatch(/^2026-05-01T00:00:00.000Z,4,0,1/);
    expect(csv).toHaveLength(4);
  });
});
