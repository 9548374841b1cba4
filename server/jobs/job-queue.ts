// The job runner: one pg-boss instance per server, in the metadata database (schema `pgboss`),
// shared by the three kinds of jobs — dbt runs (server/pipelines/pipeline-service.ts), lake
// compaction (server/lake/compactor.ts) and file imports (server/ingest/import/import-jobs.ts).
// Each service keeps its own table of runs (the history users see) and uses pg-boss as the queue
// and scheduler. Not obvious: on PGlite every connection shares one session, so there is exactly
// one instance with one connection; services never create their own, and they stop their workers
// (offWork) before the runtime stops this instance.
import { PgBoss } from 'pg-boss';
import type { Logger } from '../logger';

export interface JobQueue {
  boss: PgBoss;
  /** Stops polling and closes the connection; call after every service using it has stopped. */
  stop(): Promise<void>;
}

export async function startJobQueue(o: { databaseUrl: string; logger: Logger }): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: o.databaseUrl,
    // One connection: on PGlite every connection shares its single session anyway.
    max: 1,
    schema: 'pgboss',
  });
  boss.on('error', (error) => o.logger.error({ err: error }, 'job queue error'));
  await boss.start();
  let stopped = false;
  return {
    boss,
    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: false, close: true });
    },
  };
}

/** A worker registered by a service, to stop it (and only it) on close. */
export interface Worker {
  queue: string;
  id: string;
}

/** Stops the service's workers: no new fetches; waits for the handlers in progress. */
export async function stopWorkers(boss: PgBoss, workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => boss.offWork(w.queue, { id: w.id, wait: true })));
}
