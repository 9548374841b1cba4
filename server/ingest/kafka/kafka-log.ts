// The distributed mode's intake log: the collector's acknowledged rows go to a Kafka topic
// instead of the local write-ahead log. The producer is idempotent with acks=all, and a request
// is answered 200 only after the broker acknowledged every message of it, so the promise is the
// embedded one: an acknowledged event is never lost (the lake writer consumes it later, see
// kafka-lake-writer.ts). Rows are partitioned by user (user_id, else anonymous_id), so one
// user's events stay in one partition, in order; one message carries a request's rows of one
// partition.
import { Kafka, logLevel, Partitioners, type Admin, type Producer, type logCreator } from 'kafkajs';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import type { BronzeEvent, BronzeIdentify } from '../collector/normalize';

export interface KafkaSettings {
  brokers: string[];
  /** The events topic; dead letters go to `<topic>.dead-letters`. */
  topic: string;
  partitions: number;
  retentionMs: number;
  groupId: string;
  clientId: string;
}

/** One request's accepted rows: the write-ahead log's record, and a Kafka message's value. */
export interface IntakeRecord {
  id: string;
  events: BronzeEvent[];
  identifies: BronzeIdentify[];
}

export const deadLetterTopic = (s: Pick<KafkaSettings, 'topic'>) => `${s.topic}.dead-letters`;

/** kafkajs logs through pino, at warn and above (its info lines are per connection). */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...rest } = log;
      const fields = { kafka: rest };
      // Said once per producer: a send that gives up (after ~30 s of retries) is answered 503
      // and resent by the client, and the marts keep one row per event_id.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      // Right after a broker (re)start its coordinators load; kafkajs retries these by itself.
      if (/coordinator is (loading|not available)/i.test(String(rest.error ?? ''))) {
        logger.debug(fields, `kafka: ${message}`);
        return;
      }
      if (level <= logLevel.ERROR) logger.error(fields, `kafka: ${message}`);
      else if (level === logLevel.WARN) logger.warn(fields, `kafka: ${message}`);
    };
}

export function kafkaClient(settings: KafkaSettings, logger: Logger, suffix = ''): Kafka {
  return new Kafka({
    clientId: `${settings.clientId}${suffix}`,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    connectionTimeout: 3000,
    // A broker restart takes seconds: retry for up to ~30 s before a call fails.
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
  });
}

/** Creates the events and dead-letter topics when missing (idempotent; safe at every start). */
export async function ensureTopics(admin: Admin, settings: KafkaSettings): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: settings.topic, numPartitions: settings.partitions },
    { topic: deadLetterTopic(settings), numPartitions: 1 },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: wanted.map((t) => ({
      ...t,
      replicationFactor: -1, // the broker's default.replication.factor
      configEntries: [
        { name: 'retention.ms', value: String(settings.retentionMs) },
        { name: 'cleanup.policy', value: 'delete' },
      ],
    })),
  });
}

function keyOf(row: { user_id: string | null; anonymous_id: string | null }, id: string): string {
  return row.user_id ?? row.anonymous_id ?? id;
}

/** FNV-1a (32 bit): a stable, fast hash of a user key onto a partition. */
export function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/**
 * One message per partition a request touches: each row goes to the partition of its user
 * (user_id, else anonymous_id), so one user's rows are always in one partition, in order — what
 * keying each message by user would give, with a handful of messages per request instead of
 * one per user (the producer's cost is per message).
 */
export function messagesOf(
  record: IntakeRecord,
  partitions: number,
): { partition: number; value: string }[] {
  const byPartition = new Map<number, IntakeRecord>();
  const at = (key: string) => {
    const partition = partitionOf(key, partitions);
    let m = byPartition.get(partition);
    if (!m) byPartition.set(partition, (m = { id: record.id, events: [], identifies: [] }));
    return m;
  };
  for (const e of record.events) at(keyOf(e, e.event_id)).events.push(e);
  for (const i of record.identifies) at(keyOf(i, record.id)).identifies.push(i);
  return [...byPartition].map(([partition, value]) => ({
    partition,
    value: JSON.stringify(value),
  }));
}

