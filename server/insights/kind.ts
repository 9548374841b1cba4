// What every insight type provides to the service: its query schema (the serialisable object
// URLs, dashboard tiles and Ask store), a pure compiler to one SQL statement for a dialect, a
// pure shaper from the statement's rows to the chart-ready result, and the event names the query
// relies on (checked against the workspace's schema registry before anything is compiled).
import type { z } from 'zod';
import type { SqlDialect } from './dialect';

export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

/** What a compiler may know about the marts it compiles for (still a pure input). */
export interface CompileContext {
  /** The marts the workspace's current run has; pre-aggregated ones are used when present. */
  marts?: ReadonlySet<string>;
}

export interface InsightKind<Q extends { kind: string }, R> {
  kind: Q['kind'];
  schema: z.ZodType<Q, unknown>;
  compile(q: Q, dialect: SqlDialect, ctx?: CompileContext): CompiledQuery;
  shape(q: Q, rows: readonly unknown[][]): R;
  events(q: Q): string[];
}
