// Keeps the bronze Delta tables from drowning in small files. Every flush commits one file per
// day touched, so a busy or long-running server leaves thousands of small Parquet files that
// make every scan slow. Periodically (and after the flusher has committed a number of segments)
// the compactor reads per-partition file statistics from the Delta log, and asks delta-rs's own
// optimize to merge only the partitions with enough small files (see compaction-plan.ts).
//
// Safety rests on one thing: the compactor talks to the SAME DeltaWriter (one sidecar process)
// as the flusher, and the sidecar handles one request at a time, so a compaction never overlaps
// an append. Even without that, delta-rs lets an optimize commit alongside blind appends and
// fails (without writing anything) only when another commit removed the same files. Optimize's
// commit changes no data (dataChange=false) and keeps the transaction identifiers, so a replayed
// WAL segment is still recognised and skipped afterwards.
//
// Removed files are deleted by vacuum only after the table's deleted-file retention (Delta's
// default: 7 days): a DuckDB query that planned against the previous table version can still read
// them, and the sidecar's vacuum never touches files the log does not name as removed.
import type { Logger } from '../logger';
import type { Flusher } from '../ingest/flusher';
import type { DeltaWriter } from './delta-writer';
import {
  DEFAULT_COMPACTION_THRESHOLDS,
  planCompaction,
  type CompactionThresholds,
} from './compaction-plan';

export type CompactionTrigger = 'interval' | 'segments' | 'manual';

export interface TableCompaction {
  /** Table name as in the runtime's lake map (`events`, `identifies`). */
  table: string;
  /** Partitions that were compacted, e.g. `event_date=2026-10-30`. */
  partitions: string[];
  filesRemoved: number;
  filesAdded: number;
  bytesRemoved: number;
  bytesAdded: number;
  /** Data files deleted by vacuum (removed longer ago than the retention). */
  filesVacuumed: number;
  error?: string;
}

export interface CompactionRun {
  trigger: CompactionTrigger;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  /** One entry per existing table, also when nothing needed compacting. */
  tables: TableCompaction[];
  filesRemoved: number;
  filesAdded: number;
  filesVacuumed: number;
  /** Set when a table failed; the other tables were still compacted. */
  error?: string;
  /** The compactor was stopped during the run; remaining batches were not started. */
  interrupted: boolean;
}

export interface CompactorOptions {
  /** Must be the flusher's writer: its single sidecar serialises compaction with appends. */
  writer: Pick<DeltaWriter, 'partitionFiles' | 'compact' | 'vacuum'>;
  /** Table name → Delta table directory. */
  tables: Record<string, string>;
  /** Time between runs; 0 turns compaction off (both triggers). */
  intervalMs: number;
  /** Also run once the flusher has written this many segments since the last run; 0 = off. */
  afterSegments: number;
  flusher?: Pick<Flusher, 'on' | 'off'>;
  logger: Logger;
  thresholds?: Partial<CompactionThresholds>;
  /** Vacuum files removed longer ago than the retention after each run (default true). */
  vacuum?: boolean;
  /** delta-rs optimize worker threads (default 1: leave the other core to the server). */
  maxConcurrentTasks?: number;
}

export class Compactor {
  /** Result of the last finished run, for the admin page. */
  lastRun: CompactionRun | undefined;
  /** The last run that merged or vacuumed files (most periodic runs find nothing to do). */
  lastRunWithChanges: CompactionRun | undefined;
  private readonly thresholds: CompactionThresholds;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<CompactionRun> | undefined;
  private segments = 0;
  private stopped = false;
  private started = false;

  constructor(private readonly opts: CompactorOptions) {
    this.thresholds = { ...DEFAULT_COMPACTION_THRESHOLDS, ...opts.thresholds };
  }

