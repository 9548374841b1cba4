// Imports NDJSON / JSON Lines, CSV and Parquet files into a workspace through the same durable
// path as the HTTP collector: items are validated by normalizeBatch (source 'batch'), appended to
// the write-ahead log in batches of 1,000, published on the ingest bus, and committed to bronze
// by the flusher. Files are streamed, so memory does not grow with the file size. Not obvious:
// - Backpressure: when the log answers SERVICE_UNAVAILABLE because the lake writer is behind,
//   the import waits for a flush and retries — an import is never refused for being fast.
// - A few appends are kept in flight so their fsyncs share the log's group commit.
// - Retries: every import writes new WAL segments, so importing a file twice doubles its rows in
//   bronze (event ids stay the same; dedup by event_id downstream). Callers that must be exactly
//   once (the demo data) pass a batchIdPrefix, which makes batch ids deterministic, and
//   skipBatchIds with the batches already in bronze.
import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../../errors';
import type { IntakeRecord } from '../kafka/kafka-log';
import type { Runtime } from '../../runtime';
import { LIMITS } from '../collector/envelope';
import { normalizeBatch } from '../collector/normalize';
import { withoutNulls, type ImportItem, type ItemReader } from './import-item';
import { listImportFiles, type ImportFile, type ImportFormat } from './list-import-files';
import { readNdjson } from './read-ndjson';
import { readTabular } from './read-tabular';

export interface ImportProgress {
  /** The file being read. */
  file: string;
  /** Bytes read over all files so far, and their total size. */
  bytesRead: number;
  bytesTotal: number;
  accepted: number;
  rejected: number;
}

export interface ImportOptions {
  workspaceId: string;
  /** Files and directories (every supported file inside, sorted by name). */
  paths: readonly string[];
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Deterministic batch ids `<prefix>-<file index>-<batch index>` instead of random UUIDs. */
  batchIdPrefix?: string;
  /** Batches (by id) that are already in the lake: read but not appended again. */
  skipBatchIds?: ReadonlySet<string>;
}

export interface ImportedFile {
  path: string;
  format: ImportFormat;
  bytes: number;
  events: number;
  identifies: number;
  rejected: number;
}

export interface ImportResult {
  files: ImportedFile[];
  /** Events plus identify calls written. */
  accepted: number;
  events: number;
  identifies: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Batches left out because skipBatchIds named them. */
  skippedBatches: number;
  seconds: number;
  eventsPerSecond: number;
}

const IN_FLIGHT = 4;
const MAX_REASONS = 100;
const MAX_FLUSH_FAILURES = 5;
const MAX_APPEND_ATTEMPTS = 20;

function readerFor(file: ImportFile): ItemReader {
  return file.format === 'ndjson'
    ? readNdjson(file.path)
    : readTabular(file.format, file.path, file.bytes);
}

/**
 * flush() joins a flush that is already running, and that one may have sealed the log before our
 * last appends; a second flush starts after them, so both together cover every appended batch.
 */
export async function flushEverything(runtime: Runtime): Promise<void> {
  await runtime.flusher.flush();
  await runtime.flusher.flush();
}

function cancelled(): AppError {
  return new AppError(
    'CANCELLED',
    'The import was cancelled; what was acknowledged stays in the lake.',
  );
}

