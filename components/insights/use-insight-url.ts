'use client';
// The insight in the URL as React state: reading `?q=` / `?chart=` / `?rel=` and writing them
// back with history.replaceState (no history entry per edit; the back button leaves the page).
import * as React from 'react';
import { usePathname, useSearchParams } from 'next/navigation';
import type { InsightQuery } from '@/server/insights/insight-service';
import { COHORT_URL_PARAMS } from './cohorts/use-cohort-url';
import { QUERY_SCHEMAS } from './kinds';
import type { ChartOptions } from './kinds/types';
import { CHART_PARAM, decodeQuery, QUERY_PARAM, withQuery, type DecodedQuery } from './query-url';

export const RELATIVE_PARAM = 'rel';

export interface InsightUrlState {
  decoded: DecodedQuery<InsightQuery>;
  chartType: string | undefined;
  options: ChartOptions;
  set(next: { query: InsightQuery; chartType?: string; options?: ChartOptions }): void;
}

export function useInsightUrl(): InsightUrlState {
  const pathname = usePathname();
  const params = useSearchParams();
  const raw = params.get(QUERY_PARAM);
  const decoded = React.useMemo(
    () => decodeQuery(raw, QUERY_SCHEMAS) as DecodedQuery<InsightQuery>,
    [raw],
  );
  const chartType = params.get(CHART_PARAM) ?? undefined;
  const rel = params.get(RELATIVE_PARAM);
  const options = React.useMemo<ChartOptions>(
    () => (rel === 'previous' ? { relativeTo: 'previous' } : {}),
    [rel],
  );
  const set = React.useCallback<InsightUrlState['set']>(
    ({ query, chartType: type, options: opts }) => {
      const next = withQuery(params, query, type);
      if (opts?.relativeTo === 'previous') next.set(RELATIVE_PARAM, 'previous');
      else next.delete(RELATIVE_PARAM);
      // Editing an insight leaves the Cohorts section.
      for (const p of COHORT_URL_PARAMS) next.delete(p);
      // The native history API (Next keeps useSearchParams in step): a router navigation here
      // could land after a nav link the user just clicked and take them back to Insights — the
      // page writes its default query into the URL as it opens (seen in a fresh-clone e2e run).
      window.history.replaceState(null, '', `${pathname}?${next.toString()}`);
    },
    [params, pathname],
  );
  return { decoded, chartType, options, set };
}
