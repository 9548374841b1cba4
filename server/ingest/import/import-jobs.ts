// File imports started from Admin → Ingestion. The browser uploads each file as a raw request
// body (POST /api/ingest/uploads, streamed to disk, so upload progress is the browser's own and
// memory does not grow with the file), then starts an import of its uploads; the import runs
// in the server through importFiles — the same validation, WAL and flusher as the API — and the
// page polls its progress and summary. Not obvious:
// - One import runs at a time (a queue), so a large upload cannot starve the collector's CPU
//   with parallel parsers; later ones wait as "queued".
// - Jobs live in memory (the last JOBS_KEPT per workspace); the durable record is the audit log
//   entry written when a job ends. A restart mid-import keeps every batch acknowledged so far
//   (it is in the WAL) and forgets the rest of that job; uploads left behind are deleted at start.
// - Upload ids are scoped by workspace on disk (uploads/<workspace id>/<upload id>/), so a job can
//   only read files uploaded into its own workspace.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { recordAudit } from '../../audit/audit-log';
import type { PrismaClient } from '../../db/client';
import { AppError, isAppError } from '../../errors';
import type { Logger } from '../../logger';
import type { ImportOptions, ImportResult } from './import-files';
import { formatOf, SUPPORTED_EXTENSIONS, type ImportFormat } from './list-import-files';

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
export const MAX_FILES_PER_IMPORT = 20;
const JOBS_KEPT = 20;
const UPLOAD_ID = /^[0-9a-f-]{36}$/;

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

interface Job {
  view: ImportJobView;
  workspaceId: string;
  actor: ImportJobActor;
  dirs: string[];
  paths: string[];
  controller: AbortController;
}

export interface ImportJobsDeps {
  dataDir: string;
  prisma: PrismaClient;
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

export class ImportJobs {
  private readonly jobs = new Map<string, Job[]>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: ImportJobsDeps) {}

  private get root(): string {
    return path.join(this.deps.dataDir, 'uploads');
  }

  /** Uploads of a previous run were never imported (or their job was cut short): drop them. */
  async removeLeftovers(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
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
    const ids = [...new Set(uploadIds)];
    if (ids.length === 0 || ids.length > MAX_FILES_PER_IMPORT)
      throw new AppError('BAD_REQUEST', `An import takes 1 to ${MAX_FILES_PER_IMPORT} files.`);
    const files: ImportJobFile[] = [];
    const dirs: string[] = [];
    const paths: string[] = [];
    for (const id of ids) {
      const dir = path.join(this.root, workspaceId, id);
      const entries = UPLOAD_ID.test(id) ? await readdir(dir).catch(() => []) : [];
      const name = entries[0];
      if (!name || this.isClaimed(dir))
        throw new AppError(
          'NOT_FOUND',
          `Upload ${id.slice(0, 40)} does not exist in this workspace (or is already being imported). Upload the file again.`,
        );
      const full = path.join(dir, name);
      files.push({
        name,
        format: formatOf(name)!,
        bytes: (await stat(full)).size,
        events: 0,
        identifies: 0,
        rejected: 0,
      });
      dirs.push(dir);
      paths.push(full);
    }
    const bytesTotal = files.reduce((n, f) => n + f.bytes, 0);
    const job: Job = {
      workspaceId,
      actor,
      dirs,
      paths,
      controller: new AbortController(),
      view: {
        id: randomUUID(),
        state: 'queued',
        createdAt: new Date(),
        startedAt: null,
        finishedAt: null,
        createdBy: actor.email,
        files,
        progress: {
          fraction: 0,
          bytesRead: 0,
          bytesTotal,
          accepted: 0,
          rejected: 0,
          currentFile: null,
        },
        summary: null,
        error: null,
      },
    };
    const list = this.jobs.get(workspaceId) ?? [];
    list.unshift(job);
    this.jobs.set(workspaceId, list);
    this.trim(list);
    this.queue = this.queue.then(() => this.run(job));
    return structuredClone(job.view);
  }