interface Pending {
  topic: string;
  messages: { partition?: number; key?: string; value: string }[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Requests whose messages share one produce request stop growing past this many bytes. */
const GROUP_BYTES = 512 << 10;

/**
 * The topic's producer. One produce request is in flight at a time: kafkajs's idempotent
 * producer reads a partition's sequence number when it builds a request and advances it when the
 * response arrives, so two concurrent sends to one partition carry the same number and the
 * broker takes the second for a retry of the first — acknowledged, never written (kafkajs issue
 * #1005); after a broker restart the same race wrote one request twice. Requests that arrive
 * while one is in flight wait and then go together in the next produce request (group commit),
 * each answered when that request is acknowledged.
 */
export class KafkaEventLog {
  acknowledged = 0;
  lastError: string | undefined;
  private queue: Pending[] = [];
  private sending = false;
  private producer: Producer | undefined;
  /** Produce requests sent, and producers replaced after a failed one (for tests and stats). */
  readonly sends = { requests: 0, resets: 0 };

  private constructor(
    readonly settings: KafkaSettings,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    producer: Producer,
    /** The topic's partition count (it may predate KAFKA_PARTITIONS). */
    private readonly partitions: number,
  ) {
    this.producer = producer;
  }

  private static producerOf(kafka: Kafka): Producer {
    return kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Messages name their partition (messagesOf); this only silences kafkajs's v2 warning.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
    });
  }

  static async open(settings: KafkaSettings, logger: Logger): Promise<KafkaEventLog> {
    const kafka = kafkaClient(settings, logger, '-producer');
    const admin = kafka.admin();
    const producer = KafkaEventLog.producerOf(kafka);
    let partitions: number;
    try {
      await admin.connect();
      await ensureTopics(admin, settings);
      const metadata = await admin.fetchTopicMetadata({ topics: [settings.topic] });
      partitions = metadata.topics[0]?.partitions.length ?? settings.partitions;
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      throw unavailable(settings, error);
    }
    return new KafkaEventLog(settings, kafka, admin, producer, partitions);
  }

  /** Resolves once the broker acknowledged every row (acks=all); rejects with 503 otherwise. */
  async append(record: IntakeRecord): Promise<void> {
    const messages = messagesOf(record, this.partitions);
    if (messages.length === 0) return;
    try {
      await this.enqueue(this.settings.topic, messages);
      this.acknowledged += record.events.length + record.identifies.length;
      this.lastError = undefined;
    } catch (error) {
      this.lastError = (error as Error).message;
      throw unavailable(this.settings, error);
    }
  }

  /** Rejected payloads, for the dead-letter topic (best effort: they are in Postgres too). */
  async deadLetter(items: { key: string; value: string }[]): Promise<void> {
    if (items.length === 0) return;
    await this.enqueue(deadLetterTopic(this.settings), items);
  }

  private enqueue(topic: string, messages: Pending['messages']): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const bytes = messages.reduce((n, m) => n + m.value.length, 0);
      this.queue.push({ topic, messages, bytes, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        let bytes = 0;
        let n = 0;
        while (n < this.queue.length && (n === 0 || bytes + this.queue[n]!.bytes <= GROUP_BYTES))
          bytes += this.queue[n++]!.bytes;
        const group = this.queue.splice(0, n);
        const byTopic = new Map<string, Pending['messages']>();
        for (const p of group) {
          const list = byTopic.get(p.topic);
          if (list) list.push(...p.messages);
          else byTopic.set(p.topic, [...p.messages]);
        }
        try {
          const producer = await this.connected();
          this.sends.requests++;
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          });
          for (const p of group) p.resolve();
        } catch (error) {
          for (const p of group) p.reject(error);
          await this.reset();
        }
      }
    } finally {
      this.sending = false;
    }
  }

  /**
   * After a failed send the broker may or may not have written it, and kafkajs did not advance
   * the sequence numbers: the next request would reuse them and be dropped as a duplicate while
   * acknowledged. A new producer (a new producer id) starts clean; it connects at the next send.
   */
  private async reset(): Promise<void> {
    const old = this.producer;
    this.producer = undefined;
    this.sends.resets++;
    await old?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = KafkaEventLog.producerOf(this.kafka);
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  get stats() {
    return { activeBytes: 0, sealed: 0, pendingBytes: 0 };
  }

  async close(): Promise<void> {
    while (this.sending) await new Promise((r) => setTimeout(r, 10));
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}

function unavailable(settings: KafkaSettings, error: unknown): AppError {
  return new AppError(
    'SERVICE_UNAVAILABLE',
    `Kafka (${settings.brokers.join(', ')}) did not acknowledge the events. Retry later: a resent event is counted once (the marts keep one row per event_id). (${(error as Error).message})`,
  );
}
