// The Trino half of `npm run tl -- bench distributed`: every insight type on the same data, on
// the embedded DuckDB path and on the Trino path, in one run. The data is the dbt bench's lake
// (bench/dbt.ts openBenchLake: `events` generated Orbit events, built once by dbt-duckdb). Its
// data directory is then cloned (the lake's files hard-linked: Delta files are never rewritten;
// the metadata database copied), a Trino server of the benchmark's own is started over the
// clone's lake (infra/local/trino.sh), and a runtime with TRINO_URL builds the marts with
// dbt-trino and runs the same queries. Each insight: cold, then p50 of `repeat` warm runs with
// the result cache bypassed (a fresh InsightService per run). `equal_results` is true only when
// every insight returned the same chart-ready result on both engines.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../server/config';
import {
  InsightService,
  ZInsightQuery,
  type InsightQuery,
} from '../server/insights/insight-service';
import { createLogger } from '../server/logger';
import { startRuntime, type Runtime } from '../server/runtime';
import { TestTrino } from '../test/trino-server';
import { BENCH_END_DATE, ensureMarts, openBenchLake } from './dbt';
import { median } from './stats';
import { normalise } from '../test/normalise';

const run = promisify(execFile);

export interface EngineTiming {
  cold_ms: number;
  p50_ms: number;
}

/** One insight on one engine: its timing and result, or why it failed. */
type Measurement = { timing: EngineTiming; result: string } | { error: string };

export interface EnginesBenchResult {
  events: number;
  /** Trino p50 / DuckDB p50, the worst insight that ran on both (null: none did). */
  trino_vs_duckdb_ratio: number | null;
  /** True only when every insight ran on both engines and gave the same result. */
  equal_results: boolean;
  /** Insights that failed on an engine, with the error. */
  failed: { insight: string; engine: 'duckdb' | 'trino'; error: string }[];
  /** Trino's JVM heap and per-query memory in this run (TL_BENCH_TRINO_HEAP / _QUERY_MEMORY). */
  trino_size: { heap: string; queryMemory: string };
  /** Wall-clock seconds of the full dbt build (models, snapshot, tests) on each engine. */
  dbt_build_s: { duckdb: number | null; trino: number };
  insights: Record<
    string,
    {
      duckdb: EngineTiming | null;
      trino: EngineTiming | null;
      ratio: number | null;
      equal: boolean;
    }
  >;
}

