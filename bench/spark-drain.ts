// The Spark half of `npm run tl -- bench distributed`: how fast each lake writer moves a Kafka
// topic into bronze. The same topic (what the Kafka ingest phase left on the broker) is drained
// twice into fresh lakes, each writer with a consumer group of its own: first by the app's own
// Kafka lake writer (kafkajs + the delta-rs sidecar, the baseline), then by the Spark Structured
// Streaming job (trigger availableNow, local[2]). Reported: the app's writer's events/s from its
// start to its last commit; the Spark job's over its micro-batches, and its wall time including
// the JVM's start.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../server/logger';
import { DeltaWriter } from '../server/lake/delta-writer';
import { KafkaLakeWriter } from '../server/ingest/kafka/kafka-lake-writer';
import { parseProgress } from '../server/ingest/kafka/spark-stream';
import type { KafkaSettings } from '../server/ingest/kafka/kafka-log';

export interface SparkDrainResult {
  topic: string;
  events: number;
  app_writer: { seconds: number; events_per_s: number };
  spark: {
    master: string;
    wall_seconds: number;
    batches: number;
    batch_seconds: number;
    events_per_s: number;
  };
  spark_vs_app_writer: number;
}

export async function benchSparkDrain(opts: {
  brokers: string;
  topic: string;
  root: string;
  master?: string;
  log: (line: string) => void;
}): Promise<SparkDrainResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-bench-spark-'));
  const master = opts.master ?? 'local[2]';
  try {
    // The baseline: the app's own writer drains the topic with a fresh group.
    const settings: KafkaSettings = {
      brokers: [opts.brokers],
      topic: opts.topic,
      partitions: 6,
      retentionMs: 7 * 86_400_000,
      groupId: `bench-app-${Date.now()}`,
      clientId: 'tl-bench',
    };
    const logger = createLogger('warn');
    const writer = new DeltaWriter({ root: opts.root, logger });
    const app = new KafkaLakeWriter({
      settings,
      writer,
      eventsTable: path.join(dir, 'app', 'bronze', 'events'),
      identifiesTable: path.join(dir, 'app', 'bronze', 'identifies'),
      spoolDir: path.join(dir, 'app-spool'),
      maxWaitMs: 200,
      logger,
    });
    let events = 0;
    let first = 0;
    let last = 0;
    app.on('flushed', (f) => {
      events += f.events;
      last = performance.now();
    });
    opts.log(`the app's Kafka lake writer drains ${opts.topic}…`);
    first = performance.now();
    await app.start();
    await app.flush(1_800_000);
    await app.stop();
    await writer.close();
    const appSeconds = (last - first) / 1000;
    opts.log(`  ${events} events in ${appSeconds.toFixed(1)} s`);

    opts.log(`the Spark job (${master}, availableNow) drains ${opts.topic}…`);
    const lake = path.join(dir, 'spark');
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        path.join(opts.root, '.venv', 'bin', 'python'),
        [
          '-m',
          'tl_spark.job',
          '--brokers',
          opts.brokers,
          '--topic',
          opts.topic,
          '--group',
          `bench-spark-${Date.now()}`,
          '--lake',
          lake,
          '--master',
          master,
          '--trigger',
          'availableNow',
        ],
        {
          cwd: path.join(opts.root, 'pipelines', 'spark'),
          env: { ...process.env, PYTHONPATH: path.join(opts.root, 'pipelines', 'spark') },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`the Spark job exited ${code}: ${stderr}`)),
      );
    });
    const wall = (performance.now() - started) / 1000;
    const { batches } = parseProgress(
      await readFile(path.join(lake, '_spark', 'checkpoint', 'tl-progress.jsonl'), 'utf8'),
    );
    const sparkEvents = batches.reduce((s, b) => s + b.events, 0);
    const batchSeconds = batches.reduce((s, b) => s + b.duration_ms, 0) / 1000;
    if (sparkEvents !== events)
      throw new Error(
        `the writers disagree: the app's wrote ${events} events, the Spark job ${sparkEvents}`,
      );
    opts.log(
      `  ${sparkEvents} events in ${batches.length} micro-batch(es), ${batchSeconds.toFixed(1)} s (${wall.toFixed(1)} s with Spark's start)`,
    );
    const appRate = Math.round(events / Math.max(appSeconds, 1e-3));
    const sparkRate = Math.round(sparkEvents / Math.max(batchSeconds, 1e-3));
    return {
      topic: opts.topic,
      events,
      app_writer: { seconds: Number(appSeconds.toFixed(2)), events_per_s: appRate },
      spark: {
        master,
        wall_seconds: Number(wall.toFixed(1)),
        batches: batches.length,
        batch_seconds: Number(batchSeconds.toFixed(2)),
        events_per_s: sparkRate,
      },
      spark_vs_app_writer: Number((sparkRate / Math.max(appRate, 1)).toFixed(2)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
