// A SQL result as a chart: the chart config an analyst picks (ZSqlChartConfig), a sensible
// default for a fresh result (suggestChart, with chartProblem saying why there is none), a check
// of a config against the result's columns (validateChartConfig: a saved config may outlive the
// query's columns) and the chart-ready data (toChartData). Pure: no React, unit-tested.
//
// Not obvious:
// - Values arrive as the engine's JSON (server/query/duckdb-values.ts): BIGINT/HUGEINT beyond
//   2^53 are decimal strings, non-finite doubles are the strings "NaN"/"Infinity", DECIMAL is a
//   double (another engine may send it as a string), DATE is "YYYY-MM-DD", TIMESTAMP an ISO
//   instant, and "infinity"/"-infinity" for infinite dates. Numeric-looking strings become numbers
//   (big integers lose precision past 2^53, which a chart cannot show anyway); anything else is
//   not plottable and becomes null.
// - Data rows use fixed keys — X_KEY for the x value and s0, s1, … per series — never column
//   names or series values: Recharts reads a dataKey like "a.b" as a path.
// - Rows that share an x value (and series value) are summed into one point (`mergedRows` says
//   how many), so long format with duplicates and a forgotten GROUP BY both draw one point per x.
import { MAX_Y_COLUMNS, ZSqlChartConfig, type SqlChartConfig } from '@/server/sql/sql-chart';

export {
  MAX_Y_COLUMNS,
  SQL_CHART_TYPES,
  ZSqlChartConfig,
  type SqlChartConfig,
  type SqlChartType,
} from '@/server/sql/sql-chart';

/** Values of a series column drawn as their own series; the rest are summed into "Other". */
export const MAX_CHART_SERIES = 10;
/** x points (line/bar/area) or points (scatter) drawn at most, unless `maxPoints` says otherwise. */
export const DEFAULT_MAX_POINTS = 5_000;
/** Key of the x value in every data row. */
export const X_KEY = 'x';
/** Series key and label of the bucket that sums the series values beyond the top ones. */
export const OTHER_SERIES_KEY = 'other';
export const OTHER_LABEL = 'Other';
/** How a NULL (or empty text) x category or series value is labelled. */
export const NULL_LABEL = '(null)';
export const EMPTY_LABEL = '(empty)';

/** A result column as the chart needs it (SqlResult's columns fit). */
export interface SqlChartColumn {
  name: string;
  /** The portable type: string, integer, float, decimal, boolean, date, timestamp, … */
  type: string;
}

const NUMERIC_TYPES = new Set(['integer', 'float', 'decimal']);
const TIME_TYPES = new Set(['date', 'timestamp']);
/** Types that cannot be an axis value or a series value. */
const NOT_AXIS_TYPES = new Set(['json', 'list', 'struct', 'binary']);
/** Types a default chart may put on a category axis or split series by. */
const CATEGORY_TYPES = new Set(['string', 'boolean', 'uuid']);

export const isNumericColumn = (c: SqlChartColumn) => NUMERIC_TYPES.has(c.type);
export const isTimeColumn = (c: SqlChartColumn) => TIME_TYPES.has(c.type);

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'an integer',
  float: 'a float',
  decimal: 'a decimal',
  boolean: 'true/false',
  date: 'a date',
  timestamp: 'a timestamp',
  time: 'a time of day',
  interval: 'an interval',
  json: 'JSON',
  list: 'a list',
  struct: 'a struct',
  binary: 'binary',
  uuid: 'a UUID',
};
/** "text", "a date", … — how a column type reads in a sentence ("country is text"). */
export const describeColumnType = (type: string) => TYPE_WORDS[type] ?? `of type ${type}`;

/**
 * A number from a JSON result value: finite numbers as they are, numeric-looking strings
 * (big integers, decimals) parsed; NaN, ±Infinity, booleans, text, objects and null are null.
 */
export function toChartNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*$/i;

