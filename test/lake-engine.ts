// A small DuckDB engine over a test lake folder, with the delta extension bootstrap lays out in
// .venv — for tests that drive the Delta writer without a whole runtime.
import path from 'node:path';
import { createDuckDbEngine, type DuckDbEngine } from '@/server/query/duckdb-engine';

export function testLakeEngine(dir: string, root: string, maxRows = 10_000): Promise<DuckDbEngine> {
  return createDuckDbEngine({
    lakeDir: path.join(dir, 'lake'),
    tempDir: path.join(dir, 'tmp'),
    threads: 1,
    memoryLimit: '512MB',
    poolSize: 1,
    queueMax: 4,
    defaultTimeoutMs: 20_000,
    defaultMaxRows: maxRows,
    setup: async (conn) => {
      await conn.run(
        `SET extension_directory = '${path.join(root, '.venv', 'duckdb-extensions')}'`,
      );
      await conn.run('LOAD delta');
    },
  });
}
