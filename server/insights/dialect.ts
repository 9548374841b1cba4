// What differs between the engines insights compile for. Compilers (trends.ts, …) are pure
// functions of (query, dialect) and never spell an engine's quirk themselves: date truncation,
// JSON property access, distinct counts and parameter placeholders all come from here. DuckDB
// runs the embedded mode; Trino (distributed mode) implements the same interface.
import type { QueryDialect } from '../query/query-engine';

export type TimeUnit = 'hour' | 'day' | 'week' | 'month';
/** The units user-level insights (retention, lifecycle, stickiness) count periods in. */
export type PeriodUnit = 'day' | 'week' | 'month';

export interface SqlDialect {
  name: QueryDialect;
  /** The start of the UTC `unit` containing timestamp `expr` (weeks start on Monday). */
  truncate(unit: TimeUnit, expr: string): string;
  /** The text of a JSON property of `column`; `path` is a placeholder bound to a JSON path. */
  jsonText(column: string, path: string): string;
  /** The JSON path (a value to bind) of the top-level property `key`, any key being one member. */
  jsonPath(key: string): string;
  /** Exact distinct count of `expr`. */
  countDistinct(expr: string): string;
  /** Placeholder for the `index`th bound parameter (1-based). */
  placeholder(index: number): string;
  /** A bound parameter used as a TIMESTAMP WITH TIME ZONE (its value is an ISO string). */
  timestampParam(placeholder: string): string;
  /**
   * The exact median of a numeric `expr` (the mean of the two middle values for an even count),
   * so both engines give the same number.
   */
  median(expr: string): string;
  /**
   * The UTC `unit` containing `expr` (a TIMESTAMP WITH TIME ZONE or a DATE) as an integer: days,
   * Monday-weeks or months since 1970-01-01 (periods.ts has the inverse), so the period after
   * `p` is `p + 1` — integer arithmetic where timestamps would need calendar intervals.
   */
  periodNumber(unit: PeriodUnit, expr: string): string;
  /**
   * A time key: a totally ordered stand-in for the TIMESTAMP WITH TIME ZONE `expr` that window
   * arithmetic is cheap on (DuckDB: epoch microseconds — exact, and integer arithmetic instead
   * of ICU intervals; Trino: the timestamp itself). Keys compare like their timestamps.
   */
  timeKey(expr: string): string;
  /** The time key `ms` milliseconds after time key `key`. */
  timeKeyPlus(key: string, ms: number): string;
  /** Whole milliseconds from time key `a` to time key `b` (b ≥ a), as an integer. */
  timeKeyDiffMs(a: string, b: string): string;
  /** A time key back as a timestamp `truncate` accepts. */
  timeKeyToTimestamp(key: string): string;
  /** `expr` equals one of the `placeholders` (a filter the engine can push into its scan). */
  oneOf(expr: string, placeholders: string[]): string;
  /**
   * A CTE computed once however often it is referenced (DuckDB `as materialized`; Trino has no
   * such hint: a plain CTE).
   */
  materializedCte(name: string, body: string): string;
  /** The first element of the list `list` for which `cond(x)` holds, or null when none does. */
  firstWhere(list: string, cond: (x: string) => string): string;
  /** Whether the list `list` holds `value`. */
  listContains(list: string, value: string): string;
  /** Whether the ascending list `list` holds `value` at least twice (never null). */
  listRepeats(list: string, value: string): string;
  /** The 1-based index of the first element of `list` equal to `value` (0 when none is). */
  listPosition(list: string, value: string): string;
  /** The number of elements of the list `list`. */
  listLength(list: string): string;
  /** The element of `list` at the 1-based `index` (−1: the last), or null past either end. */
  listAt(list: string, index: string): string;
  /** How many elements of `list` satisfy `cond(x)`. */
  listCount(list: string, cond: (x: string) => string): string;
  /**
   * Whether the engine plans (and runs) a CTE again at every reference — Trino, which has no
   * materialization. A statement there must read its input once rather than chain CTEs that
   * later ones, and the result, refer back to (funnels take funnel-walk.ts's one-pass form).
   */
  inlinesCtes: boolean;
  /** The bigint list [from, from + 1, …, to] (from ≤ to). */
  listRange(from: string, to: string): string;
  /** An empty list of bigint. */
  emptyBigintList(): string;
  /** `list` with `value` appended. */
  listAppend(list: string, value: string): string;
  /**
   * `list` (bigints) folded in order from `init` (a bigint list): `step(acc, x)` gives the next
   * accumulator from the current one and the element.
   */
  listFold(list: string, init: string, step: (acc: string, x: string) => string): string;
  /** Whether bit `bit` (0-based; an integer expression) of the integer `expr` is set. */
  bitSet(expr: string, bit: string): string;
}

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  // Epoch arithmetic, not date_trunc: DuckDB truncates TIMESTAMPTZ through the ICU calendar,
  // ~5x slower over millions of events (1.2 s vs 0.25 s for 4M at 10M events). Weeks start on
  // Monday (1970-01-01 was a Thursday, hence the +3/−3 days); months go through DATE arithmetic.
  truncate: (unit, expr) => {
    const day = `(epoch_us(${expr}) // 86400000000)`;
    switch (unit) {
      case 'hour':
        return `to_timestamp((epoch_us(${expr}) // 3600000000) * 3600)`;
      case 'day':
        return `to_timestamp(${day} * 86400)`;
      case 'week':
        return `to_timestamp(((${day} + 3) // 7 * 7 - 3) * 86400)`;
      case 'month':
        return `to_timestamp(epoch(date_trunc('month', DATE '1970-01-01' + cast(${day} as integer))))`;
    }
  },
  jsonText: (column, path) => `json_extract_string(${column}, ${path})`,
  jsonPath: jsonPathOf,
  countDistinct: (expr) => `count(distinct ${expr})`,
  placeholder: (index) => `$${index}`,
  timestampParam: (placeholder) => `cast(${placeholder} as timestamp with time zone)`,
  median: (expr) => `median(${expr})`,
  // Epoch arithmetic as in `truncate` (a DATE casts to midnight UTC); months through DATE
  // arithmetic, not the ICU calendar.
  periodNumber: (unit, expr) => {
    const day = `(epoch_us(${expr}) // 86400000000)`;
    switch (unit) {
      case 'day':
        return day;
      case 'week':
        return `((${day} + 3) // 7)`;
      case 'month':
        return `datediff('month', DATE '1970-01-01', DATE '1970-01-01' + cast(${day} as integer))`;
    }
  },
  timeKey: (expr) => `epoch_us(${expr})`,
  timeKeyPlus: (key, ms) => `${key} + ${ms * 1000}`,
  timeKeyDiffMs: (a, b) => `(${b} - ${a}) // 1000`,
  timeKeyToTimestamp: (key) => `make_timestamp(${key})`,
  firstWhere: (list, cond) => `list_filter(${list}, lambda x: ${cond('x')})[1]`,
  listContains: (list, value) => `list_contains(${list}, ${value})`,
  // Sorted, so a repeat is right after the first occurrence (no lambda over the whole list).
  listRepeats: (list, value) =>
    `coalesce(${list}[list_position(${list}, ${value}) + 1] = ${value}, false)`,
  // list_position is null when absent: 0, as Trino's array_position.
  listPosition: (list, value) => `coalesce(list_position(${list}, ${value}), 0)`,
  listLength: (list) => `len(${list})`,
  listAt: (list, index) => `${list}[${index}]`,
  listCount: (list, cond) => `len(list_filter(${list}, lambda x: ${cond('x')}))`,
  // `in (…)` with several values plans as a MARK hash join over every row; list_contains is
  // pushed into the Parquet scan.
  oneOf: (expr, placeholders) => `list_contains([${placeholders.join(', ')}], ${expr})`,
  materializedCte: (name, body) => `${name} as materialized (\n${body}\n)`,
  inlinesCtes: false,
  listRange: (from, to) => `generate_series(${from}, ${to})`,
  emptyBigintList: () => 'cast([] as bigint[])',
  listAppend: (list, value) => `list_append(${list}, ${value})`,
  // list_reduce's accumulator has the elements' type: each element is wrapped in a list, and
  // `init` leads the list instead of being list_reduce's initial value, with which a lambda can
  // read a column of another row when the lists' lengths differ (duckdb/duckdb#25816).
  listFold: (list, init, step) =>
    `list_reduce(list_prepend(${init}, list_transform(${list}, lambda x: [x])), lambda acc, x: ${step('acc', 'x[1]')})`,
  bitSet: (expr, bit) => `((${expr} >> ${bit}) & 1) = 1`,
};

