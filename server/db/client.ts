// Prisma Client over node-postgres (@prisma/adapter-pg): the same path for PGlite (through its
// socket) and for PostgreSQL. The pg pool is shared with the migrator.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { AppError } from '../errors';

export type { PrismaClient };
export type Db = PrismaClient;

export interface DatabaseHandle {
  /** The connection string (the embedded server's loopback URL in embedded mode). */
  url: string;
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabase(url: string, opts: { embedded: boolean }): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    // PGlite is a single connection behind its socket.
    max: opts.embedded ? 1 : 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: opts.embedded ? 0 : 30_000,
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    url,
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Fails with a message naming the variable when the configured database cannot be reached. */
export async function checkConnection(pool: pg.Pool, variable: string): Promise<void> {
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT 1');
    } finally {
      client.release();
    }
  } catch (error) {
    throw new AppError(
      'CONFIG_INVALID',
      `${variable} is set but the database cannot be reached: ${(error as Error).message}. Check host, port, credentials and that the server is running.`,
      { variables: [variable] },
      { cause: error },
    );
  }
}
