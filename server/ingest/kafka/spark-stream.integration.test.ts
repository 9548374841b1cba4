// The Spark job as the app runs it, for real: a broker of this file's own, the real runtime in
// Kafka mode, the real Spark job (local mode, PySpark and the jars installed by
// infra/local/spark.sh), the real collector, and bronze read back through DuckDB.
//   Admin → Pipelines starts the job: the app's own consumer steps back, the job writes what
//   clients send (the schema registry learns its events through the same commit hook), Admin →
//   System shows its last micro-batch; stopping it hands the topic back to the app's writer,
//   which goes on from where the job stopped: every acknowledged event in bronze exactly once. A
//   row the job refuses reaches Admin → Ingestion's dead letters and, corrected, replays.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { postBatch } from '@/test/post-batch';
import { kafkaAvailable, TestBroker } from '@/test/kafka-broker';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';

function sparkAvailable(): { ok: boolean; reason?: string } {
  const kafka = kafkaAvailable();
  if (!kafka.ok) return kafka;
  try {
    // Installs PySpark and the jars on first use (as the Python tier's conftest does).
    execFileSync(path.resolve('infra/local/spark.sh'), ['install'], {
      stdio: 'ignore',
      timeout: 900_000,
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `infra/local/spark.sh install failed: ${String(error)}` };
  }
}

const available = sparkAvailable();
if (!available.ok) {
  if (process.env.REQUIRE_SERVICES === '1')
    throw new Error(`REQUIRE_SERVICES=1 but the Spark job cannot run here: ${available.reason}`);
  console.warn(`\n⚠ Spark job suite skipped: ${available.reason}. CI runs it.\n`);
}

const [pglite] = testDatabases();
const dirs: string[] = [];
let broker: TestBroker;
let fx: Fixture;
let admin: ReturnType<typeof createCaller>;
let key: string;

async function post(n: number, event = 'feature_used'): Promise<string[]> {
  const batch = Array.from({ length: n }, (_, i) => ({
    event_id: randomUUID(),
    event,
    user_id: `u_${i % 40}`,
    timestamp: new Date(Date.UTC(2026, 10, 1 + (i % 20), 10)).toISOString(),
    properties: { feature_name: 'kanban_board', step: i },
  }));
  const res = await postBatch(fx.runtime, key, { batch });
  expect(res.status).toBe(200);
  return batch.map((e) => e.event_id);
}

async function bronzeIds(): Promise<string[]> {
  await fx.runtime.kafka!.flush(300_000);
  const r = await fx.runtime.engine.execute('select event_id from bronze.events', {
    maxRows: 1_000_000,
  });
  return r.rows.map((row) => String(row[0]));
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 240_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await fn();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  if (!available.ok) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-spark-broker-'));
  dirs.push(dir);
  broker = await TestBroker.start(dir);
  fx = await startFixture(pglite!, {
    KAFKA_BROKERS: broker.brokers,
    KAFKA_TOPIC: `tl.events.${randomUUID().slice(0, 8)}`,
    KAFKA_GROUP_ID: `lake-${randomUUID().slice(0, 8)}`,
    KAFKA_PARTITIONS: '3',
    TL_SPARK_TRIGGER: '1s',
    TL_DEMO_DATA: '0',
  });
  admin = createCaller(
    await fx.context({
      cookie: await fx.cookieFor(fx.users.admin.email),
      workspace: fx.workspace.slug,
    }),
  );
  key = (await admin.admin.apiKeys.create({ name: 'spark test' })).secret;
}, 600_000);

afterAll(async () => {
  await fx?.dispose();
  await broker?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
}, 300_000);

