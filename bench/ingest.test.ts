import { describe, expect, it } from 'vitest';
import { medianOfRuns, type IngestBenchResult } from './ingest';

const run = (events: number, p99: number, lake: number): IngestBenchResult => ({
  events_per_s: events,
  p50_ack_ms: 300,
  p99_ack_ms_at_20k: p99,
  lake_to_ndjson_bytes: lake,
  baseline: { requests_per_s: 200, as_events_per_s: 200_000, p50_ms: 60, p99_ms: 200 },
  details: { seconds: 20 },
});

describe('medianOfRuns', () => {
  it('returns a single run unchanged', () => {
    const one = run(50_000, 40, 0.08);
    expect(medianOfRuns([one])).toBe(one);
  });

  it('takes the median of each figure on its own and keeps every run', () => {
    const out = medianOfRuns([run(47_000, 90, 0.08), run(54_000, 40, 0.09), run(55_000, 60, 0.07)]);
    expect(out).toMatchObject({
      events_per_s: 54_000,
      p99_ack_ms_at_20k: 60,
      lake_to_ndjson_bytes: 0.08,
    });
    expect((out.details.runs as unknown[]).length).toBe(3);
    expect(medianOfRuns([run(40_000, 10, 0.1), run(50_000, 20, 0.2)]).events_per_s).toBe(45_000);
  });
});
