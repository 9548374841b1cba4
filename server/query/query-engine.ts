// The engine-neutral query interface. DuckDB (embedded) and Trino (distributed) both implement
// it, so insight compilers, the SQL editor and the CLI never know which engine runs. Results are
// plain JSON (no bigint, no Date, no engine value classes): they cross tRPC, the CLI's stdout
// and the result cache unchanged.

/** Portable column types; `engineType` on each column keeps the engine's exact spelling. */
export const COLUMN_TYPES = [
  'string',
  'integer',
  'float',
  'decimal',
  'boolean',
  'date',
  'timestamp',
  'time',
  'interval',
  'json',
  'list',
  'struct',
  'binary',
  'uuid',
  'other',
] as const;

export type ColumnType = (typeof COLUMN_TYPES)[number];

export type QueryDialect = 'duckdb' | 'trino';

/** A bound parameter value. Values are always bound, never interpolated into SQL. */
export type QueryParamValue = string | number | bigint | boolean | null | Date;

export interface ExecuteOptions {
  /**
   * Bound parameters: an object for named parameters (`$name`), an array for positional ones
   * (`?` or `$1`, first element binds `$1`).
   */
  params?: Record<string, unknown> | unknown[];
  /** Wall-clock limit including the wait for a free connection; default from config. */
  timeoutMs?: number;
  /** Rows returned at most; more rows set `truncated`. Default from config. */
  maxRows?: number;
  /** Aborting interrupts the running query; an already aborted signal never runs it. */
  signal?: AbortSignal;
  /**
   * The schema that unqualified names resolve in, e.g. a workspace's marts schema
   * (server/pipelines/marts.ts), so `fact_events` means that workspace's table. Default: main.
   */
  schema?: string;
  /**
   * User SQL (the SQL editor, Ask): the statement may name only `schema`'s tables, CTEs and
   * generator functions — refused otherwise before it runs (server/query/scope.ts).
   */
  scoped?: boolean;
}

export interface QueryColumn {
  name: string;
  type: ColumnType;
  /** The engine's own type name, e.g. `DECIMAL(18,3)` or `TIMESTAMP WITH TIME ZONE`. */
  engineType: string;
}

export interface QueryResult {
  columns: QueryColumn[];
  /** JSON-serialisable values, one array per row in column order. */
  rows: unknown[][];
  rowCount: number;
  /** True when the query produced more than `maxRows` rows and the rest were not read. */
  truncated: boolean;
  /** Time spent on the engine (parse, plan, run, read), without the wait for a connection. */
  durationMs: number;
  /** The engine's statement type, e.g. `SELECT` or `EXPLAIN`. */
  statementType: string;
}

/**
 * What QueryEngine.stream yields, in this order: the columns once, then row batches as the engine
 * produces them (the first as soon as the engine has one), then the end with the totals.
 */
export type QueryStreamEvent =
  | { type: 'columns'; columns: QueryColumn[]; statementType: string }
  | { type: 'rows'; rows: unknown[][] }
  | { type: 'end'; rowCount: number; truncated: boolean; durationMs: number };

export interface EngineHealth {
  ok: boolean;
  detail: string;
}

export interface QueryEngine {
  readonly dialect: QueryDialect;
  /** Runs one read-only statement with the guardrails (read-only check, timeout, row cap). */
  execute(sql: string, options?: ExecuteOptions): Promise<QueryResult>;
  /**
   * The same guarded run, streamed: rows are yielded while the engine produces them, so the
   * first rows of a big result are usable before the last are read. The engine's resources
   * are held until the stream ends — read it to the end or call `return()` (a `for await`
   * that breaks does); the timeout covers the whole stream.
   */
  stream(sql: string, options?: ExecuteOptions): AsyncGenerator<QueryStreamEvent, void, undefined>;
  /** Throws AppError QUERY_REJECTED / QUERY_FAILED unless `sql` is one read-only statement. */
  checkReadOnly(sql: string): Promise<void>;
  close(): Promise<void>;
  health(): Promise<EngineHealth>;
}