  get enabled(): boolean {
    return this.opts.intervalMs > 0;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Segments written since the last run started (towards `afterSegments`). */
  get segmentsSinceLastRun(): number {
    return this.segments;
  }

  start(): void {
    if (!this.enabled || this.started || this.stopped) return;
    this.started = true;
    this.opts.flusher?.on('flushed', this.onFlushed);
    this.schedule();
  }

  private readonly onFlushed = (s: { events_status?: string; identifies_status?: string }) => {
    if (s.events_status !== 'written' && s.identifies_status !== 'written') return;
    this.segments++;
    if (this.opts.afterSegments > 0 && this.segments >= this.opts.afterSegments && !this.current)
      void this.run('segments');
  };

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped || !this.started) return;
    this.timer = setTimeout(() => void this.run('interval'), this.opts.intervalMs);
    this.timer.unref();
  }

  /**
   * Runs one compaction pass over every table (or joins the one in progress). Never rejects:
   * failures are logged and recorded in the returned run and in `lastRun`.
   */
  run(trigger: CompactionTrigger = 'manual'): Promise<CompactionRun> {
    this.current ??= this.runOnce(trigger).finally(() => {
      this.current = undefined;
      this.schedule();
    });
    return this.current;
  }

  private async runOnce(trigger: CompactionTrigger): Promise<CompactionRun> {
    const startedAt = new Date();
    this.segments = 0;
    const tables: TableCompaction[] = [];
    let interrupted = false;
    for (const [name, dir] of Object.entries(this.opts.tables)) {
      if (this.stopped) {
        interrupted = true;
        break;
      }
      const { result, complete } = await this.compactTable(name, dir);
      if (result) tables.push(result);
      if (!complete) {
        interrupted = true;
        break;
      }
    }
    const finishedAt = new Date();
    const sum = (k: 'filesRemoved' | 'filesAdded' | 'filesVacuumed') =>
      tables.reduce((s, t) => s + t[k], 0);
    const errors = tables.filter((t) => t.error).map((t) => `${t.table}: ${t.error}`);
    const run: CompactionRun = {
      trigger,
      startedAt,
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      tables,
      filesRemoved: sum('filesRemoved'),
      filesAdded: sum('filesAdded'),
      filesVacuumed: sum('filesVacuumed'),
      interrupted,
      ...(errors.length ? { error: errors.join('; ') } : {}),
    };
    this.lastRun = run;
    if (run.filesRemoved || run.filesVacuumed) this.lastRunWithChanges = run;
    const summary = {
      trigger,
      durationMs: run.durationMs,
      filesRemoved: run.filesRemoved,
      filesAdded: run.filesAdded,
      filesVacuumed: run.filesVacuumed,
      partitions: Object.fromEntries(tables.map((t) => [t.table, t.partitions])),
    };
    if (run.error)
      this.opts.logger.error({ ...summary, error: run.error }, 'lake compaction failed');
    else if (run.filesRemoved || run.filesVacuumed)
      this.opts.logger.info(summary, 'lake compaction finished');
    else this.opts.logger.debug(summary, 'lake compaction: nothing to do');
    return run;
  }

  /** No result when the table does not exist yet; not complete when stopped in between. */
  private async compactTable(
    table: string,
    dir: string,
  ): Promise<{ result?: TableCompaction; complete: boolean }> {
    const t = this.thresholds;
    const result: TableCompaction = {
      table,
      partitions: [],
      filesRemoved: 0,
      filesAdded: 0,
      bytesRemoved: 0,
      bytesAdded: 0,
      filesVacuumed: 0,
    };
    try {
      const stats = await this.opts.writer.partitionFiles(dir, {
        smallFileBytes: t.smallFileBytes,
        targetSize: t.targetSize,
      });
      if (!stats.exists) return { complete: true };
      const plan = planCompaction(stats, t);
      if (plan.unnamed.length)
        this.opts.logger.warn(
          { table, partitions: plan.unnamed },
          'partitions with a null partition value cannot be compacted',
        );
      for (const [i, batch] of plan.batches.entries()) {
        if (this.stopped) return { result, complete: false };
        const { metrics } = await this.opts.writer.compact(dir, {
          partitions: batch.partitions,
          targetSize: t.targetSize,
          maxConcurrentTasks: this.opts.maxConcurrentTasks ?? 1,
          // One checkpoint per table and run: it speeds up every later log read.
          checkpoint: i === plan.batches.length - 1,
        });
        result.partitions.push(...batch.labels);
        result.filesRemoved += metrics.numFilesRemoved;
        result.filesAdded += metrics.numFilesAdded;
        result.bytesRemoved += metrics.bytesRemoved;
        result.bytesAdded += metrics.bytesAdded;
      }
      if ((this.opts.vacuum ?? true) && !this.stopped)
        result.filesVacuumed = (await this.opts.writer.vacuum(dir)).deleted;
    } catch (error) {
      result.error = (error as Error).message;
    }
    return { result, complete: true };
  }

  /** Stops the timer and waits for a run in progress (it ends after its current request). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.opts.flusher?.off('flushed', this.onFlushed);
    await this.current;
  }
}
