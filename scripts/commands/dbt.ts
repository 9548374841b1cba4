// `tl dbt build [--select …] [--workspace slug]`: the same path as Admin → Pipelines — a run is
// queued as a job, executed by the runtime's worker, and on success the workspace's queries
// switch to its marts. Progress and dbt's log go to stderr; stdout gets the summary (one JSON
// line with --json). Like `tl import`, it starts the runtime: in embedded mode the server must
// be stopped. Exit code 1 when the run did not succeed.
import type { Command } from 'commander';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import type { NodeResult } from '../../server/pipelines/run-results';
import { startRuntime, type Runtime } from '../../server/runtime';
import { formatTable, toCliError, writeStdout } from './shared/cli-output';
import { resolveWorkspace } from './shared/workspace';

interface DbtBuildOptions {
  select?: string;
  workspace?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerDbtCommand(program: Command): void {
  const dbt = program.command('dbt').description('dbt runs of a workspace (see docs/pipelines.md)');
  dbt
    .command('build')
    .description('Run dbt build (models, tests, snapshots) and switch the workspace to its marts')
    .option('--select <selector>', 'dbt selector, e.g. "+fact_events tag:daily" (default: all)')
    .option('--workspace <slug>', 'workspace (default: the demo workspace)')
    .option('--json', 'print one JSON line: the run summary or {"error":{…}}')
    .option('--quiet', "do not echo dbt's log to stderr")
    .action(async (options: DbtBuildOptions) => {
      process.exitCode = await runDbtBuildCommand(options);
    });
}

export async function runDbtBuildCommand(options: DbtBuildOptions): Promise<number> {
  let runtime: Runtime | undefined;
  const controller = new AbortController();
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, {
      name: 'tl',
      stream: 'stderr',
    });
    runtime = await startRuntime({ ...config, demoData: false }, { logger });
    const workspace = await resolveWorkspace(runtime, options.workspace);
    // Everything acknowledged so far is in the lake before dbt reads it.
    await runtime.flusher.flush();
    const run = await runtime.pipelines.startRun({
      workspaceId: workspace.id,
      selector: options.select,
      trigger: 'cli',
    });
    const events = runtime.pipelines.eventsOf(run.id);
    if (!options.quiet)
      events.on('log', (entry) => {
        if (entry.event !== 'Formatting' && entry.message)
          process.stderr.write(`dbt: ${entry.message}\n`);
      });
    const onSigint = () => {
      controller.abort();
      void runtime?.pipelines.cancel(workspace.id, run.id).catch(() => undefined);
    };
    process.once('SIGINT', onSigint);
    const finished = await runtime.pipelines.waitFor(run.id);
    process.removeListener('SIGINT', onSigint);
    const nodes = (finished.results ?? []) as unknown as NodeResult[];
    const seconds =
      finished.startedAt && finished.finishedAt
        ? (finished.finishedAt.getTime() - finished.startedAt.getTime()) / 1000
        : null;
    if (options.json) {
      await writeStdout(
        `${JSON.stringify({
          run_id: finished.id,
          workspace: workspace.slug,
          status: finished.status,
          seconds,
          error: finished.error,
          nodes: nodes.map((n) => ({
            name: n.name,
            type: n.resourceType,
            status: n.status,
            seconds: n.seconds,
            rows: n.rows ?? null,
            message: n.message,
          })),
        })}\n`,
      );
    } else {
      const table = formatTable(
        [
          { name: 'node', type: 'string' },
          { name: 'type', type: 'string' },
          { name: 'status', type: 'string' },
          { name: 'seconds', type: 'float' },
          { name: 'rows', type: 'integer' },
        ],
        nodes.map((n) => [n.name, n.resourceType, n.status, n.seconds, n.rows ?? null]),
      );
      await writeStdout(
        `${table}\n\nRun ${finished.id}: ${finished.status}${seconds !== null ? ` in ${seconds.toFixed(1)} s` : ''}${finished.error ? `\n${finished.error}` : ''}\n`,
      );
    }
    return finished.status === 'succeeded' ? 0 : 1;
  } catch (error) {
    const body = toCliError(error);
    if (options.json) await writeStdout(`${JSON.stringify({ error: body })}\n`);
    else process.stderr.write(`Error (${body.code}): ${body.message}\n`);
    return 1;
  } finally {
    await runtime?.close();
  }
}
