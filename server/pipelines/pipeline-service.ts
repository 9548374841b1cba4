// dbt runs as persisted jobs. A run is a row in pipeline_runs (the history the admin sees) and a
// job on the runtime's shared pg-boss (server/jobs/job-queue.ts): starting a run inserts the row as
// `queued` — the database's partial unique index refuses a second queued/running run of the same
// workspace — and sends a job; the worker claims the row (queued → running, atomically), runs
// dbt, and on success switches the workspace's marts to the run's outputs (marts.ts). Cron
// schedules are pg-boss schedules keyed by workspace. On start, a run left `running` by a
// stopped server is marked failed (its dbt process died with it) and queued runs are re-sent.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Cron } from 'croner';
import type { PgBoss } from 'pg-boss';
import { recordAudit } from '../audit/audit-log';
import type { PrismaClient } from '../db/client';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { stopWorkers, type Worker } from '../jobs/job-queue';
import type { Logger } from '../logger';
import { parseSelector } from './dbt-args';
import { RunProgress, type DbtLogEntry } from './dbt-log';
import { DbtProcesses, dbtRunPaths, runDbtBuild, type DbtRunPaths } from './dbt-runner';
import {
  deleteRunOutputs,
  readCurrentPointer,
  runOutputs,
  workspaceSchema,
  writeCurrentPointer,
} from './marts';
import type { MartsStore } from './marts-store';
import { isFailedStatus, type NodeResult } from './run-results';
import { buildAccelerators, removeAccelerators, type AcceleratorBuildLimits } from './accelerators';
import { waitForEvent } from '../jobs/wait-event';

const RUN_QUEUE = 'dbt-build';
const SCHEDULE_QUEUE = 'dbt-schedule';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type RunTrigger = 'manual' | 'schedule' | 'startup' | 'cli';

export interface PipelineServiceOptions {
  prisma: PrismaClient;
  /** Where runs write their marts and how queries are switched to them (DuckDB or Trino). */
  marts: MartsStore;
  logger: Logger;
  /** The runtime's job queue (one pg-boss per server); the service never stops it. */
  boss: PgBoss;
  projectRoot: string;
  dataDir: string;
  lakeDir: string;
  /** Successful runs whose outputs are kept (the current one always is). */
  keepRuns: number;
  /** The DuckDB the accelerators are built on (server/pipelines/accelerators.ts). */
  acceleratorBuild: AcceleratorBuildLimits;
  /** Keep a dbt process started ahead of the next run (DbtProcesses). */
  spareDbt?: boolean;
  /**
   * Called before dbt starts: the runtime writes the acknowledged events still in the WAL to
   * bronze, so a build includes every event acknowledged before it began.
   */
  beforeBuild?: () => Promise<void>;
}

export interface RunEvents {
  log: [DbtLogEntry];
  progress: [{ done: number; total: number }];
  finished: [{ status: RunStatus }];
}

export type PipelineRunRow = Prisma.PipelineRunGetPayload<object>;

/** A kept version of a workspace's marts (one successful run). */
export interface MartsVersion {
  runId: string;
  builtAt: Date;
  isCurrent: boolean;
  selector: string | null;
}

export class PipelineService {
  private readonly runEvents = new Map<string, EventEmitter<RunEvents>>();
  private readonly active = new Map<string, AbortController>();
  private readonly finished = new Map<string, Promise<void>>();
  /** Run id → its time-travel schema, once opened in this process's engine. */
  private readonly runSchemas = new Map<string, string>();
  /** Workspace schemas known to exist (ensureSchema). */
  private readonly ensured = new Set<string>();
  private readonly workers: Worker[] = [];
  private readonly boss: PgBoss;
  private closed = false;
  private readonly dbt: DbtProcesses;
  /**
   * Per workspace, the tail of its mart switches and accelerator builds: each waits for the one
   * before, so an accelerator built for a run is only put in use while that run is current.
   */
  private readonly switching = new Map<string, Promise<void>>();

  private constructor(private readonly o: PipelineServiceOptions) {
    this.boss = o.boss;
    this.dbt = new DbtProcesses(o.projectRoot, o.spareDbt ?? false);
  }

