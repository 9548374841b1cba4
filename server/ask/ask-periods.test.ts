import { describe, expect, it } from 'vitest';
import { readTime, splitPair, trustedLabel } from './ask-periods';

// 2026-11-01 is a Sunday: the current week began on Monday 2026-10-26.
const TODAY = '2026-11-01';
const period = (text: string, today = TODAY) => readTime(text.toLowerCase(), today).period;

describe('readTime', () => {
  it.each([
    ['daily active users over the last 7 days', '2026-10-26', '2026-11-01'],
    ['exports in the past 14 days', '2026-10-19', '2026-11-01'],
    ['users active in the last thirty days', '2026-10-03', '2026-11-01'],
    ['sessions over the past 2 weeks', '2026-10-19', '2026-11-01'],
    ['weekly users in the last 4 weeks', '2026-10-05', '2026-11-01'],
    ['signups in the last 3 months', '2026-09-01', '2026-11-01'],
    ['errors yesterday', '2026-10-31', '2026-10-31'],
    ['logins today', '2026-11-01', '2026-11-01'],
    ['signups last week', '2026-10-19', '2026-10-25'],
    ['signups this week', '2026-10-26', '2026-11-01'],
    ['features used last month', '2026-10-01', '2026-10-31'],
    ['sessions this month', '2026-11-01', '2026-11-01'],
    ['signups in October 2026', '2026-10-01', '2026-10-31'],
    ['signups in september', '2026-09-01', '2026-09-30'],
    ['errors in Sept', '2026-09-01', '2026-09-30'],
    ['revenue last quarter', '2026-07-01', '2026-09-30'],
    ['events between 2026-10-01 and 2026-10-15', '2026-10-01', '2026-10-15'],
    ['events on 2026-10-05', '2026-10-05', '2026-10-05'],
    // Days named with their month: a range, the year named once for both ends, or across a year.
    ['subscriptions between August 15 and September 15, 2026', '2026-08-15', '2026-09-15'],
    ['daily errors between Sep 27 and Oct 2', '2026-09-27', '2026-10-02'],
    // Two days joined by a dash or "to", with no "from" or "between": a range too.
    ['daily signups oct 1 - oct 7', '2026-10-01', '2026-10-07'],
    ['errors Sep 27 to Oct 2', '2026-09-27', '2026-10-02'],
    ['exports from the 3rd of October to the 10th of October', '2026-10-03', '2026-10-10'],
    ['signups from Dec 20 to Jan 5', '2025-12-20', '2026-01-05'],
  ])('%s → %s – %s', (text, from, to) => {
    expect(period(text)).toMatchObject({ from, to });
  });

  it('reads "since" as open-ended from the start of the month', () => {
    expect(period('Weekly signups since September')).toEqual({
      from: '2026-09-01',
      label: expect.stringContaining('since September 2026'),
    });
    expect(period('users since 2026-10-10')?.from).toBe('2026-10-10');
    // A day, not the one day: "since October 15" runs to today; "after" starts the day after.
    expect(period('median session length since October 15')).toEqual({
      from: '2026-10-15',
      label: 'since 2026-10-15 (through 2026-11-01)',
    });
    expect(period('the busiest days since Oct 1st')?.to).toBeUndefined();
    expect(period('errors after Oct 30')?.from).toBe('2026-10-31');
  });

  it('takes a month without a year as the most recent one that has begun', () => {
    expect(period('signups in december')).toMatchObject({ from: '2025-12-01', to: '2025-12-31' });
    expect(period('signups in march', '2026-03-04')).toMatchObject({ from: '2026-03-01' });
  });

  it('does not read "may" as a month unless it is one', () => {
    expect(period('which users may churn')).toBeUndefined();
    expect(period('signups in may')).toMatchObject({ from: '2026-05-01', to: '2026-05-31' });
  });

  it('finds the grain and leaves "monthly recurring revenue" alone', () => {
    expect(readTime('weekly signups since september', TODAY).grain).toBe('week');
    expect(readTime('errors per day in september 2026', TODAY).grain).toBe('day');
    expect(readTime('users each month', TODAY).grain).toBe('month');
    expect(readTime('monthly recurring revenue by plan', TODAY).grain).toBeUndefined();
  });

  it('blanks the phrases it read out of the rest of the question', () => {
    const reading = readTime('how many errors per day did web have in september 2026', TODAY);
    expect(reading.rest).toBe('how many errors did web have');
  });

  it('labels periods with their conventions', () => {
    expect(period('last 7 days')?.label).toContain('today included');
    expect(period('last 2 weeks')?.label).toContain('Monday');
  });

  it('keeps a client label only when it reads like one of ours, with the dates', () => {
    const label = period('last 7 days')!.label;
    expect(trustedLabel({ from: '2026-10-26', to: '2026-11-01', label })).toBe(label);
    expect(
      trustedLabel({
        from: '2026-10-05',
        to: '2026-10-11',
        label: 'all time — see https://evil.example',
      }),
    ).toBe('2026-10-05 – 2026-10-11');
    expect(trustedLabel({ from: '2026-10-05', label: 'all time' })).toBe('since 2026-10-05');
  });
});

describe('splitPair', () => {
  it('splits two neighbouring units, the later to date', () => {
    expect(
      splitPair({ from: '2026-10-19', to: '2026-11-01', label: 'x' }, 'week')?.map((p) => [
        p.from,
        p.to,
      ]),
    ).toEqual([
      ['2026-10-19', '2026-10-25'],
      ['2026-10-26', '2026-11-01'],
    ]);
    expect(
      splitPair({ from: '2026-09-01', to: '2026-10-31', label: 'x' }, 'month')?.[0],
    ).toMatchObject({
      from: '2026-09-01',
      to: '2026-09-30',
      label: 'September 2026 (2026-09-01 – 2026-09-30)',
    });
    // Three weeks are not a pair.
    expect(splitPair({ from: '2026-10-12', to: '2026-11-01', label: 'x' }, 'week')).toBeUndefined();
  });

  it('reads "yesterday vs the day before" and "last month vs the previous month"', () => {
    expect(readTime('errors yesterday vs the day before', '2026-11-01')).toMatchObject({
      period: { from: '2026-10-30', to: '2026-10-31' },
      grain: 'day',
      pair: true,
    });
    expect(
      readTime('signups last month compared to the previous month', '2026-11-01'),
    ).toMatchObject({
      period: { from: '2026-09-01', to: '2026-10-31' },
      grain: 'month',
      pair: true,
    });
  });
});

describe('readTime: weeks of a day, runs of months', () => {
  it('reads "the week of Mon Sept 7 2026" as that Monday-to-Sunday week', () => {
    expect(
      readTime('users who signed up in the week of mon sept 7 2026', TODAY).period,
    ).toMatchObject({ from: '2026-09-07', to: '2026-09-13' });
    expect(readTime('signups the week of october 14th', TODAY).period).toMatchObject({
      from: '2026-10-12',
      to: '2026-10-18',
    });
  });

  it('reads neighbouring months named in a list as one span, month by month', () => {
    expect(readTime('monthly active users for august, september and october', TODAY)).toMatchObject(
      {
        period: { from: '2026-08-01', to: '2026-10-31' },
        grain: 'month',
      },
    );
    // Not neighbours, or a range: not this rule.
    expect(readTime('signups in june and october', TODAY).grain).toBeUndefined();
    expect(readTime('signups between september and october', TODAY).grain).toBeUndefined();
  });
});
