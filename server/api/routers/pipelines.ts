// Admin → Pipelines: dbt runs (start with an optional selector, cancel, history, log, switching
// the workspace's marts to a kept run) and the workspace's cron schedule. Thin: the work is in
// server/pipelines/pipeline-service.ts.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import { nextRun } from '../../pipelines/pipeline-service';
import { readRunLog } from '../../pipelines/run-log';
import type { NodeResult } from '../../pipelines/run-results';
import { AppError } from '../../errors';
import { recordAudit } from '../../audit/audit-log';
import type { Runtime } from '../../runtime';

function streamWriters(runtime: Runtime) {
  if (!runtime.streamWriters)
    throw new AppError(
      'BAD_REQUEST',
      'The Spark job streams the Kafka events topic: this server runs the embedded intake (set KAFKA_BROKERS to use Kafka).',
    );
  return runtime.streamWriters;
}

const adminProcedure = workspaceProcedure('admin');

const ZRunId = z.uuid('not a run id');
export const ZRunRequestSchema = z.object({ id: ZRunId });
export const ZRunStartRequestSchema = z.object({
  selector: z
    .string()
    .max(500)
    .nullable()
    .describe('dbt selector, e.g. "+fact_events tag:daily"; null for everything'),
});
export const ZScheduleSetRequestSchema = z.object({
  schedule: z
    .object({
      cron: z.string().min(1).max(100).describe('5-field cron in UTC, e.g. "0 * * * *"'),
      selector: z.string().max(500).nullable(),
      enabled: z.boolean(),
    })
    .nullable()
    .describe('null removes the schedule'),
});

const runSummary = {
  id: true,
  status: true,
  selector: true,
  trigger: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  nodesTotal: true,
  nodesDone: true,
  error: true,
  isCurrent: true,
  outputsDeletedAt: true,
  requestedBy: { select: { email: true, name: true } },
} as const;

export const pipelinesRouter = createTRPCRouter({
  runs: createTRPCRouter({
    list: adminProcedure.query(async ({ ctx }) => {
      const runs = await ctx.runtime.prisma.pipelineRun.findMany({
        where: { workspaceId: ctx.workspace.id },
        orderBy: { createdAt: 'desc' },
        take: 50,
        select: { ...runSummary, results: true },
      });
      // The list shows counts per status, not every node.
      return runs.map(({ results, ...run }) => {
        const nodes = (results ?? []) as unknown as NodeResult[];
        const count = (pred: (n: NodeResult) => boolean) => nodes.filter(pred).length;
        return {
          ...run,
          models: count((n) => n.resourceType === 'model'),
          tests: count((n) => n.resourceType === 'test'),
          failedTests: count(
            (n) => n.resourceType === 'test' && ['fail', 'error'].includes(n.status),
          ),
          failedModels: count((n) => n.resourceType !== 'test' && n.status === 'error'),
        };
      });
    }),
    get: adminProcedure.input(ZRunRequestSchema).query(async ({ ctx, input }) => {
      const run = await ctx.runtime.prisma.pipelineRun.findFirst({
        where: { id: input.id, workspaceId: ctx.workspace.id },
        select: { ...runSummary, results: true },
      });
      if (!run) throw new AppError('NOT_FOUND', 'No such run in this workspace.');
      return { ...run, results: (run.results ?? []) as unknown as NodeResult[] };
    }),
    log: adminProcedure.input(ZRunRequestSchema).query(async ({ ctx, input }) => {
      const run = await ctx.runtime.prisma.pipelineRun.findFirst({
        where: { id: input.id, workspaceId: ctx.workspace.id },
        select: { id: true },
      });
      if (!run) throw new AppError('NOT_FOUND', 'No such run in this workspace.');
      return readRunLog(ctx.runtime.config.dataDir, run.id);
    }),
    start: adminProcedure.input(ZRunStartRequestSchema).mutation(async ({ ctx, input }) => {
      await ctx.runtime.flusher.flush();
      return ctx.runtime.pipelines.startRun({
        workspaceId: ctx.workspace.id,
        selector: input.selector,
        trigger: 'manual',
        userId: ctx.user.id,
      });
    }),
    cancel: adminProcedure
      .input(ZRunRequestSchema)
      .mutation(({ ctx, input }) => ctx.runtime.pipelines.cancel(ctx.workspace.id, input.id)),
    activate: adminProcedure
      .input(ZRunRequestSchema)
      .mutation(({ ctx, input }) => ctx.runtime.pipelines.activate(ctx.workspace.id, input.id)),
  }),
  /** The Spark Structured Streaming lake writer (Kafka mode): its state, start and stop. */
  stream: createTRPCRouter({
    status: adminProcedure.query(async ({ ctx }) => {
      const writers = ctx.runtime.streamWriters;
      if (!writers) return { kafka: false as const };
      return { kafka: true as const, ...(await writers.status()) };
    }),
    start: adminProcedure.mutation(async ({ ctx }) => {
      await streamWriters(ctx.runtime).startSpark();
      await recordAudit(ctx.runtime.prisma, {
        action: 'spark_job.started',
        workspaceId: ctx.workspace.id,
        actorId: ctx.user.id,
        actorEmail: ctx.user.email,
        details: { master: ctx.runtime.config.ingest.spark.master },
      });
      return { started: true };
    }),
    stop: adminProcedure.mutation(async ({ ctx }) => {
      await streamWriters(ctx.runtime).stopSpark();
      await recordAudit(ctx.runtime.prisma, {
        action: 'spark_job.stopped',
        workspaceId: ctx.workspace.id,
        actorId: ctx.user.id,
        actorEmail: ctx.user.email,
      });
      return { stopped: true };
    }),
  }),
  schedule: createTRPCRouter({
    get: adminProcedure.query(async ({ ctx }) => {
      const schedule = await ctx.runtime.prisma.pipelineSchedule.findUnique({
        where: { workspaceId: ctx.workspace.id },
      });
      if (!schedule) return null;
      return {
        cron: schedule.cron,
        selector: schedule.selector,
        enabled: schedule.enabled,
        nextRunAt: schedule.enabled ? nextRun(schedule.cron) : null,
      };
    }),
    set: adminProcedure
      .input(ZScheduleSetRequestSchema)
      .mutation(({ ctx, input }) =>
        ctx.runtime.pipelines.setSchedule(ctx.workspace.id, input.schedule),
      ),
  }),
});
