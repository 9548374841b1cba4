// Moves acknowledged events from the write-ahead log into the lake. Every `intervalMs` (or
// sooner when the active segment passes `flushBytes`) it seals the active segment and commits
// each sealed segment, oldest first, through the Delta writer; a segment is retired only after
// its commit. On start it first replays whatever an earlier run left behind — safe because
// every commit is idempotent per segment number.
import { EventEmitter } from 'node:events';
import type { Logger } from '../logger';
import type { AppendSegmentResult, DeltaWriter } from '../lake/delta-writer';
import type { WriteAheadLog } from './wal/write-ahead-log';

export interface FlusherOptions {
  wal: WriteAheadLog;
  writer: DeltaWriter;
  eventsTable: string;
  identifiesTable: string;
  intervalMs: number;
  flushBytes: number;
  logger: Logger;
}

/**
 * Runs after a segment's Delta commit and before the segment is retired, so it can still read
 * the segment (`wal.read(segment)`). A failing hook is logged and does not hold up the lake.
 */
export type CommitHook = (segment: FlushedSegment) => Promise<void>;

export interface FlushedSegment extends AppendSegmentResult {
  segment: number;
  /** The committed rows as a WAL-format file, when it is not `wal.pathOf(segment)` (Kafka). */
  path?: string;
}

export class Flusher extends EventEmitter<{
  flushed: [FlushedSegment];
  'flush-failed': [unknown];
}> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private hooks: { name: string; fn: CommitHook }[] = [];
  lastFlushAt: Date | undefined;
  lastError: string | undefined;

  constructor(private readonly opts: FlusherOptions) {
    super();
  }

  /** Registers a commit hook (schema registry, views of new tables, …). */
  afterCommit(name: string, fn: CommitHook): void {
    this.hooks.push({ name, fn });
  }

  start(): void {
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.flush();
      this.failures = 0;
      this.schedule(this.opts.intervalMs);
    } catch (error) {
      this.failures++;
      this.lastError = (error as Error).message;
      this.opts.logger.error(
        { err: error, failures: this.failures },
        'flush to the lake failed; will retry',
      );
      // Not 'error': an EventEmitter 'error' without a listener throws, and a failed background
      // flush would take the whole server down (and again at every start, on replay).
      this.emit('flush-failed', error);
      // Back off up to 30 s; events stay safe in the log meanwhile.
      this.schedule(Math.min(30_000, this.opts.intervalMs * 2 ** this.failures));
    }
  }

  /**
   * Seals the active segment and commits every sealed one; resolves when everything appended
   * before the call is in the lake. One flush runs at a time: a call during a running flush
   * waits for it and then flushes again (the running one may have sealed before this caller's
   * appends).
   */
  flush(): Promise<void> {
    if (!this.running) {
      this.running = this.flushOnce().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.flush();
      });
    return this.queued;
  }
  private queued: Promise<void> | undefined;

  private async flushOnce(): Promise<void> {
    await this.opts.wal.seal();
    for (const segment of this.opts.wal.sealedSegments()) {
      const started = performance.now();
      const result = await this.opts.writer.appendSegment({
        segment: this.opts.wal.pathOf(segment),
        version: segment,
        eventsTable: this.opts.eventsTable,
        identifiesTable: this.opts.identifiesTable,
      });
      const flushed = { segment, ...result };
      const ms: Record<string, number> = { append: Math.round(performance.now() - started) };
      for (const hook of this.hooks) {
        const hookStarted = performance.now();
        await hook
          .fn(flushed)
          .catch((error: unknown) =>
            this.opts.logger.error({ err: error, hook: hook.name, segment }, 'commit hook failed'),
          );
        ms[hook.name] = Math.round(performance.now() - hookStarted);
      }
      await this.opts.wal.retire(segment);
      this.lastFlushAt = new Date();
      this.lastError = undefined;
      this.opts.logger.debug({ ...flushed, ms }, 'segment committed to the lake');
      this.emit('flushed', flushed);
    }
  }

  /** Called by the collector after an append: flush early when the active segment is big. */
  nudge(): void {
    if (this.opts.wal.stats.activeBytes >= this.opts.flushBytes && !this.running)
      void this.flush().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
