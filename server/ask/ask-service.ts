// Ask: a question → a plan (offline planner) → one SQL statement compiled from the plan → run on
// the workspace's marts through the query engine's guardrails (scoped to the workspace's marts,
// read-only, timeout, row cap) → the answer with its explanation and the catalog entries used.
// The lexicon of a workspace is read from its marts once per marts version (the schema name
// changes with each dbt run) and cached.
import { AppError } from '../errors';
import type { QueryColumn, QueryEngine } from '../query/query-engine';
import { buildLexicon, loadLexiconData, type Lexicon } from './ask-lexicon';
import { compileAskPlan, type AskPlan, type SourceTable } from './ask-plan';
import { trustedLabel } from './ask-periods';
import { planQuestion } from './ask-planner';

export const ASK_MAX_ROWS = 5_000;
export const ASK_TIMEOUT_MS = 10_000;
export const MAX_QUESTION_CHARS = 1_000;

export interface AskSource {
  kind: 'model';
  name: SourceTable;
  /** The catalog page of the model, relative to the workspace (/w/<slug>/). */
  href: string;
}

export interface AskAnswer {
  refused: false;
  question: string;
  plan: AskPlan;
  sql: string;
  columns: QueryColumn[];
  rows: unknown[][];
  truncated: boolean;
  explanation: string;
  notes: string[];
  /** Answered as a follow-up: the previous answer's plan, edited by this question. */
  followUp: boolean;
  sources: AskSource[];
  planner: 'offline';
  durationMs: number;
}

export interface AskRefusal {
  refused: true;
  question: string;
  reason: string;
  suggestions: string[];
}

export type AskResult = AskAnswer | AskRefusal;

export interface AskServiceDeps {
  engine: QueryEngine;
  /**
   * The workspace's current marts: the schema their names resolve in, and a version that changes
   * with each dbt run (the lexicon is cached by it); undefined when none are built yet.
   */
  martsOf(workspaceId: string): Promise<{ schema: string; version: string } | undefined>;
  /** "Today" (YYYY-MM-DD, UTC): config.now (TL_NOW) when set, else the clock. */
  today: () => string;
}

/** Today (UTC), or the fixed day of TL_NOW (config.now). */
export function todayUtc(fixed?: string): string {
  return fixed ?? new Date().toISOString().slice(0, 10);
}

export class AskService {
  private readonly lexicons = new Map<string, Promise<Lexicon>>();

  constructor(private readonly deps: AskServiceDeps) {}

  /** The lexicon of the workspace's current marts (read once per marts version). */
  async lexiconFor(workspaceId: string): Promise<{ schema: string; lexicon: Lexicon }> {
    const marts = await this.deps.martsOf(workspaceId);
    if (!marts)
      throw new AppError(
        'NOT_FOUND',
        'This workspace has no marts yet: run the pipeline once (Admin → Pipelines → Run dbt build).',
      );
    const key = `${workspaceId}:${marts.version}`;
    let lexicon = this.lexicons.get(key);
    if (!lexicon) {
      lexicon = loadLexiconData(this.deps.engine, marts.schema).then(buildLexicon);
      lexicon.catch(() => this.lexicons.delete(key));
      this.lexicons.set(key, lexicon);
      // Older marts versions are not asked about again.
      if (this.lexicons.size > 32) this.lexicons.delete(this.lexicons.keys().next().value!);
    }
    return { schema: marts.schema, lexicon: await lexicon };
  }

  async ask(
    workspaceId: string,
    question: string,
    options: { context?: AskPlan; signal?: AbortSignal } = {},
  ): Promise<AskResult> {
    const started = performance.now();
    const text = question.trim();
    if (text.length > MAX_QUESTION_CHARS)
      throw new AppError('BAD_REQUEST', `A question has at most ${MAX_QUESTION_CHARS} characters.`);
    const { schema, lexicon } = await this.lexiconFor(workspaceId);
    const today = this.deps.today();
    // A context plan comes from the client: a label that does not read like ours is rebuilt.
    const context = options.context && {
      ...options.context,
      ...(options.context.period
        ? {
            period: {
              ...options.context.period,
              label: trustedLabel(options.context.period),
            },
          }
        : {}),
    };
    const outcome = planQuestion(text, lexicon, today, { context });
    if (outcome.kind === 'refusal')
      return {
        refused: true,
        question: text,
        reason: outcome.reason,
        suggestions: outcome.suggestions,
      };
    const compiled = compileAskPlan(outcome.plan);
    // The compiled SQL still goes through every guardrail of user SQL: one read statement, the
    // workspace's marts only, timeout, row cap.
    const result = await this.deps.engine.execute(compiled.sql, {
      schema,
      scoped: true,
      maxRows: ASK_MAX_ROWS,
      timeoutMs: ASK_TIMEOUT_MS,
      signal: options.signal,
    });
    return {
      refused: false,
      question: text,
      plan: outcome.plan,
      sql: compiled.sql,
      columns: result.columns.map(({ name, type, engineType }) => ({ name, type, engineType })),
      rows: result.rows,
      truncated: result.truncated,
      explanation: compiled.explanation,
      notes: outcome.notes,
      followUp: outcome.followUp,
      sources: compiled.tables.map((name) => ({
        kind: 'model',
        name,
        href: `data?tab=catalog&node=${encodeURIComponent(`model.telemetry_lakehouse.${name}`)}`,
      })),
      planner: 'offline',
      durationMs: Math.round(performance.now() - started),
    };
  }
}
