// A freshly migrated metadata database (PGlite or PostgreSQL) with the server's job queue, for
// integration tests of one service without a whole runtime. `restartJobs` replaces the job queue
// with a new one on the same database, as a restarted server would have.
import path from 'node:path';
import { createDatabase, type DatabaseHandle } from '@/server/db/client';
import { migrate } from '@/server/db/migrator';
import { startJobQueue, type JobQueue } from '@/server/jobs/job-queue';
import type { Logger } from '@/server/logger';
import type { DatabaseKind, TestDatabase } from './databases';

export interface MetadataDatabase {
  database: TestDatabase;
  db: DatabaseHandle;
  jobs: JobQueue;
  restartJobs(): Promise<JobQueue>;
  dispose(): Promise<void>;
}

export async function startMetadataDatabase(
  kind: DatabaseKind,
  logger: Logger,
): Promise<MetadataDatabase> {
  const database = await kind.create();
  const db = createDatabase(database.url, { embedded: kind.kind === 'pglite' });
  const client = await db.pool.connect();
  try {
    await migrate(client, path.resolve('prisma/migrations'));
  } finally {
    client.release();
  }
  const fixture: MetadataDatabase = {
    database,
    db,
    jobs: await startJobQueue({ databaseUrl: database.url, logger }),
    async restartJobs() {
      await fixture.jobs.stop();
      fixture.jobs = await startJobQueue({ databaseUrl: database.url, logger });
      return fixture.jobs;
    },
    async dispose() {
      await fixture.jobs.stop();
      await db.close();
      await database.dispose();
    },
  };
  return fixture;
}
