// Date ranges of insights are inclusive UTC days (YYYY-MM-DD), like the server's. Presets are
// relative to today (UTC) when picked; the query stores the resulting days, so a shared link
// shows exactly the same numbers later.
export interface DayRange {
  from: string;
  to: string;
}

export const DATE_PRESETS = [
  { key: '7d', label: 'Last 7 days', days: 7 },
  { key: '14d', label: 'Last 14 days', days: 14 },
  { key: '30d', label: 'Last 30 days', days: 30 },
  { key: '90d', label: 'Last 90 days', days: 90 },
  { key: '180d', label: 'Last 180 days', days: 180 },
  { key: '365d', label: 'Last 12 months', days: 365 },
] as const;
export type DatePresetKey = (typeof DATE_PRESETS)[number]['key'];

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last `days` days, today included. */
export function lastDays(days: number, today: string = todayUtc()): DayRange {
  return { from: addDays(today, -(days - 1)), to: today };
}

/** The preset a range equals today, if any (so the picker can say "Last 30 days"). */
export function presetOf(range: DayRange, today: string = todayUtc()): DatePresetKey | undefined {
  return DATE_PRESETS.find((p) => {
    const r = lastDays(p.days, today);
    return r.from === range.from && r.to === range.to;
  })?.key;
}

export function daysIn(range: DayRange): number {
  return Math.round((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000) + 1;
}

const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const DAY_YEAR = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "Apr 2 – May 1, 2026" (the year once when both days share it). */
export function formatRange(range: DayRange): string {
  const sameYear = range.from.slice(0, 4) === range.to.slice(0, 4);
  const from = (sameYear ? DAY : DAY_YEAR).format(new Date(range.from));
  return `${from} – ${DAY_YEAR.format(new Date(range.to))}`;
}

export type Interval = 'hour' | 'day' | 'week' | 'month';

const BUCKET: Record<Interval, Intl.DateTimeFormat> = {
  hour: new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    timeZone: 'UTC',
  }),
  day: DAY,
  week: DAY,
  month: new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
};

/** A bucket start (ISO instant, UTC) as the axis shows it: "May 1", "May 1, 3 PM", "May 2026". */
export function formatBucket(iso: string, interval: Interval): string {
  return BUCKET[interval].format(new Date(iso));
}

/** A bucket in full for tooltips and CSV: "Week of Apr 27, 2026", "May 1, 2026, 3 PM UTC". */
export function describeBucket(iso: string, interval: Interval): string {
  const d = new Date(iso);
  switch (interval) {
    case 'hour':
      return `${DAY_YEAR.format(d)}, ${new Intl.DateTimeFormat('en-US', { hour: 'numeric', timeZone: 'UTC' }).format(d)} UTC`;
    case 'day':
      return DAY_YEAR.format(d);
    case 'week':
      return `Week of ${DAY_YEAR.format(d)}`;
    case 'month':
      return BUCKET.month.format(d);
  }
}
