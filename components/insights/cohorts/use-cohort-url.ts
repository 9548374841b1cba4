'use client';
// The Cohorts section in the Insights page's URL: `?kind=cohorts` (the list), `&cohort=<id>` (a
// cohort's details), `&cohort=new` (the create form) and `&cohort=<id>&edit=1` (its edit form).
// The insight's own `?q=` stays, so going back to an insight type restores it.
import * as React from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';

export const SECTION_PARAM = 'kind';
export const COHORT_PARAM = 'cohort';
export const EDIT_PARAM = 'edit';
export const COHORTS_SECTION = 'cohorts';
export const NEW_COHORT = 'new';
/** Parameters of the Cohorts section, dropped when an insight is edited. */
export const COHORT_URL_PARAMS = [SECTION_PARAM, COHORT_PARAM, EDIT_PARAM] as const;

export type CohortView =
  | { mode: 'list' }
  | { mode: 'detail'; id: string }
  | { mode: 'edit'; id: string }
  | { mode: 'new' };

/** What the section shows, from its search parameters (null: the section is not open). */
export function cohortViewOf(params: URLSearchParams): CohortView | null {
  if (params.get(SECTION_PARAM) !== COHORTS_SECTION) return null;
  const id = params.get(COHORT_PARAM);
  if (!id) return { mode: 'list' };
  if (id === NEW_COHORT) return { mode: 'new' };
  return params.get(EDIT_PARAM) === '1' ? { mode: 'edit', id } : { mode: 'detail', id };
}

/** Search parameters showing `view` (null: leave the section), every other parameter kept. */
export function withCohortView(
  current: URLSearchParams | string,
  view: CohortView | null,
): URLSearchParams {
  const next = new URLSearchParams(current.toString());
  for (const p of COHORT_URL_PARAMS) next.delete(p);
  if (!view) return next;
  next.set(SECTION_PARAM, COHORTS_SECTION);
  if (view.mode === 'new') next.set(COHORT_PARAM, NEW_COHORT);
  if (view.mode === 'detail' || view.mode === 'edit') next.set(COHORT_PARAM, view.id);
  if (view.mode === 'edit') next.set(EDIT_PARAM, '1');
  return next;
}

export function useCohortUrl() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view = React.useMemo(() => cohortViewOf(params), [params]);
  const go = React.useCallback(
    (next: CohortView | null, opts: { push?: boolean } = {}) => {
      const url = `${pathname}?${withCohortView(params, next).toString()}`;
      if (opts.push) router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [params, pathname, router],
  );
  return { view, go };
}
