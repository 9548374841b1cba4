// The two halves of intake, one interface per mode. Embedded: the write-ahead log (fsync'ed
// segments) and the flusher that commits its segments to the lake. Distributed (KAFKA_BROKERS):
// the events topic (acks=all) and the consumer group that commits it to the lake. The collector,
// imports, dead-letter replays, dbt builds and the admin views use only these.
import type { CommitHook, FlushedSegment } from './flusher';
import type { IntakeRecord } from './kafka/kafka-log';

export interface IntakeLog {
  /** Resolves once the record is durable (fsync'ed, or acknowledged by Kafka). */
  append(record: IntakeRecord): Promise<unknown>;
  readonly stats: { activeBytes: number; sealed: number; pendingBytes: number };
}

/** Moves what the intake log acknowledged into the lake. */
export interface LakeSink {
  /** Resolves when everything acknowledged before the call is in the lake. */
  flush(): Promise<void>;
  /** A hint that much was appended (the flusher may flush early). */
  nudge(): void;
  /** Runs after each lake commit, before the intake log lets go of its rows. */
  afterCommit(name: string, fn: CommitHook): void;
  on(event: 'flushed', listener: (segment: FlushedSegment) => void): unknown;
  off(event: 'flushed', listener: (segment: FlushedSegment) => void): unknown;
  readonly lastFlushAt: Date | undefined;
  readonly lastError: string | undefined;
  stop(): Promise<void>;
}

export type IntakeMode = 'wal' | 'kafka';
