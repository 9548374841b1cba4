// Embedded metadata database: PGlite (PostgreSQL 17 in WASM) persisted under the data directory
// and served on a loopback socket by pglite-socket, so the app talks to it through the very same
// pg + @prisma/adapter-pg path as to a real PostgreSQL. PGlite is single-connection: clients use
// a pool of 1, and a lock file stops a second process from opening the same directory.
// PGlite and its socket server run on a worker thread (embedded-postgres-worker.mjs): queries
// (WASM, CPU-bound) then never stall the main event loop that acknowledges ingestion.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import type { Logger } from '../logger';

export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Locks this process holds (on globalThis: Next.js may load this module twice). A lock file naming
// our own pid that is not in this set is stale, e.g. left by a crashed container that had our pid.
const HELD = Symbol.for('telemetry-lakehouse.pglite-locks');
function heldLocks(): Set<string> {
  const g = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  g[HELD] ??= new Set();
  return g[HELD];
}

async function acquireLock(lockFile: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldLocks().add(lockFile);
      return async () => {
        heldLocks().delete(lockFile);
        await rm(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      const ours = pid === process.pid;
      if (pid && ((ours && heldLocks().has(lockFile)) || (!ours && isProcessAlive(pid)))) {
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          `The embedded database in ${path.dirname(lockFile)} is in use by process ${pid}. Stop that process (or set DATABASE_URL to a PostgreSQL server) and try again.`,
          { pid },
        );
      }
      await rm(lockFile, { force: true }); // stale lock from a crashed process
    }
  }
  throw new AppError('SERVICE_UNAVAILABLE', `Could not lock ${lockFile}.`);
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: Pick<Logger, 'error'> = { error: (...args: unknown[]) => console.error(...args) },
): Promise<EmbeddedPostgres> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  const release = await acquireLock(lockFile);
  const worker = new Worker(new URL('./embedded-postgres-worker.mjs', import.meta.url), {
    workerData: { dataDir },
    // The worker needs no TypeScript loader; inheriting `--import tsx` would only slow its start.
    execArgv: [],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: WorkerMessage) =>
        m.type === 'ready'
          ? resolve(m.port)
          : reject(
              new AppError(
                'SERVICE_UNAVAILABLE',
                `The embedded database did not start: ${m.type === 'failed' ? m.message : m.type}`,
              ),
            ),
      );
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new AppError('SERVICE_UNAVAILABLE', `The embedded database exited (code ${code}).`)),
      );
    });
    worker.removeAllListeners();
    let exited = false;
    let stopping = false;
    worker.on('exit', (code) => {
      exited = true;
      // Past start-up the database should live as long as the process. Without it every request
      // fails, so say why loudly; the pg pool reports the refused connections itself.
      if (!stopping) log.error({ code }, 'embedded PGlite worker exited unexpectedly');
    });
    worker.on('error', (error) => log.error({ err: error }, 'embedded PGlite worker failed'));
    return {
      url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      dataDir,
      async stop() {
        if (stopping) return;
        stopping = true;
        if (!exited) {
          const stopped = new Promise<void>((resolve) => {
            worker.on('message', (m: WorkerMessage) => m.type === 'stopped' && resolve());
            worker.once('exit', () => resolve());
          });
          worker.postMessage({ type: 'stop' });
          await stopped;
          await worker.terminate();
        }
        await release();
      },
    };
  } catch (error) {
    await worker.terminate().catch(() => undefined);
    await release();
    throw error;
  }
}

type WorkerMessage =
  { type: 'ready'; port: number } | { type: 'failed'; message: string } | { type: 'stopped' };
