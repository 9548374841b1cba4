import { describe, expect, it } from 'vitest';
import { IngestStats } from './ingest-stats';

describe('IngestStats', () => {
  // Admin → Ingestion shows events/s per source; old seconds must fall out of the window.
  it('reports the rate over the last ten seconds per workspace and source', () => {
    let now = 1_000_000_000_000;
    const stats = new IngestStats(() => now);
    for (let i = 0; i < 10; i++) {
      stats.record('ws1', 'api', 100, 1);
      now += 1000;
    }
    stats.record('ws2', 'api', 5, 0);
    const [api] = stats.snapshot('ws1');
    expect(api).toMatchObject({
      source: 'api',
      eventsPerSecond: 100,
      rejectedPerSecond: 1,
      acceptedTotal: 1000,
      rejectedTotal: 10,
    });
    expect(api?.series.reduce((sum, b) => sum + b.accepted, 0)).toBe(1000);
    now += 400_000; // past the five-minute window
    expect(stats.snapshot('ws1')[0]).toMatchObject({ eventsPerSecond: 0, acceptedTotal: 1000 });
    expect(stats.snapshot('ws1')[0]?.series.every((b) => b.accepted === 0)).toBe(true);
    expect(stats.snapshot('nope')).toEqual([]);
  });
});
