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

export interface DistributedBenchResult {
  kafka_events_per_s: number;
  embedded_events_per_s: number;
  trino_vs_duckdb_ratio: number | null;
  equal_results: boolean | null;
  not_measured: string[];
  details: {
    embedded: IngestBenchResult;
    kafka: IngestBenchResult;
    kafka_brokers: string;
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
      trino_vs_duckdb_ratio: engines?.trino_vs_duckdb_ratio ?? null,
      equal_results: engines?.equal_results ?? null,
      not_measured: engines ? [] : ['the insight half (--events 0)'],
      details: { embedded, kafka, kafka_brokers: broker.brokers, engines },
    };
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
