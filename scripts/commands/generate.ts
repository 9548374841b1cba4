// `tl generate`: writes the synthetic "Orbit" dataset (events.ndjson with exactly --events lines,
// identifies.ndjson, ground_truth.json) into --out. Same arguments, same bytes. Progress goes to
// stderr; stdout gets the summary (one JSON line with --json, or {"error":{…}} and exit 1).
// The default --end-date is today (UTC): the only place the clock is read, and it is recorded
// in ground_truth.json like every other argument.
import type { Command } from 'commander';
import { generateDataset, type GenerateSummary } from '../../server/ingest/generator/generate';
import {
  GENERATE_DEFAULTS,
  parseGenerateOptions,
  type RawGenerateOptions,
} from '../../server/ingest/generator/generate-options';
import { toCliError, writeStdout } from './shared/cli-output';

interface GenerateCommandOptions extends RawGenerateOptions {
  json?: boolean;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Generate a deterministic synthetic product-analytics dataset (Orbit)')
    .option('--events <n>', `number of events to write (default ${GENERATE_DEFAULTS.events})`)
    .option('--seed <n>', `random seed (default ${GENERATE_DEFAULTS.seed})`)
    .option('--days <n>', `length of the window in days (default ${GENERATE_DEFAULTS.days})`)
    .option('--end-date <YYYY-MM-DD>', 'last day of the window, UTC (default today)')
    .option('--out <dir>', `output directory (default ${GENERATE_DEFAULTS.out})`)
    .option('--json', 'print one JSON line: the summary or {"error":{…}}')
    .action(async (options: GenerateCommandOptions) => {
      process.exitCode = await runGenerate(options);
    });
}

/** Human-readable size: 84.8 MB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function summaryText(summary: GenerateSummary, seconds: number): string {
  const rate = Math.round(summary.events / Math.max(seconds, 1e-9));
  return [
    `Wrote ${summary.events} events, ${summary.identifies} identifies for ${summary.users} users (${summary.churnedUsers} churned) to ${summary.outDir}`,
    `${seconds.toFixed(1)} s, ${rate} events/s, ${formatBytes(summary.bytes.total)}`,
  ].join('\n');
}

/** Generates and prints the outcome; resolves with the process exit code. */
export async function runGenerate(
  options: GenerateCommandOptions,
  today = new Date().toISOString().slice(0, 10),
): Promise<number> {
  try {
    const parsed = parseGenerateOptions(options, today);
    const started = performance.now();
    let lastReport = started;
    const summary = await generateDataset(parsed, {
      onProgress: (written, total) => {
        const now = performance.now();
        if (now - lastReport < 1_000 && written < total) return;
        lastReport = now;
        const seconds = (now - started) / 1_000;
        const percent = ((100 * written) / total).toFixed(1);
        process.stderr.write(
          `generate: ${percent}% ${written}/${total} events, ${Math.round(written / Math.max(seconds, 1e-9))} events/s\n`,
        );
      },
    });
    const seconds = (performance.now() - started) / 1_000;
    if (options.json) {
      await writeStdout(
        `${JSON.stringify({
          events: summary.events,
          identifies: summary.identifies,
          users: summary.users,
          churned_users: summary.churnedUsers,
          seconds: Math.round(seconds * 1000) / 1000,
          events_per_second: Math.round(summary.events / Math.max(seconds, 1e-9)),
          bytes: summary.bytes,
          out_dir: summary.outDir,
          arguments: parsed,
        })}\n`,
      );
    } else {
      await writeStdout(`${summaryText(summary, seconds)}\n`);
    }
    return 0;
  } catch (error) {
    const body = toCliError(error);
    if (options.json) await writeStdout(`${JSON.stringify({ error: body })}\n`);
    else process.stderr.write(`Error (${body.code}): ${body.message}\n`);
    return 1;
  }
}