describe.skipIf(!available.ok)('the Spark job as the lake writer', () => {
  it('takes the topic over from the app, writes bronze, and hands it back: exactly once', async () => {
    const before = await post(200, 'app_written');
    expect((await bronzeIds()).sort()).toEqual([...before].sort());
    const idle = await admin.pipelines.stream.status();
    expect(idle).toMatchObject({ kafka: true, installed: true, running: false, writer: 'app' });

    await admin.pipelines.stream.start();
    // A second start while it runs is a no-op, not a second job.
    await admin.pipelines.stream.start();
    const spark = await admin.pipelines.stream.status();
    expect(spark).toMatchObject({ running: true, writer: 'spark' });

    const during = [...(await post(300, 'spark_written')), ...(await post(100, 'spark_written'))];
    // Another producer writes the topic directly: one good row, one the job must refuse.
    const badId = randomUUID();
    const goodId = randomUUID();
    const row = (event_id: string, ts: string) => ({
      event_id,
      workspace_id: fx.workspace.id,
      event: 'spark_written',
      user_id: 'u_direct',
      ts,
      properties: '{"feature_name":"kanban_board"}',
    });
    const producer = new Kafka({
      brokers: [broker.brokers],
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    await producer.send({
      topic: fx.runtime.config.ingest.kafka!.topic,
      messages: [
        {
          key: 'u_direct',
          value: JSON.stringify({
            id: 'direct',
            events: [row(goodId, '2026-11-03T10:00:00Z'), row(badId, 'tomorrow')],
            identifies: [],
          }),
        },
      ],
    });
    await producer.disconnect();
    during.push(goodId);
    // The job's micro-batches reach the app: status, the commit hooks, lag.
    const status = await until('the Spark job to write 401 events', async () => {
      const s = await admin.pipelines.stream.status();
      return s.kafka && s.events >= 401 && s.deadLetters >= 1 ? s : undefined;
    });
    expect(status).toMatchObject({ running: true, writer: 'spark', deadLetters: 1 });
    expect(status.kafka && status.lastBatch?.events_files.length).toBeGreaterThan(0);
    const ids = await bronzeIds();
    expect(ids.length).toBe(601);
    expect(new Set(ids)).toEqual(new Set([...before, ...during]));
    // The schema registry learnt the event only the Spark job wrote (the app's commit hook).
    const events = await admin.data.events.list({});
    expect(events.map((e) => e.name)).toContain('spark_written');
    // Admin → System: the stream writer's part tells its last micro-batch.
    const parts = await admin.system.parts();
    expect(parts.find((p) => p.part === 'Lake writer')?.implementation).toMatch(/Spark job/);
    const writer = parts.find((p) => p.part === 'Stream writer');
    expect(writer).toMatchObject({ mode: 'distributed', state: 'ok' });
    expect(writer!.detail).toMatch(/last micro-batch #\d+/);

    // The refused row reaches Admin → Ingestion's dead letters (dead-letter-sink.ts) with the
    // job's reason, as an envelope; corrected, it replays into the lake.
    const letter = await until('the dead letter in Admin → Ingestion', async () => {
      const list = await admin.ingestion.deadLetters.list({});
      return list.entries.find((e) => e.source === 'kafka');
    });
    expect(letter.reason).toMatch(/^ts must be an ISO 8601 date-time/);
    expect(letter.payload).toMatchObject({ event_id: badId, timestamp: 'tomorrow' });
    const replay = await admin.ingestion.deadLetters.replay({
      id: letter.id,
      payload: { ...(letter.payload as object), timestamp: '2026-11-03T11:00:00Z' },
    });
    expect(replay).toEqual({ replayed: true });
    during.push(badId);

    await admin.pipelines.stream.stop();
    const stopped = await admin.pipelines.stream.status();
    expect(stopped).toMatchObject({ running: false, state: { state: 'stopped' } });
    await until('the app writer to resume', async () =>
      (await admin.pipelines.stream.status()).kafka &&
      (await fx.runtime.streamWriters!.status()).writer === 'app'
        ? true
        : undefined,
    );

    const after = await post(150, 'app_written_again');
    const all = await bronzeIds();
    expect(all.length).toBe(752);
    expect(new Set(all)).toEqual(new Set([...before, ...during, ...after]));
  }, 600_000);
});