/** The insight benchmark's queries (bench/insights.ts) plus the other insight types. */
function queries(days: number): Record<string, InsightQuery> {
  const to = BENCH_END_DATE;
  const from = new Date(Date.parse(to) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const dateRange = { from, to };
  const last28 = {
    from: new Date(Date.parse(to) - 27 * 86_400_000).toISOString().slice(0, 10),
    to,
  };
  const q = (input: unknown) => ZInsightQuery.parse(input);
  return {
    trends: q({ kind: 'trends', series: [{ event: 'page_viewed' }], dateRange }),
    trends_breakdown: q({
      kind: 'trends',
      series: [{ event: 'feature_used', math: 'unique_users' }],
      interval: 'week',
      breakdown: { property: { source: 'user', name: 'plan' } },
      dateRange,
    }),
    funnel5: q({
      kind: 'funnels',
      steps: [
        'signed_up',
        'onboarding_completed',
        'project_created',
        'feature_used',
        'report_exported',
      ].map((event) => ({ event })),
      conversionWindow: { value: 14, unit: 'day' },
      dateRange,
    }),
    retention12w: q({
      kind: 'retention',
      startEvent: { event: 'signed_up' },
      returnEvent: { event: null },
      period: 'week',
      periods: 12,
      dateRange,
    }),
    paths: q({ kind: 'paths', start: { event: 'signed_up' }, depth: 5, dateRange }),
    feature_adoption: q({ kind: 'feature_adoption', segment: 'plan', dateRange }),
    lifecycle: q({ kind: 'lifecycle', event: { event: null }, interval: 'week', dateRange }),
    stickiness: q({
      kind: 'stickiness',
      event: { event: 'feature_used' },
      interval: 'day',
      dateRange: last28,
    }),
  };
}

async function measure(
  runtime: Runtime,
  workspaceId: string,
  all: Record<string, InsightQuery>,
  repeat: number,
  log: (line: string) => void,
): Promise<Record<string, Measurement>> {
  const fresh = () =>
    new InsightService({
      prisma: runtime.prisma,
      engine: runtime.queryEngine,
      pipelines: runtime.pipelines,
      cohorts: runtime.cohorts,
    });
  const out: Record<string, Measurement> = {};
  for (const [name, query] of Object.entries(all)) {
    const once = async () => {
      const started = performance.now();
      const res = await fresh().run(workspaceId, query);
      return { ms: performance.now() - started, result: res.result };
    };
    try {
      const cold = await once();
      const warm: number[] = [];
      for (let i = 0; i < repeat; i++) warm.push((await once()).ms);
      const timing = { cold_ms: Math.round(cold.ms), p50_ms: Math.round(median(warm)) };
      out[name] = { timing, result: JSON.stringify(normalise(cold.result)) };
      log(
        `${runtime.mode.queryEngine} ${name}: cold ${timing.cold_ms} ms, p50 ${timing.p50_ms} ms`,
      );
    } catch (error) {
      // Recorded, not fatal: the other insights are still measured.
      const message = error instanceof Error ? error.message : String(error);
      out[name] = { error: message };
      log(`${runtime.mode.queryEngine} ${name}: failed: ${message.slice(0, 300)}`);
    }
  }
  return out;
}

export async function benchEngines(opts: {
  events: number;
  seed: number;
  days: number;
  repeat: number;
  log: (line: string) => void;
}): Promise<EnginesBenchResult> {
  const all = queries(opts.days);
  // The test servers' 1.5 GB heap is too small for dbt-trino at 10M events (int_sessions ran
  // the JVM out of heap); a larger data set wants a larger Trino.
  const trinoSize = {
    heap: process.env.TL_BENCH_TRINO_HEAP ?? '1536M',
    queryMemory: process.env.TL_BENCH_TRINO_QUERY_MEMORY ?? '1GB',
  };
  // DuckDB: the bench lake as the embedded mode serves it (accelerators included).
  const lake = await openBenchLake(opts);
  let duck: Awaited<ReturnType<typeof measure>>;
  let duckBuild: number | null = null;
  try {
    const had = await lake.runtime.prisma.pipelineRun.findFirst({
      where: { workspaceId: lake.workspace.id, isCurrent: true },
    });
    const started = performance.now();
    await ensureMarts(lake, opts.log);
    if (!had) duckBuild = (performance.now() - started) / 1000;
    else if (had.startedAt && had.finishedAt)
      duckBuild = (had.finishedAt.getTime() - had.startedAt.getTime()) / 1000;
    await lake.runtime.pipelines.accelerated(lake.workspace.id);
    duck = await measure(lake.runtime, lake.workspace.id, all, opts.repeat, opts.log);
  } finally {
    await lake.runtime.close();
  }

  // Trino: a clone of the same data directory, so the bench lake itself stays a DuckDB one.
  const clone = await mkdtemp(path.join(os.tmpdir(), 'tl-bench-trino-'));
  const trinoDir = await mkdtemp(path.join(os.tmpdir(), 'tl-bench-trino-server-'));
  let server: TestTrino | undefined;
  try {
    opts.log('cloning the bench lake (hard links) and starting Trino (infra/local/trino.sh)…');
    await run('cp', ['-al', `${lake.dataDir}/.`, clone]);
    for (const dir of ['pglite', 'wal', 'vectors', 'pipelines']) {
      await rm(path.join(clone, dir), { recursive: true, force: true });
      await run('cp', ['-a', path.join(lake.dataDir, dir), path.join(clone, dir)]).catch(
        () => undefined,
      );
    }
    server = await TestTrino.start(trinoDir, path.join(clone, 'lake'), trinoSize);
    const config = loadConfig({
      NODE_ENV: 'production',
      TL_DATA_DIR: clone,
      TL_ADMIN_PASSWORD: 'bench-admin-password',
      TL_DEMO_DATA: '0',
      LOG_LEVEL: 'warn',
      // A statement Trino cannot finish in 3 minutes is recorded as failed (`failed`), not waited on.
      TL_QUERY_TIMEOUT_MS: '180000',
      TL_NOW: BENCH_END_DATE,
      TL_COMPACT_INTERVAL_MS: '0',
      TRINO_URL: server.url,
    });
    const runtime = await startRuntime(config, {
      logger: createLogger('warn', { name: 'bench', stream: 'stderr' }),
    });
    try {
      opts.log('dbt build on Trino (dbt-trino)…');
      const started = performance.now();
      const build = await runtime.pipelines.startRun({
        workspaceId: lake.workspace.id,
        trigger: 'cli',
      });
      const done = await runtime.pipelines.waitFor(build.id);
      if (done.status !== 'succeeded')
        throw new Error(`the dbt-trino build ${done.status}: ${done.error}`);
      const trinoBuild = (performance.now() - started) / 1000;
      opts.log(`dbt-trino build: ${trinoBuild.toFixed(1)} s`);
      const trino = await measure(runtime, lake.workspace.id, all, opts.repeat, opts.log);
      const insights: EnginesBenchResult['insights'] = {};
      const failed: EnginesBenchResult['failed'] = [];
      for (const name of Object.keys(all)) {
        const d = duck[name]!;
        const t = trino[name]!;
        if ('error' in d) failed.push({ insight: name, engine: 'duckdb', error: d.error });
        if ('error' in t) failed.push({ insight: name, engine: 'trino', error: t.error });
        insights[name] = {
          duckdb: 'timing' in d ? d.timing : null,
          trino: 'timing' in t ? t.timing : null,
          ratio:
            'timing' in d && 'timing' in t
              ? Number((t.timing.p50_ms / Math.max(1, d.timing.p50_ms)).toFixed(2))
              : null,
          equal: 'result' in d && 'result' in t && d.result === t.result,
        };
      }
      const ratios = Object.values(insights).flatMap((i) => (i.ratio === null ? [] : [i.ratio]));
      return {
        events: opts.events,
        trino_vs_duckdb_ratio: ratios.length ? Math.max(...ratios) : null,
        equal_results: Object.values(insights).every((i) => i.equal),
        failed,
        trino_size: trinoSize,
        dbt_build_s: {
          duckdb: duckBuild === null ? null : Number(duckBuild.toFixed(1)),
          trino: Number(trinoBuild.toFixed(1)),
        },
        insights,
      };
    } finally {
      await runtime.close();
    }
  } finally {
    await server?.stop();
    await rm(clone, { recursive: true, force: true });
    await rm(trinoDir, { recursive: true, force: true });
  }
}
