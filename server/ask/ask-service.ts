// Ask: a question → a plan (offline planner) → one SQL statement compiled from the plan → run on
// the workspace's marts through the query engine's guardrails (scoped to the workspace's marts,
// read-only, timeout, row cap) → the answer with its explanation and the catalog entries used.
// The lexicon of a workspace is read from its marts once per marts version (the schema name
// changes with each dbt run) and cached.
//
// Feedback teaches it (AskHistory): a question corrected by a member ("I meant …") is answered as
// the correction from then on, and so is every later question the planner understands the same
// way (the same plan, or the same refusal for nearly the same words), so a correction fixes a
// misreading, not one spelling of it.
import { AppError } from '../errors';
import type { QueryColumn, QueryEngine } from '../query/query-engine';
import { buildLexicon, loadLexiconData, type Lexicon, type LexiconData } from './ask-lexicon';
import { EMPTY_VOCABULARY, vocabularyKey, type Vocabulary } from './ask-synonyms';
import type { AskExampleRow, AskHistory } from './ask-history';
import type { AskRetriever, RelatedItem, RetrievalStatus } from './ask-retrieval';
import { askPlanToInsight, type AskInsightChartType } from './ask-insight';
import type { TrendsQuery } from '../insights/trends';
import { compileAskPlan, type AskPlan, type CompiledAsk, type SourceTable } from './ask-plan';
import { trustedLabel } from './ask-periods';
import { planQuestion, refuse, type PlannerOutcome, type RefusalCause } from './ask-planner';
import { buildPlanPrompt, checkLlmPlan, llmPlanSchema } from './llm/llm-plan';
import type { PlanGenerator } from './llm/plan-generators';

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
  /** The answer as an editable trends insight, or why it is not one. */
  insight: { query: TrendsQuery; chartType: AskInsightChartType } | { reason: string };
  /** Answered as a teammate's correction of a question understood the same way. */
  example?: { question: string; answerAs: string };
  /** `llm`: the offline planner could not read the question; a configured model planned it. */
  planner: 'offline' | 'llm';
  /** The model that planned it (planner `llm`). */
  model?: string;
  durationMs: number;
}

export interface AskRefusal {
  refused: true;
  question: string;
  reason: string;
  /** Absent on answers stored before it existed. */
  cause?: RefusalCause;
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
  /** Conversations, feedback and examples (the app database); without it, ask() only. */
  history?: AskHistory;
  /** Retrieval over the workspace's catalog (related items, suggestions); optional. */
  retriever?: AskRetriever;
  /**
   * A language model (TL_LLM…) for questions the offline planner cannot read; loaded on first
   * use. Its output is a plan checked against the catalog, never SQL.
   */
  llm?: { load: () => Promise<PlanGenerator>; timeoutMs: number };
  /**
   * Synonyms the workspace's catalog names (the schema registry's descriptions: "Also called
   * downloads"); optional.
   */
  vocabularyOf?: (workspaceId: string) => Promise<Vocabulary>;
}

export interface AskStatus {
  planner: 'offline';
  retrieval: RetrievalStatus | null;
  /** The configured language model: its id once loaded, or why it did not load. */
  llm: { configured: true; id: string | null; error?: string } | null;
}

/** A recorded answer: where it is in the asker's history. */
export type RecordedAskResult = AskResult & { conversationId: string; messageId: string };

interface MartsLexicon {
  lexicon: Lexicon;
  /** First and last day of the events in the marts (the range of an "all time" insight). */
  dataRange: { from: string; to: string };
}

/** Lower case, one space, no trailing punctuation: questions equal up to typing. */
export function normaliseQuestion(q: string): string {
  return q
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[\s?.!]+$/, '')
    .trim();
}

function wordSet(q: string): Set<string> {
  return new Set(normaliseQuestion(q).match(/[\p{L}\p{N}_]+/gu) ?? []);
}

/** Jaccard similarity of two questions' word sets (0…1). */
export function wordOverlap(a: string, b: string): number {
  const x = wordSet(a);
  const y = wordSet(b);
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  const union = x.size + y.size - common;
  return union === 0 ? 1 : common / union;
}

/** Key-order-independent JSON (plans from the client may order keys differently). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Refusals for nearly the same words share a correction (same reason and ≥ this overlap). */
const REFUSAL_OVERLAP = 0.75;

/** How long the registry's synonyms are kept before they are read again. */
const VOCABULARY_MS = 30_000;

