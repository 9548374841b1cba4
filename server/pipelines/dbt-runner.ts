// Runs one `dbt build` as a child process: an argument array (no shell), a per-run working area
// (<data>/pipelines/<run>/: dbt's target/ and logs/, the run's DuckDB file), the run's marts
// folder in the lake, and the workspace's persistent snapshot database. dbt's JSON log is
// written to <run>/dbt.log as it comes and parsed into progress and log entries for the live
// view. The result comes from dbt's own run_results.json.
//
// dbt runs in the run's working area with the same relative paths every time (dbt.duckdb, marts/
// — a link to the run's marts folder — and the snapshot database relative to it), so the
// profile, whose connection settings dbt hashes, is identical from run to run, and dbt's partial
// parsing can reuse the workspace's previous parse (kept in <data>/pipelines/parse-cache/): a
// full parse of the project takes ~5 s of every run; dbt itself checks the saved parse against
// the project's files, vars and profile and parses afresh whatever changed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { childProcessEnv } from '../config';
import { AppError } from '../errors';
import { dbtBuildArgs } from './dbt-args';
import type { DbtTarget } from './marts-store';
import { parseDbtLogLine, type DbtLogEntry } from './dbt-log';
import { summariseRunResults, type NodeResult } from './run-results';

export interface DbtRunPaths {
  /** <data>/pipelines/<run>: target/, logs/, dbt.log, dbt.duckdb. */
  workDir: string;
  /** <lake>/marts/<workspace>/<run>: the marts, one Parquet file each. */
  outputDir: string;
  /** <data>/pipelines/snapshots/<workspace>.duckdb, kept across runs (SCD2 history). */
  snapshotDatabase: string;
  /** <data>/pipelines/parse-cache/<workspace>.msgpack: dbt's saved parse from the last run. */
  parseCache: string;
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
    parseCache: path.join(dataDir, 'pipelines', 'parse-cache', `${workspaceId}.msgpack`),
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
  /** The profile target (default duckdb) and the environment it reads (marts-store.ts). */
  target?: DbtTarget;
  /** Where the dbt process comes from (a spare launcher); a new launcher when absent. */
  processes?: DbtProcesses;
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

/** The run's marts folder as dbt sees it: a link in the working area (profile external_root). */
const MARTS_LINK = 'marts';

/** Keeps dbt's parse for the workspace's next run (written aside, then renamed into place). */
async function keepParse(savedParse: string, parseCache: string): Promise<void> {
  if (!existsSync(savedParse)) return;
  await mkdir(path.dirname(parseCache), { recursive: true });
  const partial = `${parseCache}.${process.pid}.tmp`;
  await copyFile(savedParse, partial);
  await rename(partial, parseCache);
}

export function dbtExecutable(projectRoot: string): string {
  return path.join(projectRoot, '.venv', 'bin', 'dbt');
}

/**
 * dbt processes for builds. Every run is one fresh dbt process, started through
 * pipelines/dbt/dbt_launcher.py: the launcher imports dbt (~3.5 s of CPU) and then waits for its
 * run's arguments, environment and working directory on stdin. With `keepSpare`, one launcher is
 * started ahead of time (at server start and after each run, never during one), so a run starts
 * without dbt's import time; a spare that has died is replaced by a new launcher.
 */
export class DbtProcesses {
  private spare: ChildProcess | undefined;
  private spareReady: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly projectRoot: string,
    private readonly keepSpare: boolean,
  ) {}

  /** Starts the spare launcher (when kept, installed, and none is alive). */
  prepare(): void {
    if (!this.keepSpare || this.closed || isAlive(this.spare)) return;
    if (!existsSync(dbtExecutable(this.projectRoot))) return;
    const spare = this.launch();
    this.spare = spare;
    // The launcher writes "ready" to fd 3 once dbt is imported; a launcher that dies first
    // closes the pipe, which settles this too.
    this.spareReady = new Promise<void>((resolve) => {
      const control = spare.stdio[3] as NodeJS.ReadableStream | null;
      if (!control) return resolve();
      control.once('data', () => resolve());
      control.once('close', () => resolve());
      control.once('error', () => resolve());
    });
  }

