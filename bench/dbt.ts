// `npm run tl -- bench dbt`: a full `dbt build` (every model, snapshot and test) of generated
// Orbit events through the same path as Admin → Pipelines (a queued run, the worker, dbt-duckdb,
// per-run Parquet marts, the view switch), timed per model. Baseline in the same run: one
// DuckDB scan of all of bronze.events (grouping by event_id, i.e. the dedup every build pays) —
// the floor under which no build of these marts can go.
//
// The generated and imported data is kept under TL_DATA_DIR/bench/dbt-<events>-s<seed> and
// reused by the next run with the same arguments (generating and importing 10M events takes
// minutes and is not what is measured). Up to 10M events it goes through the collector's import
// path; larger data sets through the direct loader (bench/bronze-loader.ts), which writes the
// same bronze rows ~10× faster.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { generateDataset } from '../server/ingest/generator/generate';
import { importFiles } from '../server/ingest/import/import-files';
import { createLogger } from '../server/logger';
import { LOADER_PART_EVENTS, loadBronzeDirect } from './bronze-loader';
import type { NodeResult } from '../server/pipelines/run-results';
import { startRuntime, type Runtime } from '../server/runtime';
import { median } from './stats';

export interface DbtBenchOptions {
  events: number;
  seed: number;
  days: number;
  /** Builds to run one after the other; figures are their medians (runs vary by a few seconds). */
  runs: number;
  log: (line: string) => void;
}

export interface DbtBenchResult {
  events: number;
  /** Wall time of a run (median of the runs): queued → marts switched, dbt's start and all tests. */
  total_s: number;
  /** Model (and snapshot) name → seconds dbt spent building it (median of the runs). */
  models: Record<string, number>;
  details: {
    status: string;
    /** Every run's wall time, in order (the first in a fresh data directory parses in full). */
    runs_total_s: number[];
    tests: number;
    tests_s: number;
    /**
     * After the switch, until the accelerators (indexes for insights, not dbt models) were
     * built; the next build starts only then (median of the runs).
     */
    accelerators_s: number;
    baseline_scan_bronze_s: number;
    rows: Record<string, number | null>;
    data_dir: string;
  };
}

/** Issue #4's target on one laptop-class machine. */
export const DBT_TARGET_SECONDS = 60;

export interface BenchLake {
  runtime: Runtime;
  workspace: { id: string; slug: string };
  dataDir: string;
}

/** The last day of every bench lake's generated data. */
export const BENCH_END_DATE = '2026-11-01';

/**
 * A runtime on the bench's own data directory (TL_DATA_DIR/bench/dbt-<events>-s<seed>) whose
 * demo workspace holds `events` generated Orbit events in bronze: generated and imported on
 * first use, reused afterwards. Shared by the dbt and insights benches.
 */
export async function openBenchLake(opts: {
  events: number;
  seed: number;
  days: number;
  log: (line: string) => void;
}): Promise<BenchLake> {
  const base = loadConfig();
  const dataDir = path.join(base.dataDir, 'bench', `dbt-${opts.events}-s${opts.seed}`);
  // The direct loader marks a complete data set (one stopped half-way starts over); an import
  // counts from its first commit, as it always has (lakes made before the marker stay usable).
  const direct = opts.events > LOADER_PART_EVENTS;
  const ready = direct
    ? path.join(dataDir, 'bench-lake-ready')
    : path.join(dataDir, 'lake', 'bronze', 'events', '_delta_log');
  const config = loadConfig({
    // The bench's own data directory and embedded database; nothing of the caller's is used.
    NODE_ENV: 'production',
    TL_DATA_DIR: dataDir,
    TL_ADMIN_PASSWORD: 'bench-admin-password',
    TL_DEMO_DATA: '0',
    LOG_LEVEL: 'warn',
    // The bench measures what the server's 30 s limit would cut off (a 20-step funnel at 100M).
    TL_QUERY_TIMEOUT_MS: '3600000',
    // "Today" for Ask's relative dates: the generated data's last day.
    TL_NOW: BENCH_END_DATE,
  });
  const logger = createLogger('warn', { name: 'bench', stream: 'stderr' });
  if (!existsSync(ready)) {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
  }
  const runtime = await startRuntime(config, { logger });
  try {
    const workspace = await runtime.prisma.workspace.findUniqueOrThrow({
      where: { slug: config.demoWorkspaceSlug },
    });
    if (!existsSync(ready) && direct) {
      const started = performance.now();
      await loadBronzeDirect(runtime, {
        workspaceId: workspace.id,
        events: opts.events,
        seed: opts.seed,
        days: opts.days,
        endDate: BENCH_END_DATE,
        workDir: path.join(dataDir, 'gen'),
        log: opts.log,
      });
      opts.log('compacting bronze, as the server’s schedule would…');
      const compaction = await runtime.compactor.run('manual');
      if (compaction.status !== 'succeeded')
        throw new Error(`compaction ${compaction.status}: ${compaction.error ?? ''}`);
      opts.log(`loaded in ${Math.round((performance.now() - started) / 1000)} s`);
      await writeFile(ready, `${new Date().toISOString()}\n`);
    } else if (!existsSync(ready)) {
      const gen = path.join(dataDir, 'gen');
      opts.log(`generating ${opts.events.toLocaleString('en-US')} events…`);
      await generateDataset({
        events: opts.events,
        seed: opts.seed,
        days: opts.days,
        endDate: BENCH_END_DATE,
        outDir: gen,
      });
      opts.log('importing them into the lake (kept for the next run)…');
      let last = 0;
      await importFiles(runtime, {
        workspaceId: workspace.id,
        paths: [gen],
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < 5_000) return;
          last = now;
          opts.log(`import: ${Math.round((100 * p.bytesRead) / Math.max(p.bytesTotal, 1))}%`);
        },
      });
      await runtime.flusher.flush();
      await rm(gen, { recursive: true, force: true });
    } else opts.log(`reusing the lake in ${dataDir}`);
    return { runtime, workspace, dataDir };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/** Builds the lake's marts once (one dbt run) when the workspace has none yet. */
