// File imports started from Admin → Ingestion. The browser uploads each file as a raw request
// body (POST /api/ingest/uploads, streamed to disk, so upload progress is the browser's own and
// memory does not grow with the file), then starts an import of its uploads; the import runs
// in the server through importFiles — the same validation, WAL and flusher as the API — and the
// page polls its progress and summary. Not obvious:
// - An import is a persisted job (server/jobs/job-queue.ts): an import_jobs row (what the page
//   lists; the last JOBS_KEPT finished ones per workspace are kept) and a pg-boss job on a queue
//   with one worker taking one job at a time, so a large upload cannot starve the collector's
//   CPU with parallel parsers; later ones wait as "queued".
// - Progress is written to the row at most every PROGRESS_WRITE_MS; this process answers with
//   its fresher in-memory progress for the import it is running.
// - Restarts: an import left `running` is marked failed at the next start — the batches
//   acknowledged before the stop are kept (they are in the WAL), the rest was not imported — and
//   queued imports run. At start, uploads that no queued import refers to are deleted.
// - Upload ids are scoped by workspace on disk (uploads/<workspace id>/<upload id>/), and every
//   query names the workspace, so a job can only read, and only be seen in, its own workspace.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PgBoss } from 'pg-boss';
import { recordAudit } from '../../audit/audit-log';
import type { PrismaClient } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { AppError, isAppError } from '../../errors';
import { stopWorkers, type Worker } from '../../jobs/job-queue';
import type { Logger } from '../../logger';
import type { ImportOptions, ImportResult } from './import-files';
import { formatOf, SUPPORTED_EXTENSIONS, type ImportFormat } from './list-import-files';

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
export const MAX_FILES_PER_IMPORT = 20;
const JOBS_KEPT = 20;
const UPLOAD_ID = /^[0-9a-f-]{36}$/;
const QUEUE = 'ingest-import';
/** No retries (a failed import is recorded); a big import may run for hours. */
const JOB_OPTIONS = { retryLimit: 0, expireInSeconds: 24 * 3600 };
const PROGRESS_WRITE_MS = 500;
const ACTIVE = ['queued', 'running'];
const SHUTDOWN = 'shutdown';
const serverStopped = (accepted: number) =>
  `The server stopped during this import. The batches acknowledged before the stop are kept (they were in the write-ahead log${accepted ? `; at least ${accepted} items` : ''}) and the rest was not imported. Importing the files again would add the kept part a second time, unless its events carry a messageId.`;

export type ImportJobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportJobActor {
  id: string;
  email: string;
  ip: string | null;
}

export interface ImportJobFile {
  name: string;
  format: ImportFormat;
  bytes: number;
  events: number;
  identifies: number;
  rejected: number;
}

export interface ImportJobView {
  id: string;
  state: ImportJobState;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdBy: string;
  files: ImportJobFile[];
  progress: {
    /** 0..1 of the bytes of all files. */
    fraction: number;
    bytesRead: number;
    bytesTotal: number;
    accepted: number;
    rejected: number;
    currentFile: string | null;
  };
  summary: {
    events: number;
    identifies: number;
    rejected: number;
    rejectedByReason: { reason: string; count: number }[];
    seconds: number;
    eventsPerSecond: number;
  } | null;
  error: string | null;
}

export interface SavedUpload {
  uploadId: string;
  name: string;
  format: ImportFormat;
  bytes: number;
}

type JobRow = Prisma.ImportJobGetPayload<object>;

/** The import this process is running: its cancel switch and fresher-than-the-row progress. */
interface Live {
  controller: AbortController;
  view?: ImportJobView;
}

export interface ImportJobsDeps {
  dataDir: string;
  prisma: PrismaClient;
  /** The runtime's job queue (one pg-boss per server); ImportJobs never stops it. */
  boss: PgBoss;
  logger: Logger;
  /** importFiles bound to the runtime. */
  runImport: (
    opts: Omit<ImportOptions, 'workspaceId'> & { workspaceId: string },
  ) => Promise<ImportResult>;
}

