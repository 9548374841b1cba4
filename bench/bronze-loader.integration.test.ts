// The benches' direct loader against the import path, on a real runtime (PGlite, DuckDB,
// delta-rs): the same generated parts, loaded into one workspace directly and imported into
// another, end up as the same bronze rows (every column but the workspace, the receipt's time
// and batch id) and the same schema registry.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@/test/databases';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { importFiles } from '@/server/ingest/import/import-files';
import { loadBronzeDirect, type LoadedPart } from './bronze-loader';

const [pglite] = testDatabases();
let tmp: string;
let fx: Fixture;
let parts: LoadedPart[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tl-bench-loader-'));
  fx = await startFixture(pglite!);
  parts = await loadBronzeDirect(fx.runtime, {
    workspaceId: fx.workspace.id,
    events: 7_000,
    partEvents: 3_000,
    seed: 13,
    days: 30,
    endDate: '2026-11-01',
    workDir: tmp,
    keepParts: true,
  });
  await importFiles(fx.runtime, { workspaceId: fx.other.id, paths: parts.map((p) => p.dir) });
  await fx.runtime.flusher.flush();
});

afterAll(async () => {
  await fx?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const EVENT_COLUMNS = `event_id, event, user_id, anonymous_id, session_id, ts::varchar AS ts,
  event_date::varchar AS event_date, sent_at, properties, app_version, platform, os, browser,
  device_type, country, locale, page_path, source`;

async function rows(sql: string, workspaceId?: string): Promise<unknown[][]> {
  return (
    await fx.runtime.engine.execute(sql, {
      maxRows: 100_000,
      params: workspaceId === undefined ? [] : [workspaceId],
    })
  ).rows;
}

async function registry(workspaceId: string) {
  const events = await fx.runtime.prisma.eventDefinition.findMany({
    where: { workspaceId },
    select: { name: true, volume: true, firstSeen: true, lastSeen: true },
    orderBy: { name: 'asc' },
  });
  const properties = await fx.runtime.prisma.propertyDefinition.findMany({
    where: { workspaceId },
    select: {
      eventName: true,
      name: true,
      type: true,
      seenTypes: true,
      volume: true,
      firstSeen: true,
      lastSeen: true,
    },
    orderBy: [{ eventName: 'asc' }, { name: 'asc' }],
  });
  return { events, properties };
}

describe('the bench loader', () => {
  it('loads every part: 3,000 + 3,000 + 1,000 events and their identifies', async () => {
    expect(parts.map((p) => p.events)).toEqual([3_000, 3_000, 1_000]);
    const [[events, identifies]] = (await rows(
      `SELECT (SELECT count(DISTINCT event_id) FROM bronze.events WHERE workspace_id = $1),
              (SELECT count(*) FROM bronze.identifies WHERE workspace_id = $1)`,
      fx.workspace.id,
    )) as [[bigint, bigint]];
    expect(Number(events)).toBe(7_000);
    expect(Number(identifies)).toBe(parts.reduce((n, p) => n + p.identifies, 0));
  });

  it('writes the rows the import path writes, column for column', async () => {
    const events = `SELECT ${EVENT_COLUMNS} FROM bronze.events WHERE workspace_id = $1
      ORDER BY event_id`;
    const ours = await rows(events, fx.workspace.id);
    expect(ours).toHaveLength(7_000);
    expect(ours).toEqual(await rows(events, fx.other.id));
    const identifies = `SELECT user_id, anonymous_id, ts::varchar, traits, source
      FROM bronze.identifies WHERE workspace_id = $1 ORDER BY user_id, ts, anonymous_id`;
    const theirs = await rows(identifies, fx.other.id);
    expect(theirs.length).toBeGreaterThan(100);
    expect(await rows(identifies, fx.workspace.id)).toEqual(theirs);
  });

  it('fills the schema registry as the import path does', async () => {
    const ours = await registry(fx.workspace.id);
    expect(ours.events.length).toBeGreaterThan(5);
    expect(ours.events.reduce((n, e) => n + Number(e.volume), 0)).toBe(7_000);
    expect(ours).toEqual(await registry(fx.other.id));
  });
});
