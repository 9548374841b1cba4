// Durable write-ahead log for the embedded mode: an acknowledged request is in an fsync'ed
// segment file before the response is sent. Many concurrent requests share one write + one
// fdatasync (group commit), which is what makes durable acknowledgement fast.
//
// Format: a segment is NDJSON, one line per appended record (one request's rows). Segments are
// numbered; the highest is the active one, the others are sealed and wait for the flusher,
// which retires (deletes) a segment only after its rows are committed to the lake. A crash can
// leave a torn last line; readers skip a last line that is not complete JSON — it was never
// acknowledged, because acknowledgement waits for the fsync that covers the whole line.
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../../errors';

export interface WalOptions {
  dir: string;
  /** Seal the active segment when it reaches this size (bytes). */
  segmentBytes: number;
  /** Refuse new appends (503) while unretired segments exceed this many bytes. */
  maxPendingBytes: number;
  /** Test hook: count fsyncs. */
  onSync?: () => void;
}

interface Pending {
  line: Buffer;
  resolve: (segment: number) => void;
  reject: (error: unknown) => void;
}

const NAME = /^(\d{16})\.wal$/;
const fileName = (seq: number) => `${String(seq).padStart(16, '0')}.wal`;

export class WriteAheadLog {
  private active!: { seq: number; fh: FileHandle; bytes: number };
  private queue: Pending[] = [];
  private writing = false;
  private closed = false;
  private sealed: number[] = [];
  private pendingBytes = 0;
  private segmentSizes = new Map<number, number>();

  private constructor(private readonly opts: WalOptions) {}

  /** Opens the log; segments left by a previous run (crash or not) are sealed for the flusher. */
  static async open(opts: WalOptions): Promise<WriteAheadLog> {
    const wal = new WriteAheadLog(opts);
    await mkdir(opts.dir, { recursive: true });
    const existing = (await readdir(opts.dir))
      .map((n) => NAME.exec(n)?.[1])
      .filter((s): s is string => Boolean(s))
      .map(Number)
      .sort((a, b) => a - b);
    for (const seq of existing) {
      const size = (await stat(wal.pathOf(seq))).size;
      if (size === 0) {
        await rm(wal.pathOf(seq));
        continue;
      }
      wal.sealed.push(seq);
      wal.segmentSizes.set(seq, size);
      wal.pendingBytes += size;
    }
    // Segment numbers are the lake's idempotency versions, so they must never be reused, even
    // after every segment was retired: HEAD remembers the last one opened.
    const head =
      Number((await readFile(path.join(opts.dir, 'HEAD'), 'utf8').catch(() => '0')).trim()) || 0;
    await wal.openSegment(Math.max(existing.at(-1) ?? 0, head) + 1);
    return wal;
  }

  pathOf(seq: number): string {
    return path.join(this.opts.dir, fileName(seq));
  }

  /** Sealed segments waiting for the flusher, oldest first. */
  sealedSegments(): number[] {
    return [...this.sealed];
  }

  get stats() {
    return {
      activeSegment: this.active.seq,
      activeBytes: this.active.bytes,
      sealed: this.sealed.length,
      pendingBytes: this.pendingBytes,
      queued: this.queue.length,
    };
  }

  /** Appends one record; resolves with its segment number once it is on disk (fsync'ed). */
  append(record: unknown): Promise<number> {
    if (this.closed)
      return Promise.reject(
        new AppError(
          'SERVICE_UNAVAILABLE',
          'The event log is closed; the server is shutting down.',
        ),
      );
    if (this.pendingBytes > this.opts.maxPendingBytes) {
      return Promise.reject(
        new AppError(
          'SERVICE_UNAVAILABLE',
          'The lake writer is behind; events are not accepted for the moment. Retry after a few seconds.',
          { retryAfterSeconds: 5 },
        ),
      );
    }
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  // Writes, seals and closes of the active segment run one at a time on this lane.
  private lane: Promise<unknown> = Promise.resolve();
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lane.then(fn, fn);
    this.lane = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.exclusive(() => this.writeBatch(batch));
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const seq = this.active.seq;
    try {
      const buffer = Buffer.concat(batch.map((p) => p.line));
      await this.active.fh.write(buffer);
      await this.active.fh.datasync();
      this.opts.onSync?.();
      this.active.bytes += buffer.length;
      this.pendingBytes += buffer.length;
      this.segmentSizes.set(seq, this.active.bytes);
      for (const p of batch) p.resolve(seq);
    } catch (error) {
      const failure = new AppError(
        'SERVICE_UNAVAILABLE',
        'Events could not be written to the log. Retry after a few seconds.',
        { retryAfterSeconds: 5 },
        { cause: error },
      );
      for (const p of batch) p.reject(failure);
    }
    if (this.active.bytes >= this.opts.segmentBytes) await this.sealNow();
  }

  /** Seals the active segment if it has data, so the flusher can take it. Returns its number. */
  seal(): Promise<number | undefined> {
    return this.exclusive(() => this.sealNow());
  }

  private async sealNow(): Promise<number | undefined> {
    if (this.active.bytes === 0) return undefined;
    const { seq, fh } = this.active;
    await this.openSegment(seq + 1);
    await fh.close();
    this.sealed.push(seq);
    return seq;
  }

  private async openSegment(seq: number): Promise<void> {
    const headTmp = path.join(this.opts.dir, 'HEAD.tmp');
    await writeFile(headTmp, String(seq));
    const h = await open(headTmp, 'r+');
    await h.sync();
    await h.close();
    await rename(headTmp, path.join(this.opts.dir, 'HEAD'));
    const fh = await open(this.pathOf(seq), 'a');
    await syncDir(this.opts.dir);
    this.active = { seq, fh, bytes: 0 };
  }

  /** Reads the complete records of a sealed segment. */
  async *read(seq: number): AsyncGenerator<unknown> {
    const rl = readline.createInterface({
      input: createReadStream(this.pathOf(seq)),
      crlfDelay: Infinity,
    });
    let previous: string | undefined;
    for await (const line of rl) {
      if (previous !== undefined) yield JSON.parse(previous);
      previous = line;
    }
    if (previous !== undefined && previous.length > 0) {
      try {
        yield JSON.parse(previous);
      } catch {
        // A torn last line from a crash: never acknowledged, so not lost.
      }
    }
  }

  /** Deletes a sealed segment after its rows are committed to the lake. */
  async retire(seq: number): Promise<void> {
    const i = this.sealed.indexOf(seq);
    if (i === -1) throw new AppError('INTERNAL', `Segment ${seq} is not sealed.`);
    await rm(this.pathOf(seq), { force: true });
    await syncDir(this.opts.dir);
    this.sealed.splice(i, 1);
    this.pendingBytes -= this.segmentSizes.get(seq) ?? 0;
    this.segmentSizes.delete(seq);
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await new Promise((r) => setImmediate(r));
    await this.exclusive(() => this.active.fh.close());
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
