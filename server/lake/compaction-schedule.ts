// The pg-boss schedule of periodic compaction, from TL_COMPACT_INTERVAL_MS. A cron expression
// cannot say "every 7 minutes" or "every 90 minutes" evenly, so this is an RFC 5545 recurrence
// rule (pg-boss 12 takes either): FREQ=MINUTELY with the interval in whole minutes, anchored at
// the Unix epoch, so the phase is the same in every process and after every restart. pg-boss
// fires schedules at most once a minute, so the interval is rounded to whole minutes (≥ 1).

/** The recurrence rule for an interval in ms, or null when 0 turns periodic compaction off. */
export function compactionSchedule(intervalMs: number): string | null {
  if (!(intervalMs > 0)) return null;
  const minutes = Math.max(1, Math.round(intervalMs / 60_000));
  return `FREQ=MINUTELY;INTERVAL=${minutes}`;
}
