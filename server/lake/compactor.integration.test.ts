// Compaction against the real pipeline: WAL → Flusher → delta-rs sidecar → Compactor (a pg-boss
// job on a real PGlite metadata database) → read back by DuckDB's delta extension. It must shrink
// the file count of exactly the partitions with many small files, change no row, keep the WAL
// transaction ids (a replayed segment is still skipped), do nothing when nothing is small, and
// delete removed files only after the retention. As a job: its history survives a restart, a run
// left `running` by a killed server is marked failed at start, and triggers at once make one run.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeltaWriter } from './delta-writer';
import { Compactor, type CompactorOptions } from './compactor';
import { lakeTables, type LakeTables } from './lake';
import { Flusher } from '../ingest/flusher';
import { WriteAheadLog } from '../ingest/wal/write-ahead-log';
import { normalizeBatch } from '../ingest/collector/normalize';
import type { DuckDbEngine } from '../query/duckdb-engine';
import { testLakeEngine } from '@/test/lake-engine';
import { testDatabases } from '@/test/databases';
import { startMetadataDatabase, type MetadataDatabase } from '@/test/metadata-database';

const root = path.resolve('.');
const D1 = '2026-03-01';
const D2 = '2026-03-02';
const D3 = '2026-03-03';
const D4 = '2026-03-04';
// Test-sized thresholds: every file here is a few KiB.
const thresholds = { smallFileBytes: 1024 * 1024, minSmallFiles: 5 };
// The schedule then fires at midnight UTC only, so no scheduled run lands inside these tests.
const DAY_MS = 86_400_000;

let dir: string;
let lake: LakeTables;
let keptDir: string;
let writer: DeltaWriter;
let engine: DuckDbEngine;
let wal: WriteAheadLog;
let flusher: Flusher;
let meta: MetadataDatabase;
const logLines: Record<string, unknown>[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }),
);

let batchNo = 0;
/** Appends one collector batch with `n` events per day and one identify, then flushes it. */
async function flushSegment(days: Record<string, number>): Promise<number> {
  const b = batchNo++;
  const { events, identifies } = normalizeBatch(
    {
      batch: [
        ...Object.entries(days).flatMap(([day, n]) =>
          Array.from({ length: n }, (_, i) => ({
            event: i % 2 ? 'feature_used' : 'page_viewed',
            user_id: `u_${i % 5}`,
            timestamp: `${day}T08:${String(i % 60).padStart(2, '0')}:00.000Z`,
            properties: { batch: b, i },
            context: { platform: 'web', country: 'DE' },
          })),
        ),
        { type: 'identify', user_id: `u_${b}`, traits: { plan: b % 2 ? 'pro' : 'free' } },
      ],
    },
    { workspaceId: 'ws1', receivedAt: new Date(), source: 'api', batchId: `b${b}` },
  );
  const seq = await wal.append({ id: `b${b}`, events, identifies });
  await flusher.flush();
  return seq;
}

const q = (p: string) => `'${p.replaceAll("'", "''")}'`;
async function rows(sql: string): Promise<unknown[][]> {
  return (await engine.execute(sql)).rows;
}
const eventRows = () =>
  rows(
    `select event_id, event_date::varchar, event, user_id, ts, properties from delta_scan(${q(lake.events)}) order by event_id`,
  );
const identifyRows = () =>
  rows(
    `select user_id, traits, ts from delta_scan(${q(lake.identifies)}) order by user_id, ts, traits`,
  );
const parquetIn = async (table: string, partition = '') =>
  (await readdir(path.join(table, partition))).filter((n) => n.endsWith('.parquet')).sort();
