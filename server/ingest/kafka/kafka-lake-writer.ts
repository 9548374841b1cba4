// The distributed mode's lake writer: a consumer group that moves the events topic into the
// same Delta tables the embedded flusher writes (bronze.events, bronze.identifies).
//
// Per fetched batch of one partition: the rows are spooled to a local file in the write-ahead
// log's format, committed through the same Delta writer sidecar with the transaction identifier
// `tl-kafka:<topic>:<partition>` and version = the offset after the batch, then the commit hooks
// run (schema registry, bronze views), and only then is the offset committed to Kafka
// (at-least-once delivery). A batch redelivered after a crash between the Delta commit and the
// offset commit is not written twice: before its first batch of a partition the writer reads the
// partition's committed version from each table and drops the rows below it, so bronze receives
// every message exactly once (and the marts also keep one row per event_id).
import { EventEmitter } from 'node:events';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Admin, Consumer, EachBatchPayload } from 'kafkajs';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import type { DeltaWriter } from '../../lake/delta-writer';
import type { CommitHook, FlushedSegment } from '../flusher';
import {
  deadLetterTopic,
  kafkaClient,
  ensureTopics,
  type IntakeRecord,
  type KafkaSettings,
} from './kafka-log';

export interface KafkaLakeWriterOptions {
  settings: KafkaSettings;
  writer: DeltaWriter;
  eventsTable: string;
  identifiesTable: string;
  /** Where a batch is spooled for the sidecar (deleted after its commit). */
  spoolDir: string;
  /** How long the broker may wait to fill a fetch (also the latency floor of the lake). */
  maxWaitMs: number;
  logger: Logger;
}

interface Progress {
  events: number;
  identifies: number;
}

export const appIdOf = (topic: string, partition: number) => `tl-kafka:${topic}:${partition}`;

/** Splits a batch's messages into the rows not yet in each table (pure; exported for tests). */
export function rowsToWrite(
  messages: { offset: string; value: Buffer | null }[],
  done: Progress,
): { events: IntakeRecord['events']; identifies: IntakeRecord['identifies']; bad: number[] } {
  const events: IntakeRecord['events'] = [];
  const identifies: IntakeRecord['identifies'] = [];
  const bad: number[] = [];
  for (const m of messages) {
    const offset = Number(m.offset);
    let record: Partial<IntakeRecord>;
    try {
      record = JSON.parse(m.value?.toString('utf8') ?? 'null') as Partial<IntakeRecord>;
      if (!record || !Array.isArray(record.events) || !Array.isArray(record.identifies))
        throw new Error('not an intake record');
    } catch {
      bad.push(offset);
      continue;
    }
    if (offset >= done.events) events.push(...record.events);
    if (offset >= done.identifies) identifies.push(...record.identifies);
  }
  return { events, identifies, bad };
}

