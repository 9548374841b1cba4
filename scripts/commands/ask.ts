// `tl ask "question"`: answers a plain-English question on the lake's marts with the offline
// planner (server/ask/), as the app does. --json prints one line:
// {question, plan, sql, columns, rows, explanation, sources} or {refused: true, reason}.
// `tl eval nl --set <jsonl>`: builds the data set the question set describes (generated,
// imported, dbt marts built; kept for the next run), asks every question, compares each answer's
// rows with the reference SQL's (server/ask/ask-eval.ts) and prints accuracy and latency.
// TL_NOW=YYYY-MM-DD fixes "today" for relative dates (the eval defaults it to the set's end date).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ensureMarts, openBenchLake } from '../../bench/dbt';
import { percentile } from '../../bench/paced-load';
import { median } from '../../bench/stats';
import { compareResults, parseEvalSet } from '../../server/ask/ask-eval';
import { AskService, todayUtc, type AskResult } from '../../server/ask/ask-service';
import { createPlanGenerator } from '../../server/ask/llm/plan-generators';
import { loadConfig, type Config } from '../../server/config';
import { AppError } from '../../server/errors';
import { openLakeEngine } from '../../server/lake/lake-engine';
import { createLogger } from '../../server/logger';
import { openCurrentMarts } from '../../server/pipelines/marts';
import type { DuckDbEngine } from '../../server/query/duckdb-engine';
import { record } from './bench';
import { formatTable, toCliError, writeStdout } from './shared/cli-output';

function printAnswer(answer: AskResult): string {
  if (answer.refused)
    return `Cannot answer: ${answer.reason}\nTry: ${answer.suggestions.join(' · ')}\n`;
  return [
    answer.explanation,
    '',
    formatTable(answer.columns, answer.rows),
    '',
    answer.sql,
    '',
    `sources: ${answer.sources.map((s) => s.name).join(', ')} · ${answer.durationMs} ms`,
    ...answer.notes.map((n) => `note: ${n}`),
    '',
  ].join('\n');
}

export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .description('Answer a plain-English question about the lake (offline planner)')
    .argument('<question>', 'e.g. "weekly active users by plan since August"')
    .option('--json', 'print one JSON line')
    .option('--workspace-id <id>', 'the workspace (default: the only one with marts)')
    .action(async (question: string, options: { json?: boolean; workspaceId?: string }) => {
      let engine: DuckDbEngine | undefined;
      try {
        const config = loadConfig();
        const logger = createLogger(config.logLevel, { name: 'tl', stream: 'stderr' });
        // One connection; a question's own reads (the lexicon and the data's range) run side by
        // side, so they must be able to wait for it (queueMax 0 failed every question: ENGINE_BUSY).
        ({ engine } = await openLakeEngine(config, logger, { poolSize: 1, queueMax: 16 }));
        const marts = await openCurrentMarts(engine, config.lakeDir);
        const wanted = options.workspaceId
          ? marts.find((m) => m.workspaceId === options.workspaceId)
          : marts.length === 1
            ? marts[0]
            : undefined;
        if (!wanted)
          throw new AppError(
            'NOT_FOUND',
            marts.length === 0
              ? `No workspace has built marts in ${config.lakeDir}: run \`npm start\` (demo data) or a dbt build first.`
              : `Several workspaces have marts: pass --workspace-id (${marts.map((m) => m.workspaceId).join(', ')}).`,
          );
        const service = new AskService({
          engine,
          martsOf: async () => ({ schema: wanted.schema, version: wanted.schema }),
          today: () => todayUtc(config.now),
          llm: llmOf(config),
        });
        const answer = await service
          .ask(wanted.workspaceId, question)
          .finally(() => service.close());
        if (options.json) {
          const { question: q, ...rest } = answer;
          await writeStdout(`${JSON.stringify({ question: q, ...rest }, jsonReplacer)}\n`);
        } else await writeStdout(printAnswer(answer));
        process.exitCode = 0;
      } catch (error) {
        const body = toCliError(error);
        if (options.json) await writeStdout(`${JSON.stringify({ error: body })}\n`);
        else process.stderr.write(`tl ask: ${body.message}\n`);
        process.exitCode = 1;
      } finally {
        await engine?.close();
      }
    });

  const evalCommand = program.command('eval').description('Evaluations');
  evalCommand
    .command('nl')
    .description('Run a natural-language question set against the offline planner')
    .requiredOption('--set <file>', 'JSONL question set (e.g. ../shared/eval/nl-dev.jsonl)')
    .option('--events <n>', 'events in the generated data set', '200000')
    .option('--seed <n>', 'generator seed', '7')
    .option('--days <n>', 'days of data ending 2026-11-01', '90')
    .option('--json', 'print one JSON object: n, accuracy, refusals_correct, p50_ms, p95_ms, …')
    .option('--record', 'also write bench/results/<date>-eval-nl[-<set>].json')
    .action(
      async (options: {
        set: string;
        events: string;
        seed: string;
        days: string;
        json?: boolean;
        record?: boolean;
      }) => {
        try {
          const result = await runEval(options);
          if (options.json) await writeStdout(`${JSON.stringify(result, jsonReplacer)}\n`);
          else
            await writeStdout(
              `${result.correct}/${result.n} correct (accuracy ${result.accuracy}); refusals ${result.refusals_correct}/${result.unanswerable}; p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms\n`,
            );
          if (options.record) {
            const command = `npm run tl -- eval nl --set ${options.set}${options.json ? ' --json' : ''} --record`;
            const file = await record(
              'eval-nl',
              command,
              result,
              path.basename(options.set, '.jsonl'),
            );
            process.stderr.write(`eval nl: recorded in ${file}\n`);
          }
          process.exitCode = 0;
        } catch (error) {
          const body = toCliError(error);
          if (options.json) await writeStdout(`${JSON.stringify({ error: body })}\n`);
          else process.stderr.write(`tl eval nl: ${body.message}\n`);
          process.exitCode = 1;
        }
      },
    );
}

