// What differs between the engines insights compile for. Compilers (trends.ts, …) are pure
// functions of (query, dialect) and never spell an engine's quirk themselves: date truncation,
// JSON property access, distinct counts and parameter placeholders all come from here. DuckDB
// runs the embedded mode; Trino (distributed mode) implements the same interface.
import type { QueryDialect } from '../query/query-engine';

export type TimeUnit = 'hour' | 'day' | 'week' | 'month';

export interface SqlDialect {
  name: QueryDialect;
  /** The start of the UTC `unit` containing timestamp `expr` (weeks start on Monday). */
  truncate(unit: TimeUnit, expr: string): string;
  /** The text of a JSON property of `column`; `path` is a placeholder bound to a JSON path. */
  jsonText(column: string, path: string): string;
  /** Exact distinct count of `expr`. */
  countDistinct(expr: string): string;
  /** Placeholder for the `index`th bound parameter (1-based). */
  placeholder(index: number): string;
  /** A bound parameter used as a TIMESTAMP WITH TIME ZONE (its value is an ISO string). */
  timestampParam(placeholder: string): string;
}

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  truncate: (unit, expr) => `date_trunc('${unit}', ${expr})`,
  jsonText: (column, path) => `json_extract_string(${column}, ${path})`,
  countDistinct: (expr) => `count(distinct ${expr})`,
  placeholder: (index) => `$${index}`,
  timestampParam: (placeholder) => `cast(${placeholder} as timestamp with time zone)`,
};

export const trinoDialect: SqlDialect = {
  name: 'trino',
  truncate: (unit, expr) => `date_trunc('${unit}', ${expr})`,
  jsonText: (column, path) => `json_extract_scalar(${column}, ${path})`,
  countDistinct: (expr) => `count(distinct ${expr})`,
  placeholder: () => '?',
  timestampParam: (placeholder) => `from_iso8601_timestamp(${placeholder})`,
};

/** Collects bound values while a compiler writes SQL; `bind` returns the placeholder. */
export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}
  bind(value: unknown): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
}

/** The JSON path of a top-level property key, quoted so any key is one member name. */
export function jsonPathOf(key: string): string {
  return `$.${JSON.stringify(key)}`;
}
