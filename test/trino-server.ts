// A Trino server of a test's own, started by the project's installer (infra/local/trino.sh) on a
// free port over a given lake folder. Needs a Java that Trino accepts (24+: Temurin 25 here) and
// Maven (the server comes from Maven Central). With REQUIRE_SERVICES=1 (CI) a machine that cannot
// start one fails the suite; elsewhere it is skipped with a warning.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = path.resolve('infra/local/trino.sh');
const JAVA_HOME = process.env.TRINO_JAVA_HOME ?? '/usr/lib/jvm/temurin-25-jdk-amd64';

export function trinoAvailable(): { ok: boolean; reason?: string } {
  if (!existsSync(path.join(JAVA_HOME, 'bin', 'java')))
    return { ok: false, reason: `no Java 24+ at ${JAVA_HOME} (set TRINO_JAVA_HOME)` };
  try {
    execFileSync('sh', ['-c', 'command -v mvn'], { stdio: 'ignore' });
  } catch {
    return { ok: false, reason: 'mvn is not installed (.ci/run installs it)' };
  }
  return { ok: true };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class TestTrino {
  private constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `heap` / `queryMemory`: the JVM heap and a query's memory (1536M / 1GB: enough for tests). */
  static async start(
    dataDir: string,
    lakeDir: string,
    size: { heap?: string; queryMemory?: string } = {},
  ): Promise<TestTrino> {
    const port = await freePort();
    const trino = new TestTrino(port, {
      ...process.env,
      TRINO_PORT: String(port),
      TRINO_DATA_DIR: dataDir,
      TRINO_LAKE_DIR: lakeDir,
      TRINO_HEAP: size.heap ?? '1536M',
      TRINO_QUERY_MEMORY: size.queryMemory ?? '1GB',
      TRINO_JAVA_HOME: JAVA_HOME,
    });
    await run(SCRIPT, ['start'], { env: trino.env, timeout: 600_000 });
    return trino;
  }

  /** Starts the stopped server again on the same port, data and lake. */
  async restart(): Promise<void> {
    await run(SCRIPT, ['start'], { env: this.env, timeout: 600_000 });
  }

  async stop(): Promise<void> {
    await run(SCRIPT, ['stop'], { env: this.env, timeout: 60_000 }).catch(() => undefined);
  }
}
