// `tl bench ask`: Ask's end-to-end latency on a big lake — question → offline plan → SQL → rows —
// against, in the same run, the very SQL each answer compiled to run on the engine alone (no
// planning, no scope check). Target (issue #7): p95 ≤ 300 ms end-to-end at 10M events. Questions:
// the answerable ones of the question sets (the public dev set and ours under bench/eval/), each
// asked `repeat` times after one warm-up; "today" is the sets' 2026-11-01. Data: the dbt bench's
// lake (bench/dbt.ts openBenchLake), its marts built once if missing. The lexicon (read from the
// marts once per dbt run) is timed on its own: the first question after a build pays it. The
// service is the runtime's, so retrieval (embedding the question, related items) runs beside
// each query as it does in the app; the index is built before timing.
import { readFile } from 'node:fs/promises';
import { parseEvalSet } from '../server/ask/ask-eval';
import { ensureMarts, openBenchLake } from './dbt';
import { percentile } from './paced-load';
import { median } from './stats';

export const ASK_TARGET_P95_MS = 300;

export interface AskBenchResult {
  events: number;
  questions: number;
  /** End-to-end (plan + compile + guarded run) over every question × repeat. */
  p50_ms: number;
  p95_ms: number;
  /** The same SQL on the engine alone. */
  raw_p50_ms: number;
  raw_p95_ms: number;
  /** Reading the lexicon from the marts (once per dbt run). */
  lexicon_ms: number;
  details: {
    sets: string[];
    repeat: number;
    /** The five slowest questions by their p95. */
    slowest: { question: string; p95_ms: number; raw_p95_ms: number }[];
    refused: string[];
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

export async function benchAsk(opts: {
  events: number;
  seed: number;
  repeat: number;
  sets: string[];
  log: (line: string) => void;
}): Promise<AskBenchResult> {
  const questions = (
    await Promise.all(opts.sets.map(async (file) => parseEvalSet(await readFile(file, 'utf8'))))
  )
    .flat()
    .filter((q) => q.answerable !== false);
  const { runtime, workspace } = await openBenchLake({
    events: opts.events,
    seed: opts.seed,
    days: 90,
    log: opts.log,
  });
  try {
    await ensureMarts({ runtime, workspace }, opts.log);
    const schema = runtime.pipelines.schemaOf(workspace.id);
    // The app's own AskService (today = the data's last day, TL_NOW): examples from feedback are
    // checked and retrieval (related items) runs beside each query, as in the product.
    const service = runtime.ask;
    const lexiconStarted = performance.now();
    await service.lexiconFor(workspace.id);
    const lexiconMs = performance.now() - lexiconStarted;
    await service.reindex(workspace.id);
    opts.log(`retrieval: ${JSON.stringify((await service.status(workspace.id)).retrieval)}`);
    opts.log(
      `lexicon read in ${Math.round(lexiconMs)} ms; ${questions.length} questions × ${opts.repeat}…`,
    );
    const ours: number[] = [];
    const raw: number[] = [];
    const perQuestion: AskBenchResult['details']['slowest'] = [];
    const refused: string[] = [];
    for (const q of questions) {
      const first = await service.ask(workspace.id, q.question); // warm-up
      if (first.refused) {
        refused.push(q.question);
        continue;
      }
      const mine: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < opts.repeat; i++) {
        let started = performance.now();
        await service.ask(workspace.id, q.question);
        mine.push(performance.now() - started);
        started = performance.now();
        await runtime.engine.execute(first.sql, { schema });
        theirs.push(performance.now() - started);
      }
      ours.push(...mine);
      raw.push(...theirs);
      const sorted = [...mine].sort((a, b) => a - b);
      const sortedRaw = [...theirs].sort((a, b) => a - b);
      perQuestion.push({
        question: q.question,
        p95_ms: round(percentile(sorted, 95)),
        raw_p95_ms: round(percentile(sortedRaw, 95)),
      });
    }
    ours.sort((a, b) => a - b);
    raw.sort((a, b) => a - b);
    return {
      events: opts.events,
      questions: perQuestion.length,
      p50_ms: round(median(ours)),
      p95_ms: round(percentile(ours, 95)),
      raw_p50_ms: round(median(raw)),
      raw_p95_ms: round(percentile(raw, 95)),
      lexicon_ms: round(lexiconMs),
      details: {
        sets: opts.sets,
        repeat: opts.repeat,
        slowest: perQuestion.sort((a, b) => b.p95_ms - a.p95_ms).slice(0, 5),
        refused,
      },
    };
  } finally {
    await runtime.close();
  }
}
