// The calendar of the simulated window: which app versions ship when, when ai_summaries
// launches, and where the two injected anomalies sit. Everything is derived from the window
// alone (never from the seed), so the anomalies are easy to find and to check. Not obvious: the
// error spike is tied to a release — 3.4.0 ships, iOS users on it crash for two days, then a
// hotfix (3.4.1) ships — so it shows as a version × platform segment, not just a busy day.
import { MS_PER_DAY, isWeekend, weekdayOf } from './calendar';
import type { Platform } from './catalog';

export interface AppRelease {
  version: string;
  releaseDay: number;
}

export interface ErrorSpike {
  event: 'error_occurred';
  appVersion: string;
  platform: Platform;
  startDay: number;
  endDay: number;
  /** Factor on the error probability of events of that version on that platform. */
  multiplier: number;
}

export interface ReportDrop {
  event: 'report_exported';
  day: number;
  /** Factor on the probability of exporting a report that day (0.15 = an 85 % drop). */
  factor: number;
}

export interface Timeline {
  startDay: number;
  endDay: number;
  days: number;
  startMs: number;
  /** Exclusive: midnight after end-date, or the end instant it was given. */
  endMs: number;
  releases: readonly AppRelease[];
  aiLaunchDay: number;
  errorSpike: ErrorSpike;
  reportDrop: ReportDrop;
  /** Day -> index into releases of the newest release out that day (from startDay - 60). */
  releaseIndexByDay: Int16Array;
  releaseIndexBase: number;
}

export const ERROR_SPIKE_MULTIPLIER = 12;
export const REPORT_DROP_FACTOR = 0.15;

/** First day d in [from, to] with ok(d), else `from`. */
function firstDay(from: number, to: number, ok: (d: number) => boolean): number {
  for (let d = from; d <= to; d++) if (ok(d)) return d;
  return from;
}

/** `endAtMs` cuts the last day short (an instant inside it); by default the window ends at midnight. */
export function buildTimeline(endDay: number, days: number, endAtMs?: number): Timeline {
  const midnight = (endDay + 1) * MS_PER_DAY;
  if (endAtMs !== undefined && (endAtMs <= endDay * MS_PER_DAY || endAtMs > midnight))
    throw new Error(`the window's end instant must lie within its last day`);
  const startDay = endDay - days + 1;
  const last = endDay;
  // Two weekday spike days (Mon–Thu start) around 60 % of the window.
  const spikeFrom = Math.min(last, startDay + Math.floor(days * 0.6));
  const spikeStart = firstDay(spikeFrom, Math.max(spikeFrom, last - 1), (d) => {
    const w = weekdayOf(d);
    return w >= 1 && w <= 4;
  });
  const spikeEnd = Math.min(last, spikeStart + 1);
  // One weekday (Tue–Thu) around 82 % of the window, away from the spike.
  const dropFrom = Math.min(last, startDay + Math.floor(days * 0.82));
  const dropDay = firstDay(dropFrom, last, (d) => {
    const w = weekdayOf(d);
    return w >= 2 && w <= 4 && (d < spikeStart || d > spikeEnd) && !isWeekend(d);
  });

  // Minor releases 3.0 … 3.6: 3.4.0 ships the day before the spike.
  const r4 = spikeStart - 1;
  const stepBefore = Math.max(1, Math.floor((r4 - (startDay - 7)) / 4));
  const stepAfter = Math.max(1, Math.floor((last - r4) / 3));
  const minorDay = (i: number) => (i <= 4 ? r4 - (4 - i) * stepBefore : r4 + (i - 4) * stepAfter);
  const releases: AppRelease[] = [];
  for (let i = 0; i <= 6; i++) {
    const day = minorDay(i);
    releases.push({ version: `3.${i}.0`, releaseDay: day });
    const next = i < 6 ? minorDay(i + 1) : last + 1;
    if (i === 4) {
      if (spikeEnd + 1 < next) releases.push({ version: '3.4.1', releaseDay: spikeEnd + 1 });
    } else {
      const step = i < 4 ? stepBefore : stepAfter;
      const patchDay = day + Math.max(1, Math.floor(step / 2));
      if (patchDay < next && patchDay <= last) {
        releases.push({ version: `3.${i}.1`, releaseDay: patchDay });
      }
    }
  }
  releases.sort((a, b) => a.releaseDay - b.releaseDay);

  const releaseIndexBase = startDay - 60;
  const releaseIndexByDay = new Int16Array(last - releaseIndexBase + 1);
  let idx = 0;
  for (let d = releaseIndexBase; d <= last; d++) {
    while (idx + 1 < releases.length && (releases[idx + 1] as AppRelease).releaseDay <= d) idx++;
    releaseIndexByDay[d - releaseIndexBase] = idx;
  }

  return {
    startDay,
    endDay,
    days,
    startMs: startDay * MS_PER_DAY,
    endMs: endAtMs ?? midnight,
    releases,
    aiLaunchDay: startDay + Math.floor(days / 2),
    errorSpike: {
      event: 'error_occurred',
      appVersion: '3.4.0',
      platform: 'ios',
      startDay: spikeStart,
      endDay: spikeEnd,
      multiplier: ERROR_SPIKE_MULTIPLIER,
    },
    reportDrop: { event: 'report_exported', day: dropDay, factor: REPORT_DROP_FACTOR },
    releaseIndexByDay,
    releaseIndexBase,
  };
}

/** The version a client runs on `day` when it updates `lagDays` after each release. */
export function versionOn(timeline: Timeline, day: number, lagDays: number): string {
  const d = Math.max(timeline.releaseIndexBase, Math.min(timeline.endDay, day - lagDays));
  const i = timeline.releaseIndexByDay[d - timeline.releaseIndexBase] ?? 0;
  return (timeline.releases[i] as AppRelease).version;
}
