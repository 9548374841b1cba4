// A minimal ingestion server for the kill -9 tests: the real runtime (PGlite, WAL, flusher,
// Delta writer, DuckDB) and the real collector, behind node:http instead of Next.js so that a
// restart takes a second. Prints {"port","key"} on its first line.
// Flags after the data directory:
//   kill-after-commit  a flusher commit hook SIGKILLs this process on the first commit — after the
//                      Delta commit, before the WAL segment is retired — once it has printed
//                      {"killing": {segment, events, events_status, …}}: the crash window that only
//                      the Delta transaction id makes safe, hit every time rather than by chance.
//   no-demo-data       skip the first-start demo dataset, so the client's batches are the only data.
// GET /stats flushes and counts bronze rows and distinct ids; GET /event-ids lists the ids.
// KAFKA_BROKERS, KAFKA_TOPIC and KAFKA_GROUP_ID in the environment switch it to the Kafka mode.
import { writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadConfig } from '@/server/config';
import { startRuntime } from '@/server/runtime';
import { collect } from '@/server/ingest/collector/collect';
import { createApiKey } from '@/server/auth/api-keys';
import { systemParts } from '@/server/system/parts';

const dataDir = process.argv[2]!;
const flags = new Set(process.argv.slice(3));
const config = loadConfig({
  TL_DATA_DIR: dataDir,
  TL_ADMIN_PASSWORD: 'admin-password-123',
  LOG_LEVEL: 'warn',
  TL_FLUSH_INTERVAL_MS: '200',
  TL_QUERY_POOL_SIZE: '1',
  ...(flags.has('no-demo-data') ? { TL_DEMO_DATA: '0' } : {}),
  ...Object.fromEntries(
    ['KAFKA_BROKERS', 'KAFKA_TOPIC', 'KAFKA_GROUP_ID', 'KAFKA_PARTITIONS']
      .filter((k) => process.env[k])
      .map((k) => [k, process.env[k]]),
  ),
});
const runtime = await startRuntime(config);
if (flags.has('kill-after-commit')) {
  // Registered after the runtime's own hooks, so it runs last; before any client can send, so
  // the first commit of acknowledged events is the one that dies. writeSync: the line must be
  // out before the signal.
  runtime.flusher.afterCommit('kill-after-commit', async (flushed) => {
    if (flushed.events === 0) return; // Kafka: wait for a batch with rows
    writeSync(1, `${JSON.stringify({ killing: flushed })}\n`);
    process.kill(process.pid, 'SIGKILL');
  });
}
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
        kafka: runtime.kafka?.stats ?? null,
      }),
    );
    return;
  }
  if (req.method === 'GET' && req.url === '/parts') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(await systemParts(runtime, workspace.id)));
    return;
  }
  if (req.method === 'GET' && req.url === '/event-ids') {
    await runtime.flusher.flush();
    const result = await runtime.engine.execute('select event_id from bronze.events', {
      maxRows: 10_000_000,
    });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ids: result.rows.map((r) => r[0]), truncated: result.truncated }));
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
