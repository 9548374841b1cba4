// The first-start demo dataset through the real runtime: it loads in the background (the runtime
// is up before it finishes), lands in bronze exactly once, is not loaded again at the next start,
// and an import cut short by a shutdown resumes without duplicating a batch.
import { EVENT_DESCRIPTIONS, type EventName } from './generator/catalog';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '@/test/databases';
import type { Config } from '@/server/config';
import { startRuntime, type Runtime } from '@/server/runtime';
import {
  getDemoDataStatus,
  MARKER_FILE,
  setDemoDataEventCount,
  type DemoDataMarker,
  type DemoDataStatus,
} from './demo-data';

async function until(predicate: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`timed out; status ${JSON.stringify(getDemoDataStatus())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function counts(
  runtime: Runtime,
): Promise<{ events: number; distinct: number; identifies: number }> {
  const id = (await runtime.prisma.workspace.findUniqueOrThrow({ where: { slug: 'demo' } })).id;
  const one = async (sql: string) =>
    Number((await runtime.engine.execute(sql, { params: [id] })).rows[0]?.[0]);
  return {
    events: await one('select count(*) from bronze.events where workspace_id = ?'),
    distinct: await one(
      'select count(distinct event_id) from bronze.events where workspace_id = ?',
    ),
    identifies: await one('select count(*) from bronze.identifies where workspace_id = ?'),
  };
}

async function groundTruthIdentifies(config: Config): Promise<number> {
  const truth = JSON.parse(
    await readFile(path.join(config.dataDir, 'demo', 'ground_truth.json'), 'utf8'),
  ) as { counts: { identifies: number } };
  return truth.counts.identifies;
}

describe('demo data on first start', () => {
  let config: Config;
  let cleanup: () => Promise<void>;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    setDemoDataEventCount(3000);
    ({ config, cleanup } = await testConfig(undefined, { TL_DEMO_DATA: '1' }));
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });
  afterAll(async () => {
    setDemoDataEventCount(undefined);
    await cleanup?.();
  });

  it('loads in the background and lands in bronze', async () => {
    const seen = new Set<DemoDataStatus['state']>();
    runtime = await startRuntime(config);
    // The runtime is returned before the load is over.
    expect(getDemoDataStatus().state).not.toBe('done');
    await until(() => {
      const s = getDemoDataStatus();
      seen.add(s.state);
      return s.state === 'done' || s.state === 'failed';
    });
    expect(getDemoDataStatus()).toMatchObject({ state: 'done', events: 3000 });
    expect(seen.has('importing')).toBe(true);
    expect(await counts(runtime)).toEqual({
      events: 3000,
      distinct: 3000,
      identifies: await groundTruthIdentifies(config),
    });
    const marker = JSON.parse(
      await readFile(path.join(config.dataDir, MARKER_FILE), 'utf8'),
    ) as DemoDataMarker;
    expect(marker).toMatchObject({ workspaceSlug: 'demo', events: 3000, rejected: 0 });
    expect(marker.arguments).toMatchObject({ events: 3000, seed: 7, days: 90 });
    // The window ends at the moment of the first start: nothing is dated in the future.
    const latest = (await runtime.engine.execute('select max(ts) from bronze.events')).rows[0]?.[0];
    expect(new Date(String(latest)).getTime()).toBeLessThanOrEqual(
      Date.parse(marker.arguments.endAt!),
    );
    // The registry describes the demo's events (the catalog shows it, Ask learns its synonyms).
    const described = await runtime.prisma.eventDefinition.findMany({
      where: { workspace: { slug: 'demo' } },
      select: { name: true, description: true },
    });
    expect(described.length).toBeGreaterThan(5);
    for (const e of described)
      expect(e.description, e.name).toBe(EVENT_DESCRIPTIONS[e.name as EventName]);
  });

  it('is not loaded again at the next start', async () => {
    const before = await readFile(path.join(config.dataDir, MARKER_FILE), 'utf8');
    runtime = await startRuntime(config);
    await until(() => getDemoDataStatus().state === 'done');
    await runtime.flusher.flush();
    expect((await counts(runtime)).events).toBe(3000);
    expect(await readFile(path.join(config.dataDir, MARKER_FILE), 'utf8')).toBe(before);
  });
});

describe('demo data interrupted by a shutdown', () => {
  let config: Config;
  let cleanup: () => Promise<void>;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    setDemoDataEventCount(20_000);
    ({ config, cleanup } = await testConfig(undefined, { TL_DEMO_DATA: '1' }));
  });
  afterAll(async () => {
    await runtime?.close();
    setDemoDataEventCount(undefined);
    await cleanup?.();
  });

  it('resumes at the next start without duplicating a batch', async () => {
    runtime = await startRuntime(config);
    // Shut down after a few acknowledged batches, in the middle of the import.
    let batches = 0;
    const closed = new Promise<void>((resolve) => {
      runtime!.ingestBus.on('accepted', () => {
        if (++batches === 3) void runtime!.close().then(resolve);
      });
    });
    await closed;
    expect(getDemoDataStatus().state).toBe('idle');
    await expect(readFile(path.join(config.dataDir, MARKER_FILE))).rejects.toThrow();

    runtime = await startRuntime(config);
    let resumedEvents = 0;
    runtime.ingestBus.on('accepted', (b) => (resumedEvents += b.events.length));
    await until(() => ['done', 'failed'].includes(getDemoDataStatus().state));
    expect(getDemoDataStatus()).toMatchObject({ state: 'done', events: 20_000 });
    // Only what the first run had not acknowledged was appended again.
    expect(resumedEvents).toBeGreaterThan(0);
    expect(resumedEvents).toBeLessThanOrEqual(20_000 - 3000);
    expect(await counts(runtime)).toEqual({
      events: 20_000,
      distinct: 20_000,
      identifies: await groundTruthIdentifies(config),
    });
  });
});
