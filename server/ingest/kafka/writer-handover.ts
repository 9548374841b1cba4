// Kafka mode has two lake writers for one topic: the app's own consumer (KafkaLakeWriter) and the
// Spark Structured Streaming job (SparkStreamJob). Exactly one consumes at a time; this hands the
// topic from one to the other. Both commit to the same consumer group after their Delta commits,
// so the one that takes over starts where the other stopped, and both make their Delta writes
// idempotent, so a hand-over after a crash writes nothing twice.
import type { Logger } from '../../logger';
import type { KafkaLakeWriter } from './kafka-lake-writer';
import type { SparkJobStatus, SparkStreamJob } from './spark-stream';

export interface HandoverStatus extends SparkJobStatus {
  /** Which writer consumes the topic now. */
  writer: 'app' | 'spark' | 'none';
}

export class LakeWriterHandover {
  private closed = false;
  private hooks: Promise<void> = Promise.resolve();
  private transition: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly app: KafkaLakeWriter,
    readonly spark: SparkStreamJob,
    private readonly logger: Logger,
  ) {
    // Each Spark batch's commit runs the app's commit hooks, one after another, in order.
    spark.on('batch', (_batch, flushed) => {
      this.hooks = this.hooks.then(() => app.committedElsewhere(flushed));
    });
    // The job ended (stopped, finished or crashed): the app's writer takes the topic back.
    spark.on('exit', () => {
      if (this.closed) return;
      void this.serial(() => this.app.resume()).catch((error: unknown) =>
        this.logger.error({ err: error }, 'the Kafka lake writer could not resume after Spark'),
      );
    });
  }

  /** One hand-over at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.transition.then(fn, fn);
    this.transition = next.catch(() => undefined);
    return next;
  }

  /** At the app's start: the topic's writer is Spark when `spark` (SPARK_MASTER), else the app. */
  async start(spark: boolean): Promise<void> {
    await this.app.start({ consume: !spark });
    if (spark)
      await this.startSpark().catch((error: unknown) =>
        this.logger.error(
          { err: error },
          'SPARK_MASTER is set but the Spark job did not start; the app writes the lake',
        ),
      );
  }

  /** Suspends the app's consumer, then starts the job; on failure the app's writer resumes. */
  startSpark(): Promise<void> {
    return this.serial(async () => {
      if (this.spark.running) return;
      await this.app.suspend();
      try {
        await this.spark.start();
      } catch (error) {
        await this.app.resume();
        throw error;
      }
    });
  }

  /** Stops the job; its exit hands the topic back to the app's writer. */
  async stopSpark(): Promise<void> {
    await this.spark.stop();
    await this.transition;
  }

  async status(): Promise<HandoverStatus> {
    const s = await this.spark.status();
    return { ...s, writer: s.running ? 'spark' : this.app.consuming ? 'app' : 'none' };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.spark.stop();
    await this.hooks;
  }
}
