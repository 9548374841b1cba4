import { describe, expect, it } from 'vitest';
import { ZFunnelsQuery } from '@/server/insights/funnels';
import { ZTrendsQuery } from '@/server/insights/trends';
import { decodeQuery, describePath, encodeQuery, withQuery } from './query-url';

const schemas = { trends: ZTrendsQuery, funnels: ZFunnelsQuery };

describe('insight query in the URL', () => {
  it('round-trips a query exactly through URLSearchParams', () => {
    const query = ZFunnelsQuery.parse({
      kind: 'funnels',
      steps: [
        { event: 'signed_up', filters: [] },
        {
          event: 'feature_used',
          filters: [
            {
              property: { source: 'event_property', name: 'feature name & "x"' },
              op: 'eq',
              value: 'a+b=c',
            },
          ],
        },
      ],
      dateRange: { from: '2026-04-01', to: '2026-04-30' },
      breakdown: { property: { source: 'user', name: 'plan' }, limit: 5 },
    });
    const params = withQuery('tab=x', query, 'steps');
    const reparsed = new URLSearchParams(params.toString());
    expect(reparsed.get('tab')).toBe('x');
    expect(reparsed.get('chart')).toBe('steps');
    const decoded = decodeQuery(reparsed.get('q'), schemas);
    expect(decoded).toEqual({ status: 'ok', query });
  });

  it('applies schema defaults, so a hand-written link is the full query', () => {
    const decoded = decodeQuery(
      encodeQuery({
        kind: 'trends',
        series: [{ event: 'page_viewed' }],
        dateRange: { from: '2026-04-01', to: '2026-04-07' },
      } as never),
      schemas,
    );
    expect(decoded.status).toBe('ok');
    if (decoded.status !== 'ok') return;
    expect(decoded.query).toMatchObject({ interval: 'day', filters: [] });
  });

  it('says why a link cannot be read', () => {
    expect(decodeQuery(null, schemas)).toEqual({ status: 'none' });
    expect(decodeQuery('{nope', schemas)).toMatchObject({ status: 'invalid' });
    expect(decodeQuery('{"kind":"crystal_ball"}', schemas)).toEqual({
      status: 'invalid',
      message: 'This version does not know insights of type "crystal_ball".',
    });
    const bad = decodeQuery(
      JSON.stringify({
        kind: 'funnels',
        steps: [{ event: 'a' }],
        dateRange: { from: '2026-04-01', to: '2026-04-07' },
      }),
      schemas,
    );
    expect(bad.status).toBe('invalid');
    if (bad.status === 'invalid') expect(bad.message).toMatch(/^Step/);
  });

  it('names issue paths the way the editor labels them', () => {
    expect(describePath(['series', 1, 'filters', 0, 'value'])).toBe('Series B › Filter 1 › value');
    expect(describePath(['steps', 2, 'event'])).toBe('Step 3 › event');
  });
});
