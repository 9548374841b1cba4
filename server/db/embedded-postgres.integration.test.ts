// The embedded PGlite server behaves like a PostgreSQL server for the pg pool the app uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

describe('embedded PGlite', () => {
  let dir: string;
  let embedded: EmbeddedPostgres;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tl-embedded-'));
    embedded = await startEmbeddedPostgres(path.join(dir, 'pglite'));
  });
  afterAll(async () => {
    await embedded?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // Regression: with pglite-socket's default of one connection, the query after a failed one
  // died with "Connection terminated unexpectedly" (pg-pool replaces the failed connection).
  it('keeps answering after a query error on a pool of one', async () => {
    const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
    try {
      await pool.query('CREATE TABLE t (id int PRIMARY KEY)');
      await pool.query('INSERT INTO t VALUES (1)');
      await expect(pool.query('INSERT INTO t VALUES ($1)', [1])).rejects.toThrow(/duplicate key/);
      expect((await pool.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(1);
      await expect(pool.query('SELECT * FROM missing_table')).rejects.toThrow(/does not exist/);
      expect((await pool.query('SELECT 2 AS x')).rows[0].x).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it('refuses a second process-level start on the same directory while the first runs', async () => {
    // Same process: the lock names our own pid, which is alive, so the lock holds.
    await expect(startEmbeddedPostgres(path.join(dir, 'pglite'))).rejects.toThrow();
  });

  it('persists data across restarts', async () => {
    const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
    await pool.query('CREATE TABLE kept (v text)');
    await pool.query(`INSERT INTO kept VALUES ('hello')`);
    await pool.end();
    await embedded.stop();
    embedded = await startEmbeddedPostgres(path.join(dir, 'pglite'));
    const again = new pg.Pool({ connectionString: embedded.url, max: 1 });
    expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 'hello' }]);
    await again.end();
  });
});