export async function ensureMarts(
  { runtime, workspace }: Pick<BenchLake, 'runtime' | 'workspace'>,
  log: (line: string) => void,
): Promise<void> {
  const current = await runtime.prisma.pipelineRun.findFirst({
    where: { workspaceId: workspace.id, isCurrent: true },
  });
  if (current) return;
  log('no marts yet: one dbt build first…');
  const run = await runtime.pipelines.startRun({ workspaceId: workspace.id, trigger: 'cli' });
  const done = await runtime.pipelines.waitFor(run.id);
  if (done.status !== 'succeeded') throw new Error(`the dbt run ${done.status}: ${done.error}`);
}

export async function benchDbt(opts: DbtBenchOptions): Promise<DbtBenchResult> {
  const { runtime, workspace, dataDir } = await openBenchLake(opts);
  try {
    // The server's spare dbt process imports dbt at start (~3.5 s of CPU); let it finish first
    // so it does not slow the baseline (a server has it ready long before a run).
    await runtime.pipelines.dbtReady();
    opts.log('baseline: one DuckDB scan of bronze.events grouped by event_id…');
    const scanStarted = performance.now();
    await runtime.engine.execute(
      'select count(*) from (select event_id, min(received_at) from bronze.events group by event_id)',
      { timeoutMs: 600_000 },
    );
    const baseline = (performance.now() - scanStarted) / 1000;

    const builds: {
      total_s: number;
      models: Record<string, number>;
      tests_s: number;
      accelerators_s: number;
    }[] = [];
    let last: { nodes: NodeResult[] } | undefined;
    for (let i = 1; i <= opts.runs; i++) {
      opts.log(`dbt build ${i}/${opts.runs} (all models, snapshots and tests)…`);
      const run = await runtime.pipelines.startRun({ workspaceId: workspace.id, trigger: 'cli' });
      runtime.pipelines.eventsOf(run.id).on('progress', (p) => {
        if (p.done === p.total || p.done % 10 === 0) opts.log(`dbt: ${p.done}/${p.total}`);
      });
      const finished = await runtime.pipelines.waitFor(run.id);
      if (finished.status !== 'succeeded')
        throw new Error(`the dbt run ${finished.status}: ${finished.error ?? 'no error recorded'}`);
      const nodes = (finished.results ?? []) as unknown as NodeResult[];
      const total_s =
        Math.round((finished.finishedAt!.getTime() - finished.createdAt.getTime()) / 100) / 10;
      const switched = performance.now();
      await runtime.pipelines.accelerated(workspace.id);
      const accelerators_s = Math.round((performance.now() - switched) / 100) / 10;
      opts.log(`build ${i}: ${total_s} s; accelerators ${accelerators_s} s after the switch`);
      builds.push({
        total_s,
        accelerators_s,
        models: Object.fromEntries(
          nodes
            .filter((n) => n.resourceType === 'model' || n.resourceType === 'snapshot')
            .map((n) => [n.name, n.seconds]),
        ),
        tests_s:
          Math.round(
            nodes.filter((n) => n.resourceType === 'test').reduce((s, n) => s + n.seconds, 0) * 10,
          ) / 10,
      });
      last = { nodes };
    }
    const nodes = last!.nodes;
    const built = nodes.filter((n) => n.resourceType === 'model' || n.resourceType === 'snapshot');
    const tests = nodes.filter((n) => n.resourceType === 'test');
    const events = Number(
      (
        await runtime.engine.execute('select count(*) from fact_events', {
          schema: runtime.pipelines.schemaOf(workspace.id),
        })
      ).rows[0]?.[0] ?? 0,
    );
    return {
      events: opts.events,
      total_s: round3(median(builds.map((b) => b.total_s))),
      models: Object.fromEntries(
        built.map((n) => [n.name, round3(median(builds.map((b) => b.models[n.name] ?? 0)))]),
      ),
      details: {
        status: 'succeeded',
        runs_total_s: builds.map((b) => b.total_s),
        tests: tests.length,
        tests_s: round3(median(builds.map((b) => b.tests_s))),
        accelerators_s: round3(median(builds.map((b) => b.accelerators_s))),
        baseline_scan_bronze_s: Math.round(baseline * 100) / 100,
        rows: {
          ...Object.fromEntries(built.map((n) => [n.name, n.rows ?? null])),
          fact_events: events,
        },
        data_dir: dataDir,
      },
    };
  } finally {
    await runtime.close();
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