async function filesPerPartition(table: string): Promise<Record<string, number>> {
  const stats = await writer.partitionFiles(table, { smallFileBytes: thresholds.smallFileBytes });
  return Object.fromEntries(
    stats.partitions.map((p) => [Object.values(p.values).join('/') || '*', p.files]),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tl-compact-'));
  lake = lakeTables(path.join(dir, 'lake'));
  keptDir = path.join(dir, 'kept');
  await mkdir(keptDir);
  writer = new DeltaWriter({ root, timeoutMs: 60_000 });
  wal = await WriteAheadLog.open({
    dir: path.join(dir, 'wal'),
    segmentBytes: 1 << 30,
    maxPendingBytes: 1 << 30,
  });
  flusher = new Flusher({
    wal,
    writer,
    eventsTable: lake.events,
    identifiesTable: lake.identifies,
    intervalMs: 3_600_000,
    flushBytes: 1 << 30,
    logger,
  });
  // Keep every segment (the flusher retires it after the commit) to replay it later.
  flusher.afterCommit('keep', (s) =>
    copyFile(wal.pathOf(s.segment), path.join(keptDir, `${s.segment}.wal`)),
  );
  engine = await testLakeEngine(dir, root, 10_000);
  meta = await startMetadataDatabase(testDatabases()[0]!, logger);
});

/** A compactor on the test's metadata database and job queue (as the runtime starts one). */
const startCompactor = (o: Partial<CompactorOptions> = {}) =>
  Compactor.start({
    prisma: meta.db.prisma,
    boss: meta.jobs.boss,
    writer,
    tables: { ...lake },
    intervalMs: DAY_MS,
    afterSegments: 0,
    logger,
    thresholds,
    ...o,
  });