  static async start(o: PipelineServiceOptions): Promise<PipelineService> {
    const { boss } = o;
    await boss.createQueue(RUN_QUEUE);
    await boss.createQueue(SCHEDULE_QUEUE);
    const service = new PipelineService(o);
    await service.recover();
    service.dbt.prepare();
    // One dbt build at a time on this server (they are CPU-bound and each uses every core).
    service.workers.push({
      queue: RUN_QUEUE,
      id: await boss.work<{ runId: string }>(
        RUN_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 1 },
        async ([job]) => {
          if (job) await service.execute(job.data.runId);
        },
      ),
    });
    service.workers.push({
      queue: SCHEDULE_QUEUE,
      id: await boss.work<{ workspaceId: string }>(
        SCHEDULE_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 5 },
        async ([job]) => {
          if (job) await service.startScheduled(job.data.workspaceId);
        },
      ),
    });
    return service;
  }

  /** Runs left behind by a stopped server: running → failed; queued → sent again. */
  private async recover(): Promise<void> {
    const stale = await this.o.prisma.pipelineRun.updateMany({
      where: { status: 'running' },
      data: {
        status: 'failed',
        finishedAt: new Date(),
        error:
          'The server stopped while this run was in progress, so dbt was stopped with it. The previous marts stayed in use. Start the run again.',
      },
    });
    if (stale.count)
      this.o.logger.warn({ runs: stale.count }, 'marked interrupted dbt runs failed');
    const queued = await this.o.prisma.pipelineRun.findMany({ where: { status: 'queued' } });
    for (const run of queued) await this.boss.send(RUN_QUEUE, { runId: run.id }, { retryLimit: 0 });
    // The marts each workspace's queries read.
    const current = await this.o.prisma.pipelineRun.findMany({ where: { isCurrent: true } });
    for (const run of current) {
      const paths = dbtRunPaths(this.o.dataDir, this.o.lakeDir, run.workspaceId, run.id);
      await this.o.marts
        .activate(run.workspaceId, run.id, paths.outputDir)
        .catch((error: unknown) =>
          this.o.logger.error({ err: error, runId: run.id }, 'could not re-open the current marts'),
        );
      // A server stopped before it built them (or a lake from before they existed).
      this.accelerate(run.workspaceId, run.id);
    }
  }

  /** Runs `f` after the workspace's earlier switches and accelerator builds. */
  private serialized(workspaceId: string, f: () => Promise<void>): Promise<void> {
    const next = (this.switching.get(workspaceId) ?? Promise.resolve()).then(f);
    const tail = next.catch(() => undefined);
    this.switching.set(workspaceId, tail);
    void tail.then(() => {
      if (this.switching.get(workspaceId) === tail) this.switching.delete(workspaceId);
    });
    return next;
  }

  /**
   * Builds the run's missing accelerators in the background, then, if the run is still the
   * workspace's current one, re-points the workspace's views so queries see them.
   */
  private accelerate(workspaceId: string, runId: string): void {
    if (!this.o.marts.accelerates) return;
    const paths = dbtRunPaths(this.o.dataDir, this.o.lakeDir, workspaceId, runId);
    void this.serialized(workspaceId, async () => {
      if (this.closed) return;
      const started = performance.now();
      const built = await buildAccelerators(paths.outputDir, this.o.acceleratorBuild);
      if (!built.length) return;
      // The pointer, not is_current: a switch writes it inside this queue, its database update
      // comes after.
      if ((await readCurrentPointer(this.o.lakeDir, workspaceId)) === runId)
        await this.o.marts.activate(workspaceId, runId, paths.outputDir);
      this.o.logger.info(
        { workspaceId, runId, built, ms: Math.round(performance.now() - started) },
        'built accelerators',
      );
    }).catch((error: unknown) =>
      this.o.logger.error({ err: error, workspaceId, runId }, 'could not build accelerators'),
    );
  }

  /** Resolves once the workspace's pending switches and accelerator builds are done. */
  async accelerated(workspaceId: string): Promise<void> {
    while (this.switching.has(workspaceId)) await this.switching.get(workspaceId);
  }

  /** Queues a run. Refused (CONFLICT) while the workspace has one queued or running. */
  async startRun(args: {
    workspaceId: string;
    selector?: string | null;
    trigger: RunTrigger;
    userId?: string | null;
  }): Promise<PipelineRunRow> {
    if (this.closed) throw new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down.');
    const select = parseSelector(args.selector);
    let run: PipelineRunRow;
    try {
      run = await this.o.prisma.pipelineRun.create({
        data: {
          workspaceId: args.workspaceId,
          status: 'queued',
          selector: select.length ? select.join(' ') : null,
          trigger: args.trigger,
          requestedById: args.userId ?? null,
        },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const other = await this.o.prisma.pipelineRun.findFirst({
          where: { workspaceId: args.workspaceId, status: { in: ['queued', 'running'] } },
          include: { requestedBy: { select: { email: true } } },
        });
        throw new AppError(
          'CONFLICT',
          `A dbt run is already ${other?.status ?? 'in progress'} in this workspace${other ? ` (started ${other.createdAt.toISOString()}${other.requestedBy ? ` by ${other.requestedBy.email}` : ''})` : ''}. Wait for it to finish or cancel it, then start again.`,
          { runId: other?.id },
        );
      }
      throw error;
    }
    this.eventsOf(run.id);
    await this.boss.send(RUN_QUEUE, { runId: run.id }, { retryLimit: 0 });
    return run;
  }

  private async startScheduled(workspaceId: string): Promise<void> {
    const schedule = await this.o.prisma.pipelineSchedule.findUnique({ where: { workspaceId } });
    if (!schedule?.enabled) return;
    await this.startRun({ workspaceId, selector: schedule.selector, trigger: 'schedule' }).catch(
      (error: unknown) => {
        // A run still going when the next one is due: skip this one.
        if (error instanceof AppError && error.code === 'CONFLICT')
          this.o.logger.info({ workspaceId }, 'scheduled dbt run skipped: one is in progress');
        else this.o.logger.error({ err: error, workspaceId }, 'scheduled dbt run failed to start');
      },
    );
  }

  /** Live events of a run while this server executes it. */
  eventsOf(runId: string): EventEmitter<RunEvents> {
    let events = this.runEvents.get(runId);
    if (!events) {
      events = new EventEmitter<RunEvents>();
      events.setMaxListeners(100);
      this.runEvents.set(runId, events);
    }
    return events;
  }

  /** Resolves when the run has finished (any status). */
  /**
   * The run once it has finished — for a run of this process, once everything after its final
   * status is done too (a failed run's cleanup and admin notice are written after its status).
   */
  async waitFor(runId: string): Promise<PipelineRunRow> {
    for (;;) {
      const run = await this.o.prisma.pipelineRun.findUniqueOrThrow({ where: { id: runId } });
      if (run.status !== 'queued' && run.status !== 'running' && !this.active.has(runId))
        return run;
      await waitForEvent(this.eventsOf(runId), 'finished', 1_000);
    }
  }

  async cancel(workspaceId: string, runId: string): Promise<PipelineRunRow> {
    const run = await this.o.prisma.pipelineRun.findFirst({ where: { id: runId, workspaceId } });
    if (!run) throw new AppError('NOT_FOUND', 'No such run in this workspace.');
    if (run.status === 'queued') {
      const { count } = await this.o.prisma.pipelineRun.updateMany({
        where: { id: runId, status: 'queued' },
        data: {
          status: 'cancelled',
          finishedAt: new Date(),
          error: 'Cancelled before it started.',
        },
      });
      if (count) this.eventsOf(runId).emit('finished', { status: 'cancelled' });
    } else if (run.status === 'running') {
      const controller = this.active.get(runId);
      if (!controller)
        throw new AppError('CONFLICT', 'This run is executed by another server process.');
      controller.abort();
      await this.finished.get(runId);
    } else {
      throw new AppError('CONFLICT', `The run has already finished (${run.status}).`);
    }
    return this.o.prisma.pipelineRun.findUniqueOrThrow({ where: { id: runId } });
  }

  /** The worker: claims the run and executes it. */
  private async execute(runId: string): Promise<void> {
    // Fetched while shutting down: the run stays queued and is sent again at the next start.
    if (this.closed) return;
    const { count } = await this.o.prisma.pipelineRun.updateMany({
      where: { id: runId, status: 'queued' },
      data: { status: 'running', startedAt: new Date() },
    });
    if (count === 0) return; // cancelled meanwhile, or already taken
    // Registered before anything is awaited: a cancel right after the claim must find it.
    const controller = new AbortController();
    this.active.set(runId, controller);
    const done = this.executeClaimed(runId, controller);
    this.finished.set(runId, done);
    try {
      await done;
    } finally {
      this.finished.delete(runId);
    }
  }

  private async executeClaimed(runId: string, controller: AbortController): Promise<void> {
    const { prisma, logger } = this.o;
    const events = this.eventsOf(runId);
    let progress = { done: 0, total: 0 };
    const counter = new RunProgress();
    let lastWrite = 0;
    let status: RunStatus = 'failed';
    try {
      const run = await prisma.pipelineRun.findUniqueOrThrow({ where: { id: runId } });
      const paths = dbtRunPaths(this.o.dataDir, this.o.lakeDir, run.workspaceId, run.id);
      await this.o.marts.prepareRun(run.workspaceId, run.id, paths.outputDir);
      if (run.selector) await this.startFromCurrent(run.workspaceId, run.id, paths);
      await this.o.beforeBuild?.();
      const outcome = await runDbtBuild({
        target: this.o.marts.dbtTarget(run.workspaceId, run.id),
        projectRoot: this.o.projectRoot,
        lakeDir: this.o.lakeDir,
        workspaceId: run.workspaceId,
        select: parseSelector(run.selector),
        paths,
        processes: this.dbt,
        signal: controller.signal,
        onLog: (entry) => {
          events.emit('log', entry);
          const next = counter.add(entry);
          if (!next) return;
          progress = next;
          events.emit('progress', progress);
          // Progress reaches the database at most twice a second (other servers' pages poll).
          const now = Date.now();
          if (now - lastWrite < 500) return;
          lastWrite = now;
          void prisma.pipelineRun
            .update({
              where: { id: runId },
              data: { nodesDone: progress.done, nodesTotal: progress.total },
            })
            .catch(() => undefined);
        },
      });
      const failed = outcome.nodes.filter((n) => isFailedStatus(n.status));
      const ok = outcome.exitCode === 0 && failed.length === 0 && !outcome.cancelled;
      let nodes: NodeResult[] = outcome.nodes;
      if (ok) {
        const rows = await this.o.marts.rowCounts(run.workspaceId, run.id, paths.outputDir);
        nodes = nodes.map((n) =>
          n.resourceType === 'model' || n.resourceType === 'snapshot'
            ? { ...n, rows: rows[n.name] ?? null }
            : n,
        );
        // Copied from the current run by a selective build, they may describe an older
        // fact_events; they are built again for this run once it is in use.
        await removeAccelerators(paths.outputDir);
        await this.serialized(run.workspaceId, async () => {
          await this.o.marts.activate(run.workspaceId, run.id, paths.outputDir);
          await writeCurrentPointer(this.o.lakeDir, run.workspaceId, run.id);
        });
        // Queued before the run is marked succeeded, so that whoever sees it succeeded (waitFor
        // polls the database) and then calls accelerated() waits for them.
        this.accelerate(run.workspaceId, runId);
        status = 'succeeded';
        await prisma.$transaction([
          prisma.pipelineRun.updateMany({
            where: { workspaceId: run.workspaceId, isCurrent: true },
            data: { isCurrent: false },
          }),
          prisma.pipelineRun.update({
            where: { id: runId },
            data: {
              status,
              isCurrent: true,
              finishedAt: new Date(),
              nodesDone: progress.total || nodes.length,
              nodesTotal: progress.total || nodes.length,
              results: nodes as unknown as Prisma.InputJsonValue,
            },
          }),
        ]);
        await this.applyRetention(run.workspaceId);
      } else {
        status = outcome.cancelled ? 'cancelled' : 'failed';
        const error = outcome.cancelled
          ? 'Cancelled while running; the previous marts stayed in use.'
          : failed.length
            ? `${failed.length} of ${outcome.nodes.length} nodes failed: ${failed
                .slice(0, 5)
                .map((n) => `${n.name} (${n.status}${n.message ? `: ${n.message}` : ''})`)
                .join('; ')}. The previous marts stayed in use.`
            : `dbt exited with code ${outcome.exitCode}: ${outcome.errorLines.slice(-5).join(' ').slice(0, 2000) || 'no error output'}`;
        await prisma.pipelineRun.update({
          where: { id: runId },
          data: {
            status,
            finishedAt: new Date(),
            nodesDone: progress.done,
            nodesTotal: progress.total || null,
            results: nodes as unknown as Prisma.InputJsonValue,
            error,
          },
        });
        // Half-written outputs are never read; remove them.
        const keep = await this.keptRunIds(run.workspaceId);
        const removed = await deleteRunOutputs(this.o.lakeDir, run.workspaceId, keep);
        await this.o.marts
          .dropRuns(run.workspaceId, removed)
          .catch((err: unknown) =>
            logger.error({ err, runId }, 'could not drop the failed run’s tables'),
          );
        await this.deleteRunDatabases(run.workspaceId, keep);
        if (status === 'failed') {
          // The admin notice: an audit entry the admin area surfaces.
          await recordAudit(prisma, {
            action: 'pipeline.run_failed',
            workspaceId: run.workspaceId,
            targetType: 'pipeline_run',
            targetId: runId,
            details: {
              failedTests: failed.filter((n) => n.resourceType === 'test').map((n) => n.name),
              failedModels: failed.filter((n) => n.resourceType !== 'test').map((n) => n.name),
            },
          });
        }
      }
    } catch (error) {
      status = 'failed';
      logger.error({ err: error, runId }, 'dbt run failed to execute');
      await prisma.pipelineRun
        .update({
          where: { id: runId },
          data: {
            status,
            finishedAt: new Date(),
            error: error instanceof Error ? error.message : String(error),
          },
        })
        .catch(() => undefined);
    } finally {
      this.active.delete(runId);
      events.emit('finished', { status });
      // Late subscribers read the database; keep the emitter a moment for pages mid-connect.
      setTimeout(() => this.runEvents.delete(runId), 60_000).unref();
    }
  }

  /**
   * A selective run builds only part of the project, so it starts from the current run: a copy
   * of its DuckDB file (the staging and intermediate tables unselected models read) and of its
   * marts (so the new run's folder again holds every mart). Copies, not links: dbt rewrites the
   * selected marts' files, and the current run's files must not change under running queries.
   */
  private async startFromCurrent(
    workspaceId: string,
    runId: string,
    paths: DbtRunPaths,
  ): Promise<void> {
    const current = await this.o.prisma.pipelineRun.findFirst({
      where: { workspaceId, isCurrent: true },
      select: { id: true },
    });
    if (!current) return;
    const from = dbtRunPaths(this.o.dataDir, this.o.lakeDir, workspaceId, current.id);
    await mkdir(paths.workDir, { recursive: true });
    await mkdir(paths.outputDir, { recursive: true });
    const database = path.join(from.workDir, 'dbt.duckdb');
    if (existsSync(database)) await copyFile(database, path.join(paths.workDir, 'dbt.duckdb'));
    for (const file of (await runOutputs(from.outputDir)).values())
      await copyFile(file, path.join(paths.outputDir, path.basename(file)));
    await this.o.marts.copyRun(workspaceId, current.id, runId);
  }

  /** Succeeded runs whose outputs are kept: the newest `keepRuns`, and the current one. */
  private async keptRunIds(workspaceId: string): Promise<Set<string>> {
    const runs = await this.o.prisma.pipelineRun.findMany({
      where: {
        workspaceId,
        OR: [{ status: 'succeeded' }, { status: { in: ['queued', 'running'] } }],
        outputsDeletedAt: null,
      },
      orderBy: { createdAt: 'desc' },
      select: { id: true, status: true, isCurrent: true },
    });
    const keep = new Set<string>();
    let succeeded = 0;
    for (const r of runs) {
      if (r.status !== 'succeeded') keep.add(r.id);
      else if (r.isCurrent || succeeded++ < this.o.keepRuns) keep.add(r.id);
    }
    return keep;
  }

  /**
   * A run's dbt database (its staging and intermediate tables: hundreds of MB at 10M events) is
   * only read when a selective run starts from that run, so only runs whose outputs are kept keep
   * it; the rest of the run's folder (log, compiled SQL, results) stays for its history.
   */
  private async deleteRunDatabases(workspaceId: string, keep: ReadonlySet<string>): Promise<void> {
    const runs = await this.o.prisma.pipelineRun.findMany({
      where: { workspaceId, status: { in: ['succeeded', 'failed', 'cancelled'] } },
      select: { id: true },
    });
    for (const { id } of runs) {
      if (keep.has(id)) continue;
      const { workDir } = dbtRunPaths(this.o.dataDir, this.o.lakeDir, workspaceId, id);
      for (const file of ['dbt.duckdb', 'dbt.duckdb.wal'])
        await rm(path.join(workDir, file), { force: true });
    }
  }

  private async applyRetention(workspaceId: string): Promise<void> {
    const keep = await this.keptRunIds(workspaceId);
    await this.deleteRunDatabases(workspaceId, keep);
    const deleted = await deleteRunOutputs(this.o.lakeDir, workspaceId, keep);
    await this.o.marts.dropRuns(workspaceId, deleted);
    for (const runId of deleted) this.runSchemas.delete(runId);
    if (deleted.length)
      await this.o.prisma.pipelineRun.updateMany({
        where: { id: { in: deleted }, workspaceId },
        data: { outputsDeletedAt: new Date() },
      });
  }

  /** Switches the workspace's marts back (or forward) to a kept successful run. */
  async activate(workspaceId: string, runId: string): Promise<PipelineRunRow> {
    await this.keptRun(workspaceId, runId);
    const paths = dbtRunPaths(this.o.dataDir, this.o.lakeDir, workspaceId, runId);
    await this.serialized(workspaceId, async () => {
      await this.o.marts.activate(workspaceId, runId, paths.outputDir);
      await writeCurrentPointer(this.o.lakeDir, workspaceId, runId);
    });
    await this.o.prisma.$transaction([
      this.o.prisma.pipelineRun.updateMany({
        where: { workspaceId, isCurrent: true },
        data: { isCurrent: false },
      }),
      this.o.prisma.pipelineRun.update({ where: { id: runId }, data: { isCurrent: true } }),
    ]);
    this.accelerate(workspaceId, runId);
    return this.o.prisma.pipelineRun.findUniqueOrThrow({ where: { id: runId } });
  }

  /** Sets (or, with null, removes) the workspace's cron schedule. */
  async setSchedule(
    workspaceId: string,
    schedule: { cron: string; selector?: string | null; enabled: boolean } | null,
  ): Promise<{ cron: string; enabled: boolean; nextRunAt: Date | null } | null> {
    const key = workspaceId;
    if (!schedule) {
      await this.o.prisma.pipelineSchedule.deleteMany({ where: { workspaceId } });
      await this.boss.unschedule(SCHEDULE_QUEUE, key);
      return null;
    }
    const nextRunAt = nextRun(schedule.cron);
    const selector = parseSelector(schedule.selector).join(' ') || null;
    await this.o.prisma.pipelineSchedule.upsert({
      where: { workspaceId },
      create: { workspaceId, cron: schedule.cron, selector, enabled: schedule.enabled },
      update: { cron: schedule.cron, selector, enabled: schedule.enabled },
    });
    if (schedule.enabled)
      await this.boss.schedule(SCHEDULE_QUEUE, schedule.cron, { workspaceId }, { key, tz: 'UTC' });
    else await this.boss.unschedule(SCHEDULE_QUEUE, key);
    return {
      cron: schedule.cron,
      enabled: schedule.enabled,
      nextRunAt: schedule.enabled ? nextRunAt : null,
    };
  }

  /**
   * The schema queries of this workspace resolve bare mart names in: with the current run's id,
   * the one that reads that run's marts and nothing else (on Trino the run's own schema — the
   * workspace schema's views are switched one by one); without, the workspace schema.
   */
  schemaOf(workspaceId: string, runId?: string): string {
    return runId ? this.o.marts.querySchema(workspaceId, runId) : workspaceSchema(workspaceId);
  }

  /**
   * The schema for a query of the workspace's current marts (schemaOf with the current run), or
   * the (empty) workspace schema before the first build, so that SQL that names no mart
   * (`select 42`) runs and a mart name gets "does not exist".
   */
  async currentSchema(workspaceId: string): Promise<string> {
    const current = await this.o.prisma.pipelineRun.findFirst({
      where: { workspaceId, isCurrent: true },
      select: { id: true },
    });
    return current ? this.schemaOf(workspaceId, current.id) : this.ensureSchema(workspaceId);
  }

  /**
   * schemaOf, created (empty) when the workspace has no marts yet, so that SQL that names no
   * mart (`select 42`) runs before the first build and a mart name gets "does not exist".
   */
  async ensureSchema(workspaceId: string): Promise<string> {
    const schema = workspaceSchema(workspaceId);
    if (!this.ensured.has(schema)) {
      await this.o.marts.ensureSchema(schema);
      this.ensured.add(schema);
    }
    return schema;
  }

  /**
   * Kept successful runs, newest first: the versions of the marts a member can read ("data as
   * of" a run — yesterday's numbers), and the ones an admin can switch back to.
   */
  async versions(workspaceId: string): Promise<MartsVersion[]> {
    const runs = await this.o.prisma.pipelineRun.findMany({
      where: { workspaceId, status: 'succeeded', outputsDeletedAt: null },
      orderBy: { createdAt: 'desc' },
      select: { id: true, createdAt: true, finishedAt: true, isCurrent: true, selector: true },
    });
    return runs.map((r) => ({
      runId: r.id,
      builtAt: r.finishedAt ?? r.createdAt,
      isCurrent: r.isCurrent,
      selector: r.selector,
    }));
  }

  /**
   * The engine schema that answers a query about the workspace's marts as of `runId`: the
   * workspace schema for the current run (or no run), else the kept run's own schema. A run of
   * another workspace, a failed run or one whose files retention deleted is refused.
   */
  async schemaAt(workspaceId: string, runId?: string | null): Promise<string> {
    if (!runId) return workspaceSchema(workspaceId);
    const run = await this.keptRun(workspaceId, runId);
    if (run.isCurrent) return workspaceSchema(workspaceId);
    // A run's files never change, so its views are created once (retention drops them).
    let schema = this.runSchemas.get(runId);
    if (!schema) {
      const paths = dbtRunPaths(this.o.dataDir, this.o.lakeDir, workspaceId, runId);
      schema = await this.o.marts.openRun(workspaceId, runId, paths.outputDir);
      this.runSchemas.set(runId, schema);
    }
    return schema;
  }

  /** The run, if it belongs to the workspace, succeeded and still has its marts; else refused. */
  private async keptRun(workspaceId: string, runId: string): Promise<PipelineRunRow> {
    const run = await this.o.prisma.pipelineRun.findFirst({ where: { id: runId, workspaceId } });
    if (!run) throw new AppError('NOT_FOUND', 'No such run in this workspace.');
    if (run.status !== 'succeeded' || run.outputsDeletedAt)
      throw new AppError(
        'CONFLICT',
        run.outputsDeletedAt
          ? `The marts of this run were deleted by retention (the newest ${this.o.keepRuns} successful runs are kept).`
          : 'Only a successful run has marts.',
      );
    return run;
  }

  /** Settles once the spare dbt process has started (see DbtProcesses). */
  dbtReady(): Promise<void> {
    return this.dbt.whenReady();
  }

  /** Stops this service's workers and cancels a running dbt; the runtime stops the job queue. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // No new fetches from here on; the handler in progress ends once its run is cancelled.
    const stopping = stopWorkers(this.boss, this.workers);
    for (const controller of this.active.values()) controller.abort();
    await Promise.all([...this.finished.values()].map((p) => p.catch(() => undefined)));
    await stopping;
    // An accelerator build in progress finishes (the engine closes after this); queued ones stop.
    await Promise.all([...this.switching.values()]);
    this.dbt.close();
  }
}

/** The next time a cron expression (UTC, 5 fields) fires; throws BAD_REQUEST if invalid. */
export function nextRun(cron: string, from = new Date()): Date {
  let next: Date | null;
  try {
    if (cron.trim().split(/\s+/).length !== 5) throw new Error('expected 5 fields');
    next = new Cron(cron, { paused: true, timezone: 'UTC' }).nextRun(from);
  } catch (error) {
    throw new AppError(
      'BAD_REQUEST',
      `"${cron}" is not a cron expression (${(error as Error).message}). Use 5 fields: minute hour day-of-month month day-of-week, e.g. "0 * * * *" for hourly.`,
    );
  }
  if (!next) throw new AppError('BAD_REQUEST', `"${cron}" never fires.`);
  return next;
}
