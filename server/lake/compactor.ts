// Keeps the bronze Delta tables from drowning in small files. Every flush commits one file per
// day touched, so a busy or long-running server leaves thousands of small Parquet files that
// make every scan slow. A compaction run reads per-partition file statistics from the Delta log
// and asks delta-rs's own optimize to merge only the partitions with enough small files (see
// compaction-plan.ts), then vacuums files removed longer ago than the retention.
//
// Runs are persisted jobs (server/jobs/job-queue.ts): each is a compaction_runs row (the history
// the admin page reads, so the last run survives a restart) and a pg-boss job. Three triggers
// send one: a pg-boss schedule every TL_COMPACT_INTERVAL_MS (compaction-schedule.ts), the
// flusher after TL_COMPACT_AFTER_SEGMENTS commits, and `run()` (manual). A partial unique index
// allows one queued or running row, so triggers at the same time make one run (a trigger joins
// the run already queued or running). On start, a row left `running` by a stopped server is
// marked failed — nothing is half-done, since each Delta optimize commit is atomic — and queued
// rows are sent again.
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
import { EventEmitter } from 'node:events';
import type { PgBoss } from 'pg-boss';
import type { PrismaClient } from '../db/client';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { stopWorkers, type Worker } from '../jobs/job-queue';
import { waitForEvent } from '../jobs/wait-event';
import type { Logger } from '../logger';
import type { LakeSink } from '../ingest/intake';
import type { DeltaWriter } from './delta-writer';
import {
  DEFAULT_COMPACTION_THRESHOLDS,
  planCompaction,
  type CompactionThresholds,
} from './compaction-plan';
import { compactionSchedule } from './compaction-schedule';

const QUEUE = 'lake-compaction';
const SCHEDULE_KEY = 'interval';
/** Finished runs kept in compaction_runs (and always the last one that changed files). */
const RUNS_KEPT = 200;
/** No retries (a failed run is recorded; the next trigger runs again); long optimizes may run. */
const JOB_OPTIONS = { retryLimit: 0, expireInSeconds: 6 * 3600 };
const SERVER_STOPPED =
  'The server stopped during this compaction. Nothing is half-done: each Delta optimize commit is atomic, so partitions merged before the stop stay merged, and the next run merges the rest.';

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

export type CompactionStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A compaction run (a compaction_runs row). */
export interface CompactionRun {
  id: string;
  trigger: CompactionTrigger;
  status: CompactionStatus;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  /** One entry per existing table, also when nothing needed compacting. */
  tables: TableCompaction[];
  filesRemoved: number;
  filesAdded: number;
  filesVacuumed: number;
  /** Set when a table failed (the other tables were still compacted) or the run was cut short. */
  error: string | null;
  /** Stopped by a shutdown during the run; remaining batches were not started. */
  interrupted: boolean;
}

export interface CompactorOptions {
  prisma: PrismaClient;
  /** The runtime's job queue (one pg-boss per server); the compactor never stops it. */
  boss: PgBoss;
  /** Must be the flusher's writer: its single sidecar serialises compaction with appends. */
  writer: Pick<DeltaWriter, 'partitionFiles' | 'compact' | 'vacuum'>;
  /** Table name → Delta table directory. */
  tables: Record<string, string>;
  /** Time between scheduled runs (whole minutes); 0 turns both automatic triggers off. */
  intervalMs: number;
  /** Also run once the flusher has written this many segments since the last run; 0 = off. */
  afterSegments: number;
  flusher?: Pick<LakeSink, 'on' | 'off'>;
  logger: Logger;
  thresholds?: Partial<CompactionThresholds>;
  /** Vacuum files removed longer ago than the retention after each run (default true). */
  vacuum?: boolean;
  /** delta-rs optimize worker threads (default 1: leave the other core to the server). */
  maxConcurrentTasks?: number;
}

type RunRow = Prisma.CompactionRunGetPayload<object>;
type JobData = { runId?: string; trigger?: CompactionTrigger };

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

function toRun(row: RunRow): CompactionRun {
  return {
    id: row.id,
    trigger: row.trigger as CompactionTrigger,
    status: row.status as CompactionStatus,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.durationMs,
    tables: row.tables as unknown as TableCompaction[],
    filesRemoved: row.filesRemoved,
    filesAdded: row.filesAdded,
    filesVacuumed: row.filesVacuumed,
    error: row.error,
    interrupted: row.interrupted,
  };
}

const FINISHED = { status: { in: ['succeeded', 'failed'] } };

export class Compactor {
  private readonly thresholds: CompactionThresholds;
  private readonly events = new EventEmitter<{ finished: [string] }>();
  private readonly workers: Worker[] = [];
  /** The run this process is executing. */
  private current: string | undefined;
  private requesting = false;
  private segments = 0;
  private stopped = false;

  private constructor(private readonly opts: CompactorOptions) {
    this.thresholds = { ...DEFAULT_COMPACTION_THRESHOLDS, ...opts.thresholds };
    this.events.setMaxListeners(100);
  }