afterAll(async () => {
  await flusher?.stop();
  await writer?.close();
  await wal?.close();
  await engine?.close();
  await meta?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('Compactor', () => {
  const segments: number[] = [];

  it('merges the small files of exactly the partitions that have many, changing no row', async () => {
    // 10 segments into D1 and D2 (10 small files each), 2 into D3 (below the threshold).
    for (let i = 0; i < 10; i++)
      segments.push(
        await flushSegment(i < 2 ? { [D1]: 20, [D2]: 15, [D3]: 5 } : { [D1]: 20, [D2]: 15 }),
      );
    expect(await filesPerPartition(lake.events)).toEqual({ [D1]: 10, [D2]: 10, [D3]: 2 });
    expect(await filesPerPartition(lake.identifies)).toEqual({ '*': 10 });
    const eventsBefore = await eventRows();
    const identifiesBefore = await identifyRows();
    expect(eventsBefore).toHaveLength(10 * 35 + 2 * 5);
    const d1FilesBefore = await parquetIn(lake.events, `event_date=${D1}`);
    const d3FilesBefore = await parquetIn(lake.events, `event_date=${D3}`);
    const lastSegment = segments.at(-1)!;
    expect((await writer.committedVersion(lake.events)).version).toBe(lastSegment);

    const compactor = await startCompactor();
    const run = await compactor.run();

    expect(run).toMatchObject({
      trigger: 'manual',
      status: 'succeeded',
      filesRemoved: 30,
      filesAdded: 3,
      filesVacuumed: 0,
      interrupted: false,
    });
    expect(run.error).toBeNull();
    expect(run.tables.map((t) => [t.table, t.partitions])).toEqual([
      ['events', [`event_date=${D1}`, `event_date=${D2}`]],
      ['identifies', ['(unpartitioned)']],
    ]);
    expect(run.tables[0]!.bytesRemoved).toBeGreaterThan(run.tables[0]!.bytesAdded);
    expect(await compactor.lastRun()).toEqual(run);
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: 'lake compaction finished', filesRemoved: 30, filesAdded: 3 }),
    );

    expect(await filesPerPartition(lake.events)).toEqual({ [D1]: 1, [D2]: 1, [D3]: 2 });
    expect(await filesPerPartition(lake.identifies)).toEqual({ '*': 1 });
    // D3 was not rewritten; the removed D1 files stay on disk within the retention, so a reader
    // of the previous table version can still open them.
    expect(await parquetIn(lake.events, `event_date=${D3}`)).toEqual(d3FilesBefore);
    const d1FilesAfter = await parquetIn(lake.events, `event_date=${D1}`);
    expect(d1FilesAfter).toHaveLength(11);
    expect(d1FilesAfter).toEqual(expect.arrayContaining(d1FilesBefore));

    // Same rows, read by DuckDB.
    expect(await eventRows()).toEqual(eventsBefore);
    expect(await identifyRows()).toEqual(identifiesBefore);

    // The transaction ids survived the optimize commit and the checkpoint after it.
    expect((await writer.committedVersion(lake.events)).version).toBe(lastSegment);
    expect((await writer.committedVersion(lake.identifies)).version).toBe(lastSegment);
    expect(
      (await readdir(path.join(lake.events, '_delta_log'))).some((n) =>
        n.endsWith('.checkpoint.parquet'),
      ),
    ).toBe(true);
    for (const seq of [segments[0]!, lastSegment]) {
      const replay = await writer.appendSegment({
        segment: path.join(keptDir, `${seq}.wal`),
        version: seq,
        eventsTable: lake.events,
        identifiesTable: lake.identifies,
      });
      expect(replay).toMatchObject({ events_status: 'skipped', identifies_status: 'skipped' });
    }
    expect(await eventRows()).toEqual(eventsBefore);

    // Nothing small left: a second run reads the log and commits nothing.
    const versionBefore = (await writer.partitionFiles(lake.events, { smallFileBytes: 1 })).version;
    const again = await compactor.run();
    expect(again).toMatchObject({ filesRemoved: 0, filesAdded: 0, filesVacuumed: 0 });
    expect(again.tables.map((t) => t.partitions)).toEqual([[], []]);
    expect((await writer.partitionFiles(lake.events, { smallFileBytes: 1 })).version).toBe(
      versionBefore,
    );
    expect(await compactor.lastRun()).toEqual(again);
    expect(await compactor.lastRunWithChanges()).toEqual(run);
    await compactor.stop();
  });

  it('runs after the flusher has committed the configured number of segments', async () => {
    const compactor = await startCompactor({
      flusher,
      afterSegments: 3,
      thresholds: { ...thresholds, minSmallFiles: 3 },
    });
    const before = await compactor.lastRun();
    for (let i = 0; i < 2; i++) segments.push(await flushSegment({ [D4]: 10 }));
    expect(compactor.segmentsSinceLastRun).toBe(2);
    expect(await compactor.lastRun()).toEqual(before);
    segments.push(await flushSegment({ [D4]: 10 }));
    await vi.waitFor(async () => expect((await compactor.lastRun())?.id).not.toBe(before?.id), {
      timeout: 20_000,
      interval: 100,
    });
    const run = (await compactor.lastRun())!;
    expect(run.trigger).toBe('segments');
    // D3 has 2 small files (< 3): left alone. identifies: 1 merged + 3 new files.
    expect(run.tables.map((t) => [t.table, t.partitions])).toEqual([
      ['events', [`event_date=${D4}`]],
      ['identifies', ['(unpartitioned)']],
    ]);
    expect(await filesPerPartition(lake.events)).toEqual({ [D1]: 1, [D2]: 1, [D3]: 2, [D4]: 1 });
    expect((await rows(`select count(*)::int from delta_scan(${q(lake.events)})`))[0]![0]).toBe(
      10 * 35 + 2 * 5 + 3 * 10,
    );
    await compactor.stop();
    expect(compactor.running).toBe(false);
    // Stopped: further segments do not start a run.
    for (let i = 0; i < 3; i++) segments.push(await flushSegment({ [D4]: 1 }));
    expect(await compactor.lastRun()).toEqual(run);
  });

  it('vacuums removed files only once they are older than the table retention', async () => {
    const removedD1 = (await parquetIn(lake.events, `event_date=${D1}`)).length - 1;
    expect(removedD1).toBe(10);
    // Delta's default retention is 7 days; shorten it on this table to see vacuum delete.
    execFileSync(path.join(root, '.venv', 'bin', 'python'), [
      '-c',
      'import sys; from deltalake import DeltaTable; DeltaTable(sys.argv[1]).alter.set_table_properties({"delta.deletedFileRetentionDuration": "interval 0 seconds"})',
      lake.events,
    ]);
    const before = await eventRows();
    const compactor = await startCompactor({ tables: { events: lake.events } });
    const run = await compactor.run();
    await compactor.stop();
    // 10 + 10 (D1, D2) from the first test, 3 from D4: removed files only; D3's live files stay.
    expect(run.filesVacuumed).toBe(23);
    expect(await parquetIn(lake.events, `event_date=${D1}`)).toHaveLength(1);
    expect(await parquetIn(lake.events, `event_date=${D3}`)).toHaveLength(2);
    expect(await eventRows()).toEqual(before);
    // Vacuum's own commits keep the transaction ids too.
    const replay = await writer.appendSegment({
      segment: path.join(keptDir, `${segments[0]}.wal`),
      version: segments[0]!,
      eventsTable: lake.events,
      identifiesTable: lake.identifies,
    });
    expect(replay.events_status).toBe('skipped');
    expect((await writer.committedVersion(lake.events)).version).toBe(segments.at(-1));
  });

  it('keeps its history across a restart: a new server on the same database sees the last run', async () => {
    const compactor = await startCompactor();
    const last = await compactor.run('manual');
    const lastWithChanges = await compactor.lastRunWithChanges();
    expect(lastWithChanges?.filesVacuumed).toBe(23);
    await compactor.stop();

    await meta.restartJobs();
    const restarted = await startCompactor();
    try {
      expect(await restarted.lastRun()).toEqual(last);
      expect(await restarted.lastRunWithChanges()).toEqual(lastWithChanges);
    } finally {
      await restarted.stop();
    }
  });

  it('marks a run left running by a killed server failed at start, and runs a queued one', async () => {
    const prisma = meta.db.prisma;
    // What a kill -9 leaves: a row still "running" (its pg-boss job died with the process).
    const killed = await prisma.compactionRun.create({
      data: { trigger: 'interval', status: 'running', startedAt: new Date() },
    });
    await meta.restartJobs();
    const restarted = await startCompactor();
    try {
      const after = await prisma.compactionRun.findUniqueOrThrow({ where: { id: killed.id } });
      expect(after).toMatchObject({ status: 'failed', interrupted: true });
      expect(after.finishedAt).toBeInstanceOf(Date);
      expect(after.error).toMatch(/server stopped/);
      expect(after.error).toMatch(/atomic/);
      // Not stuck: the next run starts and finishes.
      expect((await restarted.run()).status).toBe('succeeded');
    } finally {
      await restarted.stop();
    }

    // A run queued when the server stopped runs after the next start.
    const queued = await prisma.compactionRun.create({
      data: { trigger: 'segments', status: 'queued' },
    });
    const again = await startCompactor();
    try {
      expect(await again.waitFor(queued.id)).toMatchObject({
        id: queued.id,
        trigger: 'segments',
        status: 'succeeded',
      });
    } finally {
      await again.stop();
    }
  });

  it('makes one run of two triggers at the same moment, also from two servers', async () => {
    const prisma = meta.db.prisma;
    const a = await startCompactor();
    const b = await startCompactor();
    try {
      const before = await prisma.compactionRun.count();
      const runs = await Promise.all([a.run('manual'), b.run('segments'), a.run('manual')]);
      expect(new Set(runs.map((r) => r.id)).size).toBe(1);
      expect(runs[0]!.status).toBe('succeeded');
      expect(await prisma.compactionRun.count()).toBe(before + 1);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
