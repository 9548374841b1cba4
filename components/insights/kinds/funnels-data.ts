// Funnel results as the chart, table and CSV read them: per step (and per breakdown value) the
// users, the conversion relative to the first or the previous step, the drop-off and the
// median time from the previous step.
import type { FunnelsQuery, FunnelsResult, FunnelStepResult } from '@/server/insights/funnels';
import type { CsvTable } from '../csv';
import { breakdownLabel } from '../format';
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