  /**
   * Recovers what a stopped server left, starts the worker and, unless intervalMs is 0, the
   * schedule and the segment trigger.
   */
  static async start(opts: CompactorOptions): Promise<Compactor> {
    const compactor = new Compactor(opts);
    const { boss } = opts;
    await boss.createQueue(QUEUE);
    await compactor.recover();
    compactor.workers.push({
      queue: QUEUE,
      // One run at a time in this process; the unique index makes it one across processes.
      id: await boss.work<JobData>(
        QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 5 },
        async ([job]) => {
          if (job) await compactor.execute(job.data);
        },
      ),
    });
    const rule = compactionSchedule(opts.intervalMs);
    if (rule) {
      // Upserted by key: a changed interval replaces the schedule a previous start stored.
      await boss.schedule(QUEUE, rule, { trigger: 'interval' } satisfies JobData, {
        key: SCHEDULE_KEY,
        tz: 'UTC',
        ...JOB_OPTIONS,
      });
      opts.flusher?.on('flushed', compactor.onFlushed);
    } else {
      await boss.unschedule(QUEUE, SCHEDULE_KEY);
    }
    return compactor;
  }

  get enabled(): boolean {
    return this.opts.intervalMs > 0;
  }

  /** Whether this process is executing a run now. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Segments written since the last run started (towards `afterSegments`; in memory). */
  get segmentsSinceLastRun(): number {
    return this.segments;
  }

  /** The last finished run, from the database (so it survives restarts). */
  async lastRun(): Promise<CompactionRun | undefined> {
    const row = await this.opts.prisma.compactionRun.findFirst({
      where: FINISHED,
      orderBy: { createdAt: 'desc' },
    });
    return row ? toRun(row) : undefined;
  }

  /** The last run that merged or vacuumed files (most periodic runs find nothing to do). */
  async lastRunWithChanges(): Promise<CompactionRun | undefined> {
    const row = await this.opts.prisma.compactionRun.findFirst({
      where: { ...FINISHED, OR: [{ filesRemoved: { gt: 0 } }, { filesVacuumed: { gt: 0 } }] },
      orderBy: { createdAt: 'desc' },
    });
    return row ? toRun(row) : undefined;
  }

  /** Runs left behind by a stopped server: running → failed; queued → sent again. */
  private async recover(): Promise<void> {
    const { prisma, boss, logger } = this.opts;
    const stale = await prisma.compactionRun.updateMany({
      where: { status: 'running' },
      data: { status: 'failed', finishedAt: new Date(), interrupted: true, error: SERVER_STOPPED },
    });
    if (stale.count) logger.warn({ runs: stale.count }, 'marked interrupted compaction failed');
    const queued = await prisma.compactionRun.findMany({ where: { status: 'queued' } });
    for (const run of queued) await boss.send(QUEUE, { runId: run.id }, JOB_OPTIONS);
  }

  private readonly onFlushed = (s: { events_status?: string; identifies_status?: string }) => {
    if (s.events_status !== 'written' && s.identifies_status !== 'written') return;
    this.segments++;
    if (this.opts.afterSegments <= 0 || this.segments < this.opts.afterSegments) return;
    if (this.current || this.requesting || this.stopped) return;
    this.requesting = true;
    this.request('segments')
      .catch((error: unknown) =>
        this.opts.logger.error({ err: error }, 'could not start a lake compaction'),
      )
      .finally(() => (this.requesting = false));
  };

  /**
   * Queues a run, or answers the run already queued or running (at most one at a time: the
   * database's partial unique index decides between triggers at the same moment).
   */
  async request(trigger: CompactionTrigger): Promise<CompactionRun> {
    if (this.stopped) throw new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down.');
    const { prisma, boss } = this.opts;
    for (let attempt = 0; ; attempt++) {
      let row: RunRow;
      try {
        row = await prisma.compactionRun.create({ data: { trigger, status: 'queued' } });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const other = await prisma.compactionRun.findFirst({
          where: { status: { in: ['queued', 'running'] } },
        });
        if (other) return toRun(other);
        // It finished in between: try again.
        if (attempt < 3) continue;
        throw error;
      }
      try {
        await boss.send(QUEUE, { runId: row.id } satisfies JobData, JOB_OPTIONS);
      } catch (error) {
        // A queued row without a job would block every later run until the next start.
        await prisma.compactionRun
          .update({
            where: { id: row.id },
            data: { status: 'failed', finishedAt: new Date(), error: 'Could not queue the run.' },
          })
          .catch(() => undefined);
        throw error;
      }
      for (const w of this.workers) boss.notifyWorker(w.id);
      return toRun(row);
    }
  }

  /**
   * Runs one compaction pass over every table (or joins the one queued or running) and resolves
   * with the finished run. Failures are recorded in the run, not thrown.
   */
  async run(trigger: CompactionTrigger = 'manual'): Promise<CompactionRun> {
    const run = await this.request(trigger);
    return this.waitFor(run.id);
  }

  /** Resolves when the run has finished. */
  async waitFor(runId: string): Promise<CompactionRun> {
    for (;;) {
      const row = await this.opts.prisma.compactionRun.findUniqueOrThrow({ where: { id: runId } });
      if (row.status !== 'queued' && row.status !== 'running') return toRun(row);
      await waitForEvent(this.events, 'finished', 1_000);
    }
  }

  /** The worker: claims a queued run (or, for the schedule, starts one) and executes it. */
  private async execute(data: JobData): Promise<void> {
    // Fetched while stopping: a queued run stays queued and is sent again at the next start.
    if (this.stopped) return;
    const { prisma, logger } = this.opts;
    let row: RunRow;
    if (data.runId) {
      const { count } = await prisma.compactionRun.updateMany({
        where: { id: data.runId, status: 'queued' },
        data: { status: 'running', startedAt: new Date() },
      });
      if (count === 0) return; // already run (a re-sent job)
      row = await prisma.compactionRun.findUniqueOrThrow({ where: { id: data.runId } });
    } else {
      try {
        row = await prisma.compactionRun.create({
          data: { trigger: data.trigger ?? 'interval', status: 'running', startedAt: new Date() },
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        logger.debug('scheduled lake compaction skipped: one is queued or running');
        return;
      }
    }
    this.current = row.id;
    try {
      await this.runClaimed(row);
    } finally {
      this.current = undefined;
      this.events.emit('finished', row.id);
    }
  }

  private async runClaimed(row: RunRow): Promise<void> {
    const { prisma, logger } = this.opts;
    const trigger = row.trigger as CompactionTrigger;
    const startedAt = row.startedAt ?? new Date();
    this.segments = 0;
    const tables: TableCompaction[] = [];
    let interrupted = false;
    try {
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
    } catch (error) {
      // compactTable records table errors itself; this is anything else.
      logger.error({ err: error, runId: row.id }, 'lake compaction failed to execute');
      tables.push({
        table: '(run)',
        partitions: [],
        filesRemoved: 0,
        filesAdded: 0,
        bytesRemoved: 0,
        bytesAdded: 0,
        filesVacuumed: 0,
        error: (error as Error).message,
      });
    }
    const finishedAt = new Date();
    const sum = (k: 'filesRemoved' | 'filesAdded' | 'filesVacuumed') =>
      tables.reduce((s, t) => s + t[k], 0);
    const errors = tables.filter((t) => t.error).map((t) => `${t.table}: ${t.error}`);
    if (interrupted)
      errors.push(
        'The server was shutting down, so the remaining partitions were left for the next run (what was merged stays merged: each optimize commit is atomic).',
      );
    const result = {
      status: errors.length ? 'failed' : 'succeeded',
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      tables: tables as unknown as Prisma.InputJsonValue,
      filesRemoved: sum('filesRemoved'),
      filesAdded: sum('filesAdded'),
      filesVacuumed: sum('filesVacuumed'),
      interrupted,
      error: errors.length ? errors.join('; ') : null,
    };
    await prisma.compactionRun
      .update({ where: { id: row.id }, data: result })
      .catch((error: unknown) =>
        logger.error({ err: error, runId: row.id }, 'could not record a lake compaction'),
      );
    const summary = {
      trigger,
      durationMs: result.durationMs,
      filesRemoved: result.filesRemoved,
      filesAdded: result.filesAdded,
      filesVacuumed: result.filesVacuumed,
      partitions: Object.fromEntries(tables.map((t) => [t.table, t.partitions])),
    };
    if (result.error) logger.error({ ...summary, error: result.error }, 'lake compaction failed');
    else if (result.filesRemoved || result.filesVacuumed)
      logger.info(summary, 'lake compaction finished');
    else logger.debug(summary, 'lake compaction: nothing to do');
    await this.prune().catch((error: unknown) =>
      logger.warn({ err: error }, 'could not delete old compaction runs'),
    );
  }

  /** Keeps the newest RUNS_KEPT finished runs, and the last one that changed files. */
  private async prune(): Promise<void> {
    const { prisma } = this.opts;
    const old = await prisma.compactionRun.findMany({
      where: FINISHED,
      orderBy: { createdAt: 'desc' },
      skip: RUNS_KEPT,
      select: { id: true },
    });
    if (!old.length) return;
    const keep = (await this.lastRunWithChanges())?.id;
    await prisma.compactionRun.deleteMany({
      where: { id: { in: old.map((r) => r.id).filter((id) => id !== keep) } },
    });
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

  /**
   * Stops the triggers and the worker, and waits for a run in progress (it ends after its current
   * request to the Delta writer). The schedule stays stored in pg-boss for the next start.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.opts.flusher?.off('flushed', this.onFlushed);
    await stopWorkers(this.opts.boss, this.workers);
  }
}
