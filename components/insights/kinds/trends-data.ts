// Trends results as the chart, legend, table and CSV read them: one "line" per series and
// breakdown value, per period (the previous period dashed, same colour), and per formula. With a
// formula the chart shows the formulas only (PostHog's convention: "A/B" next to raw counts would
// be flattened against the axis); the table and CSV keep every line.
import type { TrendsQuery, TrendsResult } from '@/server/insights/trends';
import type { CsvTable } from '../csv';
import { describeBucket } from '../dates';

export interface TrendLine {
  key: string;
  label: string;
  /** Palette slot; the previous period shares its current line's slot. */
  colorIndex: number;
  /** Breakdown "Other" (drawn grey). */
  other: boolean;
  previous: boolean;
  formula: boolean;
  values: (number | null)[];
  total: number;
  /** unique_users: the total is a sum of buckets (a user active in two buckets counts twice). */
  summed: boolean;
}

const baseKey = (kind: 's' | 'f', index: number, breakdown: string | null) =>
  `${kind}${index}:${breakdown ?? ''}`;

export function trendLines(query: TrendsQuery, result: TrendsResult): TrendLine[] {
  const slots = new Map<string, number>();
  const slotOf = (key: string) => {
    let slot = slots.get(key);
    if (slot === undefined) slots.set(key, (slot = slots.size));
    return slot;
  };
  const lines: TrendLine[] = [];
  for (const s of result.series) {
    const key = baseKey('s', s.series, s.breakdown);
    const previous = s.period === 'previous';
    lines.push({
      key: previous ? `${key}:prev` : key,
      // The server names lines in full: "signed_up (users) (previous period) · pro".
      label: s.label,
      colorIndex: slotOf(key),
      other: s.breakdown === '$other',
      previous,
      formula: false,
      values: s.values,
      total: s.total,
      summed: query.series[s.series]?.math === 'unique_users',
    });
  }
  for (const f of result.formulas ?? []) {
    const key = baseKey('f', f.formula, f.breakdown);
    const previous = f.period === 'previous';
    lines.push({
      key: previous ? `${key}:prev` : key,
      label: f.label,
      colorIndex: slotOf(key),
      other: f.breakdown === '$other',
      previous,
      formula: true,
      values: f.values,
      total: f.values.reduce<number>((a, v) => a + (v ?? 0), 0),
      summed: true,
    });
  }
  return lines.map((l) => ({ ...l, label: readableLabel(l.label) }));
}

/** "$other"/"$none" in the server's labels, as people read them. */
function readableLabel(label: string): string {
  return label.replace(/ · \$other\b/, ' · Other').replace(/ · \$none\b/, ' · (not set)');
}

/** The lines the chart draws (formulas only when there are formulas). */
export function chartLines(lines: TrendLine[]): TrendLine[] {
  return lines.some((l) => l.formula) ? lines.filter((l) => l.formula) : lines;
}

export function trendsCsv(query: TrendsQuery, result: TrendsResult): CsvTable {
  const lines = trendLines(query, result);
  const header = [
    'bucket_start_utc',
    ...(result.previousBuckets ? ['previous_bucket_start_utc'] : []),
    ...lines.map((l) => l.label),
  ];
  const rows = result.buckets.map((b, i) => [
    b,
    ...(result.previousBuckets ? [result.previousBuckets[i] ?? null] : []),
    ...lines.map((l) => l.values[i] ?? null),
  ]);
  return { header, rows };
}

/** Title of a bucket in tooltips and the table. */
export const bucketTitle = (query: TrendsQuery, iso: string) => describeBucket(iso, query.interval);
