import { describe, expect, it } from 'vitest';
import {
  cohortEvents,
  cohortUsersSql,
  compileCohortSizes,
  windowBounds,
  ZCohortDefinition,
  type CohortDefinitionInput,
} from './cohorts';
import { duckdbDialect, Params, trinoDialect } from './dialect';

const parse = (d: CohortDefinitionInput) => ZCohortDefinition.parse(d);
const asOf = '2026-10-17';
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

// Power users who export, never hit an error lately, on a paid plan — or anyone invited 3+.
const definition = parse({
  match: 'any',
  groups: [
    {
      conditions: [
        {
          type: 'performed',
          event: 'report_exported',
          filters: [
            { property: { source: 'event_property', name: 'format' }, op: 'eq', value: 'csv' },
          ],
          count: 3,
          window: { last: 30, unit: 'day' },
        },
        { type: 'not_performed', event: 'error_occurred', window: { last: 2, unit: 'week' } },
        {
          type: 'property',
          filter: {
            property: { source: 'user', name: 'plan' },
            op: 'in',
            value: ['pro', 'enterprise'],
          },
        },
      ],
    },
    {
      conditions: [
        {
          type: 'performed',
          event: 'teammate_invited',
          operator: 'at_least',
          count: 3,
          window: { from: '2026-09-01', to: '2026-12-31' },
        },
      ],
    },
  ],
});

describe('windowBounds', () => {
  // Protects the documented meaning of relative windows: they end with the asOf day, inclusive.
  it('ends relative windows with the asOf day and clips absolute ones to it', () => {
    expect(windowBounds({ last: 7, unit: 'day' }, asOf)).toEqual({
      start: '2026-10-11T00:00:00.000Z',
      end: '2026-10-18T00:00:00.000Z',
    });
    expect(windowBounds({ last: 2, unit: 'week' }, asOf).start).toBe('2026-10-04T00:00:00.000Z');
    expect(windowBounds({ last: 1, unit: 'month' }, asOf).start).toBe('2026-09-18T00:00:00.000Z');
    expect(windowBounds({ from: '2026-09-01', to: '2026-12-31' }, asOf)).toEqual({
      start: '2026-09-01T00:00:00.000Z',
      end: '2026-10-18T00:00:00.000Z',
    });
    // A window entirely after asOf is empty, never reversed.
    const later = windowBounds({ from: '2026-11-01', to: '2026-11-30' }, asOf);
    expect(later.start).toBe(later.end);
  });
});