/** Today (UTC), or the fixed day of TL_NOW (config.now). */
export function todayUtc(fixed?: string): string {
  return fixed ?? new Date().toISOString().slice(0, 10);
}

export class AskService {
  private readonly marts = new Map<string, Promise<MartsData>>();
  /** Built lexicons by marts version and vocabulary (the same object while neither changes). */
  private readonly lexicons = new Map<string, MartsLexicon>();
  private readonly vocabularies = new Map<string, { at: number; value: Promise<Vocabulary> }>();
  private readonly examples = new Map<string, Promise<AskExampleRow[]>>();
  private generator: Promise<PlanGenerator> | null = null;
  private generatorState: { id: string | null; error?: string } = { id: null };
  /** Plans of example questions, per lexicon and day (a correction is checked on every ask). */
  private readonly examplePlans = new WeakMap<Lexicon, Map<string, PlannerOutcome>>();

  constructor(private readonly deps: AskServiceDeps) {}

  /** The lexicon of the workspace's current marts (read once per marts version). */
  async lexiconFor(workspaceId: string): Promise<{ schema: string } & MartsLexicon> {
    const marts = await this.deps.martsOf(workspaceId);
    if (!marts)
      throw new AppError(
        'NOT_FOUND',
        'This workspace has no marts yet: run the pipeline once (Admin → Pipelines → Run dbt build).',
      );
    const key = `${workspaceId}:${marts.version}`;
    let data = this.marts.get(key);
    if (!data) {
      data = loadMartsData(this.deps.engine, marts.schema);
      data.catch(() => this.marts.delete(key));
      this.marts.set(key, data);
      // Older marts versions are not asked about again.
      if (this.marts.size > 32) this.marts.delete(this.marts.keys().next().value!);
    }
    const [loaded, vocabulary] = await Promise.all([data, this.vocabularyOf(workspaceId)]);
    const built = `${key}#${vocabularyKey(vocabulary)}`;
    let lexicon = this.lexicons.get(built);
    if (!lexicon) {
      lexicon = { lexicon: buildLexicon(loaded.data, vocabulary), dataRange: loaded.dataRange };
      this.lexicons.set(built, lexicon);
      if (this.lexicons.size > 32) this.lexicons.delete(this.lexicons.keys().next().value!);
    }
    return { schema: marts.schema, ...lexicon };
  }

  /** A description changed in the registry: its synonyms are read again on the next question. */
  vocabularyChanged(workspaceId: string): void {
    this.vocabularies.delete(workspaceId);
  }

  /** The registry's synonyms (ask-synonyms.ts), re-read at most every VOCABULARY_MS. */
  private vocabularyOf(workspaceId: string): Promise<Vocabulary> {
    const load = this.deps.vocabularyOf;
    if (!load) return Promise.resolve(EMPTY_VOCABULARY);
    const cached = this.vocabularies.get(workspaceId);
    if (cached && Date.now() - cached.at < VOCABULARY_MS) return cached.value;
    const value = load(workspaceId);
    this.vocabularies.set(workspaceId, { at: Date.now(), value });
    value.catch(() => this.vocabularies.delete(workspaceId));
    return value;
  }

  private examplesOf(workspaceId: string): Promise<AskExampleRow[]> {
    const history = this.deps.history;
    if (!history) return Promise.resolve([]);
    let rows = this.examples.get(workspaceId);
    if (!rows) {
      rows = history.examples(workspaceId);
      rows.catch(() => this.examples.delete(workspaceId));
      this.examples.set(workspaceId, rows);
    }
    return rows;
  }

  private planCached(question: string, lexicon: Lexicon, today: string): PlannerOutcome {
    let plans = this.examplePlans.get(lexicon);
    if (!plans) this.examplePlans.set(lexicon, (plans = new Map()));
    const key = `${today}\u0000${question}`;
    let outcome = plans.get(key);
    if (!outcome) {
      outcome = planQuestion(question, lexicon, today);
      if (plans.size > 10_000) plans.clear();
      plans.set(key, outcome);
    }
    return outcome;
  }

