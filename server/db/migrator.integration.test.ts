// The migrator refuses an applied migration whose file was edited, and rolls back a failing one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from './migrator';
import { testDatabases, type TestDatabase } from '@/test/databases';

describe.each(testDatabases())('migrator on $kind', (kind) => {
  let database: TestDatabase;
  let dir: string;
  let client: pg.Client;

  beforeAll(async () => {
    database = await kind.create();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tl-migrations-'));
    await cp(path.resolve('prisma/migrations'), dir, { recursive: true });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies, then rejects an edited migration with a message that says what to do', async () => {
    await migrate(client, dir);
    const name = (await readdir(dir)).filter((n) => /^\d{14}_/.test(n)).sort()[0]!;
    await appendFile(path.join(dir, name, 'migration.sql'), '\n-- edited\n');
    await expect(migrate(client, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    // Restore the edited file from the previous test so only the broken migration is pending.
    await rm(dir, { recursive: true, force: true });
    await cp(path.resolve('prisma/migrations'), dir, { recursive: true });
    const bad = path.join(dir, '29990101000000_broken');
    await mkdir(bad);
    await writeFile(
      path.join(bad, 'migration.sql'),
      'CREATE TABLE ok_part (id int);\nSELECT * FROM table_that_does_not_exist;',
    );
    await expect(migrate(client, dir)).rejects.toThrow(/29990101000000_broken failed/);
    const { rows } = await client.query(`SELECT to_regclass('ok_part') AS t`);
    expect(rows[0].t).toBeNull();
    const recorded = await client.query(
      `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`,
    );
    expect(recorded.rowCount).toBe(0);
  });
});
