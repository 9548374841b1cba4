// importFiles against the real runtime (PGlite, WAL, flusher, delta-rs sidecar, DuckDB): a
// generated folder lands in bronze row for row, CSV and Parquet map onto the envelope, bad rows
// are counted by reason, a second import doubles rows but not event ids, and a tiny WAL limit
// (backpressure on every few batches) still imports everything.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IntakeRecord } from '../kafka/kafka-log';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '@/test/runtime-fixture';
import { testDatabases } from '@/test/databases';
import type { Runtime } from '@/server/runtime';
import { generateDataset } from '../generator/generate';
import type { AcceptedBatch, RejectedBatch } from '../ingest-bus';
import { importFiles } from './import-files';

const [pglite] = testDatabases();
let tmp: string;
let genDir: string;
let eventLines: number;
let identifyLines: number;

async function lineCount(file: string): Promise<number> {
  return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '').length;
}

async function scalar(runtime: Runtime, sql: string, params: unknown[] = []): Promise<number> {
  const result = await runtime.engine.execute(sql, { params });
  return Number(result.rows[0]?.[0]);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tl-import-'));
  genDir = path.join(tmp, 'gen');
  await generateDataset({
    events: 5000,
    seed: 11,
    days: 30,
    endDate: '2026-11-01',
    outDir: genDir,
  });
  eventLines = await lineCount(path.join(genDir, 'events.ndjson'));
  identifyLines = await lineCount(path.join(genDir, 'identifies.ndjson'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('importFiles', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture(pglite!);
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('imports a generated folder: every NDJSON line is a bronze row, identifies included', async () => {
    const accepted: AcceptedBatch[] = [];
    const onAccepted = (b: AcceptedBatch) => accepted.push(b);
    fx.runtime.ingestBus.on('accepted', onAccepted);
    const progress: number[] = [];
    const result = await importFiles(fx.runtime, {
      workspaceId: fx.workspace.id,
      paths: [genDir],
      onProgress: (p) => progress.push(p.bytesRead / p.bytesTotal),
    }).finally(() => fx.runtime.ingestBus.off('accepted', onAccepted));

    expect(eventLines).toBe(5000);
    expect(result).toMatchObject({ events: 5000, identifies: identifyLines, rejected: 0 });
    // ground_truth.json is not an input.
    expect(result.files.map((f) => path.basename(f.path))).toEqual([
      'events.ndjson',
      'identifies.ndjson',
    ]);
    expect(progress.at(-1)).toBe(1);
    expect(Math.max(...progress)).toBeLessThanOrEqual(1);
    expect(accepted.every((b) => b.source === 'batch')).toBe(true);
    expect(accepted.reduce((n, b) => n + b.events.length, 0)).toBe(5000);

    const ws = [fx.workspace.id];
    expect(
      await scalar(fx.runtime, 'select count(*) from bronze.events where workspace_id = ?', ws),
    ).toBe(eventLines);
    expect(
      await scalar(fx.runtime, 'select count(*) from bronze.identifies where workspace_id = ?', ws),
    ).toBe(identifyLines);
    expect(
      await scalar(
        fx.runtime,
        `select count(*) from bronze.events where workspace_id = ? and source = 'batch'`,
        ws,
      ),
    ).toBe(eventLines);
    // Anonymous events (user_id null in the file) are kept.
    expect(
      await scalar(
        fx.runtime,
        'select count(*) from bronze.events where workspace_id = ? and user_id is null',
        ws,
      ),
    ).toBeGreaterThan(0);
  });

  it('importing the same folder twice doubles the rows but not the event ids', async () => {
    await importFiles(fx.runtime, { workspaceId: fx.workspace.id, paths: [genDir] });
    const ws = [fx.workspace.id];
    expect(
      await scalar(fx.runtime, 'select count(*) from bronze.events where workspace_id = ?', ws),
    ).toBe(2 * eventLines);
    expect(
      await scalar(
        fx.runtime,
        'select count(distinct event_id) from bronze.events where workspace_id = ?',
        ws,
      ),
    ).toBe(eventLines);
  });

  it('reads CSV and Parquet, and counts rejected rows by reason', async () => {
    const csv = path.join(tmp, 'events.csv');
    const parquet = path.join(tmp, 'events.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await conn.run(`SET TimeZone = 'UTC'`);
      // 100 good rows, then: no event name, properties that are not JSON, no user at all.
      await conn.run(`COPY (
        select 'csv_event' as event, 'u_' || lpad(i::varchar, 6, '0') as user_id, null as anonymous_id,
               's_' || (i // 10) as session_id, '2026-10-01 10:00:00' as timestamp,
               '{"n":' || i || '}' as properties, 'web' as platform, 'DE' as country, 'ignored' as extra
        from range(100) t(i)
        union all select null, 'u_x', null, null, '2026-10-01T10:00:00Z', '{}', null, null, null
        union all select 'bad_props', 'u_y', null, null, '2026-10-01T10:00:00Z', 'not json', null, null, null
        union all select 'no_user', null, null, null, '2026-10-01T10:00:00Z', '{}', null, null, null
      ) TO '${csv}' (HEADER)`);
      await conn.run(`COPY (
        select 'parquet_event' as event, 'u_' || i as user_id,
               TIMESTAMPTZ '2026-10-02 08:00:00+00' + to_seconds(i) as timestamp,
               {'plan': 'pro', 'i': i} as properties, {'app_version': '3.1.0', 'os': 'iOS'} as context,
               'mobile' as device_type
        from range(250) t(i)
      ) TO '${parquet}' (FORMAT parquet)`);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
    await writeFile(path.join(tmp, 'notes.txt'), 'not imported');

    const rejected: RejectedBatch[] = [];
    const onRejected = (b: RejectedBatch) => rejected.push(b);
    fx.runtime.ingestBus.on('rejected', onRejected);
    const result = await importFiles(fx.runtime, {
      workspaceId: fx.other.id,
      paths: [csv, parquet],
    }).finally(() => fx.runtime.ingestBus.off('rejected', onRejected));

    expect(result).toMatchObject({ events: 350, identifies: 0, rejected: 3 });
    expect(result.rejectedByReason).toEqual({
      'event: Invalid input: expected string, received undefined': 1,
      'properties: is not valid JSON': 1,
      'user_id: user_id or anonymous_id is required': 1,
    });
    expect(rejected.flatMap((b) => b.items)).toHaveLength(3);

    const rows = await fx.runtime.engine.execute(
      `select event, count(*), min(user_id), min(ts)::varchar, any_value(properties), any_value(platform),
              any_value(app_version), any_value(os), any_value(device_type)
       from bronze.events where workspace_id = ? group by 1 order by 1`,
      { params: [fx.other.id] },
    );
    expect(rows.rows.map((r) => [r[0], Number(r[1]), r[2]])).toEqual([
      ['csv_event', 100, 'u_000000'],
      ['parquet_event', 250, 'u_0'],
    ]);
    const [csvRow, parquetRow] = rows.rows;
    expect(String(csvRow?.[3])).toMatch(/^2026-10-01 10:00:00/);
    expect(csvRow?.[5]).toBe('web');
    expect(JSON.parse(String(parquetRow?.[4]))).toMatchObject({ plan: 'pro' });
    expect(parquetRow?.slice(6)).toEqual(['3.1.0', 'iOS', 'mobile']);
  });

  it('refuses an unsupported file and a missing path with a clear error', async () => {
    await expect(
      importFiles(fx.runtime, {
        workspaceId: fx.workspace.id,
        paths: [path.join(tmp, 'notes.txt')],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      importFiles(fx.runtime, { workspaceId: fx.workspace.id, paths: [path.join(tmp, 'nope')] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('importFiles under backpressure', () => {
  let fx: Fixture;
  beforeAll(async () => {
    // The log refuses appends once ~200 kB wait for the lake: the import must wait and retry.
    fx = await startFixture(pglite!, {
      TL_WAL_MAX_PENDING_BYTES: String(200 * 1024),
      TL_FLUSH_INTERVAL_MS: '3600000',
    });
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('waits for the flusher instead of failing', async () => {
    // Observe (not replace) the real log: count the appends it refused for backpressure.
    const wal = fx.runtime.wal;
    const append = wal.append.bind(wal);
    let refused = 0;
    wal.append = (record: IntakeRecord) =>
      append(record).catch((error: unknown) => {
        refused++;
        throw error;
      });
    const result = await importFiles(fx.runtime, {
      workspaceId: fx.workspace.id,
      paths: [path.join(genDir, 'events.ndjson')],
    }).finally(() => {
      wal.append = append;
    });
    expect(result).toMatchObject({ events: 5000, rejected: 0 });
    expect(refused).toBeGreaterThan(0);
    expect(
      await scalar(fx.runtime, 'select count(*) from bronze.events where workspace_id = ?', [
        fx.workspace.id,
      ]),
    ).toBe(5000);
  });
});