describe('cohortUsersSql', () => {
  // Protects the shape: members of dim_users first seen by asOf, one semi-join per behavioural
  // condition (never a join that multiplies users), property conditions on dim_users, groups
  // combined with their match; every value bound in textual order.
  it('compiles groups of behavioural and property conditions for DuckDB', () => {
    const params = new Params(duckdbDialect);
    const sql = cohortUsersSql(definition, params, duckdbDialect, { asOf });
    expect(sql).toMatchInlineSnapshot(
      `
      "select u.user_id from dim_users as u
        where u.first_seen < cast($1 as timestamp with time zone)
          and ((u.user_id in (select e.user_id from fact_events as e where e.event_name = $2 and e.ts >= cast($3 as timestamp with time zone) and e.ts < cast($4 as timestamp with time zone) and e.user_id is not null and cast(json_extract_string(e.properties, $5) as varchar) = $6 group by e.user_id having count(*) >= 3)
          and u.user_id not in (select e.user_id from fact_events as e where e.event_name = $7 and e.ts >= cast($8 as timestamp with time zone) and e.ts < cast($9 as timestamp with time zone) and e.user_id is not null group by e.user_id)
          and coalesce(cast(u.plan as varchar) in ($10, $11), false))
          or u.user_id in (select e.user_id from fact_events as e where e.event_name = $12 and e.ts >= cast($13 as timestamp with time zone) and e.ts < cast($14 as timestamp with time zone) and e.user_id is not null group by e.user_id having count(*) >= 3))"
    `,
    );
    expect(params.values).toEqual([
      '2026-10-18T00:00:00.000Z',
      'report_exported',
      '2026-09-18T00:00:00.000Z',
      '2026-10-18T00:00:00.000Z',
      '$."format"',
      'csv',
      'error_occurred',
      '2026-10-04T00:00:00.000Z',
      '2026-10-18T00:00:00.000Z',
      'pro',
      'enterprise',
      'teammate_invited',
      '2026-09-01T00:00:00.000Z',
      '2026-10-18T00:00:00.000Z',
    ]);
  });

  // Protects the Trino boundary: positional placeholders, one per bound value.
  it('compiles for Trino with one placeholder per value', () => {
    const params = new Params(trinoDialect);
    const sql = cohortUsersSql(definition, params, trinoDialect, { asOf });
    expect(sql).toMatchInlineSnapshot(
      `
      "select u.user_id from dim_users as u
        where u.first_seen < from_iso8601_timestamp(?)
          and ((u.user_id in (select e.user_id from fact_events as e where e.event_name = ? and e.ts >= from_iso8601_timestamp(?) and e.ts < from_iso8601_timestamp(?) and e.user_id is not null and cast(json_extract_scalar(e.properties, ?) as varchar) = ? group by e.user_id having count(*) >= 3)
          and u.user_id not in (select e.user_id from fact_events as e where e.event_name = ? and e.ts >= from_iso8601_timestamp(?) and e.ts < from_iso8601_timestamp(?) and e.user_id is not null group by e.user_id)
          and coalesce(cast(u.plan as varchar) in (?, ?), false))
          or u.user_id in (select e.user_id from fact_events as e where e.event_name = ? and e.ts >= from_iso8601_timestamp(?) and e.ts < from_iso8601_timestamp(?) and e.user_id is not null group by e.user_id having count(*) >= 3))"
    `,
    );
    expect(sql).not.toMatch(/\$\d/);
    expect(placeholders(sql)).toBe(params.values.length);
  });

  // Protects the operators: "at most" and "exactly 0" include users who never did the event.
  it('turns each operator into the right semi-join or anti-join', () => {
    const one = (operator: 'at_least' | 'at_most' | 'exactly', count: number) =>
      cohortUsersSql(
        parse({
          groups: [
            {
              conditions: [
                {
                  type: 'performed',
                  event: 'x',
                  operator,
                  count,
                  window: { last: 1, unit: 'day' },
                },
              ],
            },
          ],
        }),
        new Params(duckdbDialect),
        duckdbDialect,
        { asOf },
      );
    expect(one('at_least', 2)).toContain('u.user_id in (select');
    expect(one('at_least', 2)).toContain('having count(*) >= 2');
    expect(one('at_least', 0)).toMatch(/and true$/);
    expect(one('at_most', 2)).toContain('u.user_id not in (select');
    expect(one('at_most', 2)).toContain('having count(*) > 2');
    expect(one('exactly', 2)).toContain('having count(*) = 2');
    expect(one('exactly', 0)).toContain('u.user_id not in (select');
    expect(one('exactly', 0)).not.toContain('having');
  });
});

describe('compileCohortSizes', () => {
  // Protects size over time: one evaluation per day, each with its own horizon and windows.
  it('counts members as of each day in one statement', () => {
    const { sql, params } = compileCohortSizes(
      parse({
        groups: [
          { conditions: [{ type: 'performed', event: 'x', window: { last: 1, unit: 'day' } }] },
        ],
      }),
      ['2026-10-01', '2026-10-02'],
      trinoDialect,
    );
    expect(sql.match(/union all/g)).toHaveLength(1);
    expect(placeholders(sql)).toBe(params.length);
    expect(params).toEqual([
      '2026-10-02T00:00:00.000Z',
      'x',
      '2026-10-01T00:00:00.000Z',
      '2026-10-02T00:00:00.000Z',
      '2026-10-03T00:00:00.000Z',
      'x',
      '2026-10-02T00:00:00.000Z',
      '2026-10-03T00:00:00.000Z',
    ]);
  });
});

describe('ZCohortDefinition', () => {
  it('refuses user filters on events, event properties as conditions and empty groups', () => {
    const issues = (d: unknown) => {
      const r = ZCohortDefinition.safeParse(d);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(
      issues({
        groups: [
          {
            conditions: [
              {
                type: 'performed',
                event: 'x',
                window: { last: 1, unit: 'day' },
                filters: [{ property: { source: 'user', name: 'plan' }, op: 'eq', value: 'pro' }],
              },
            ],
          },
        ],
      }),
    ).toEqual([expect.stringMatching(/"property" condition/)]);
    expect(
      issues({
        groups: [
          {
            conditions: [
              {
                type: 'property',
                filter: { property: { source: 'event', name: 'platform' }, op: 'eq', value: 'web' },
              },
            ],
          },
        ],
      }),
    ).toEqual([expect.stringMatching(/source "user"/)]);
    expect(issues({ groups: [] })).toHaveLength(1);
    expect(
      issues({
        groups: [
          {
            conditions: [
              {
                type: 'not_performed',
                event: 'x',
                window: { from: '2026-10-02', to: '2026-10-01' },
              },
            ],
          },
        ],
      }),
    ).not.toEqual([]);
    expect(cohortEvents(definition)).toEqual([
      'report_exported',
      'error_occurred',
      'teammate_invited',
    ]);
  });
});
