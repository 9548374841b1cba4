// WAL segment → Delta (delta-rs sidecar) → read back by the locked DuckDB engine with the
// delta extension from the project's .venv. Replays of a segment must not write twice.
import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaWriter } from './delta-writer';
import { WriteAheadLog } from '../ingest/wal/write-ahead-log';
import { normalizeBatch } from '../ingest/collector/normalize';
import type { DuckDbEngine } from '../query/duckdb-engine';
import { testLakeEngine } from '@/test/lake-engine';

const root = path.resolve('.');
let dir: string;
let writer: DeltaWriter;
let engine: DuckDbEngine;

function batch(day: string, n: number, offset = 0) {
  return normalizeBatch(
    {
      batch: [
        ...Array.from({ length: n }, (_, i) => ({
          event: i % 2 ? 'feature_used' : 'page_viewed',
          user_id: `u_${i % 7}`,
          timestamp: `${day}T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
          properties: { i: i + offset },
          context: { platform: 'web', country: 'DE' },
        })),
        { type: 'identify', user_id: 'u_1', anonymous_id: 'a_1', traits: { plan: 'pro' } },
      ],
    },
    {
      workspaceId: 'ws1',
      receivedAt: new Date(`${day}T12:00:00.000Z`),
      source: 'api',
      batchId: `b-${day}`,
    },
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tl-delta-'));
  writer = new DeltaWriter({ root, timeoutMs: 60_000 });
  engine = await testLakeEngine(dir, root, 1000);
});

afterAll(async () => {
  await writer?.close();
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Delta writer', () => {
  it('commits a segment once, partitioned by event_date, readable by DuckDB', async () => {
    const wal = await WriteAheadLog.open({
      dir: path.join(dir, 'wal'),
      segmentBytes: 1 << 30,
      maxPendingBytes: 1 << 30,
    });
    for (const [day, n] of [
      ['2026-10-30', 50],
      ['2026-10-31', 30],
      ['2026-11-01', 20],
    ] as const) {
      const b = batch(day, n);
      await wal.append({ id: `b-${day}`, events: b.events, identifies: b.identifies });
    }
    const seq = (await wal.seal())!;
    // A torn line at the end (crash mid-write) is ignored by the writer.
    await appendFile(wal.pathOf(seq), '{"id":"torn","events":[{"event_id":"x"');
    const eventsTable = path.join(dir, 'lake', 'bronze', 'events');
    const identifiesTable = path.join(dir, 'lake', 'bronze', 'identifies');
    const args = { segment: wal.pathOf(seq), version: seq, eventsTable, identifiesTable };

    const first = await writer.appendSegment(args);
    expect(first).toMatchObject({
      events: 100,
      identifies: 3,
      events_status: 'written',
      identifies_status: 'written',
    });
    // It names the files its events commit added: one per partition, each really there.
    expect(first.events_files?.map((f) => f.split('/')[0]).sort()).toEqual([
      'event_date=2026-10-30',
      'event_date=2026-10-31',
      'event_date=2026-11-01',
    ]);
    for (const file of first.events_files ?? [])
      expect((await stat(path.join(eventsTable, file))).size).toBeGreaterThan(0);
    const again = await writer.appendSegment(args);
    expect(again).toMatchObject({
      events_status: 'skipped',
      identifies_status: 'skipped',
      events_files: [],
    });
    expect((await writer.committedVersion(eventsTable)).version).toBe(seq);

    expect((await readdir(eventsTable)).filter((n) => n.startsWith('event_date=')).sort()).toEqual([
      'event_date=2026-10-30',
      'event_date=2026-10-31',
      'event_date=2026-11-01',
    ]);
    const counts = await engine.execute(
      `select event_date::varchar as d, count(*)::int as n, count(distinct event_id)::int as ids from delta_scan('${eventsTable}') group by 1 order by 1`,
    );
    expect(counts.rows).toEqual([
      ['2026-10-30', 50, 50],
      ['2026-10-31', 30, 30],
      ['2026-11-01', 20, 20],
    ]);
    const ts = await engine.execute(`select min(ts) as t from delta_scan('${eventsTable}')`);
    expect(ts.rows[0]?.[0]).toBe('2026-10-30T10:00:00.000Z');
    const ids = await engine.execute(`select count(*)::int from delta_scan('${identifiesTable}')`);
    expect(ids.rows[0]?.[0]).toBe(3);
    await wal.retire(seq);
    await wal.close();
  });

  it('appends a later segment and compacts small files', async () => {
    const eventsTable = path.join(dir, 'lake', 'bronze', 'events');
    const wal = await WriteAheadLog.open({
      dir: path.join(dir, 'wal'),
      segmentBytes: 1 << 30,
      maxPendingBytes: 1 << 30,
    });
    const b = batch('2026-11-01', 10, 1000);
    await wal.append({ id: 'late', events: b.events, identifies: [] });
    const seq = (await wal.seal())!;
    expect(
      await writer.appendSegment({
        segment: wal.pathOf(seq),
        version: seq,
        eventsTable,
        identifiesTable: path.join(dir, 'lake', 'bronze', 'identifies'),
      }),
    ).toMatchObject({ events_status: 'written' });
    const compacted = await writer.compact(eventsTable);
    expect(compacted.metrics.numFilesRemoved).toBeGreaterThan(0);
    const n = await engine.execute(`select count(*)::int from delta_scan('${eventsTable}')`);
    expect(n.rows[0]?.[0]).toBe(110);
    await wal.close();
  });

  it('reports a failing request and keeps serving', async () => {
    await expect(
      writer.appendSegment({
        segment: path.join(dir, 'missing.wal'),
        version: 999,
        eventsTable: path.join(dir, 'x'),
        identifiesTable: path.join(dir, 'y'),
      }),
    ).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/FileNotFoundError/),
    });
    expect(await writer.ping()).toEqual({ pong: true });
  });
});
