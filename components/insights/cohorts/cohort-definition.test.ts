import { describe, expect, it } from 'vitest';
import { ZCohortDefinition } from '@/server/insights/cohorts';
import {
  defaultDefinition,
  describeCondition,
  describeDefinition,
  newCondition,
  withType,
} from './cohort-definition';

describe('cohort definitions in the editor', () => {
  it('starts from a definition the server accepts', () => {
    expect(ZCohortDefinition.safeParse(defaultDefinition('signed_up')).success).toBe(true);
    for (const t of ['performed', 'not_performed', 'property'] as const)
      expect(
        ZCohortDefinition.safeParse({
          match: 'any',
          groups: [{ match: 'all', conditions: [newCondition(t, 'signed_up')] }],
        }).success,
      ).toBe(true);
  });

  it('keeps the event and window when the type changes between behaviours', () => {
    const c = {
      ...newCondition('performed', 'report_exported'),
      window: { from: '2026-01-01', to: '2026-01-31' },
    };
    const next = withType(c, 'not_performed', 'x');
    expect(next).toMatchObject({
      type: 'not_performed',
      event: 'report_exported',
      window: { from: '2026-01-01', to: '2026-01-31' },
    });
    expect(withType(next, 'property', 'x').type).toBe('property');
    expect(withType(newCondition('property', 'x'), 'performed', 'signed_up')).toMatchObject({
      event: 'signed_up',
    });
  });

  it('describes conditions and definitions in words', () => {
    expect(
      describeCondition({
        type: 'performed',
        event: 'report_exported',
        filters: [
          { property: { source: 'event_property', name: 'format' }, op: 'eq', value: 'csv' },
        ],
        operator: 'at_least',
        count: 3,
        window: { last: 2, unit: 'week' },
      }),
    ).toBe('did report_exported where format = csv at least 3 times in the last 2 weeks');
    expect(
      describeCondition({
        type: 'not_performed',
        event: 'signed_up',
        filters: [],
        window: { from: '2026-01-01', to: '2026-02-01' },
      }),
    ).toBe('did not do signed_up between 2026-01-01 and 2026-02-01');
    expect(
      describeDefinition({
        match: 'any',
        groups: [
          {
            match: 'all',
            conditions: [
              newCondition('performed', 'a'),
              {
                type: 'property',
                filter: {
                  property: { source: 'user', name: 'plan' },
                  op: 'in',
                  value: ['pro', 'team'],
                },
              },
            ],
          },
          { match: 'all', conditions: [newCondition('not_performed', 'b')] },
        ],
      }),
    ).toBe(
      '(did a at least 1 time in the last 30 days and user.plan in pro, team) or did not do b in the last 30 days',
    );
  });
});
