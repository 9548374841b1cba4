// A Kafka broker of a test's own, started by the project's installer (infra/local/kafka.sh) on a
// free port with its own data directory, so a test can kill and restart it. Needs Java 17+ and
// Maven (the broker's jars come from Maven Central). With REQUIRE_SERVICES=1 (CI) a machine that
// cannot start one fails the suite; elsewhere the suite is skipped with a warning.
import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = path.resolve('infra/local/kafka.sh');

export function kafkaAvailable(): { ok: boolean; reason?: string } {
  for (const tool of ['java', 'mvn']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return { ok: false, reason: `${tool} is not installed (.ci/run installs it)` };
    }
  }
  return { ok: true };
}

async function freePort(): Promise<number> {
  // Two consecutive free ports: the broker's and its controller's.
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    if (port >= 65535) continue;
    const next = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port + 1, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (next) return port;
  }
}

export class TestBroker {
  private constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  private env() {
    return { ...process.env, KAFKA_PORT: String(this.port), KAFKA_DATA_DIR: this.dataDir };
  }

  static async start(dataDir: string): Promise<TestBroker> {
    const broker = new TestBroker(await freePort(), dataDir);
    await broker.up();
    return broker;
  }

  async up(): Promise<void> {
    await run(SCRIPT, ['start'], { env: this.env(), timeout: 300_000 });
  }

  /** kill -9: no controlled shutdown, the log is recovered at the next start. */
  async kill(): Promise<void> {
    const pid = Number((await readFile(path.join(this.dataDir, 'broker.pid'), 'utf8')).trim());
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await run(SCRIPT, ['stop'], { env: this.env(), timeout: 60_000 }).catch(() => undefined);
  }
}