const jsonReplacer = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? Number(value) : value;

export interface EvalResult {
  n: number;
  correct: number;
  accuracy: number;
  /** Unanswerable questions that got a refusal. */
  refusals_correct: number;
  unanswerable: number;
  p50_ms: number;
  p95_ms: number;
  today: string;
  dataset: { events: number; seed: number; days: number; end_date: string };
  results: {
    id: string;
    question: string;
    correct: boolean;
    ms: number;
    reason?: string;
    sql?: string;
  }[];
}

async function runEval(options: {
  set: string;
  events: string;
  seed: string;
  days: string;
}): Promise<EvalResult> {
  const questions = parseEvalSet(await readFile(options.set, 'utf8'));
  const events = Number(options.events);
  const seed = Number(options.seed);
  const days = Number(options.days);
  for (const [name, v] of Object.entries({ events, seed, days }))
    if (!Number.isSafeInteger(v) || v < 1)
      throw new AppError('BAD_REQUEST', `--${name} expects a positive integer.`);
  const log = (line: string) => process.stderr.write(`eval nl: ${line}\n`);
  // The set's data: `tl generate --events 200000 --seed 7 --days 90 --end-date 2026-11-01`,
  // imported and built (shared/eval/README.md), in a data directory of its own, kept.
  const { runtime, workspace } = await openBenchLake({ events, seed, days, log });
  let closeService = async () => {};
  const today = loadConfig().now ?? '2026-11-01';
  try {
    await ensureMarts({ runtime, workspace }, log);
    const schema = runtime.pipelines.schemaOf(workspace.id);
    const service = new AskService({
      engine: runtime.engine,
      martsOf: async () => ({ schema, version: 'eval' }),
      today: () => today,
      llm: llmOf(loadConfig()),
    });
    closeService = () => service.close();
    await service.lexiconFor(workspace.id);
    const results: EvalResult['results'] = [];
    for (const q of questions) {
      const started = performance.now();
      let answer: AskResult | undefined;
      let failure: string | undefined;
      try {
        answer = await service.ask(workspace.id, q.question);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      const ms = Math.round((performance.now() - started) * 10) / 10;
      let correct = false;
      let reason = failure;
      if (q.answerable === false) {
        correct = answer?.refused === true;
        if (!correct) reason = reason ?? 'answered an unanswerable question';
      } else if (answer && !answer.refused) {
        const expected = await runtime.engine.execute(q.sql!, { schema, maxRows: 100_000 });
        const comparison = compareResults(expected.rows, answer.rows, { ordered: q.ordered });
        correct = comparison.match;
        reason = comparison.reason;
      } else if (answer?.refused) reason = `refused: ${answer.reason}`;
      results.push({
        id: q.id,
        question: q.question,
        correct,
        ms,
        ...(reason && !correct ? { reason } : {}),
        ...(answer && !answer.refused ? { sql: answer.sql } : {}),
      });
      log(`${correct ? '✓' : '✗'} ${q.id} ${ms} ms ${q.question}${correct ? '' : ` — ${reason}`}`);
    }
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    const correct = results.filter((r) => r.correct).length;
    const unanswerable = questions.filter((q) => q.answerable === false);
    return {
      n: results.length,
      correct,
      accuracy: Math.round((1000 * correct) / Math.max(results.length, 1)) / 1000,
      refusals_correct: results.filter((r, i) => questions[i]!.answerable === false && r.correct)
        .length,
      unanswerable: unanswerable.length,
      p50_ms: Math.round(median(times) * 10) / 10,
      p95_ms: Math.round(percentile(times, 95) * 10) / 10,
      today,
      dataset: { events, seed, days, end_date: '2026-11-01' },
      results,
    };
  } finally {
    await closeService();
    await runtime.close();
  }
}

/** The configured language model (TL_LLM…), loaded on first use; undefined when off. */
function llmOf(config: Config) {
  const llm = config.llm;
  return llm
    ? {
        load: () =>
          createPlanGenerator(llm, { projectRoot: config.projectRoot, dataDir: config.dataDir }),
        timeoutMs: llm.timeoutMs,
      }
    : undefined;
}
