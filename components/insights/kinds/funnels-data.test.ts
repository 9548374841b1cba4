import { describe, expect, it } from 'vitest';
import { ZFunnelsQuery, type FunnelsResult } from '@/server/insights/funnels';
import {
  binLabel,
  funnelIsEmpty,
  funnelsViewCsv,
  histogramRows,
  normalizeFunnelQuery,
  overTimeRows,
} from './funnels-data';

const base = ZFunnelsQuery.parse({
  kind: 'funnels',
  steps: [{ event: 'a' }, { event: 'b' }, { event: 'c' }],
  dateRange: { from: '2026-01-01', to: '2026-01-31' },
});
const none = { steps: [], breakdowns: [], timeToConvert: null, overTime: null };

describe('funnel views', () => {
  it('labels histogram bins with readable durations', () => {
    expect(binLabel({ fromSeconds: 60, toSeconds: 120 })).toBe('1m – 2m');
    expect(binLabel({ fromSeconds: 3600, toSeconds: 5400 })).toBe('1h – 1h 30m');
    expect(binLabel({ fromSeconds: 0.2, toSeconds: 0.2 })).toBe('< 1s');
    expect(
      histogramRows({
        fromStep: 0,
        toStep: 2,
        users: 3,
        medianSeconds: 90,
        averageSeconds: 100,
        bins: [
          { fromSeconds: 30, toSeconds: 90, users: 1 },
          { fromSeconds: 90, toSeconds: 150, users: 2 },
        ],
      }).map((r) => [r.label, r.users]),
    ).toEqual([
      ['30s – 1m 30s', 1],
      ['1m 30s – 2m 30s', 2],
    ]);
  });

  it('is empty per view', () => {
    const ttc: FunnelsResult = {
      ...none,
      view: 'time_to_convert',
      timeToConvert: {
        fromStep: 0,
        toStep: 2,
        users: 0,
        medianSeconds: null,
        averageSeconds: null,
        bins: [],
      },
    };
    expect(funnelIsEmpty(ttc)).toBe(true);
    const over: FunnelsResult = {
      ...none,
      view: 'trends',
      overTime: {
        buckets: ['2026-01-01T00:00:00.000Z'],
        entered: [2],
        converted: [1],
        rate: [0.5],
      },
    };
    expect(funnelIsEmpty(over)).toBe(false);
    expect(overTimeRows(over.overTime)).toEqual([
      { bucket: '2026-01-01T00:00:00.000Z', entered: 2, converted: 1, rate: 0.5 },
    ]);
    expect(funnelsViewCsv({ ...base, view: 'trends' }, over)).toEqual({
      header: ['bucket', 'entered', 'converted', 'conversion_rate'],
      rows: [['2026-01-01T00:00:00.000Z', 2, 1, 0.5]],
    });
  });

  it('keeps queries valid for the server after an edit', () => {
    const breakdown = { property: { source: 'user' as const, name: 'plan' as const }, limit: 10 };
    // No breakdown outside the steps view.
    const ttc = normalizeFunnelQuery({ ...base, view: 'time_to_convert', breakdown });
    expect(ttc.breakdown).toBeUndefined();
    expect(ZFunnelsQuery.safeParse(ttc).success).toBe(true);
    // Steps removed under the time-to-convert pickers.
    const shrunk = normalizeFunnelQuery({
      ...base,
      steps: base.steps.slice(0, 2),
      view: 'time_to_convert',
      timeToConvert: { fromStep: 1, toStep: 2, bins: 20 },
    });
    expect(shrunk.timeToConvert).toEqual({ fromStep: 0, bins: 20 });
    expect(ZFunnelsQuery.safeParse(shrunk).success).toBe(true);
    // 'any' order cannot show time to convert.
    expect(normalizeFunnelQuery({ ...base, order: 'any', view: 'time_to_convert' }).view).toBe(
      'steps',
    );
    // The steps view keeps its breakdown.
    expect(normalizeFunnelQuery({ ...base, breakdown }).breakdown).toEqual(breakdown);
  });
});
