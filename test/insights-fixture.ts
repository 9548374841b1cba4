// A runtime with built marts for insight tests: 20k generated Orbit events (seed 5, 45 days to
// 2026-10-17) imported, flushed (which also fills the schema registry the insights check event
// names against) and built by a real dbt run; a viewer's tRPC caller and raw SQL on the marts.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCaller } from '@/server/api/root';
import { generateDataset } from '@/server/ingest/generator/generate';
import { importFiles } from '@/server/ingest/import/import-files';
import { testDatabases } from './databases';
import { startFixture, type Fixture } from './runtime-fixture';

export interface InsightsFixture {
  fx: Fixture;
  /** The generator's ground_truth.json. */
  truth: unknown;
  /** The UTC days the data covers. */
  window: { from: string; to: string };
  viewer: ReturnType<typeof createCaller>;
  /** Raw SQL on the workspace's current marts (bare names resolve to them). */
  sql(text: string, params?: unknown[]): Promise<unknown[][]>;
  dispose(): Promise<void>;
}

/**
 * `env` is added to the runtime's environment: e.g. TL_DATA_DIR and TRINO_URL for the same data
 * built and queried on Trino (server/insights/trino-equivalence.integration.test.ts).
 */
export async function startInsightsFixture(
  env: Record<string, string> = {},
): Promise<InsightsFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-insights-'));
  const gen = path.join(dir, 'gen');
  await generateDataset({ events: 20_000, seed: 5, days: 45, endDate: '2026-10-17', outDir: gen });
  const truth: unknown = JSON.parse(await readFile(path.join(gen, 'ground_truth.json'), 'utf8'));
  // Insights read DuckDB marts; the metadata database only holds runs and the registry, so the
  // embedded one (always first) is enough here.
  const fx = await startFixture(testDatabases()[0]!, env);
  try {
    await importFiles(fx.runtime, { workspaceId: fx.workspace.id, paths: [gen] });
    await fx.runtime.flusher.flush();
    const build = await fx.runtime.pipelines.startRun({
      workspaceId: fx.workspace.id,
      trigger: 'manual',
    });
    const done = await fx.runtime.pipelines.waitFor(build.id);
    if (done.status !== 'succeeded') throw new Error(`dbt run ${done.status}: ${done.error}`);
    // Built just after the switch; insights take their fast paths once they exist.
    await fx.runtime.pipelines.accelerated(fx.workspace.id);
    const viewer = createCaller(
      await fx.context({
        cookie: await fx.cookieFor(fx.users.viewer.email),
        workspace: fx.workspace.slug,
      }),
    );
    return {
      fx,
      truth,
      window: { from: '2026-09-03', to: '2026-10-17' },
      viewer,
      sql: async (text, params = []) =>
        (
          await fx.runtime.queryEngine.execute(text, {
            params,
            schema: fx.runtime.pipelines.schemaOf(fx.workspace.id),
          })
        ).rows,
      async dispose() {
        await fx.dispose();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fx.dispose();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
