// A minimal ingestion server for the kill -9 tests: the real runtime (PGlite, WAL, flusher,
// Delta writer, DuckDB) and the real collector, behind node:http instead of Next.js so that a
// restart takes a second. Prints {"port","key"} on its first line.
import { createServer } from 'node:http';
import { loadConfig } from '@/server/config';
import { startRuntime } from '@/server/runtime';
import { collect } from '@/server/ingest/collector/collect';
import { createApiKey } from '@/server/auth/api-keys';

const dataDir = process.argv[2]!;
const config = loadConfig({
  TL_DATA_DIR: dataDir,
  TL_ADMIN_PASSWORD: 'admin-password-123',
  LOG_LEVEL: 'warn',
  TL_FLUSH_INTERVAL_MS: '200',
  TL_QUERY_POOL_SIZE: '1',
});
const runtime = await startRuntime(config);
const admin = await runtime.prisma.user.findFirstOrThrow();
const workspace = await runtime.prisma.workspace.findFirstOrThrow();
const key = await createApiKey(
  runtime.prisma,
  workspace.id,
  { id: admin.id, email: admin.email, ip: null },
  `kill-test-${Date.now()}`,
);

const server = createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    await runtime.flusher.flush();
    const result =
      runtime.wal.stats.sealed === 0 && runtime.deltaAvailable
        ? await runtime.engine
            .execute(
              `select count(*)::int as n, count(distinct event_id)::int as ids from bronze.events`,
            )
            .catch(() => ({ rows: [[0, 0]] }))
        : { rows: [[0, 0]] };
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        rows: result.rows[0]?.[0] ?? 0,
        ids: result.rows[0]?.[1] ?? 0,
        wal: runtime.wal.stats,
      }),
    );
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const response = await collect(
    runtime,
    new Request(`http://x${req.url}`, {
      method: 'POST',
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    }),
    'batch',
  );
  res.statusCode = response.status;
  res.setHeader('content-type', 'application/json');
  res.end(await response.text());
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, key: key.secret })}\n`,
  );
});