/** "../../x y.NDJSON" → "x_y.NDJSON"; what is left must have a supported extension. */
export function safeUploadName(raw: string): string {
  const base = path.basename(raw.replace(/\\/g, '/')).trim();
  const cleaned = base
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '')
    .slice(-200);
  if (!cleaned || !formatOf(cleaned))
    throw new AppError(
      'BAD_REQUEST',
      `"${raw.slice(0, 200)}" is not a file type that can be imported; use ${SUPPORTED_EXTENSIONS.join(', ')}.`,
    );
  return cleaned;
}

function toView(row: JobRow): ImportJobView {
  const bytesRead = Number(row.bytesRead);
  const bytesTotal = Number(row.bytesTotal);
  return {
    id: row.id,
    state: row.state as ImportJobState,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    createdBy: row.createdByEmail,
    files: row.files as unknown as ImportJobFile[],
    progress: {
      fraction: bytesTotal ? Math.min(1, bytesRead / bytesTotal) : 1,
      bytesRead,
      bytesTotal,
      accepted: row.accepted,
      rejected: row.rejected,
      currentFile: row.currentFile,
    },
    summary: (row.summary as ImportJobView['summary']) ?? null,
    error: row.error,
  };
}

export class ImportJobs {
  private readonly live = new Map<string, Live>();
  private readonly workers: Worker[] = [];
  private closed = false;

  private constructor(private readonly deps: ImportJobsDeps) {}

  private get root(): string {
    return path.join(this.deps.dataDir, 'uploads');
  }

  /**
   * Recovers what a stopped server left (running → failed, queued → sent again) and deletes the
   * uploads no queued import refers to. Imports run once `startWorker()` is called.
   */
  static async open(deps: ImportJobsDeps): Promise<ImportJobs> {
    const jobs = new ImportJobs(deps);
    await deps.boss.createQueue(QUEUE);
    await jobs.recover();
    return jobs;
  }

