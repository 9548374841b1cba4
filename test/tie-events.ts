// Synthetic fact_events for the tests that check an accelerator's plan against the general one:
// a deterministic PRNG (so a failure reproduces), events drawn from a few names and instants
// (so that repeats and timestamp ties — where event_id decides the order — are common), and a
// DuckDB engine whose schema holds them, one anonymous event (no plan may count it), and the
// accelerators asked for, built with the very statements the app uses (ACCELERATORS).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ACCELERATORS } from '@/server/pipelines/accelerators';
import { createDuckDbEngine, type DuckDbEngine } from '@/server/query/duckdb-engine';

/** mulberry32. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TieEventsOptions {
  seed: number;
  users: number;
  /** Each user gets 0…maxEvents − 1 events. */
  maxEvents: number;
  /** Drawn uniformly (repeat a name to make it likelier). */
  names: string[];
  /** Each event is on one of these days after 2026-10-01 … */
  days: number;
  /** … at one of these instants, 10 minutes apart. */
  instants: number;
}

/** `(event_id, event_name, user_id, ts)` value rows. */
export function tieEvents(o: TieEventsOptions): string[] {
  const rand = prng(o.seed);
  const rows: string[] = [];
  const base = Date.parse('2026-10-01T00:00:00Z');
  for (let u = 0; u < o.users; u++) {
    const n = Math.floor(rand() * o.maxEvents);
    for (let i = 0; i < n; i++) {
      const name = o.names[Math.floor(rand() * o.names.length)]!;
      const ts =
        base + Math.floor(rand() * o.days) * 86_400_000 + Math.floor(rand() * o.instants) * 600_000;
      const id = `${Math.floor(rand() * 1e9)
        .toString(36)
        .padStart(6, '0')}-${u}-${i}`;
      rows.push(`('${id}', '${name}', 'u${u}', to_timestamp(${ts / 1000}))`);
    }
  }
  return rows;
}

export interface TieEngine {
  engine: DuckDbEngine;
  rows(c: { sql: string; params: unknown[] }): Promise<unknown[][]>;
  dispose(): Promise<void>;
}

export async function startTieEngine(o: {
  schema: string;
  events: string[];
  accelerators: string[];
  /** More setup statements (e.g. a dim_users), after fact_events and before the accelerators. */
  extra?: string[];
}): Promise<TieEngine> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-tie-events-'));
  const s = o.schema;
  const engine = await createDuckDbEngine({
    lakeDir: path.join(dir, 'lake'),
    tempDir: path.join(dir, 'tmp'),
    threads: 2,
    memoryLimit: '1GB',
    poolSize: 2,
    queueMax: 8,
    defaultTimeoutMs: 20_000,
    defaultMaxRows: 10_000,
    setup: async (conn) => {
      await conn.run(`create schema ${s}`);
      await conn.run(
        `create table ${s}.fact_events (event_id varchar, event_name varchar, user_id varchar, ts timestamptz)`,
      );
      await conn.run(`insert into ${s}.fact_events values ${o.events.join(',\n')}`);
      await conn.run(
        `insert into ${s}.fact_events values ('anon-1', 'A', null, timestamptz '2026-10-02 00:00:00+00')`,
      );
      for (const sql of o.extra ?? []) await conn.run(sql);
      for (const name of o.accelerators) {
        const a = ACCELERATORS.find((x) => x.name === name);
        if (!a) throw new Error(`no accelerator ${name}`);
        await conn.run(`create table ${s}.${name} as ${a.select(`${s}.fact_events`)}`);
      }
    },
  });
  return {
    engine,
    rows: async (c) => (await engine.execute(c.sql, { params: c.params, schema: s })).rows,
    async dispose() {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