  list(workspaceId: string): ImportJobView[] {
    return (this.jobs.get(workspaceId) ?? []).map((j) => structuredClone(j.view));
  }

  get(workspaceId: string, id: string): ImportJobView {
    const job = this.find(workspaceId, id);
    return structuredClone(job.view);
  }

  /** Stops a queued or running import; batches already acknowledged stay in the lake. */
  cancel(workspaceId: string, id: string): ImportJobView {
    const job = this.find(workspaceId, id);
    if (job.view.state === 'queued' || job.view.state === 'running') job.controller.abort();
    return structuredClone(job.view);
  }

  /** Cancels what is queued or running and waits for it to stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const list of this.jobs.values()) for (const j of list) j.controller.abort();
    await this.queue;
  }

  private find(workspaceId: string, id: string): Job {
    const job = this.jobs.get(workspaceId)?.find((j) => j.view.id === id);
    if (!job) throw new AppError('NOT_FOUND', 'This import does not exist in this workspace.');
    return job;
  }

  private isClaimed(dir: string): boolean {
    for (const list of this.jobs.values())
      for (const j of list)
        if ((j.view.state === 'queued' || j.view.state === 'running') && j.dirs.includes(dir))
          return true;
    return false;
  }

  private trim(list: Job[]): void {
    while (list.length > JOBS_KEPT) {
      const i = list.findLastIndex((j) => j.view.state !== 'queued' && j.view.state !== 'running');
      if (i < 0) break;
      list.splice(i, 1);
    }
  }

  private async run(job: Job): Promise<void> {
    const { view } = job;
    if (job.controller.signal.aborted) {
      await this.finish(job, 'cancelled', null, 'Cancelled before it started.');
      return;
    }
    view.state = 'running';
    view.startedAt = new Date();
    const names = new Map(job.paths.map((p, i) => [p, view.files[i]!.name]));
    try {
      const result = await this.deps.runImport({
        workspaceId: job.workspaceId,
        paths: job.paths,
        signal: job.controller.signal,
        onProgress: (p) => {
          view.progress = {
            fraction: p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 1,
            bytesRead: p.bytesRead,
            bytesTotal: p.bytesTotal,
            accepted: p.accepted,
            rejected: p.rejected,
            currentFile: names.get(p.file) ?? null,
          };
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
      await this.finish(job, 'done', result, null);
    } catch (error) {
      const cancelled = isAppError(error) && error.code === 'CANCELLED';
      if (!cancelled) this.deps.logger.error({ err: error, job: view.id }, 'import failed');
      await this.finish(
        job,
        cancelled ? 'cancelled' : 'failed',
        null,
        isAppError(error) ? error.message : 'The import failed on the server; it has been logged.',
      );
    }
  }

  private async finish(
    job: Job,
    state: ImportJobState,
    result: ImportResult | null,
    error: string | null,
  ): Promise<void> {
    const { view } = job;
    view.state = state;
    view.finishedAt = new Date();
    view.error = error;
    if (result)
      view.summary = {
        events: result.events,
        identifies: result.identifies,
        rejected: result.rejected,
        rejectedByReason: Object.entries(result.rejectedByReason)
          .map(([reason, count]) => ({ reason, count }))
          .sort((a, b) => b.count - a.count),
        seconds: Math.round(result.seconds * 100) / 100,
        eventsPerSecond: result.eventsPerSecond,
      };
    for (const dir of job.dirs) await rm(dir, { recursive: true, force: true });
    await recordAudit(this.deps.prisma, {
      action: `import.${state}`,
      workspaceId: job.workspaceId,
      actorId: job.actor.id,
      actorEmail: job.actor.email,
      ipAddress: job.actor.ip,
      targetType: 'import',
      targetId: view.id,
      details: {
        files: view.files.map((f) => ({ name: f.name, bytes: f.bytes })),
        accepted: view.progress.accepted,
        rejected: view.progress.rejected,
        ...(view.summary ? { seconds: view.summary.seconds } : {}),
        ...(error ? { error } : {}),
      },
    }).catch((e: unknown) => this.deps.logger.error({ err: e }, 'could not audit an import'));
  }
}
