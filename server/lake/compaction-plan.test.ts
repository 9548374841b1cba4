import { describe, expect, it } from 'vitest';
import { planCompaction, type CompactionThresholds } from './compaction-plan';
import type { PartitionFileStats } from './delta-writer';

const t: CompactionThresholds = {
  smallFileBytes: 1000,
  minSmallFiles: 3,
  targetSize: 10_000,
  maxBatchBytes: 5_000,
};

function p(day: string | null, small: number, rewrite = small * 100): PartitionFileStats {
  return {
    values: { event_date: day },
    files: small + 1,
    bytes: rewrite + 50_000,
    small_files: small,
    small_bytes: small * 100,
    rewrite_bytes: rewrite,
  };
}

const stats = (partitions: PartitionFileStats[]) => ({
  exists: true,
  partition_columns: ['event_date'],
  partitions,
});

describe('planCompaction', () => {
  // Only partitions with enough small files are rewritten; the rest must not be touched.
  it('selects partitions at or above the small-file count', () => {
    const plan = planCompaction(
      stats([p('2026-01-01', 2), p('2026-01-02', 3), p('2026-01-03', 9)]),
      t,
    );
    expect(plan.batches.flatMap((b) => b.labels)).toEqual([
      'event_date=2026-01-02',
      'event_date=2026-01-03',
    ]);
    expect(plan.batches[0]!.partitions).toEqual([
      { event_date: '2026-01-02' },
      { event_date: '2026-01-03' },
    ]);
    expect(plan.batches[0]!.smallFiles).toBe(12);
  });

  // A quiet lake costs nothing: no batch means no compact request at all.
  it('plans nothing when no partition qualifies or the table does not exist', () => {
    expect(planCompaction(stats([p('2026-01-01', 2)]), t).batches).toEqual([]);
    expect(
      planCompaction({ exists: false, partition_columns: [], partitions: [] }, t).batches,
    ).toEqual([]);
  });

  // Bounds how long one request holds the sidecar (and the appends queued behind it).
  it('splits batches by rewrite bytes, an oversized partition alone', () => {
    const plan = planCompaction(
      stats([
        p('d1', 5, 2_000),
        p('d2', 5, 2_500),
        p('d3', 5, 1_000),
        p('d4', 5, 9_000),
        p('d5', 5, 100),
      ]),
      t,
    );
    expect(plan.batches.map((b) => b.labels)).toEqual([
      ['event_date=d1', 'event_date=d2'],
      ['event_date=d3'],
      ['event_date=d4'],
      ['event_date=d5'],
    ]);
    expect(plan.batches.map((b) => b.rewriteBytes)).toEqual([4_500, 1_000, 9_000, 100]);
  });

  // delta-rs partition filters cannot name a null value; such a partition is reported, not sent.
  it('reports qualifying partitions with a null value instead of planning them', () => {
    const plan = planCompaction(stats([p(null, 4), p('2026-01-01', 4)]), t);
    expect(plan.unnamed).toEqual(['event_date=(null)']);
    expect(plan.batches.flatMap((b) => b.labels)).toEqual(['event_date=2026-01-01']);
  });

  it('treats an unpartitioned table as one partition', () => {
    const plan = planCompaction(
      {
        exists: true,
        partition_columns: [],
        partitions: [{ ...p(null, 4), values: {} }],
      },
      t,
    );
    expect(plan.batches).toEqual([
      { partitions: [{}], labels: ['(unpartitioned)'], smallFiles: 4, rewriteBytes: 400 },
    ]);
  });
});