  /** Starts the worker (one import at a time), once the runtime can run imports. */
  async startWorker(): Promise<void> {
    if (this.closed || this.workers.length) return;
    this.workers.push({
      queue: QUEUE,
      id: await this.deps.boss.work<{ jobId: string }>(
        QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 2 },
        async ([job]) => {
          if (job) await this.execute(job.data.jobId);
        },
      ),
    });
  }

  private async recover(): Promise<void> {
    const { prisma, logger, boss } = this.deps;
    const stale = await prisma.importJob.findMany({ where: { state: 'running' } });
    for (const row of stale) {
      const { count } = await prisma.importJob.updateMany({
        where: { id: row.id, state: 'running' },
        data: {
          state: 'failed',
          finishedAt: new Date(),
          currentFile: null,
          error: serverStopped(row.accepted),
        },
      });
      if (count) await this.audit(row, 'failed', { error: serverStopped(row.accepted) });
    }
    if (stale.length) logger.warn({ imports: stale.length }, 'marked interrupted imports failed');
    const queued = await prisma.importJob.findMany({
      where: { state: 'queued' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, workspaceId: true, uploadIds: true },
    });
    await this.removeLeftovers(
      new Set(queued.flatMap((j) => j.uploadIds.map((u) => path.join(j.workspaceId, u)))),
    );
    for (const job of queued) await boss.send(QUEUE, { jobId: job.id }, JOB_OPTIONS);
    if (queued.length) logger.info({ imports: queued.length }, 'queued imports resumed');
  }

  /** Uploads never imported, or whose import ended or was cut short: all but `keep`. */
  private async removeLeftovers(keep: Set<string>): Promise<void> {
    const workspaces = await readdir(this.root).catch(() => []);
    for (const ws of workspaces) {
      const uploads = await readdir(path.join(this.root, ws)).catch(() => []);
      for (const id of uploads)
        if (!keep.has(path.join(ws, id)))
          await rm(path.join(this.root, ws, id), { recursive: true, force: true });
    }
  }

  /** Streams one uploaded file to disk, refusing more than MAX_UPLOAD_BYTES. */
  async saveUpload(
    workspaceId: string,
    rawName: string,
    body: ReadableStream<Uint8Array> | null,
  ): Promise<SavedUpload> {
    if (this.closed) throw new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down.');
    const name = safeUploadName(rawName);
    if (!body) throw new AppError('BAD_REQUEST', 'The upload has no body: send the file’s bytes.');
    const uploadId = randomUUID();
    const dir = path.join(this.root, workspaceId, uploadId);
    await mkdir(dir, { recursive: true });
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > MAX_UPLOAD_BYTES)
          done(
            new AppError(
              'PAYLOAD_TOO_LARGE',
              `The file is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB; split it or use npm run tl -- import.`,
            ),
          );
        else done(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>),
        limit,
        createWriteStream(path.join(dir, name)),
      );
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      if (isAppError(error)) throw error;
      throw new AppError(
        'BAD_REQUEST',
        'The upload was interrupted; nothing was kept.',
        undefined,
        {
          cause: error,
        },
      );
    }
    if (bytes === 0) {
      await rm(dir, { recursive: true, force: true });
      throw new AppError('BAD_REQUEST', `"${name}" is empty.`);
    }
    return { uploadId, name, format: formatOf(name)!, bytes };
  }

  /** Queues an import of uploads made into this workspace. */
  async start(
    workspaceId: string,
    actor: ImportJobActor,
    uploadIds: readonly string[],
  ): Promise<ImportJobView> {
    if (this.closed) throw new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down.');
    const { prisma, boss } = this.deps;
    const ids = [...new Set(uploadIds)];
    if (ids.length === 0 || ids.length > MAX_FILES_PER_IMPORT)
      throw new AppError('BAD_REQUEST', `An import takes 1 to ${MAX_FILES_PER_IMPORT} files.`);
    const notFound = (id: string) =>
      new AppError(
        'NOT_FOUND',
        `Upload ${id.slice(0, 40)} does not exist in this workspace (or is already being imported). Upload the file again.`,
      );
    const claimed = await prisma.importJob.findFirst({
      where: { workspaceId, state: { in: ACTIVE }, uploadIds: { hasSome: ids } },
      select: { uploadIds: true },
    });
    if (claimed) throw notFound(ids.find((id) => claimed.uploadIds.includes(id))!);
    const files: ImportJobFile[] = [];
    for (const id of ids) {
      const dir = path.join(this.root, workspaceId, id);
      const entries = UPLOAD_ID.test(id) ? await readdir(dir).catch(() => []) : [];
      const name = entries[0];
      if (!name) throw notFound(id);
      files.push({
        name,
        format: formatOf(name)!,
        bytes: (await stat(path.join(dir, name))).size,
        events: 0,
        identifies: 0,
        rejected: 0,
      });
    }
    const row = await prisma.importJob.create({
      data: {
        workspaceId,
        state: 'queued',
        createdById: actor.id,
        createdByEmail: actor.email,
        createdByIp: actor.ip,
        uploadIds: ids,
        files: files as unknown as Prisma.InputJsonValue,
        bytesTotal: files.reduce((n, f) => n + f.bytes, 0),
      },
    });
    try {
      await boss.send(QUEUE, { jobId: row.id }, JOB_OPTIONS);
    } catch (error) {
      await prisma.importJob
        .update({
          where: { id: row.id },
          data: { state: 'failed', finishedAt: new Date(), error: 'Could not queue the import.' },
        })
        .catch(() => undefined);
      throw error;
    }
    for (const w of this.workers) boss.notifyWorker(w.id);
    await this.trim(workspaceId);
    return toView(row);
  }

  /** The workspace's imports, newest first. */
  async list(workspaceId: string): Promise<ImportJobView[]> {
    const rows = await this.deps.prisma.importJob.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 100,
    });
    return rows.map((row) => this.view(row));
  }

  async get(workspaceId: string, id: string): Promise<ImportJobView> {
    return this.view(await this.find(workspaceId, id));
  }

  /** Stops a queued or running import; batches already acknowledged stay in the lake. */
  async cancel(workspaceId: string, id: string): Promise<ImportJobView> {
    const { prisma } = this.deps;
    const row = await this.find(workspaceId, id);
    if (row.state === 'queued') {
      const { count } = await prisma.importJob.updateMany({
        where: { id, workspaceId, state: 'queued' },
        data: { state: 'cancelled', finishedAt: new Date(), error: 'Cancelled before it started.' },
      });
      if (count) {
        const cancelled = await this.find(workspaceId, id);
        await this.removeUploads(cancelled);
        await this.audit(cancelled, 'cancelled', { error: cancelled.error });
        await this.trim(workspaceId);
        return this.view(cancelled);
      }
    }
    const live = this.live.get(id);
    if (live) live.controller.abort();
    else if (row.state === 'running')
      throw new AppError('CONFLICT', 'This import is run by another server process.');
    return this.get(workspaceId, id);
  }

  /**
   * Stops the worker. The running import is stopped and marked failed (what was acknowledged is
   * kept); queued imports stay queued and run after the next start.
   */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = stopWorkers(this.deps.boss, this.workers);
    for (const live of this.live.values()) live.controller.abort(SHUTDOWN);
    await stopping;
  }

  private async find(workspaceId: string, id: string): Promise<JobRow> {
    const row = await this.deps.prisma.importJob.findFirst({ where: { id, workspaceId } });
    if (!row) throw new AppError('NOT_FOUND', 'This import does not exist in this workspace.');
    return row;
  }

  /** The row, with this process's fresher progress while it runs the import. */
  private view(row: JobRow): ImportJobView {
    const live = this.live.get(row.id)?.view;
    return structuredClone(live && row.state === 'running' ? live : toView(row));
  }

  /** The worker: claims a queued import and runs it. */
  private async execute(jobId: string): Promise<void> {
    // Fetched while shutting down: the import stays queued and runs after the next start.
    if (this.closed) return;
    const { prisma } = this.deps;
    // Registered before the claim, so a cancel right after it finds the switch.
    const live: Live = { controller: new AbortController() };
    this.live.set(jobId, live);
    try {
      const { count } = await prisma.importJob.updateMany({
        where: { id: jobId, state: 'queued' },
        data: { state: 'running', startedAt: new Date() },
      });
      if (count === 0) return; // cancelled meanwhile, or already run
      const row = await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } });
      live.view = toView(row);
      await this.runClaimed(row, live);
    } finally {
      this.live.delete(jobId);
    }
  }

  private async runClaimed(row: JobRow, live: Live): Promise<void> {
    const { prisma, logger } = this.deps;
    const view = live.view!;
    const paths = row.uploadIds.map((id, i) =>
      path.join(this.root, row.workspaceId, id, view.files[i]!.name),
    );
    const names = new Map(paths.map((p, i) => [p, view.files[i]!.name]));
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const writeProgress = () => {
      const p = view.progress;
      writing = prisma.importJob
        .update({
          where: { id: row.id },
          data: {
            bytesRead: p.bytesRead,
            accepted: p.accepted,
            rejected: p.rejected,
            currentFile: p.currentFile,
          },
        })
        .catch(() => undefined);
    };
    try {
      const result = await this.deps.runImport({
        workspaceId: row.workspaceId,
        paths,
        signal: live.controller.signal,
        onProgress: (p) => {
          view.progress = {
            fraction: p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 1,
            bytesRead: p.bytesRead,
            bytesTotal: p.bytesTotal,
            accepted: p.accepted,
            rejected: p.rejected,
            currentFile: names.get(p.file) ?? null,
          };
          // Other processes' pages (and this one after a restart) read the row.
          const now = Date.now();
          if (now - lastWrite < PROGRESS_WRITE_MS) return;
          lastWrite = now;
          writeProgress();
        },
      });
      for (const f of result.files) {
        const target = view.files.find((v) => v.name === names.get(f.path));
        if (target)
          Object.assign(target, {
            events: f.events,
            identifies: f.identifies,
            rejected: f.rejected,
          });
      }
      view.progress = {
        ...view.progress,
        fraction: 1,
        bytesRead: view.progress.bytesTotal,
        accepted: result.accepted,
        rejected: result.rejected,
        currentFile: null,
      };
      await writing;
      await this.finish(row, view, 'done', result, null);
    } catch (error) {
      await writing;
      const reason: unknown = live.controller.signal.reason;
      const stopped = live.controller.signal.aborted && reason === SHUTDOWN;
      const cancelled = !stopped && isAppError(error) && error.code === 'CANCELLED';
      if (!cancelled && !stopped) logger.error({ err: error, job: row.id }, 'import failed');
      await this.finish(
        row,
        view,
        cancelled ? 'cancelled' : 'failed',
        null,
        stopped
          ? serverStopped(view.progress.accepted)
          : isAppError(error)
            ? error.message
            : 'The import failed on the server; it has been logged.',
      );
    }
  }

  private async finish(
    row: JobRow,
    view: ImportJobView,
    state: ImportJobState,
    result: ImportResult | null,
    error: string | null,
  ): Promise<void> {
    const { prisma, logger } = this.deps;
    const summary: ImportJobView['summary'] = result && {
      events: result.events,
      identifies: result.identifies,
      rejected: result.rejected,
      rejectedByReason: Object.entries(result.rejectedByReason)
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count),
      seconds: Math.round(result.seconds * 100) / 100,
      eventsPerSecond: result.eventsPerSecond,
    };
    const finished = await prisma.importJob
      .update({
        where: { id: row.id },
        data: {
          state,
          finishedAt: new Date(),
          error,
          files: view.files as unknown as Prisma.InputJsonValue,
          bytesRead: view.progress.bytesRead,
          accepted: view.progress.accepted,
          rejected: view.progress.rejected,
          currentFile: null,
          ...(summary ? { summary } : {}),
        },
      })
      .catch((e: unknown) => {
        logger.error({ err: e, job: row.id }, 'could not record the end of an import');
        return row;
      });
    await this.removeUploads(row);
    await this.audit(finished, state, {
      accepted: view.progress.accepted,
      rejected: view.progress.rejected,
      ...(summary ? { seconds: summary.seconds } : {}),
      ...(error ? { error } : {}),
    });
    await this.trim(row.workspaceId).catch((e: unknown) =>
      logger.warn({ err: e }, 'could not delete old imports'),
    );
  }

  private async removeUploads(row: JobRow): Promise<void> {
    for (const id of row.uploadIds)
      await rm(path.join(this.root, row.workspaceId, id), { recursive: true, force: true });
  }

  /** The durable record of an import's end: `import.<state>` in the audit log. */
  private async audit(
    row: JobRow,
    state: ImportJobState,
    details: Record<string, unknown>,
  ): Promise<void> {
    await recordAudit(this.deps.prisma, {
      action: `import.${state}`,
      workspaceId: row.workspaceId,
      actorId: row.createdById,
      actorEmail: row.createdByEmail,
      ipAddress: row.createdByIp,
      targetType: 'import',
      targetId: row.id,
      details: {
        files: (row.files as unknown as ImportJobFile[]).map((f) => ({
          name: f.name,
          bytes: f.bytes,
        })),
        ...details,
      },
    }).catch((e: unknown) => this.deps.logger.error({ err: e }, 'could not audit an import'));
  }

  /** Keeps the newest JOBS_KEPT finished imports of the workspace (and every queued or running). */
  private async trim(workspaceId: string): Promise<void> {
    const old = await this.deps.prisma.importJob.findMany({
      where: { workspaceId, state: { notIn: ACTIVE } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: JOBS_KEPT,
      select: { id: true },
    });
    if (old.length)
      await this.deps.prisma.importJob.deleteMany({
        where: { workspaceId, id: { in: old.map((r) => r.id) } },
      });
  }
}