/** Epoch milliseconds of a DATE/TIMESTAMP value ("2026-04-02", ISO instants); null otherwise. */
export function toChartTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** A value as a category label (x of a bar chart, a series name). */
export function chartLabel(value: unknown): string {
  if (value === null || value === undefined) return NULL_LABEL;
  if (value === '') return EMPTY_LABEL;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Suggestion

type Rows = readonly (readonly unknown[])[];

/**
 * Why no chart can be drawn from this result, or null when suggestChart has a suggestion
 * (suggestChart returns null exactly when this returns a reason).
 */
export function chartProblem(columns: readonly SqlChartColumn[], rows: Rows): string | null {
  if (columns.length === 0)
    return 'The statement returned no columns, so there is nothing to chart.';
  if (!columns.some(isNumericColumn))
    return 'Nothing to chart: the result has no numeric column (integer, float or decimal). Return a count, a sum or another number.';
  if (rows.length === 0) return 'The query returned no rows, so there is nothing to chart.';
  return null;
}

/**
 * A default chart for a fresh result, first rule that applies:
 * 1. one row → `number` of the first numeric column;
 * 2. a date/timestamp column → `line` over time of the numeric columns; when the time values
 *    repeat and there is a text column (long format: one row per day and country) → one line
 *    per value of that text column, of the first numeric column;
 * 3. a text (or boolean/UUID) column → `bar` by it of the numeric columns; when its values
 *    repeat and there is a second text column → stacked bars split by that column;
 * 4. numeric columns only: when the first one strictly increases row after row (an hour, a
 *    bucket) → `line` over it; when it is a few distinct whole numbers in another order (hours
 *    ranked by logins, a top 5 of app builds) → `bar` by it, in the rows' order; else with two or
 *    more → `scatter` of the first against the second; a single numeric column → `bar` over the
 *    row number.
 * Null when nothing is chartable; chartProblem(columns, rows) says why.
 */
/** Rows of whole-number keys drawn as bars rather than a scatter (see suggestChart, rule 4). */
const MAX_KEY_BARS = 31;

export function suggestChart(
  columns: readonly SqlChartColumn[],
  rows: Rows,
): SqlChartConfig | null {
  if (chartProblem(columns, rows) !== null) return null;
  const numeric = columns.filter(isNumericColumn).map((c) => c.name);
  const first = numeric[0]!;
  const categories = columns.filter((c) => CATEGORY_TYPES.has(c.type)).map((c) => c.name);
  // One row: a number; with several numbers ("both counts in one row"), a bar for each.
  if (rows.length === 1)
    return numeric.length >= 2 && !columns.some(isTimeColumn)
      ? {
          type: 'bar',
          ...(categories[0] !== undefined ? { x: categories[0] } : {}),
          y: numeric.slice(0, MAX_Y_COLUMNS),
        }
      : { type: 'number', y: [first] };

  const index = (name: string) => columns.findIndex((c) => c.name === name);
  const repeats = (name: string) => {
    const i = index(name);
    return new Set(rows.map((r) => chartLabel(r[i]))).size < rows.length;
  };

  const time = columns.find(isTimeColumn)?.name;
  if (time !== undefined) {
    const series = categories[0];
    if (series !== undefined && repeats(time)) return { type: 'line', x: time, y: [first], series };
    return { type: 'line', x: time, y: numeric.slice(0, MAX_Y_COLUMNS) };
  }

  const category = categories[0];
  if (category !== undefined) {
    const series = categories[1];
    if (series !== undefined && repeats(category))
      return { type: 'bar', x: category, y: [first], series };
    return { type: 'bar', x: category, y: numeric.slice(0, MAX_Y_COLUMNS) };
  }

  const xi = index(first);
  const increasing = rows.every((r, i) => {
    if (i === 0) return toChartNumber(r[xi]) !== null;
    const prev = toChartNumber(rows[i - 1]![xi]);
    const cur = toChartNumber(r[xi]);
    return prev !== null && cur !== null && cur > prev;
  });
  if (numeric.length >= 2 && increasing)
    return { type: 'line', x: first, y: numeric.slice(1, MAX_Y_COLUMNS + 1) };
  const keys = rows.map((r) => toChartNumber(r[xi]));
  if (
    numeric.length >= 2 &&
    rows.length <= MAX_KEY_BARS &&
    keys.every((k) => k !== null && Number.isInteger(k)) &&
    new Set(keys).size === keys.length
  )
    return { type: 'bar', x: first, y: numeric.slice(1, MAX_Y_COLUMNS + 1) };
  if (numeric.length >= 2) return { type: 'scatter', x: first, y: [numeric[1]!] };
  return { type: 'bar', y: [first] };
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * A plain-English problem with `config` for a result with these columns, or null when it can be
 * drawn: the schema's rules (messages of ZSqlChartConfig), then columns that are gone ("Column
 * revenue is not in the result any more") and columns of the wrong type ("y must be numeric:
 * country is text").
 */
export function validateChartConfig(
  config: unknown,
  columns: readonly SqlChartColumn[],
): string | null {
  const parsed = ZSqlChartConfig.safeParse(config);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'The chart settings are invalid';
  const c = parsed.data;
  const column = (name: string) => columns.find((col) => col.name === name);
  const gone = (name: string) => `Column ${name} is not in the result any more`;

  for (const name of c.y) {
    const col = column(name);
    if (!col) return gone(name);
    if (!isNumericColumn(col))
      return `y must be numeric: ${name} is ${describeColumnType(col.type)}`;
  }
  if (c.type === 'number') return null;
  if (c.x !== undefined) {
    const col = column(c.x);
    if (!col) return gone(c.x);
    if (c.type === 'scatter' && !isNumericColumn(col) && !isTimeColumn(col))
      return `x of a scatter chart must be numeric or a date: ${c.x} is ${describeColumnType(col.type)}`;
    if (NOT_AXIS_TYPES.has(col.type))
      return `x cannot be ${c.x}: ${describeColumnType(col.type)} column cannot go on an axis`;
  }
  if (c.series !== undefined) {
    const col = column(c.series);
    if (!col) return gone(c.series);
    if (NOT_AXIS_TYPES.has(col.type))
      return `The series column cannot be ${c.series}: ${describeColumnType(col.type)} column cannot split series`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Chart data

export type SqlChartCell = number | string | null;
export type SqlChartRow = Record<string, SqlChartCell>;

/**
 * How x reads: `time` (DATE/TIMESTAMP: the ISO text in line/bar/area rows, epoch ms in scatter
 * rows), `number`, `category` (text labels, in first-seen order) or `row` (no x column: the row
 * number, from 1).
 */
export type SqlChartXKind = 'time' | 'number' | 'category' | 'row';

export interface SqlChartSeries {
  /** The dataKey in `data` rows (s0, s1, … or OTHER_SERIES_KEY). */
  key: string;
  /** A y column's name, or a value of the series column (NULL_LABEL / EMPTY_LABEL / "Other"). */
  label: string;
  /** Index into the palette (colorAt); Other has none and uses OTHER_COLOR. */
  colorIndex: number;
  /** Sum of the series' values over the whole result (before the point cap). */
  total: number;
  other?: boolean;
}

export interface SqlChartData {
  /** One row per x point (line/bar/area) or per point (scatter): `{ x, s0, s1, … }`. */
  data: SqlChartRow[];
  xKind: SqlChartXKind;
  /** Axis title: the x column's name, or "Row". */
  xLabel: string;
  /** Time x whose values are all at midnight UTC (DATE, or day buckets): format as days. */
  xDaysOnly: boolean;
  /** The dataKeys, in drawing order (`series.map(s => s.key)`). */
  seriesKeys: string[];
  series: SqlChartSeries[];
  /** Stack the series (bar and area split by a series column). */
  stacked: boolean;
  /** Points before the cap (x points for line/bar/area, points for scatter). */
  totalPoints: number;
  /** Points dropped by the cap (only the first `maxPoints` in x order are kept), if any. */
  truncatedPoints?: number;
  /** Values of the series column summed into "Other" (beyond the top MAX_CHART_SERIES by total). */
  truncatedSeries?: number;
  /** Rows left out: no usable x (NULL, or not a number/date for a numeric/time x). */
  droppedRows?: number;
  /** Rows summed into a point another row already had (same x and series value). */
  mergedRows?: number;
  /** `number` charts: the first y of the first row (null when NULL or no rows). */
  value?: number | null;
  /** Why there is nothing to draw (invalid config, no rows); `data` is then empty. */
  problem?: string;
}

const seriesKey = (i: number) => `s${i}`;

function empty(problem?: string): SqlChartData {
  return {
    data: [],
    xKind: 'row',
    xLabel: 'Row',
    xDaysOnly: false,
    seriesKeys: [],
    series: [],
    stacked: false,
    totalPoints: 0,
    ...(problem !== undefined && { problem }),
  };
}

/** x of one row: the value drawn, a sort key, and the identity that merges rows. */
interface XPoint {
  value: string | number;
  sort: number | string;
  id: string;
}

function xPointOf(
  raw: unknown,
  kind: SqlChartXKind,
  rowIndex: number,
  scatter: boolean,
): XPoint | null {
  if (kind === 'row') return { value: rowIndex + 1, sort: rowIndex, id: String(rowIndex) };
  if (kind === 'time') {
    const ms = toChartTime(raw);
    if (ms === null) return null;
    return { value: scatter ? ms : (raw as string), sort: ms, id: String(ms) };
  }
  if (kind === 'number') {
    const n = toChartNumber(raw);
    return n === null ? null : { value: n, sort: n, id: String(n) };
  }
  const label = chartLabel(raw);
  return { value: label, sort: label, id: label };
}

const compareSort = (a: number | string, b: number | string) =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a) < String(b)
      ? -1
      : String(a) > String(b)
        ? 1
        : 0;

/**
 * Chart-ready data for a config. Assumes nothing: an invalid config (validateChartConfig) or an
 * empty result comes back as `problem` with no data.
 *
 * - line/bar/area: one row per distinct x, `{ x, s0: …, s1: … }`; without a series column one
 *   series per y column, with one series per value of the series column (the top
 *   MAX_CHART_SERIES by total, the rest summed into "Other", `truncatedSeries` says how many).
 *   Missing combinations are null. x is sorted for line and area when it is a date, a number or a
 *   time of day, and for bars over time; otherwise the result's row order is kept (its ORDER BY).
 * - scatter: one row per result row with a usable x: `{ x, s<k>: y }` (time x as epoch ms).
 * - number: `value` is the first y of the first row; no data rows.
 * At most `maxPoints` (default DEFAULT_MAX_POINTS) points; `truncatedPoints` says how many more.
 */
export function toChartData(
  config: SqlChartConfig,
  columns: readonly SqlChartColumn[],
  rows: Rows,
  opts: { maxPoints?: number } = {},
): SqlChartData {
  const problem = validateChartConfig(config, columns);
  if (problem !== null) return empty(problem);
  if (rows.length === 0) return empty('The query returned no rows, so there is nothing to chart.');
  const index = (name: string) => columns.findIndex((c) => c.name === name);
  const yIndex = config.y.map(index);

  if (config.type === 'number') {
    return { ...empty(), totalPoints: 1, value: toChartNumber(rows[0]![yIndex[0]!]) };
  }

  const maxPoints = Math.max(1, Math.floor(opts.maxPoints ?? DEFAULT_MAX_POINTS));
  const scatter = config.type === 'scatter';
  const xi = config.x === undefined ? -1 : index(config.x);
  const xCol = columns[xi];
  const xKind: SqlChartXKind = !xCol
    ? 'row'
    : isTimeColumn(xCol)
      ? 'time'
      : isNumericColumn(xCol)
        ? 'number'
        : 'category';
  const si = config.series === undefined ? -1 : index(config.series);

  // Series: the y columns, or the values of the series column ranked by total.
  type Acc = { label: string; total: number; order: number };
  const byLabel = new Map<string, Acc>();
  const labelOf = (row: readonly unknown[], y: number): string =>
    si >= 0 ? chartLabel(row[si]) : config.y[y]!;
  const points: { x: XPoint; row: readonly unknown[] }[] = [];
  let droppedRows = 0;
  rows.forEach((row, r) => {
    const x = xPointOf(xi >= 0 ? row[xi] : undefined, xKind, r, scatter);
    if (!x) {
      droppedRows++;
      return;
    }
    points.push({ x, row });
    yIndex.forEach((yi, y) => {
      const label = labelOf(row, y);
      let acc = byLabel.get(label);
      if (!acc) {
        acc = { label, total: 0, order: byLabel.size };
        byLabel.set(label, acc);
      }
      acc.total += toChartNumber(row[yi]) ?? 0;
    });
  });

  let ranked = [...byLabel.values()];
  if (si >= 0) ranked.sort((a, b) => b.total - a.total || a.order - b.order);
  let truncatedSeries = 0;
  let otherTotal = 0;
  if (si >= 0 && ranked.length > MAX_CHART_SERIES) {
    truncatedSeries = ranked.length - MAX_CHART_SERIES;
    otherTotal = ranked.slice(MAX_CHART_SERIES).reduce((s, a) => s + a.total, 0);
    ranked = ranked.slice(0, MAX_CHART_SERIES);
  }
  const series: SqlChartSeries[] = ranked.map((a, i) => ({
    key: seriesKey(i),
    label: a.label,
    colorIndex: i,
    total: a.total,
  }));
  if (truncatedSeries > 0)
    series.push({
      key: OTHER_SERIES_KEY,
      label: OTHER_LABEL,
      colorIndex: -1,
      total: otherTotal,
      other: true,
    });
  const keyOf = new Map(series.filter((s) => !s.other).map((s) => [s.label, s.key]));
  const keyFor = (label: string) => keyOf.get(label) ?? OTHER_SERIES_KEY;

  let data: SqlChartRow[];
  let mergedRows = 0;
  if (scatter) {
    data = points.map(({ x, row }) => {
      const out: SqlChartRow = { [X_KEY]: x.value };
      yIndex.forEach((yi, y) => {
        out[keyFor(labelOf(row, y))] = toChartNumber(row[yi]);
      });
      return out;
    });
  } else {
    const byX = new Map<string, { x: XPoint; out: SqlChartRow }>();
    for (const { x, row } of points) {
      let entry = byX.get(x.id);
      if (!entry) {
        const out: SqlChartRow = { [X_KEY]: x.value };
        for (const s of series) out[s.key] = null;
        entry = { x, out };
        byX.set(x.id, entry);
      }
      let merged = false;
      yIndex.forEach((yi, y) => {
        const key = keyFor(labelOf(row, y));
        const v = toChartNumber(row[yi]);
        const prev = entry.out[key];
        // A repeat (x, series) pair; Other collects many series values by design.
        if (prev !== null && key !== OTHER_SERIES_KEY) merged = true;
        if (v === null) return;
        entry.out[key] = typeof prev === 'number' ? prev + v : v;
      });
      if (merged) mergedRows++;
    }
    const entries = [...byX.values()];
    const sortable =
      xKind === 'time' ||
      ((config.type === 'line' || config.type === 'area') &&
        (xKind === 'number' || xCol?.type === 'time'));
    if (sortable) entries.sort((a, b) => compareSort(a.x.sort, b.x.sort));
    data = entries.map((e) => e.out);
  }

  const totalPoints = data.length;
  if (data.length > maxPoints) data = data.slice(0, maxPoints);
  const xDaysOnly =
    xKind === 'time' &&
    points.every(({ x }) => typeof x.sort === 'number' && x.sort % 86_400_000 === 0);

  return {
    data,
    xKind,
    xLabel: config.x ?? 'Row',
    xDaysOnly,
    seriesKeys: series.map((s) => s.key),
    series,
    stacked: si >= 0 && (config.type === 'bar' || config.type === 'area'),
    totalPoints,
    ...(totalPoints > data.length && { truncatedPoints: totalPoints - data.length }),
    ...(truncatedSeries > 0 && { truncatedSeries }),
    ...(droppedRows > 0 && { droppedRows }),
    ...(mergedRows > 0 && { mergedRows }),
  };
}

/**
 * Notes to show under a chart, in plain English ("Showing the first 5,000 of 12,000 points",
 * "14 more values of country are summed into Other", …); empty when there is nothing to say.
 */
export function chartNotes(chart: SqlChartData, config: SqlChartConfig): string[] {
  const count = (n: number) => n.toLocaleString('en-US');
  const notes: string[] = [];
  if (chart.truncatedPoints)
    notes.push(
      `Showing the first ${count(chart.totalPoints - chart.truncatedPoints)} of ${count(chart.totalPoints)} points.`,
    );
  if (chart.truncatedSeries)
    notes.push(
      `${count(chart.truncatedSeries)} more ${chart.truncatedSeries === 1 ? 'value' : 'values'} of ${config.series} ${chart.truncatedSeries === 1 ? 'is' : 'are'} summed into “${OTHER_LABEL}”.`,
    );
  if (chart.droppedRows)
    notes.push(
      `${count(chart.droppedRows)} ${chart.droppedRows === 1 ? 'row has' : 'rows have'} no usable ${config.x ?? 'x'} value and ${chart.droppedRows === 1 ? 'is' : 'are'} left out.`,
    );
  if (chart.mergedRows)
    notes.push(
      `${count(chart.mergedRows)} ${chart.mergedRows === 1 ? 'row repeats' : 'rows repeat'} an x${config.series ? ' and series' : ''} value of another row; their values are summed.`,
    );
  return notes;
}

/**
 * The series drawn on a right-hand axis: of exactly two unstacked line or bar series, the one
 * whose largest value is at most a tenth of the other's.
 */
export function rightAxisSeries(
  chart: SqlChartData,
  visible: readonly SqlChartSeries[],
  config: SqlChartConfig,
): string | undefined {
  if ((config.type !== 'line' && config.type !== 'bar') || chart.stacked || visible.length !== 2)
    return undefined;
  const peak = (key: string) =>
    Math.max(
      0,
      ...chart.data.map((r: SqlChartRow) => {
        const v = r[key];
        return typeof v === 'number' ? Math.abs(v) : 0;
      }),
    );
  const [a, b] = visible.map((s) => ({ key: s.key, peak: peak(s.key) }));
  if (!a || !b || a.peak === 0 || b.peak === 0) return undefined;
  if (a.peak >= 10 * b.peak) return b.key;
  if (b.peak >= 10 * a.peak) return a.key;
  return undefined;
}
