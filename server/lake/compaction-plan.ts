// Decides which partitions of a Delta table are worth compacting, from the per-partition file
// statistics the sidecar reads out of the Delta log. Pure, so the thresholds are unit-tested.
// The point: a partition is rewritten only when it holds enough small files to matter, so a
// quiet lake costs one log read per table and untouched partitions are never rewritten.
import type { PartitionFileStats, PartitionFilesResult } from './delta-writer';

export interface CompactionThresholds {
  /** A file below this size counts as small. */
  smallFileBytes: number;
  /** A partition is compacted when it holds at least this many small files. */
  minSmallFiles: number;
  /** File size optimize aims for; files at or above it are left alone by delta-rs. */
  targetSize: number;
  /**
   * Upper bound (in bytes optimize would rewrite) for one compact request, so an append waiting
   * behind it in the sidecar's queue is not held up for long. A single partition above it still
   * forms a batch of its own.
   */
  maxBatchBytes: number;
}

const MiB = 1024 * 1024;

/**
 * A flush of the default TL_FLUSH_BYTES (32 MiB of WAL JSON) becomes a Parquet file of a few MiB
 * per day, so "small" is a quarter of the target: everything a flush writes, and a merged file
 * that has not yet grown to the target.
 */
export const DEFAULT_COMPACTION_THRESHOLDS: CompactionThresholds = {
  smallFileBytes: 32 * MiB,
  minSmallFiles: 8,
  targetSize: 128 * MiB,
  maxBatchBytes: 256 * MiB,
};

export interface CompactionBatch {
  /** Partition values for the sidecar's partition filter ({} for an unpartitioned table). */
  partitions: Record<string, string>[];
  /** Readable names, e.g. `event_date=2026-10-30`. */
  labels: string[];
  smallFiles: number;
  rewriteBytes: number;
}

export interface CompactionPlan {
  batches: CompactionBatch[];
  /**
   * Partitions that qualify but have a null partition value: the delta-rs partition filter
   * cannot name them, so they are left as they are (bronze.events never has a null event_date).
   */
  unnamed: string[];
}

export const UNPARTITIONED = '(unpartitioned)';

export function partitionLabel(values: Record<string, string | null>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${v ?? '(null)'}`);
  return parts.length ? parts.join('/') : UNPARTITIONED;
}

function qualifies(p: PartitionFileStats, t: CompactionThresholds): boolean {
  return p.small_files >= t.minSmallFiles;
}

export function planCompaction(
  stats: PartitionFilesResult,
  thresholds: CompactionThresholds,
): CompactionPlan {
  const plan: CompactionPlan = { batches: [], unnamed: [] };
  if (!stats.exists) return plan;
  let batch: CompactionBatch | undefined;
  for (const p of stats.partitions) {
    if (!qualifies(p, thresholds)) continue;
    const label = partitionLabel(p.values);
    if (Object.values(p.values).some((v) => v === null)) {
      plan.unnamed.push(label);
      continue;
    }
    if (!batch || batch.rewriteBytes + p.rewrite_bytes > thresholds.maxBatchBytes) {
      batch = { partitions: [], labels: [], smallFiles: 0, rewriteBytes: 0 };
      plan.batches.push(batch);
    }
    batch.partitions.push(p.values as Record<string, string>);
    batch.labels.push(label);
    batch.smallFiles += p.small_files;
    batch.rewriteBytes += p.rewrite_bytes;
  }
  return plan;
}
