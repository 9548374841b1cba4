import { describe, expect, it } from 'vitest';
import { compileAskPlan, ZAskPlan, type AskPlan } from './ask-plan';

const base: AskPlan = { metric: 'users', filters: [] };

describe('compileAskPlan', () => {
  it('writes one statement with the period, filters, grain and ranking', () => {
    const { sql, explanation, tables } = compileAskPlan({
      ...base,
      event: 'feature_used',
      filters: [{ column: { table: 'dim_users', column: 'plan' }, values: ['pro', 'enterprise'] }],
      period: { from: '2026-10-01', to: '2026-10-31', label: 'October 2026' },
      breakdown: { table: 'fact_events', column: 'feature_name' },
      order: 'desc',
      limit: 5,
    });
    expect(sql).toBe(
      [
        'select e.feature_name as feature_name, count(distinct e.user_id) as users',
        'from fact_events e join dim_users u using (user_id)',
        "where e.event_name = 'feature_used'",
        '  and e.user_id is not null',
        "  and e.event_date between date '2026-10-01' and date '2026-10-31'",
        "  and u.plan in ('pro', 'enterprise')",
        'group by 1',
        'order by users desc, 1',
        'limit 5',
      ].join('\n'),
    );
    expect(tables).toEqual(['fact_events', 'dim_users']);
    expect(explanation).toContain('in October 2026');
    expect(explanation).toContain('current ones, from dim_users');
  });

  it('counts active users from the daily activity mart when nothing needs an event row', () => {
    const weekly = compileAskPlan({
      ...base,
      grain: 'week',
      breakdown: { table: 'dim_users', column: 'plan' },
      period: { from: '2026-08-01', label: 'since August 2026' },
    });
    expect(weekly.sql).toContain('from fct_user_activity_daily e join dim_users u using (user_id)');
    expect(weekly.tables).toEqual(['fct_user_activity_daily', 'dim_users']);
    // An event, or an event column (platform), needs fact_events.
    expect(compileAskPlan({ ...base, event: 'signed_up' }).sql).toContain('from fact_events e');
    expect(
      compileAskPlan({
        ...base,
        filters: [{ column: { table: 'fact_events', column: 'platform' }, values: ['web'] }],
      }).sql,
    ).toContain('from fact_events e');
  });

  it('dates timestamp tables by a half-open range and buckets them as dates', () => {
    const { sql } = compileAskPlan({
      metric: 'sessions',
      filters: [],
      grain: 'day',
      period: { from: '2026-10-19', to: '2026-11-01', label: 'x' },
    });
    expect(sql).toContain(
      "s.started_at >= timestamp '2026-10-19' and s.started_at < timestamp '2026-11-02'",
    );
    expect(sql).toContain("cast(date_trunc('day', s.started_at) as date) as day");
  });

  it('quotes values: a quote in a value stays inside the literal', () => {
    const { sql } = compileAskPlan({
      ...base,
      filters: [{ column: { table: 'fact_events', column: 'country' }, values: ["x' or 1=1 --"] }],
    });
    expect(sql).toContain("e.country = 'x'' or 1=1 --'");
  });

  it('reads event properties by key, with their event', () => {
    const { sql } = compileAskPlan({
      metric: 'events',
      event: 'report_exported',
      filters: [
        {
          column: {
            table: 'fact_events',
            column: 'properties',
            property: { event: 'report_exported', key: 'format' },
          },
          values: ['pdf'],
        },
      ],
    });
    expect(sql).toContain("json_extract_string(e.properties, '$.format') = 'pdf'");
  });

  it('reads a property from its typed column when the marts carry one', () => {
    const { sql } = compileAskPlan({
      metric: 'events',
      event: 'report_exported',
      filters: [],
      breakdown: {
        table: 'fact_events',
        column: 'export_format',
        property: { event: 'report_exported', key: 'format' },
      },
    });
    expect(sql).toContain('e.export_format');
    expect(sql).not.toContain('json_extract_string');
  });

  it('rejects a plan whose names are not identifiers, or that joins what it cannot', () => {
    expect(
      ZAskPlan.safeParse({
        ...base,
        breakdown: { table: 'fact_events', column: 'plan; drop table x' },
      }).success,
    ).toBe(false);
    expect(() =>
      compileAskPlan({
        ...base,
        breakdown: { table: 'fct_sessions', column: 'platform' },
      }),
    ).toThrow(/cannot be filtered or broken down by columns of fct_sessions/);
  });

  it('computes a share over the users who did the first event', () => {
    const { sql } = compileAskPlan({
      metric: 'share',
      event: 'signed_up',
      thenEvent: 'onboarding_completed',
      filters: [],
      percent: true,
    });
    expect(sql).toMatch(
      /^with a as \(select distinct e\.user_id from fact_events e where e\.event_name = 'signed_up'/,
    );
    expect(sql).toContain("t.event_name = 'onboarding_completed'");
    expect(sql).toContain('100.0 * cast(count(distinct t.user_id) as double)');
  });
});
