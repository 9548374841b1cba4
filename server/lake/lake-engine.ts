// The DuckDB engine over the lake, as the server and the `tl` CLI both open it: the delta
// extension loaded from the directory bootstrap fills from the registry (before the engine locks
// its configuration), and the bronze.* views of the Delta tables that exist.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createDuckDbEngine, type DuckDbEngine } from '../query/duckdb-engine';
import { sqlString } from '../query/sql-quote';
import { lakeTables, refreshBronzeViews } from './lake';

export interface LakeEngine {
  engine: DuckDbEngine;
  /** False when bootstrap has not installed the delta extension: bronze is not queryable. */
  deltaAvailable: boolean;
  /** bronze.* views created at open. */
  views: string[];
}

export async function openLakeEngine(
  config: Config,
  logger: Logger,
  pool: { poolSize: number; queueMax: number },
): Promise<LakeEngine> {
  const extensionDir = path.join(config.projectRoot, '.venv', 'duckdb-extensions');
  let deltaAvailable = false;
  const engine = await createDuckDbEngine({
    lakeDir: config.lakeDir,
    tempDir: config.duckdb.tempDir,
    threads: config.duckdb.threads,
    memoryLimit: config.duckdb.memoryLimit,
    poolSize: pool.poolSize,
    queueMax: pool.queueMax,
    defaultTimeoutMs: config.query.timeoutMs,
    defaultMaxRows: config.query.maxRows,
    logger,
    setup: async (conn) => {
      if (!existsSync(extensionDir)) return;
      await conn.run(`SET extension_directory = ${sqlString(extensionDir)}`);
      await conn.run('LOAD delta');
      deltaAvailable = true;
    },
  });
  if (!deltaAvailable) {
    logger.warn(
      { extensionDir },
      'DuckDB delta extension not found: bronze tables are not queryable until bootstrap installs it',
    );
    return { engine, deltaAvailable, views: [] };
  }
  try {
    return {
      engine,
      deltaAvailable,
      views: await refreshBronzeViews(engine, lakeTables(config.lakeDir)),
    };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
