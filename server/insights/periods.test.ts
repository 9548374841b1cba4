import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';
import { nextDay, periodOfDay, periodSpan, periodStart, periodStartDay } from './periods';

describe('period numbers', () => {
  // Protects the contract with SqlDialect.periodNumber: day 0 is 1970-01-01, week 0 starts on
  // Monday 1969-12-29, month 0 is January 1970; consecutive periods have consecutive numbers.
  it('numbers days, Monday-weeks and months from 1970', () => {
    expect(periodOfDay('day', '1970-01-01')).toBe(0);
    expect(periodOfDay('day', '2026-10-01')).toBe(20727);
    expect(periodOfDay('week', '1970-01-04')).toBe(0);
    expect(periodOfDay('week', '1970-01-05')).toBe(1);
    expect(periodOfDay('month', '1970-01-31')).toBe(0);
    expect(periodOfDay('month', '2026-10-17')).toBe((2026 - 1970) * 12 + 9);
  });

  it('maps numbers back to period starts (weeks on Monday, months on the 1st)', () => {
    // 2026-10-01 is a Thursday.
    expect(periodStartDay('week', periodOfDay('week', '2026-10-01'))).toBe('2026-09-28');
    expect(periodStartDay('week', periodOfDay('week', '2026-09-28'))).toBe('2026-09-28');
    expect(periodStartDay('week', periodOfDay('week', '2026-10-04'))).toBe('2026-09-28');
    expect(periodStartDay('month', periodOfDay('month', '2026-12-31') + 1)).toBe('2027-01-01');
    expect(periodStart('day', periodOfDay('day', '2026-02-28') + 1)).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    for (const day of ['2024-02-29', '2026-01-01', '2026-06-15', '2026-12-31'])
      for (const unit of ['day', 'week', 'month'] as const)
        expect(
          periodOfDay(unit, periodStartDay(unit, periodOfDay(unit, day))),
          `${unit} ${day}`,
        ).toBe(periodOfDay(unit, day));
  });

  it('spans the periods a range touches and steps to the next day', () => {
    expect(periodSpan({ from: '2026-10-01', to: '2026-10-14' }, 'week')).toEqual({
      first: periodOfDay('week', '2026-09-28'),
      last: periodOfDay('week', '2026-10-12'),
    });
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  // Protects the engines' expressions: integer epoch arithmetic on DuckDB (no ICU calendar),
  // date_diff from the Monday of week 0 on Trino.
  it('compiles to integer arithmetic per dialect', () => {
    expect(duckdbDialect.periodNumber('week', 'e.event_date')).toBe(
      '(((epoch_us(e.event_date) // 86400000000) + 3) // 7)',
    );
    expect(duckdbDialect.periodNumber('month', 'x')).not.toContain('date_trunc');
    expect(trinoDialect.periodNumber('week', 'x')).toBe(
      "date_diff('week', DATE '1969-12-29', cast(x as date))",
    );
    expect(trinoDialect.periodNumber('month', 'x')).toBe(
      "date_diff('month', DATE '1970-01-01', cast(x as date))",
    );
  });
});
