// Embedded metadata database: PGlite (PostgreSQL 17 in WASM) persisted under the data directory
// and served on a loopback socket by pglite-socket, so the app talks to it through the very same
// pg + @prisma/adapter-pg path as to a real PostgreSQL. PGlite is single-connection: clients use
// a pool of 1, and a lock file stops a second process from opening the same directory.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { AppError } from '../errors';

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

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  const release = await acquireLock(lockFile);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir });
    // The pg pool uses one connection, but when pg-pool drops a connection after a query error it
    // opens the next one before the old socket has closed. With the default maxConnections of 1,
    // Node's net server refuses that new socket and the query fails with "Connection terminated
    // unexpectedly". pglite-socket multiplexes connections onto the one PGlite session (keeping a
    // transaction on its connection), so a little headroom is safe.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
    await server.start();
    const address = server.getServerConn();
    const port = Number(address.split(':').pop());
    const pglite = db;
    return {
      url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      dataDir,
      async stop() {
        await server.stop();
        await pglite.close();
        await release();
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await release();
    throw error;
  }
}
