// `tl query "<sql>"`: runs SQL on the lake through the same DuckDB engine and guardrails as the
// app (read-only check, instance lockdown, timeout, row cap). With --json it prints exactly one
// line — {"columns":[{name,type}],"rows":[…]} or {"error":{code,message}} — for scripts and
// tests; logs go to stderr.
import { existsSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../server/config';
import { AppError } from '../../server/errors';
import { createLogger } from '../../server/logger';
import type { DuckDbEngine } from '../../server/query/duckdb-engine';
import { openLakeEngine } from '../../server/lake/lake-engine';
import { openCurrentMarts, openRunMarts, runOutputDir } from '../../server/pipelines/marts';
import { formatTable, toCliError, writeStdout } from './shared/cli-output';

interface QueryCommandOptions {
  json?: boolean;
  maxRows?: number;
  timeoutMs?: number;
  workspaceId?: string;
  run?: string;
}

function integerOption(min: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`expected an integer >= ${min}, got "${raw}".`);
    }
    return value;
  };
}

export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description('Run one read-only SQL query on the lake (DuckDB) and print the result')
    .argument('<sql>', 'a single SELECT statement')
    .option('--json', 'print one JSON line: {"columns":[…],"rows":[…]} or {"error":{…}}')
    .option('--max-rows <n>', 'row cap (default TL_QUERY_MAX_ROWS)', integerOption(0))
    .option('--timeout-ms <n>', 'time limit (default TL_QUERY_TIMEOUT_MS)', integerOption(1))
    .option(
      '--workspace-id <id>',
      "resolve mart names (fact_events, …) in this workspace's current marts (default: the only workspace that has marts)",
    )
    .option(
      '--run <id>',
      "read the workspace's marts as of this earlier dbt run (its files must still be kept)",
    )
    .action(async (sql: string, options: QueryCommandOptions) => {
      process.exitCode = await runQuery(sql, options);
    });
}

/** Runs the query and prints the outcome; resolves with the process exit code. */
export async function runQuery(sql: string, options: QueryCommandOptions): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let engine: DuckDbEngine | undefined;
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, { name: 'tl', stream: 'stderr' });
    // One query per CLI run: one connection, nobody to queue. bronze.* views included.
    ({ engine } = await openLakeEngine(config, logger, { poolSize: 1, queueMax: 0 }));
    // The marts of the workspace's current dbt run, by bare name when one workspace has them.
    const marts = await openCurrentMarts(engine, config.lakeDir);
    const wanted = options.workspaceId
      ? marts.find((m) => m.workspaceId === options.workspaceId)
      : marts.length === 1
        ? marts[0]
        : undefined;
    if (options.workspaceId && !wanted)
      throw new AppError(
        'NOT_FOUND',
        `Workspace ${options.workspaceId} has no built marts in ${config.lakeDir}.${marts.length ? ` Workspaces with marts: ${marts.map((m) => m.workspaceId).join(', ')}.` : ''}`,
      );
    let schema = wanted?.schema;
    if (options.run) {
      if (!wanted)
        throw new AppError('BAD_REQUEST', '--run needs the workspace: pass --workspace-id.');
      if (!/^[0-9a-f-]{36}$/i.test(options.run))
        throw new AppError('BAD_REQUEST', `--run expects a run id (a UUID), got "${options.run}".`);
      const dir = runOutputDir(config.lakeDir, wanted.workspaceId, options.run);
      if (!existsSync(dir))
        throw new AppError(
          'NOT_FOUND',
          `Run ${options.run} has no kept marts in ${config.lakeDir} (retention keeps the newest TL_DBT_KEEP_RUNS runs).`,
        );
      schema = await openRunMarts(engine, wanted.workspaceId, options.run, dir);
    }
    const result = await engine.execute(sql, {
      schema,
      maxRows: options.maxRows,
      timeoutMs: options.timeoutMs,
      signal: controller.signal,
    });
    if (result.truncated) {
      logger.warn(
        { rows: result.rowCount },
        `Result truncated at ${result.rowCount} rows; raise --max-rows to see more.`,
      );
    }
    const columns = result.columns.map(({ name, type }) => ({ name, type }));
    if (options.json) {
      await writeStdout(`${JSON.stringify({ columns, rows: result.rows })}\n`);
    } else {
      const footer = `${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${
        result.truncated ? ` (truncated; raise --max-rows)` : ''
      } in ${result.durationMs} ms`;
      await writeStdout(`${formatTable(columns, result.rows)}\n${footer}\n`);
    }
    return 0;
  } catch (error) {
    const body = toCliError(
      controller.signal.aborted && !(error instanceof AppError)
        ? new AppError('CANCELLED', 'The query was cancelled.')
        : error,
    );
    if (options.json) {
      await writeStdout(`${JSON.stringify({ error: body })}\n`);
    } else {
      process.stderr.write(`Error (${body.code}): ${body.message}\n`);
    }
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await engine?.close();
  }
}
