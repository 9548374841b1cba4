// Runs one `dbt build` as a child process: an argument array (no shell), a per-run working area
// (<data>/pipelines/<run>/: dbt's target/ and logs/, the run's DuckDB file), the run's marts
// folder in the lake, and the workspace's persistent snapshot database. dbt's JSON log is
// written to <run>/dbt.log as it comes and parsed into progress and log entries for the live
// view. The result comes from dbt's own run_results.json.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { childProcessEnv } from '../config';
import { AppError } from '../errors';
import { dbtBuildArgs } from './dbt-args';
import { parseDbtLogLine, type DbtLogEntry } from './dbt-log';
import { summariseRunResults, type NodeResult } from './run-results';

export interface DbtRunPaths {
  /** <data>/pipelines/<run>: target/, logs/, dbt.log, dbt.duckdb. */
  workDir: string;
  /** <lake>/marts/<workspace>/<run>: the marts, one Parquet file each. */
  outputDir: string;
  /** <data>/pipelines/snapshots/<workspace>.duckdb, kept across runs (SCD2 history). */
  snapshotDatabase: string;
}

export function dbtRunPaths(
  dataDir: string,
  lakeDir: string,
  workspaceId: string,
  runId: string,
): DbtRunPaths {
  return {
    workDir: path.join(dataDir, 'pipelines', 'runs', runId),
    outputDir: path.join(lakeDir, 'marts', workspaceId, runId),
    snapshotDatabase: path.join(dataDir, 'pipelines', 'snapshots', `${workspaceId}.duckdb`),
  };
}

export interface DbtBuildOptions {
  projectRoot: string;
  lakeDir: string;
  workspaceId: string;
  select: string[];
  paths: DbtRunPaths;
  signal?: AbortSignal;
  onLog?: (entry: DbtLogEntry) => void;
}

export interface DbtBuildOutcome {
  exitCode: number | null;
  /** From run_results.json; empty when dbt failed before running any node. */
  nodes: NodeResult[];
  elapsedSeconds: number;
  /** The last error lines of the log when dbt itself failed (parse error, bad profile, …). */
  errorLines: string[];
  cancelled: boolean;
}

export function dbtExecutable(projectRoot: string): string {
  return path.join(projectRoot, '.venv', 'bin', 'dbt');
}

export async function runDbtBuild(o: DbtBuildOptions): Promise<DbtBuildOutcome> {
  const exe = dbtExecutable(o.projectRoot);
  if (!existsSync(exe))
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      `dbt is not installed in ${path.dirname(exe)}. Run npm start (or npm test) once to create the Python environment.`,
    );
  const { workDir, outputDir, snapshotDatabase } = o.paths;
  await mkdir(workDir, { recursive: true });
  await mkdir(outputDir, { recursive: true });
  await mkdir(path.dirname(snapshotDatabase), { recursive: true });
  const args = dbtBuildArgs({
    projectDir: path.join(o.projectRoot, 'dbt'),
    targetPath: path.join(workDir, 'target'),
    logPath: path.join(workDir, 'logs'),
    target: 'duckdb',
    select: o.select,
  });
  const child = spawn(exe, args, {
    cwd: o.projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childProcessEnv({
      LANG: 'C.UTF-8',
      DBT_SEND_ANONYMOUS_USAGE_STATS: 'False',
      DO_NOT_TRACK: '1',
      TL_LAKE_DIR: o.lakeDir,
      TL_WORKSPACE_ID: o.workspaceId,
      TL_DBT_DATABASE: path.join(workDir, 'dbt.duckdb'),
      TL_DBT_OUTPUT_DIR: outputDir,
      TL_DBT_SNAPSHOT_DATABASE: snapshotDatabase,
      TL_DUCKDB_EXTENSION_DIR: path.join(o.projectRoot, '.venv', 'duckdb-extensions'),
    }),
  });
  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    child.kill('SIGTERM');
  };
  // A cancel that came while the run was being prepared: the listener would never hear it.
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  const logFile = createWriteStream(path.join(workDir, 'dbt.log'));
  const errorLines: string[] = [];
  const remember = (entry: DbtLogEntry) => {
    if (entry.level === 'error' || entry.event === 'Text') {
      errorLines.push(entry.message);
      if (errorLines.length > 40) errorLines.shift();
    }
  };
  const pump = async (stream: NodeJS.ReadableStream) => {
    for await (const line of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      logFile.write(`${line}\n`);
      const entry = parseDbtLogLine(line);
      remember(entry);
      o.onLog?.(entry);
    }
  };
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  try {
    await Promise.all([pump(child.stdout), pump(child.stderr)]);
    const exitCode = await exited;
    const resultsFile = path.join(workDir, 'target', 'run_results.json');
    const summary = existsSync(resultsFile)
      ? summariseRunResults(JSON.parse(await readFile(resultsFile, 'utf8')))
      : { nodes: [], elapsed: 0 };
    return {
      exitCode,
      nodes: summary.nodes,
      elapsedSeconds: summary.elapsed,
      errorLines,
      cancelled,
    };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await new Promise<void>((resolve) => logFile.end(resolve));
  }
}
