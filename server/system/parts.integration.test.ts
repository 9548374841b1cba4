// Admin → System on a real embedded runtime: every part is named with its implementation, the
// running ones are healthy, and the Spark stream writer says it needs Kafka. (The Kafka mode's
// rows are checked against a real broker in server/ingest/kafka/kafka.integration.test.ts, the
// Spark job's in spark-stream.integration.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@/test/databases';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { systemParts } from './parts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture(testDatabases()[0]!, { TL_DEMO_DATA: '0' });
});
afterAll(async () => {
  await fx?.dispose();
});

describe('systemParts (embedded)', () => {
  it('lists each part with its implementation, mode and health', async () => {
    const parts = await systemParts(fx.runtime, fx.workspace.id);
    const by = Object.fromEntries(parts.map((p) => [p.part, p]));
    expect(by['Metadata']).toMatchObject({ mode: 'embedded', state: 'ok', switch: 'DATABASE_URL' });
    expect(by['Metadata']!.implementation).toMatch(/PGlite/);
    expect(by['Query engine']).toMatchObject({ mode: 'embedded', state: 'ok' });
    expect(by['Event intake']).toMatchObject({
      mode: 'embedded',
      state: 'ok',
      switch: 'KAFKA_BROKERS',
    });
    expect(by['Event intake']!.implementation).toMatch(/Write-ahead log/);
    expect(by['Lake writer']!.state).toBe('ok');
    expect(by['Stream writer']).toMatchObject({ mode: 'not available', state: 'off' });
  });
});
