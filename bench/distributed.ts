// `npm run tl -- bench distributed`: the distributed parts against the embedded ones, side by side
// in one run: the capture API's sustained events/s with the write-ahead log (embedded) and with
// Kafka (a broker of the benchmark's own, started by infra/local/kafka.sh), each until every
// acknowledged event is in bronze; then every insight type on DuckDB and on Trino over the same
// `events` generated events (bench/engines.ts), with whether their results are equal.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestBroker } from '../test/kafka-broker';
import { benchEngines, type EnginesBenchResult } from './engines';
import { benchIngest, type IngestBenchResult } from './ingest';
import { benchSparkDrain, type SparkDrainResult } from './spark-drain';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface DistributedBenchResult {
  kafka_events_per_s: number;
  embedded_events_per_s: number;
  /** The Spark job draining the Kafka phase's topic into bronze (null: Spark not installed). */
  spark_events_per_s: number | null;
  trino_vs_duckdb_ratio: number | null;
  equal_results: boolean | null;
  not_measured: string[];
  details: {
    embedded: IngestBenchResult;
    kafka: IngestBenchResult;
    kafka_brokers: string;
    spark: SparkDrainResult | null;
    engines: EnginesBenchResult | null;
  };
}

export async function benchDistributed(opts: {
  seconds: number;
  connections: number;
  /** Events of the insight half (0: skip it). */
  events: number;
  seed: number;
  repeat: number;
  log: (line: string) => void;
}): Promise<DistributedBenchResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-bench-kafka-'));
  opts.log('starting a Kafka broker (infra/local/kafka.sh)…');
  const broker = await TestBroker.start(dir);
  try {
    opts.log('embedded mode (write-ahead log)…');
    const embedded = await benchIngest({ ...opts, log: (l) => opts.log(`embedded: ${l}`) });
    opts.log(`Kafka mode (${broker.brokers})…`);
    const kafka = await benchIngest({
      ...opts,
      log: (l) => opts.log(`kafka: ${l}`),
      env: { KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC: 'tl.bench' },
    });
    let spark: SparkDrainResult | null = null;
    let sparkMissing: string | undefined;
    try {
      await promisify(execFile)(path.resolve('infra/local/spark.sh'), ['install'], {
        timeout: 900_000,
      });
    } catch (error) {
      sparkMissing = `the Spark drain (infra/local/spark.sh install failed: ${(error as Error).message.split('\n')[0]})`;
    }
    if (!sparkMissing)
      spark = await benchSparkDrain({
        brokers: broker.brokers,
        topic: 'tl.bench',
        root: path.resolve('.'),
        log: (l) => opts.log(`spark: ${l}`),
      });
    await broker.stop();
    const engines = opts.events
      ? await benchEngines({
          events: opts.events,
          seed: opts.seed,
          days: 90,
          repeat: opts.repeat,
          log: (l) => opts.log(`insights: ${l}`),
        })
      : null;
    return {
      kafka_events_per_s: kafka.events_per_s,
      embedded_events_per_s: embedded.events_per_s,
      spark_events_per_s: spark?.spark.events_per_s ?? null,
      trino_vs_duckdb_ratio: engines?.trino_vs_duckdb_ratio ?? null,
      equal_results: engines?.equal_results ?? null,
      not_measured: [
        ...(engines ? [] : ['the insight half (--events 0)']),
        ...(sparkMissing ? [sparkMissing] : []),
      ],
      details: { embedded, kafka, kafka_brokers: broker.brokers, spark, engines },
    };
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
