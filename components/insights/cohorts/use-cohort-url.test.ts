import { describe, expect, it } from 'vitest';
import { cohortViewOf, withCohortView } from './use-cohort-url';

describe('the Cohorts section in the URL', () => {
  it('reads the list, a cohort, its edit form and the create form', () => {
    const of = (s: string) => cohortViewOf(new URLSearchParams(s));
    expect(of('q=%7B%7D')).toBeNull();
    expect(of('kind=cohorts')).toEqual({ mode: 'list' });
    expect(of('kind=cohorts&cohort=c1')).toEqual({ mode: 'detail', id: 'c1' });
    expect(of('kind=cohorts&cohort=c1&edit=1')).toEqual({ mode: 'edit', id: 'c1' });
    expect(of('kind=cohorts&cohort=new')).toEqual({ mode: 'new' });
  });

  it('writes a view keeping the insight, and leaves the section cleanly', () => {
    const base = 'q=abc&chart=line&kind=cohorts&cohort=c1&edit=1';
    expect(withCohortView(base, { mode: 'detail', id: 'c2' }).toString()).toBe(
      'q=abc&chart=line&kind=cohorts&cohort=c2',
    );
    expect(withCohortView(base, { mode: 'new' }).toString()).toBe(
      'q=abc&chart=line&kind=cohorts&cohort=new',
    );
    expect(withCohortView(base, null).toString()).toBe('q=abc&chart=line');
  });
});