export async function importFiles(runtime: Runtime, opts: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const files = await listImportFiles(opts.paths);
  const bytesTotal = files.reduce((sum, f) => sum + f.bytes, 0);
  const result: ImportResult = {
    files: [],
    accepted: 0,
    events: 0,
    identifies: 0,
    rejected: 0,
    rejectedByReason: {},
    skippedBatches: 0,
    seconds: 0,
    eventsPerSecond: 0,
  };
  const countReason = (reason: string) => {
    const key =
      reason in result.rejectedByReason || Object.keys(result.rejectedByReason).length < MAX_REASONS
        ? reason
        : 'other reasons';
    result.rejectedByReason[key] = (result.rejectedByReason[key] ?? 0) + 1;
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const throwIfStopped = () => {
    if (failure) throw failure;
    if (opts.signal?.aborted) throw cancelled();
  };

  let bytesBefore = 0;
  try {
    for (const [fileIndex, file] of files.entries()) {
      const summary: ImportedFile = {
        path: file.path,
        format: file.format,
        bytes: file.bytes,
        events: 0,
        identifies: 0,
        rejected: 0,
      };
      result.files.push(summary);
      const reader = readerFor(file);
      const report = () =>
        opts.onProgress?.({
          file: file.path,
          bytesRead: bytesBefore + reader.bytesRead(),
          bytesTotal,
          accepted: result.accepted,
          rejected: result.rejected,
        });
      let batchIndex = 0;
      const submit = async (entries: ImportItem[]) => {
        const batchId = opts.batchIdPrefix
          ? `${opts.batchIdPrefix}-${fileIndex}-${batchIndex}`
          : randomUUID();
        batchIndex++;
        if (opts.skipBatchIds?.has(batchId)) {
          result.skippedBatches++;
          return;
        }
        const work = processBatch(runtime, opts.workspaceId, batchId, entries).then(
          (outcome) => {
            result.events += outcome.events;
            result.identifies += outcome.identifies;
            result.accepted += outcome.events + outcome.identifies;
            summary.events += outcome.events;
            summary.identifies += outcome.identifies;
            result.rejected += outcome.rejected.length;
            summary.rejected += outcome.rejected.length;
            for (const reason of outcome.rejected) countReason(reason);
            report();
          },
          (error: unknown) => {
            failure ??= error;
          },
        );
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
        while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
        throwIfStopped();
        // Let requests run between batches when this runs inside the server.
        await new Promise((resolve) => setImmediate(resolve));
      };

      let entries: ImportItem[] = [];
      for await (const entry of reader.items()) {
        entries.push(entry);
        if (entries.length === LIMITS.eventsPerBatch) {
          await submit(entries);
          entries = [];
        }
      }
      if (entries.length) await submit(entries);
      // Batches never span files, so batch ids stay stable when files are added to a folder.
      await Promise.all(inFlight);
      throwIfStopped();
      report();
      bytesBefore += file.bytes;
    }
    await flushEverything(runtime);
  } finally {
    await Promise.allSettled(inFlight);
  }
  result.seconds = (performance.now() - started) / 1000;
  result.eventsPerSecond = Math.round(result.accepted / Math.max(result.seconds, 1e-9));
  return result;

  async function processBatch(
    rt: Runtime,
    workspaceId: string,
    batchId: string,
    entries: ImportItem[],
  ): Promise<{ events: number; identifies: number; rejected: string[] }> {
    const receivedAt = new Date();
    const valid: unknown[] = [];
    const validIndex: number[] = [];
    const rejectedItems: { index: number; reason: string; payload: unknown }[] = [];
    entries.forEach((entry, index) => {
      if (entry.ok) {
        valid.push(withoutNulls(entry.item));
        validIndex.push(index);
      } else rejectedItems.push({ index, reason: entry.reason, payload: entry.payload });
    });
    const batch = valid.length
      ? normalizeBatch({ batch: valid }, { workspaceId, receivedAt, source: 'batch', batchId })
      : { events: [], identifies: [], rejected: [] };
    for (const r of batch.rejected)
      rejectedItems.push({
        index: validIndex[r.index]!,
        reason: r.reason,
        payload: valid[r.index],
      });
    if (rejectedItems.length)
      rt.ingestBus.emit('rejected', {
        workspaceId,
        source: 'batch',
        batchId,
        receivedAt,
        items: rejectedItems,
      });
    if (batch.events.length + batch.identifies.length > 0) {
      await appendWithBackpressure(rt, {
        id: batchId,
        events: batch.events,
        identifies: batch.identifies,
      });
      rt.ingestBus.emit('accepted', {
        workspaceId,
        source: 'batch',
        batchId,
        events: batch.events,
        identifies: batch.identifies,
      });
      rt.flusher.nudge();
    }
    return {
      events: batch.events.length,
      identifies: batch.identifies.length,
      rejected: rejectedItems.map((r) => r.reason),
    };
  }

  async function appendWithBackpressure(rt: Runtime, record: IntakeRecord): Promise<void> {
    let flushFailures = 0;
    for (let attempt = 1; ; attempt++) {
      if (opts.signal?.aborted) throw cancelled();
      try {
        await rt.wal.append(record);
        return;
      } catch (error) {
        // Only "behind" and transient write errors carry retryAfterSeconds; a closed log does not.
        const retryable =
          isAppError(error) &&
          error.code === 'SERVICE_UNAVAILABLE' &&
          typeof error.details?.retryAfterSeconds === 'number';
        if (!retryable || attempt >= MAX_APPEND_ATTEMPTS) throw error;
        try {
          await rt.flusher.flush();
          flushFailures = 0;
        } catch (flushError) {
          if (++flushFailures >= MAX_FLUSH_FAILURES) throw flushError;
          await new Promise((resolve) => setTimeout(resolve, 1000 * flushFailures));
        }
      }
    }
  }
}