  /** Settles once the spare (if any) has imported dbt — for benchmarks that time other work. */
  whenReady(): Promise<void> {
    return this.spareReady;
  }

  /** A launcher for one run: the spare when it is alive, otherwise a new one. */
  take(): ChildProcess {
    const spare = this.spare;
    this.spare = undefined;
    return isAlive(spare) ? spare : this.launch();
  }

  /** Stops the spare launcher (it has not been given a run, so nothing is interrupted). */
  close(): void {
    this.closed = true;
    const spare = this.spare;
    this.spare = undefined;
    if (isAlive(spare)) spare.kill('SIGTERM');
  }

  private launch(): ChildProcess {
    const child = spawn(
      path.join(this.projectRoot, '.venv', 'bin', 'python'),
      [path.join(this.projectRoot, 'pipelines', 'dbt', 'dbt_launcher.py')],
      {
        cwd: this.projectRoot,
        // fd 3: the launcher's "ready" signal (stdout and stderr are dbt's log).
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        env: childProcessEnv({
          LANG: 'C.UTF-8',
          DBT_SEND_ANONYMOUS_USAGE_STATS: 'False',
          DO_NOT_TRACK: '1',
        }),
      },
    );
    // A launcher that died before its request: the write fails and the run reports dbt's exit.
    child.stdin?.on('error', () => undefined);
    // Nothing reads a waiting spare's output yet; a spawn failure surfaces when a run uses it.
    child.on('error', () => undefined);
    return child;
  }
}

function isAlive(child: ChildProcess | undefined): child is ChildProcess {
  return !!child && child.exitCode === null && child.signalCode === null && !child.killed;
}

export async function runDbtBuild(o: DbtBuildOptions): Promise<DbtBuildOutcome> {
  const exe = dbtExecutable(o.projectRoot);
  if (!existsSync(exe))
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      `dbt is not installed in ${path.dirname(exe)}. Run npm start (or npm test) once to create the Python environment.`,
    );
  const { workDir, outputDir, snapshotDatabase, parseCache } = o.paths;
  await mkdir(workDir, { recursive: true });
  await mkdir(outputDir, { recursive: true });
  await mkdir(path.dirname(snapshotDatabase), { recursive: true });
  const martsLink = path.join(workDir, MARTS_LINK);
  await rm(martsLink, { force: true });
  await symlink(outputDir, martsLink, 'dir');
  const savedParse = path.join(workDir, 'target', 'partial_parse.msgpack');
  if (existsSync(parseCache)) {
    await mkdir(path.dirname(savedParse), { recursive: true });
    await copyFile(parseCache, savedParse);
  }
  const args = dbtBuildArgs({
    projectDir: path.join(o.projectRoot, 'dbt'),
    targetPath: path.join(workDir, 'target'),
    logPath: path.join(workDir, 'logs'),
    target: o.target?.name ?? 'duckdb',
    select: o.select,
  });
  const child = (o.processes ?? new DbtProcesses(o.projectRoot, false)).take();
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  exited.catch(() => undefined); // awaited below, after the output is read
  child.stdin!.end(
    `${JSON.stringify({
      args,
      cwd: workDir,
      env: {
        TL_LAKE_DIR: o.lakeDir,
        TL_WORKSPACE_ID: o.workspaceId,
        // Relative to the working area: the same profile every run (see the top of this file).
        TL_DBT_DATABASE: 'dbt.duckdb',
        TL_DBT_OUTPUT_DIR: MARTS_LINK,
        TL_DBT_SNAPSHOT_DATABASE: path.relative(workDir, snapshotDatabase),
        TL_DUCKDB_EXTENSION_DIR: path.join(o.projectRoot, '.venv', 'duckdb-extensions'),
        ...o.target?.env,
      },
    })}\n`,
  );
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
  try {
    await Promise.all([pump(child.stdout!), pump(child.stderr!)]);
    const exitCode = await exited;
    await keepParse(savedParse, parseCache);
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
    // The next run's process, started now that this one no longer needs the CPU.
    o.processes?.prepare();
  }
}