export const trinoDialect: SqlDialect = {
  name: 'trino',
  truncate: (unit, expr) => `date_trunc('${unit}', ${expr})`,
  jsonText: (column, path) => `json_extract_scalar(${column}, ${path})`,
  // Trino's JSON paths refuse a quoted member after a dot (`$."key"`: "Invalid JSON path") but
  // take the same quoted name, escapes included, in brackets.
  jsonPath: (key) => `$[${JSON.stringify(key)}]`,
  countDistinct: (expr) => `count(distinct ${expr})`,
  placeholder: () => '?',
  timestampParam: (placeholder) => `from_iso8601_timestamp(${placeholder})`,
  // Trino has only an approximate percentile: the sorted values' middle element(s) instead (the
  // optimiser computes the repeated aggregates once).
  median: (expr) => {
    const sorted = `array_sort(array_agg(${expr}) filter (where ${expr} is not null))`;
    const n = `count(${expr})`;
    return `(element_at(${sorted}, cast((${n} + 1) / 2 as integer)) + element_at(${sorted}, cast(${n} / 2 + 1 as integer))) / 2e0`;
  },
  // 1969-12-29 is the Monday of week 0; a timestamp's date is taken in its own zone (UTC here).
  periodNumber: (unit, expr) =>
    `date_diff('${unit}', DATE '${unit === 'week' ? '1969-12-29' : '1970-01-01'}', cast(${expr} as date))`,
  timeKey: (expr) => expr,
  // date_add's amount is an integer: past ±2^31 ms (~24.8 days) it fails ("integer overflow"),
  // so longer spans go in seconds (every window is whole seconds).
  timeKeyPlus: (key, ms) =>
    Math.abs(ms) < 2 ** 31 || ms % 1000 !== 0
      ? `date_add('millisecond', ${ms}, ${key})`
      : `date_add('second', ${ms / 1000}, ${key})`,
  timeKeyDiffMs: (a, b) => `date_diff('millisecond', ${a}, ${b})`,
  timeKeyToTimestamp: (key) => key,
  firstWhere: (list, cond) => `element_at(filter(${list}, x -> ${cond('x')}), 1)`,
  listContains: (list, value) => `contains(${list}, ${value})`,
  // array_position is 0 when absent: element 1 then, which is not `value` either.
  listRepeats: (list, value) =>
    `coalesce(element_at(${list}, array_position(${list}, ${value}) + 1) = ${value}, false)`,
  listPosition: (list, value) => `array_position(${list}, ${value})`,
  listLength: (list) => `cardinality(${list})`,
  listAt: (list, index) => `element_at(${list}, ${index})`,
  listCount: (list, cond) => `cardinality(filter(${list}, x -> ${cond('x')}))`,
  oneOf: (expr, placeholders) => `${expr} in (${placeholders.join(', ')})`,
  materializedCte: (name, body) => `${name} as (\n${body}\n)`,
  inlinesCtes: true,
  listRange: (from, to) => `sequence(${from}, ${to})`,
  emptyBigintList: () => 'cast(array[] as array(bigint))',
  listAppend: (list, value) => `${list} || ${value}`,
  listFold: (list, init, step) =>
    `reduce(${list}, ${init}, (acc, x) -> ${step('acc', 'x')}, acc -> acc)`,
  // The shift must be an integer (cardinality() and the like are bigints).
  bitSet: (expr, bit) =>
    `bitwise_and(bitwise_right_shift(${expr}, ${/^\d+$/.test(bit) ? bit : `cast(${bit} as integer)`}), 1) = 1`,
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

/** The JSON path of a top-level property key, quoted so any key is one member name (DuckDB). */
export function jsonPathOf(key: string): string {
  return `$.${JSON.stringify(key)}`;
}