export class KafkaLakeWriter extends EventEmitter<{
  flushed: [FlushedSegment];
  'flush-failed': [unknown];
}> {
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private hooks: { name: string; fn: CommitHook }[] = [];
  /** Per partition: the first offset not yet in each table; cleared at every (re)assignment. */
  private progress = new Map<number, Progress>();
  private batches = 0;
  /** Messages fetched, and those fetched again after their rows were committed. */
  readonly stats = { batches: 0, messages: 0, redelivered: 0 };
  lastFlushAt: Date | undefined;
  lastError: string | undefined;

  constructor(private readonly opts: KafkaLakeWriterOptions) {
    super();
  }

  afterCommit(name: string, fn: CommitHook): void {
    this.hooks.push({ name, fn });
  }

  async start(opts: { consume?: boolean } = {}): Promise<void> {
    const { settings, logger } = this.opts;
    await mkdir(this.opts.spoolDir, { recursive: true });
    this.admin = kafkaClient(settings, logger, '-lake-writer').admin();
    await this.admin.connect();
    await ensureTopics(this.admin, settings);
    if (opts.consume !== false) await this.resume();
  }

  /** Whether this writer's consumer is running (false while the Spark job writes the lake). */
  get consuming(): boolean {
    return this.consumer !== undefined;
  }

  /**
   * Stops consuming and leaves the consumer group (its committed offsets stay), so another
   * writer — the Spark job — can take the topic over; the admin client stays for lag().
   */
  async suspend(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
    this.progress.clear();
  }

  /** Joins the consumer group and consumes from its committed offsets. */
  async resume(): Promise<void> {
    if (this.consumer) return;
    const { settings, logger } = this.opts;
    const kafka = kafkaClient(settings, logger, '-lake-writer');
    const consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      minBytes: 1 << 20,
      maxBytes: 64 << 20,
      maxBytesPerPartition: 16 << 20,
      maxWaitTimeInMs: this.opts.maxWaitMs,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 200, retries: 1_000_000, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    this.progress.clear();
    consumer.on(consumer.events.GROUP_JOIN, () => this.progress.clear());
    await consumer.connect();
    await consumer.subscribe({ topic: settings.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload, consumer),
    });
  }

  /**
   * A commit another writer (the Spark job) made to the lake: the same commit hooks run for it
   * (schema registry, bronze views) and it counts as this lake writer's last flush.
   */
  async committedElsewhere(flushed: FlushedSegment): Promise<void> {
    await this.runHooks(flushed);
    this.lastFlushAt = new Date();
    this.lastError = undefined;
    this.emit('flushed', flushed);
  }

  private async runHooks(flushed: FlushedSegment, partition?: number): Promise<void> {
    for (const hook of this.hooks) {
      await hook
        .fn(flushed)
        .catch((error: unknown) =>
          this.opts.logger.error({ err: error, hook: hook.name, partition }, 'commit hook failed'),
        );
    }
  }

  private async committed(partition: number): Promise<Progress> {
    const known = this.progress.get(partition);
    if (known) return known;
    const appId = appIdOf(this.opts.settings.topic, partition);
    const [events, identifies] = await Promise.all([
      this.opts.writer.committedVersion(this.opts.eventsTable, appId),
      this.opts.writer.committedVersion(this.opts.identifiesTable, appId),
    ]);
    const progress = { events: events.version ?? 0, identifies: identifies.version ?? 0 };
    this.progress.set(partition, progress);
    return progress;
  }

  private async onBatch(
    { batch, heartbeat, isStale, resolveOffset }: EachBatchPayload,
    consumer: Consumer,
  ): Promise<void> {
    if (batch.messages.length === 0 || isStale()) return;
    const { topic, partition } = batch;
    const started = performance.now();
    try {
      const version = Number(batch.lastOffset()) + 1;
      const { events, identifies, bad } = rowsToWrite(
        batch.messages,
        await this.committed(partition),
      );
      if (bad.length) await this.deadLetterUnreadable(batch, bad);
      const done = this.progress.get(partition)!;
      this.stats.batches++;
      this.stats.messages += batch.messages.length;
      this.stats.redelivered += batch.messages.filter(
        (m) => Number(m.offset) < Math.max(done.events, done.identifies),
      ).length;
      const segment = path.join(this.opts.spoolDir, `${partition}-${version}.wal`);
      const line = JSON.stringify({ id: `${topic}:${partition}:${version}`, events, identifies });
      await writeFile(segment, `${line}\n`);
      await heartbeat();
      const result = await this.opts.writer.appendSegment({
        segment,
        version,
        eventsTable: this.opts.eventsTable,
        identifiesTable: this.opts.identifiesTable,
        appId: appIdOf(topic, partition),
      });
      this.progress.set(partition, { events: version, identifies: version });
      const flushed: FlushedSegment = { segment: ++this.batches, path: segment, ...result };
      await this.runHooks(flushed, partition);
      await heartbeat();
      // After the Delta commit, never before: a crash in between redelivers the batch, and the
      // committed version above makes the redelivery a no-op.
      await consumer.commitOffsets([{ topic, partition, offset: String(version) }]);
      // The fetch position: without it kafkajs fetches this batch again (and more) next time.
      resolveOffset(batch.lastOffset());
      await rm(segment, { force: true });
      this.lastFlushAt = new Date();
      this.lastError = undefined;
      this.opts.logger.debug(
        { partition, version, ...result, ms: Math.round(performance.now() - started) },
        'kafka batch committed to the lake',
      );
      this.emit('flushed', flushed);
    } catch (error) {
      this.lastError = (error as Error).message;
      this.opts.logger.error(
        { err: error, partition },
        'kafka batch to the lake failed; will retry',
      );
      this.emit('flush-failed', error);
      // Forget what we knew: the retry re-reads the tables' committed versions.
      this.progress.delete(partition);
      throw error; // kafkajs retries the batch (the offset was not committed)
    }
  }

  private async deadLetterUnreadable(
    batch: EachBatchPayload['batch'],
    offsets: number[],
  ): Promise<void> {
    this.opts.logger.warn(
      { partition: batch.partition, offsets: offsets.slice(0, 20), count: offsets.length },
      'unreadable messages on the events topic: sent to the dead-letter topic',
    );
    const producer = kafkaClient(this.opts.settings, this.opts.logger, '-dlq').producer();
    await producer.connect();
    try {
      const wanted = new Set(offsets);
      await producer.send({
        topic: deadLetterTopic(this.opts.settings),
        acks: -1,
        messages: batch.messages
          .filter((m) => wanted.has(Number(m.offset)))
          .map((m) => ({
            key: m.key,
            value: m.value,
            headers: { source_partition: String(batch.partition), source_offset: m.offset },
          })),
      });
    } finally {
      await producer.disconnect();
    }
  }

  /** Per partition: end offset, committed offset and lag of this writer's group. */
  async lag(): Promise<{ partition: number; end: number; committed: number; lag: number }[]> {
    const admin = this.admin;
    if (!admin) return [];
    const { topic, groupId } = this.opts.settings;
    const [ends, groups] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committed = new Map(
      (groups[0]?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]),
    );
    return ends
      .map((e) => {
        const end = Number(e.high);
        const done = committed.get(e.partition) ?? 0;
        return { partition: e.partition, end, committed: done, lag: Math.max(0, end - done) };
      })
      .sort((a, b) => a.partition - b.partition);
  }

  /** Resolves when everything on the topic when it was called is in the lake. */
  async flush(timeoutMs = 120_000): Promise<void> {
    const target = new Map((await this.lag()).map((p) => [p.partition, p.end]));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await this.lag();
      if (now.every((p) => p.committed >= (target.get(p.partition) ?? 0))) return;
      if (Date.now() > deadline)
        throw new AppError(
          'TIMEOUT',
          `The Kafka lake writer did not catch up within ${timeoutMs} ms (lag ${now.reduce((s, p) => s + p.lag, 0)} messages${this.lastError ? `; last error: ${this.lastError}` : ''}).`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The embedded flusher flushes early on size; here the consumer is always fetching. */
  nudge(): void {}

  async stop(): Promise<void> {
    await this.suspend().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.admin = undefined;
  }
}
