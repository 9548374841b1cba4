// Client of the Delta writer sidecar (pipelines/lake/delta_writer.py, delta-rs in the project's
// .venv): one long-lived Python process, one JSON request per line. Requests are answered in
// order; a crashed sidecar is restarted on the next request, and the request that was in flight
// fails (its WAL segment stays unretired and is retried — the commit is idempotent). The sidecar
// handles one request at a time, so maintenance (compact, vacuum) never overlaps an append.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../errors';
import type { Logger } from '../logger';

export interface AppendSegmentResult {
  events: number;
  identifies: number;
  events_status?: 'written' | 'skipped';
  /** The Parquet files (relative to the events table) the events commit added; [] if skipped. */
  events_files?: string[];
  identifies_status?: 'written' | 'skipped';
  seconds: number;
}

export interface PartitionFileStats {
  /** Partition column → value as the Delta log encodes it (null for a null value); {} unpartitioned. */
  values: Record<string, string | null>;
  files: number;
  bytes: number;
  /** Files (and their bytes) below the requested small-file size. */
  small_files: number;
  small_bytes: number;
  /** Bytes in files below the target size: what optimize would read and rewrite. */
  rewrite_bytes: number;
}

export interface PartitionFilesResult {
  exists: boolean;
  version?: number;
  partition_columns: string[];
  partitions: PartitionFileStats[];
}

export interface CompactResult {
  metrics: {
    numFilesAdded: number;
    numFilesRemoved: number;
    partitionsOptimized: number;
    bytesAdded: number;
    bytesRemoved: number;
  };
  version: number;
}

export interface DeltaWriterOptions {
  /** Project root: the sidecar runs from <root>/.venv/bin/python. */
  root: string;
  timeoutMs?: number;
  logger?: Logger;
}

type Waiter = {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
};

export class DeltaWriter {
  private child: ChildProcessWithoutNullStreams | undefined;
  private nextId = 1;
  private waiters = new Map<number, Waiter>();
  private stderr = '';

  constructor(private readonly opts: DeltaWriterOptions) {}

  private start(): ChildProcessWithoutNullStreams {
    const python = path.join(this.opts.root, '.venv', 'bin', 'python');
    const child = spawn(
      python,
      ['-u', path.join(this.opts.root, 'pipelines', 'lake', 'delta_writer.py')],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const error = new AppError(
        'SERVICE_UNAVAILABLE',
        `The Delta writer stopped (${signal ?? `exit ${code}`}). ${this.stderr.trim().split('\n').at(-1) ?? ''}`.trim(),
      );
      for (const [id, w] of this.waiters) {
        clearTimeout(w.timer);
        w.reject(error);
        this.waiters.delete(id);
      }
    });
    child.on('error', (error) =>
      this.opts.logger?.error({ err: error }, 'delta writer failed to start'),
    );
    return child;
  }

  private onLine(line: string): void {
    let reply: { id: number; ok: boolean; result?: unknown; error?: string };
    try {
      reply = JSON.parse(line);
    } catch {
      this.opts.logger?.warn(
        { line: line.slice(0, 200) },
        'unexpected output from the delta writer',
      );
      return;
    }
    const waiter = this.waiters.get(reply.id);
    if (!waiter) return;
    this.waiters.delete(reply.id);
    clearTimeout(waiter.timer);
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(new AppError('SERVICE_UNAVAILABLE', `Delta write failed: ${reply.error}`));
  }

  private request<T>(body: Record<string, unknown>): Promise<T> {
    this.child ??= this.start();
    const id = this.nextId++;
    const child = this.child;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(
          new AppError(
            'TIMEOUT',
            `The Delta writer did not answer within ${this.opts.timeoutMs ?? 120_000} ms.`,
          ),
        );
      }, this.opts.timeoutMs ?? 120_000);
      this.waiters.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      child.stdin.write(`${JSON.stringify({ ...body, id })}\n`);
    });
  }

  ping(): Promise<{ pong: boolean }> {
    return this.request({ op: 'ping' });
  }

  /** Commits a sealed WAL segment to bronze.events / bronze.identifies; idempotent per version. */
  appendSegment(args: {
    segment: string;
    version: number;
    eventsTable: string;
    identifiesTable: string;
    /** Transaction identifier (default: the WAL's); the Kafka writer has one per partition. */
    appId?: string;
  }): Promise<AppendSegmentResult> {
    return this.request({
      op: 'append_segment',
      segment: args.segment,
      version: args.version,
      app_id: args.appId,
      events_table: args.eventsTable,
      identifies_table: args.identifiesTable,
    });
  }

  /** File counts and sizes per partition, read from the Delta log only. */
  partitionFiles(
    table: string,
    args: { smallFileBytes: number; targetSize?: number },
  ): Promise<PartitionFilesResult> {
    return this.request({
      op: 'partition_files',
      table,
      small_file_bytes: args.smallFileBytes,
      target_size: args.targetSize,
    });
  }

  /**
   * delta-rs optimize.compact. `partitions` limits it to those partitions (values as reported by
   * partitionFiles); without it the whole table is compacted. A checkpoint follows a commit
   * unless `checkpoint` is false.
   */
  compact(
    table: string,
    args: {
      partitions?: Record<string, string>[];
      targetSize?: number;
      maxConcurrentTasks?: number;
      checkpoint?: boolean;
    } = {},
  ): Promise<CompactResult> {
    return this.request({
      op: 'compact',
      table,
      partitions: args.partitions,
      target_size: args.targetSize,
      max_concurrent_tasks: args.maxConcurrentTasks,
      checkpoint: args.checkpoint,
    });
  }

  /** Deletes files removed from the table longer ago than its deleted-file retention (7 days). */
  vacuum(table: string): Promise<{ deleted: number }> {
    return this.request({ op: 'vacuum', table });
  }

  committedVersion(table: string, appId?: string): Promise<{ version: number | null }> {
    return this.request({ op: 'committed_version', table, app_id: appId });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.stdin.end();
    await new Promise((r) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        r(undefined);
      }, 5000);
      child.once('exit', () => {
        clearTimeout(t);
        r(undefined);
      });
    });
  }
}