  /** The correction that applies to a question planned as `outcome`, if any. */
  private async correctionFor(
    workspaceId: string,
    text: string,
    outcome: PlannerOutcome,
    lexicon: Lexicon,
    today: string,
  ): Promise<AskExampleRow | undefined> {
    const corrections = (await this.examplesOf(workspaceId)).filter((e) => e.kind === 'correction');
    if (corrections.length === 0) return undefined;
    const asked = normaliseQuestion(text);
    const exact = corrections.find((e) => normaliseQuestion(e.question) === asked);
    if (exact) return exact;
    const mine = outcome.kind === 'plan' ? canonical(outcome.plan) : undefined;
    return corrections.find((e) => {
      const theirs = this.planCached(e.question, lexicon, today);
      if (outcome.kind === 'plan') return theirs.kind === 'plan' && canonical(theirs.plan) === mine;
      return (
        theirs.kind === 'refusal' &&
        theirs.reason === outcome.reason &&
        wordOverlap(e.question, text) >= REFUSAL_OVERLAP
      );
    });
  }

  async ask(
    workspaceId: string,
    question: string,
    options: { context?: AskPlan; signal?: AbortSignal; waitForIndex?: boolean } = {},
  ): Promise<AskResult> {
    const started = performance.now();
    const text = question.trim();
    if (text.length > MAX_QUESTION_CHARS)
      throw new AppError('BAD_REQUEST', `A question has at most ${MAX_QUESTION_CHARS} characters.`);
    const { schema, lexicon, dataRange } = await this.lexiconFor(workspaceId);
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
    let outcome = planQuestion(text, lexicon, today, { context });
    let example: AskAnswer['example'];
    // Follow-ups edit the previous answer; a correction is about a question on its own.
    if (!(outcome.kind === 'plan' && outcome.followUp)) {
      const correction = await this.correctionFor(workspaceId, text, outcome, lexicon, today);
      const corrected = correction && this.planCached(correction.answerAs, lexicon, today);
      if (correction && corrected?.kind === 'plan') {
        outcome = {
          ...corrected,
          notes: [
            `Answered as “${correction.answerAs}”: a teammate corrected ${normaliseQuestion(correction.question) === normaliseQuestion(text) ? 'this question' : `a question understood the same way (“${correction.question}”)`}.`,
            ...corrected.notes,
          ],
        };
        example = { question: correction.question, answerAs: correction.answerAs };
      }
    }
    // A plan the compiler rejects (parts that do not go together: "the churn rate of users with
    // 5 or more errors") is a question the planner could not read, not a server error: a
    // configured model may still plan it, else the asker gets a refusal that says why.
    let compiled: CompiledAsk | undefined;
    if (outcome.kind === 'plan')
      try {
        compiled = compileAskPlan(outcome.plan, this.deps.engine.dialect);
      } catch (error) {
        outcome = {
          ...refuse(
            `${error instanceof Error ? error.message : String(error)} Try asking for one part of the question at a time.`,
            'too_complex',
          ),
          unread: true,
        };
      }
    const retriever = this.deps.retriever;
    const wait = options.waitForIndex ?? false;
    if (outcome.kind === 'refusal' && outcome.unread && this.deps.llm) {
      const modelled = await this.answerWithModel(workspaceId, text, {
        schema,
        lexicon,
        today,
        dataRange,
        started,
        signal: options.signal,
      });
      if (modelled.answer) return modelled.answer;
      outcome = {
        ...outcome,
        reason: `${outcome.reason} (The configured language model could not plan it either: ${modelled.reason})`,
      };
    }
    if (outcome.kind === 'refusal') {
      // Good past questions near this one first (retrieval), then the planner's own.
      const past = retriever
        ? await retriever.pastQuestions(workspaceId, text, wait).catch(() => [])
        : [];
      const suggestions = [...new Set([...past, ...outcome.suggestions])].slice(0, 6);
      return {
        refused: true,
        question: text,
        reason: outcome.reason,
        cause: outcome.cause,
        suggestions,
      };
    }
    compiled ??= compileAskPlan(outcome.plan, this.deps.engine.dialect);
    // The compiled SQL still goes through every guardrail of user SQL: one read statement, the
    // workspace's marts only, timeout, row cap. Related items (retrieval) are asked for apart
    // (related()): embedding the question beside the query cost ~25 ms of the answer on 2 cores.
    const result = await this.run(schema, compiled.sql, options.signal);
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
      sources: sourcesOf(compiled.tables),
      insight: insightOf(outcome.plan, dataRange),
      ...(example ? { example } : {}),
      planner: 'offline',
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** The retrieval index's state as it is now (no refresh): Admin → System. */
  retrievalStatus(workspaceId: string): RetrievalStatus | null {
    return this.deps.retriever ? this.deps.retriever.status(workspaceId) : null;
  }

  /** Which planner answers and what retrieval runs on (the UI says so). */
  async status(workspaceId: string): Promise<AskStatus> {
    const retriever = this.deps.retriever;
    if (retriever) await retriever.refresh(workspaceId).catch(() => undefined);
    return {
      planner: 'offline',
      retrieval: retriever ? retriever.status(workspaceId) : null,
      llm: this.deps.llm ? { configured: true, ...this.generatorState } : null,
    };
  }

  /** The compiled SQL with every guardrail of user SQL. */
  private run(schema: string, sql: string, signal: AbortSignal | undefined) {
    return this.deps.engine.execute(sql, {
      schema,
      scoped: true,
      maxRows: ASK_MAX_ROWS,
      timeoutMs: ASK_TIMEOUT_MS,
      signal,
    });
  }

  /**
   * Saved insights and shared queries near a question (retrieval); [] without an index yet
   * (`wait`: build it first). Asked for apart from the answer, which never waits for it.
   */
  related(workspaceId: string, text: string, wait = false): Promise<RelatedItem[]> {
    const retriever = this.deps.retriever;
    return retriever
      ? retriever.related(workspaceId, text, wait).catch(() => [] as RelatedItem[])
      : Promise.resolve([]);
  }

  private loadGenerator(): Promise<PlanGenerator> {
    const llm = this.deps.llm!;
    if (!this.generator) {
      this.generator = llm.load().then(
        (g) => {
          this.generatorState = { id: g.id };
          return g;
        },
        (error: unknown) => {
          this.generatorState = { id: null, error: (error as Error).message };
          this.generator = null;
          throw error;
        },
      );
    }
    return this.generator;
  }

  /**
   * A question the offline planner could not read, planned by the configured model: retrieved
   * catalog context in the prompt, structured output checked against the catalog (checkLlmPlan),
   * compiled by us, run with the guardrails. A rejected plan or a failed execution gets one repair
   * attempt with the reason; then the offline refusal stands.
   */
  private async answerWithModel(
    workspaceId: string,
    text: string,
    ctx: {
      schema: string;
      lexicon: Lexicon;
      today: string;
      dataRange: { from: string; to: string };
      started: number;
      signal?: AbortSignal;
    },
  ): Promise<{ answer: AskAnswer; reason?: undefined } | { answer?: undefined; reason: string }> {
    let generator: PlanGenerator;
    try {
      generator = await this.loadGenerator();
    } catch (error) {
      return { reason: `it did not load (${(error as Error).message})` };
    }
    const retrieved = this.deps.retriever
      ? await this.deps.retriever
          .search(workspaceId, text, { k: 8, kinds: ['event', 'property', 'column', 'example'] })
          .catch(() => [])
      : [];
    const outputSchema = llmPlanSchema(ctx.lexicon, ctx.today);
    const timeout = AbortSignal.timeout(this.deps.llm!.timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    let repair: string | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const prompt = buildPlanPrompt({
        question: text,
        today: ctx.today,
        lexicon: ctx.lexicon,
        retrieved: retrieved.map((h) => ({ title: h.payload.title, text: h.payload.text })),
        repair,
      });
      let raw: unknown;
      try {
        raw = await generator.generate(prompt, outputSchema, { signal });
      } catch (error) {
        return {
          reason: timeout.aborted
            ? `no plan within ${this.deps.llm!.timeoutMs} ms`
            : (error as Error).message,
        };
      }
      const check = checkLlmPlan(raw, ctx.lexicon, ctx.today);
      if (!check.ok) {
        repair = check.reason;
        continue;
      }
      const compiled = compileAskPlan(check.plan, this.deps.engine.dialect);
      try {
        const result = await this.run(ctx.schema, compiled.sql, ctx.signal);
        return {
          answer: {
            refused: false,
            question: text,
            plan: check.plan,
            sql: compiled.sql,
            columns: result.columns.map(({ name, type, engineType }) => ({
              name,
              type,
              engineType,
            })),
            rows: result.rows,
            truncated: result.truncated,
            explanation: compiled.explanation,
            notes: [
              `Planned by the language model ${generator.id}: the offline planner could not read the question. The plan was checked against the catalog; check the explanation.`,
            ],
            followUp: false,
            sources: sourcesOf(compiled.tables),
            insight: insightOf(check.plan, ctx.dataRange),
            planner: 'llm',
            model: generator.id,
            durationMs: Math.round(performance.now() - ctx.started),
          },
        };
      } catch (error) {
        repair = `running it failed: ${(error as Error).message}`;
      }
    }
    return { reason: repair ?? 'no valid plan' };
  }

  /** Release the language model (runtime shutdown). */
  async close(): Promise<void> {
    const generator = this.generator;
    this.generator = null;
    if (generator) await (await generator.catch(() => null))?.close?.();
  }

  /**
   * Reads the workspace's lexicon and brings its retrieval index up to date: what the first
   * question after a start would otherwise wait for (seconds: the marts' values, the embedding
   * model). Called in the background when the server starts.
   */
  async warm(workspaceId: string): Promise<void> {
    await this.lexiconFor(workspaceId);
    await this.deps.retriever?.refresh(workspaceId);
  }

  /** Bring the workspace's retrieval index up to date now (waits for it). */
  async reindex(workspaceId: string): Promise<void> {
    await this.deps.retriever?.refresh(workspaceId, { force: true });
  }

  private get history(): AskHistory {
    if (!this.deps.history) throw new Error('AskService was built without history');
    return this.deps.history;
  }

  /** Ask, and keep the question and its answer in the asker's conversation. */
  async askAndRecord(
    workspaceId: string,
    userId: string,
    question: string,
    options: { context?: AskPlan; conversationId?: string; signal?: AbortSignal } = {},
  ): Promise<RecordedAskResult> {
    // A conversation id that is not the asker's fails before any work.
    if (options.conversationId) await this.history.get(workspaceId, userId, options.conversationId);
    const result = await this.ask(workspaceId, question, options);
    const ids = await this.history.record(workspaceId, userId, options.conversationId, result);
    return { ...result, ...ids };
  }

  /**
   * Thumbs up or down on one of the asker's answers. A correction is a question Ask answers (it
   * is asked now and its answer returned); it becomes an example later questions learn from.
   */
  async feedback(
    workspaceId: string,
    userId: string,
    input: { messageId: string; rating: 'up' | 'down'; correction?: string },
  ): Promise<{ corrected?: AskAnswer }> {
    const message = await this.history.message(workspaceId, userId, input.messageId);
    const correction = input.correction?.trim() || undefined;
    if (correction && input.rating !== 'down')
      throw new AppError('BAD_REQUEST', 'A correction goes with a thumbs down.');
    if (correction && normaliseQuestion(correction) === normaliseQuestion(message.question))
      throw new AppError(
        'BAD_REQUEST',
        'The correction is the same question; rephrase it the way it should have been understood.',
      );
    let corrected: AskAnswer | undefined;
    if (correction) {
      const answer = await this.ask(workspaceId, correction);
      if (answer.refused)
        throw new AppError(
          'BAD_REQUEST',
          `Ask cannot answer the correction either (${answer.reason}) Rephrase it, e.g. “${answer.suggestions[0] ?? 'How many users signed up last week?'}”.`,
        );
      corrected = answer;
    }
    await this.history.rate(workspaceId, userId, message.id, input.rating, correction);
    this.examples.delete(workspaceId);
    // Examples are retrieval documents too (suggestions after a refusal).
    this.deps.retriever?.refresh(workspaceId, { force: true }).catch(() => undefined);
    return corrected ? { corrected } : {};
  }
}

function sourcesOf(tables: SourceTable[]): AskSource[] {
  return tables.map((name) => ({
    kind: 'model',
    name,
    href: `data?tab=catalog&node=${encodeURIComponent(`model.telemetry_lakehouse.${name}`)}`,
  }));
}

function insightOf(plan: AskPlan, dataRange: { from: string; to: string }): AskAnswer['insight'] {
  const converted = askPlanToInsight(plan, { dataRange });
  return converted.ok
    ? { query: converted.query, chartType: converted.chartType }
    : { reason: converted.reason };
}

/** What the lexicon is built from, read from a marts schema, and the days its events cover. */
interface MartsData {
  data: LexiconData;
  dataRange: { from: string; to: string };
}

async function loadMartsData(engine: QueryEngine, schema: string): Promise<MartsData> {
  const [data, range] = await Promise.all([
    loadLexiconData(engine, schema),
    engine.execute(
      'select cast(min(event_date) as varchar), cast(max(event_date) as varchar) from fct_user_activity_daily',
      { schema, maxRows: 1, timeoutMs: 30_000 },
    ),
  ]);
  const [from, to] = (range.rows[0] ?? []) as (string | null)[];
  const today = new Date().toISOString().slice(0, 10);
  return { data, dataRange: { from: from ?? today, to: to ?? today } };
}
