// The Telemetry Lakehouse server: one long-lived Node process that owns the embedded parts
// (PGlite, DuckDB) and serves the Next.js app. `npm start` runs it in production mode after
// scripts/bootstrap.mjs has installed and built everything; `npm run dev` runs it with --dev.
import { createServer, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { loadConfig, type Config } from './config';
import { isAppError } from './errors';
import { CLIENT_IP_HEADER } from './auth/auth';
import { startRuntime } from './runtime';
import { captureKind, serveCapture } from './http/capture-route';
import { createLogger } from './logger';
import { PATH_HEADER } from '../lib/path-header';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function clientIp(req: IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(`\n✖ ${(error as Error).message}\n\nSee the Configuration section of README.md.`);
    process.exit(1);
  }
  process.chdir(root);
  const runtime = await startRuntime(config, {
    migrationsDir: path.join(root, 'prisma/migrations'),
    logger: createLogger(config.logLevel, { logDir: config.logDir }),
  });
  const { logger } = runtime;

  const app = next({ dev, dir: root, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = createServer((req, res) => {
    // The client IP used for rate limiting and audit comes from the socket, never from the client.
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    // Layouts use the path for "sign in and come back here" redirects (lib/current-path.ts).
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    req.headers[PATH_HEADER] = pathname;
    const kind = captureKind(req.method, pathname);
    const served = kind ? serveCapture(runtime, kind, req, res) : handle(req, res);
    served.catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            error: {
              code: 'INTERNAL',
              message: 'Something went wrong on the server. It has been logged.',
            },
          }),
        );
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });

  const lines = [
    '',
    `  Telemetry Lakehouse is running at ${config.baseUrl}`,
    `  metadata: ${runtime.mode.metadata === 'pglite' ? `embedded PGlite (${config.pgliteDir})` : 'PostgreSQL (DATABASE_URL)'}  ·  query engine: DuckDB  ·  intake: ${config.ingest.kafka ? `Kafka (${config.ingest.kafka.brokers.join(',')}, topic ${config.ingest.kafka.topic})` : 'write-ahead log'}  ·  data: ${config.dataDir}`,
  ];
  if (runtime.seed.generatedPassword) {
    lines.push(
      `  First start: sign in as ${runtime.seed.adminEmail} with password ${runtime.seed.generatedPassword}`,
    );
    lines.push(`  (also saved in ${runtime.seed.credentialsFile}; change it after signing in)`);
  } else if (runtime.seed.created) {
    lines.push(
      `  First start: sign in as ${runtime.seed.adminEmail} with the password from TL_ADMIN_PASSWORD`,
    );
  } else {
    lines.push(
      `  Sign in with your account (first admin: ${runtime.seed.adminEmail}; initial password in ${path.join(config.dataDir, 'initial-admin.txt')} if it was generated)`,
    );
  }
  console.log(`${lines.join('\n')}\n`);

  // The first question of each workspace with marts would wait seconds for its lexicon and its
  // retrieval index: they are made now, one workspace after another, in the background.
  void (async () => {
    const current = await runtime.prisma.pipelineRun.findMany({
      where: { isCurrent: true },
      select: { workspaceId: true },
    });
    for (const { workspaceId } of current) {
      const started = Date.now();
      await runtime.ask
        .warm(workspaceId)
        .then(() => logger.info({ workspaceId, ms: Date.now() - started }, 'ask: warmed up'))
        .catch((err: unknown) => logger.warn({ err, workspaceId }, 'ask: warm-up failed'));
    }
  })().catch((err: unknown) => logger.warn({ err }, 'ask: warm-up failed'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    await app.close().catch(() => undefined);
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (isAppError(error)) console.error(`\n✖ ${error.message}\n`);
  else console.error(error);
  process.exit(1);
});
