// Funnel results as the chart, table and CSV read them: per step (and per breakdown value) the
// users, the conversion relative to the first or the previous step, the drop-off and the
// median time from the previous step.
import type {
  FunnelOverTime,
  FunnelsQuery,
  FunnelsResult,
  FunnelStepResult,
  FunnelTimeToConvert,
} from '@/server/insights/funnels';
import type { CsvTable } from '../csv';
import { breakdownLabel, formatDuration } from '../format';
import type { ChartOptions } from './types';

export type RelativeTo = NonNullable<ChartOptions['relativeTo']>;

export const conversionOf = (s: FunnelStepResult, relativeTo: RelativeTo) =>
  relativeTo === 'previous' ? s.conversionFromPrevious : s.conversionFromFirst;

/** One group of steps per breakdown value, or the whole funnel without a breakdown. */
export function funnelGroups(
  result: FunnelsResult,
): { key: string; label: string; steps: FunnelStepResult[] }[] {
  return result.breakdowns.length
    ? result.breakdowns.map((b) => ({
        key: b.breakdown,
        label: breakdownLabel(b.breakdown),
        steps: b.steps,
      }))
    : [{ key: '', label: 'All users', steps: result.steps }];
}

/** Overall conversion: last step's users over the first step's. */
export const overallConversion = (steps: FunnelStepResult[]) =>
  steps.length ? steps[steps.length - 1]!.conversionFromFirst : 0;

export function funnelsCsv(query: FunnelsQuery, result: FunnelsResult): CsvTable {
  const withBreakdown = result.breakdowns.length > 0;
  const groups = withBreakdown
    ? [{ label: 'All users', steps: result.steps }, ...funnelGroups(result)]
    : funnelGroups(result);
  return {
    header: [
      ...(withBreakdown ? ['breakdown'] : []),
      'step',
      'event',
      'users',
      'conversion_from_first',
      'conversion_from_previous',
      'dropped_off',
      'median_seconds_from_previous',
    ],
    rows: groups.flatMap((g) =>
      g.steps.map((s) => [
        ...(withBreakdown ? [g.label] : []),
        s.index + 1,
        query.steps[s.index]?.event ?? s.label,
        s.users,
        round(s.conversionFromFirst),
        round(s.conversionFromPrevious),
        s.dropOff,
        s.medianSecondsFromPrevious === null ? null : round(s.medianSecondsFromPrevious),
      ]),
    ),
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** Whether a result has nothing to draw, whatever its view. */
export function funnelIsEmpty(result: FunnelsResult): boolean {
  if (result.view === 'time_to_convert') return (result.timeToConvert?.users ?? 0) === 0;
  if (result.view === 'trends') return (result.overTime?.entered ?? []).every((e) => e === 0);
  return (result.steps[0]?.users ?? 0) === 0;
}

/** A histogram bin as the axis reads it: "2m – 4m" ("< 1s" when it is one instant). */
export function binLabel(bin: { fromSeconds: number; toSeconds: number }): string {
  const from = formatDuration(bin.fromSeconds);
  const to = formatDuration(bin.toSeconds);
  if (from === to) return bin.toSeconds < 1 ? '< 1s' : from;
  return `${from} – ${to}`;
}

/** The time-to-convert bins as chart rows (x: the bin's label, y: users). */
export function histogramRows(t: FunnelTimeToConvert | null) {
  return (t?.bins ?? []).map((b, i) => ({
    i,
    label: binLabel(b),
    users: b.users,
    fromSeconds: b.fromSeconds,
    toSeconds: b.toSeconds,
  }));
}

/** Conversion over time as chart rows: per bucket entered, converted and the rate (0–1). */
export function overTimeRows(o: FunnelOverTime | null) {
  return (o?.buckets ?? []).map((bucket, i) => ({
    bucket,
    entered: o!.entered[i] ?? 0,
    converted: o!.converted[i] ?? 0,
    rate: o!.rate[i] ?? 0,
  }));
}

/** The steps a time-to-convert view measures between (toStep defaults to the last step). */
export function timeToConvertSteps(query: FunnelsQuery): { fromStep: number; toStep: number } {
  return {
    fromStep: query.timeToConvert.fromStep,
    toStep: query.timeToConvert.toStep ?? query.steps.length - 1,
  };
}

/**
 * Keeps a funnel query valid for its server schema after an edit: the time-to-convert steps
 * inside the funnel (from before to), no breakdown outside the steps view, and the steps view
 * when the order becomes 'any' (time to convert needs ordered steps).
 */
export function normalizeFunnelQuery(query: FunnelsQuery): FunnelsQuery {
  const n = query.steps.length;
  let { fromStep, toStep } = query.timeToConvert;
  if (toStep !== undefined && toStep >= n) toStep = undefined;
  const to = toStep ?? n - 1;
  if (fromStep >= to) fromStep = Math.max(0, to - 1);
  const view = query.view === 'time_to_convert' && query.order === 'any' ? 'steps' : query.view;
  const next: FunnelsQuery = {
    ...query,
    view,
    timeToConvert: { ...query.timeToConvert, fromStep, toStep },
  };
  if (toStep === undefined) delete next.timeToConvert.toStep;
  if (view !== 'steps') delete next.breakdown;
  return next;
}

export function funnelsViewCsv(query: FunnelsQuery, result: FunnelsResult): CsvTable {
  if (result.view === 'time_to_convert')
    return {
      header: ['from_seconds', 'to_seconds', 'users'],
      rows: (result.timeToConvert?.bins ?? []).map((b) => [
        round(b.fromSeconds),
        round(b.toSeconds),
        b.users,
      ]),
    };
  if (result.view === 'trends')
    return {
      header: ['bucket', 'entered', 'converted', 'conversion_rate'],
      rows: overTimeRows(result.overTime).map((r) => [
        r.bucket,
        r.entered,
        r.converted,
        round(r.rate),
      ]),
    };
  return funnelsCsv(query, result);
}
