// The metadata databases an integration test runs against: PGlite always, and real PostgreSQL
// when TEST_POSTGRES_URL is set. With REQUIRE_SERVICES=1 (CI) a missing PostgreSQL fails the run
// instead of being left out.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '@/server/config';
import { startEmbeddedPostgres } from '@/server/db/embedded-postgres';

export interface TestDatabase {
  kind: 'pglite' | 'postgres';
  url: string;
  dispose(): Promise<void>;
}

export interface DatabaseKind {
  kind: 'pglite' | 'postgres';
  create(): Promise<TestDatabase>;
}

const pglite: DatabaseKind = {
  kind: 'pglite',
  async create() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-pglite-'));
    const embedded = await startEmbeddedPostgres(path.join(dir, 'pglite'));
    return {
      kind: 'pglite',
      url: embedded.url,
      async dispose() {
        await embedded.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgres(adminUrl: string): DatabaseKind {
  return {
    kind: 'postgres',
    async create() {
      // A fresh database per suite: tests see a newly migrated schema.
      const name = `tl_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        kind: 'postgres',
        url: url.toString(),
        async dispose() {
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          try {
            await dropDatabase(c, name);
          } finally {
            await c.end();
          }
        },
      };
    },
  };
}

/**
 * DROP DATABASE … WITH (FORCE) as a role without pg_signal_backend fails with 42501 when an
 * autovacuum worker happens to be in the database (PostgreSQL 15 checks its role like a user's;
 * .ci/run grants the role, a developer's server may not): the worker is gone within moments, so
 * try again for a while.
 */
async function dropDatabase(c: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '42501' || attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export function testDatabases(): DatabaseKind[] {
  const url = process.env.TEST_POSTGRES_URL;
  if (url) return [pglite, postgres(url)];
  if (process.env.REQUIRE_SERVICES === '1') {
    throw new Error(
      'REQUIRE_SERVICES=1 but TEST_POSTGRES_URL is not set: the PostgreSQL integration suite cannot run. .ci/run starts PostgreSQL and sets it.',
    );
  }
  console.warn(
    '\n⚠ TEST_POSTGRES_URL is not set: integration tests run against PGlite only (CI runs both).\n',
  );
  return [pglite];
}

/** A Config for tests: temp data dir, the given database, small engine settings. */
export async function testConfig(
  databaseUrl?: string,
  overrides: Record<string, string> = {},
): Promise<{ config: Config; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tl-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    TL_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TL_ADMIN_PASSWORD: 'admin-password-123',
    LOG_LEVEL: 'silent',
    TL_QUERY_POOL_SIZE: '1',
    // The first-start demo dataset is tested on its own (server/ingest/demo-data.integration.test.ts).
    TL_DEMO_DATA: '0',
    // Dozens of runtimes start per suite; a spare dbt process each would cost ~3.5 s of CPU.
    // Runs still go through the launcher; the spare is tested in pipeline-service's tests.
    TL_DBT_SPARE: '0',
    ...overrides,
  });
  return { config, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}
