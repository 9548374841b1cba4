// `tl import <path…>`: imports NDJSON/JSON Lines, CSV and Parquet files (or folders of them) into a
// workspace through the runtime's durable ingest path (WAL → flusher → bronze), then prints a
// report. Not obvious: it starts the whole runtime, which in embedded mode opens the PGlite data
// directory — the server must be stopped (its lock gives a clear error), or DATABASE_URL set.
// Progress goes to stderr; stdout gets the report (one JSON line with --json, or {"error":{…}}
// and exit code 1). The first-start demo load is never started from here.
import type { Command } from 'commander';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { startRuntime, type Runtime } from '../../server/runtime';
import { importFiles, type ImportResult } from '../../server/ingest/import/import-files';
import { formatBytes } from './generate';
import { toCliError, writeStdout } from './shared/cli-output';
import { resolveWorkspace } from './shared/workspace';

interface ImportCommandOptions {
  workspace?: string;
  json?: boolean;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      'Import events from NDJSON/JSON Lines, CSV or Parquet files or folders into a workspace (the server must be stopped in embedded mode)',
    )
    .argument('<paths...>', 'files or directories (every .ndjson, .jsonl, .csv, .parquet inside)')
    .option('--workspace <slug>', 'target workspace (default: the demo workspace)')
    .option('--json', 'print one JSON line: the report or {"error":{…}}')
    .action(async (paths: string[], options: ImportCommandOptions) => {
      process.exitCode = await runImport(paths, options);
    });
}

export function reportText(result: ImportResult, workspace: string): string {
  const lines = [
    `Imported ${result.events} events and ${result.identifies} identifies from ${result.files.length} file${result.files.length === 1 ? '' : 's'} into workspace ${workspace}`,
    `${result.seconds.toFixed(1)} s, ${result.eventsPerSecond} events/s, ${formatBytes(result.files.reduce((s, f) => s + f.bytes, 0))}`,
  ];
  if (result.rejected) {
    lines.push(`Rejected ${result.rejected}:`);
    for (const [reason, count] of Object.entries(result.rejectedByReason).sort(
      (a, b) => b[1] - a[1],
    ))
      lines.push(`  ${String(count).padStart(8)}  ${reason}`);
  } else lines.push('Rejected 0');
  return lines.join('\n');
}

/** Imports and prints the outcome; resolves with the process exit code. */
export async function runImport(paths: string[], options: ImportCommandOptions): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let runtime: Runtime | undefined;
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, {
      name: 'tl',
      stream: 'stderr',
    });
    runtime = await startRuntime(
      { ...config, demoData: false, dbt: { ...config.dbt, spare: false } },
      { logger },
    );
    const workspace = await resolveWorkspace(runtime, options.workspace);
    let lastReport = 0;
    const started = performance.now();
    const result = await importFiles(runtime, {
      workspaceId: workspace.id,
      paths,
      signal: controller.signal,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastReport < 1_000 && p.bytesRead < p.bytesTotal) return;
        lastReport = now;
        const percent = p.bytesTotal ? ((100 * p.bytesRead) / p.bytesTotal).toFixed(1) : '100.0';
        const rate = Math.round(p.accepted / Math.max((now - started) / 1000, 1e-9));
        process.stderr.write(
          `import: ${percent}% of ${formatBytes(p.bytesTotal)}, ${p.accepted} accepted, ${p.rejected} rejected, ${rate} events/s\n`,
        );
      },
    });
    if (options.json) {
      await writeStdout(
        `${JSON.stringify({
          workspace: workspace.slug,
          accepted: result.accepted,
          events: result.events,
          identifies: result.identifies,
          rejected: result.rejected,
          rejected_by_reason: result.rejectedByReason,
          seconds: Math.round(result.seconds * 1000) / 1000,
          events_per_second: result.eventsPerSecond,
          files: result.files,
        })}\n`,
      );
    } else {
      await writeStdout(`${reportText(result, workspace.slug)}\n`);
    }
    return 0;
  } catch (error) {
    const body = toCliError(error);
    if (options.json) await writeStdout(`${JSON.stringify({ error: body })}\n`);
    else process.stderr.write(`Error (${body.code}): ${body.message}\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await runtime?.close();
  }
}
