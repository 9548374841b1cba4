// Period numbers in TypeScript, the inverse of SqlDialect.periodNumber: days, Monday-weeks or
// months since 1970-01-01 (week 0 starts on Monday 1969-12-29). User-level insights (retention,
// lifecycle, stickiness) compute in period numbers in SQL, so "the next period" is `p + 1`, and
// the shapers turn numbers back into period starts here.
import type { PeriodUnit } from './dialect';

const DAY_MS = 86_400_000;

/** The number of the `unit` containing a UTC day (YYYY-MM-DD). */
export function periodOfDay(unit: PeriodUnit, day: string): number {
  const ms = Date.parse(day);
  const d = Math.floor(ms / DAY_MS);
  switch (unit) {
    case 'day':
      return d;
    case 'week':
      return Math.floor((d + 3) / 7);
    case 'month': {
      const date = new Date(ms);
      return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
    }
  }
}

/** The first UTC day (YYYY-MM-DD) of period `n`. */
export function periodStartDay(unit: PeriodUnit, n: number): string {
  const ms =
    unit === 'day'
      ? n * DAY_MS
      : unit === 'week'
        ? (n * 7 - 3) * DAY_MS
        : Date.UTC(1970 + Math.floor(n / 12), ((n % 12) + 12) % 12, 1);
  return new Date(ms).toISOString().slice(0, 10);
}

/** The start of period `n` as an ISO instant (how buckets are reported, as trends do). */
export const periodStart = (unit: PeriodUnit, n: number): string =>
  `${periodStartDay(unit, n)}T00:00:00.000Z`;

/** The first and last period numbers a range of inclusive UTC days touches. */
export function periodSpan(
  range: { from: string; to: string },
  unit: PeriodUnit,
): { first: number; last: number } {
  return { first: periodOfDay(unit, range.from), last: periodOfDay(unit, range.to) };
}

/** The UTC day after `day` (exclusive ends). */
export const nextDay = (day: string): string =>
  new Date(Date.parse(day) + DAY_MS).toISOString().slice(0, 10);

/** Inclusive days of a range (for validation messages). */
export const daysOf = (range: { from: string; to: string }): number =>
  (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
