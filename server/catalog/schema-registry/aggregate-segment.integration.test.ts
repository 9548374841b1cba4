// The registry's segment aggregation on real DuckDB, from both of its sources: WAL segment files
// (one JSON record per line, as the WAL writes them) and Parquet files (as the Delta commit
// writes them; made here by a second DuckDB with bronze's column types).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_PROPERTIES_PER_EVENT,
  SegmentAggregator,
  type SegmentSource,
} from './aggregate-segment';

interface Row {
  event_id: string;
  workspace_id: string;
  event: string;
  ts: string;
  properties: string;
}

let n = 0;
const row = (
  event: string,
  ts: string,
  properties: Record<string, unknown> | string,
  extra: Partial<Row> = {},
): Row => ({
  event_id: `id-${++n}`,
  workspace_id: 'ws1',
  event,
  ts,
  properties: typeof properties === 'string' ? properties : JSON.stringify(properties),
  ...extra,
});

describe.each(['wal', 'parquet'] as const)('SegmentAggregator from %s', (kind) => {
  let dir: string;
  let aggregator: SegmentAggregator;
  let file = 0;

  /**
   * Writes the rows as a WAL segment (`perRecord` rows per line) or as Parquet files (`perRecord`
   * rows per file, named in order), and aggregates them.
   */
  const aggregate = async (rows: Row[], opts: { perRecord?: number; tail?: string } = {}) => {
    const per = opts.perRecord ?? 2;
    const name = String(++file).padStart(16, '0');
    if (kind === 'wal') {
      const lines: string[] = [];
      for (let i = 0; i < rows.length; i += per)
        lines.push(JSON.stringify({ id: `b${i}`, events: rows.slice(i, i + per), identifies: [] }));
      const segment = path.join(dir, `${name}.wal`);
      await writeFile(segment, lines.map((l) => l + '\n').join('') + (opts.tail ?? ''));
      return aggregator.aggregate({ kind: 'wal', segment });
    }
    const files: string[] = [];
    for (let i = 0; i < rows.length; i += per) {
      const json = path.join(dir, `${name}-${i}.json`);
      await writeFile(
        json,
        rows
          .slice(i, i + per)
          .map((r) => JSON.stringify(r) + '\n')
          .join(''),
      );
      const parquet = path.join(dir, `${name}-${String(i).padStart(6, '0')}.parquet`);
      // Bronze types: ts is a timestamp (an unreadable one is null there).
      await writer.run(`COPY (
          SELECT event_id, workspace_id, event, try_cast(ts AS TIMESTAMPTZ) AS ts, properties
          FROM read_json('${json}', columns = {event_id: 'VARCHAR', workspace_id: 'VARCHAR',
            event: 'VARCHAR', ts: 'VARCHAR', properties: 'VARCHAR'})
        ) TO '${parquet}' (FORMAT parquet)`);
      files.push(parquet);
    }
    return aggregator.aggregate({ kind: 'parquet', files } satisfies SegmentSource);
  };
  let writer: Awaited<ReturnType<DuckDBInstance['connect']>>;
  let writerInstance: DuckDBInstance;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tl-aggregate-'));
    aggregator = await SegmentAggregator.open([dir]);
    writerInstance = await DuckDBInstance.create(':memory:');
    writer = await writerInstance.connect();
  });
  afterAll(async () => {
    aggregator?.close();
    writer?.closeSync();
    writerInstance?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts events per workspace and name with their time range', async () => {
    const agg = await aggregate([
      row('feature_used', '2026-11-01T10:00:00.000Z', {}),
      row('feature_used', '2026-11-01T09:00:00.000Z', {}),
      row('feature_used', '2026-11-01T11:00:00.000Z', {}, { workspace_id: 'ws2' }),
      row('logged_in', '2026-11-02T00:00:00.000Z', {}),
    ]);
    expect(agg.events).toEqual([
      {
        workspaceId: 'ws1',
        name: 'feature_used',
        count: 2,
        firstSeen: new Date('2026-11-01T09:00:00.000Z'),
        lastSeen: new Date('2026-11-01T10:00:00.000Z'),
      },
      expect.objectContaining({ workspaceId: 'ws2', name: 'feature_used', count: 1 }),
      expect.objectContaining({ workspaceId: 'ws1', name: 'logged_in', count: 1 }),
    ]);
    expect(agg.properties).toEqual([]);
  });

  // Client retries repeat an event_id; bronze keeps the event once, so the registry does too.
  it('counts a repeated event id once, also across records of the segment', async () => {
    const e = row('feature_used', '2026-11-01T10:00:00.000Z', { a: 1 });
    const agg = await aggregate([e, { ...e }, { ...e }], { perRecord: 1 });
    expect(agg.events[0]?.count).toBe(1);
    expect(agg.properties[0]?.count).toBe(1);
  });

  it('records types, counts and up to five distinct examples per property', async () => {
    const rows = ['a', 'b', 'a', 'c', 'd', 'e', 'f'].map((v, i) =>
      row('feature_used', `2026-11-01T10:00:0${i}.000Z`, { feature_name: v, duration_ms: i }),
    );
    const agg = await aggregate(rows, { perRecord: 3 });
    expect(agg.properties.map((p) => p.name)).toEqual(['feature_name', 'duration_ms']);
    const byName = Object.fromEntries(agg.properties.map((p) => [p.name, p]));
    expect(byName.feature_name).toEqual({
      workspaceId: 'ws1',
      eventName: 'feature_used',
      name: 'feature_name',
      type: 'string',
      seenTypes: ['string'],
      count: 7,
      examples: ['a', 'b', 'c', 'd', 'e'],
      firstSeen: new Date('2026-11-01T10:00:00.000Z'),
      lastSeen: new Date('2026-11-01T10:00:06.000Z'),
    });
    expect(byName.duration_ms).toMatchObject({ type: 'number', examples: [0, 1, 2, 3, 4] });
  });

  // "type" is the type of the latest value by event time, not by position in the segment.
  it('keeps every seen type and takes the type of the latest value', async () => {
    const agg = await aggregate([
      row('signed_up', '2026-11-01T12:00:00.000Z', { plan: 'pro' }),
      row('signed_up', '2026-11-01T10:00:00.000Z', { plan: 3 }),
      row('signed_up', '2026-11-01T11:00:00.000Z', { plan: null }),
    ]);
    expect(agg.properties).toEqual([
      expect.objectContaining({
        name: 'plan',
        type: 'string',
        seenTypes: ['null', 'number', 'string'],
        examples: ['pro', 3],
      }),
    ]);
  });

  it('names all six JSON types and keeps only short examples', async () => {
    const agg = await aggregate([
      row('x', '2026-11-01T10:00:00.000Z', {
        s: 'x'.repeat(150),
        i: 7,
        f: 1.5,
        b: false,
        o: { a: 1 },
        big: { a: 'y'.repeat(300) },
        a: ['z'],
        z: null,
        'odd "key"/~.$': 'ok',
      }),
      row('x', '2026-11-01T10:00:01.000Z', { i: 7.0, f: 2 }),
    ]);
    const byName = Object.fromEntries(agg.properties.map((p) => [p.name, p]));
    expect(byName.s).toMatchObject({ type: 'string', examples: ['x'.repeat(100)] });
    expect(byName.i).toMatchObject({ type: 'number', examples: [7], count: 2 });
    expect(byName.f).toMatchObject({ type: 'number', examples: [1.5, 2] });
    expect(byName.b).toMatchObject({ type: 'boolean', examples: [false] });
    expect(byName.o).toMatchObject({ type: 'object', examples: [{ a: 1 }] });
    expect(byName.big).toMatchObject({ type: 'object', examples: [] });
    expect(byName.a).toMatchObject({ type: 'array', examples: [['z']] });
    expect(byName.z).toMatchObject({ type: 'null', seenTypes: ['null'], examples: [] });
    expect(byName['odd "key"/~.$']).toMatchObject({ type: 'string', examples: ['ok'] });
  });

  it('skips unparseable properties and bad timestamps, and caps keys per event', async () => {
    const many = Object.fromEntries(
      Array.from({ length: MAX_PROPERTIES_PER_EVENT + 10 }, (_, i) => [`k${i}`, i]),
    );
    const agg = await aggregate([
      row('x', '2026-11-01T10:00:00.000Z', 'not json'),
      row('x', '2026-11-01T10:00:00.000Z', '[1,2]'),
      row('x', 'not a time', { a: 1 }),
      row('x', '2026-11-01T10:00:00.000Z', many),
    ]);
    expect(agg.events[0]?.count).toBe(3);
    expect(agg.properties).toHaveLength(MAX_PROPERTIES_PER_EVENT);
    expect(agg.properties[0]?.name).toBe('k0');
    expect(agg.properties.at(-1)?.name).toBe(`k${MAX_PROPERTIES_PER_EVENT - 1}`);
  });

  // Only WAL segments can be torn; Parquet files come from a completed Delta commit.
  if (kind === 'wal')
    it('reads the complete records of a segment whose last line was torn by a crash', async () => {
      const agg = await aggregate([row('kept', '2026-11-01T10:00:00.000Z', { a: 1 })], {
        tail: '{"id":"torn","events":[{"event_id":"t","workspace_id":"ws1","eve',
      });
      expect(agg.events.map((e) => [e.name, e.count])).toEqual([['kept', 1]]);
    });

  it('reads no file outside its folder', async () => {
    const source: SegmentSource =
      kind === 'wal'
        ? { kind: 'wal', segment: '/etc/passwd' }
        : { kind: 'parquet', files: ['/etc/passwd'] };
    await expect(aggregator.aggregate(source)).rejects.toThrow(/Permission|access/i);
  });
});
