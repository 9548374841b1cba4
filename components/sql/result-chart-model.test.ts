import { describe, expect, it } from 'vitest';
import {
  chartNotes,
  chartProblem,
  OTHER_SERIES_KEY,
  rightAxisSeries,
  suggestChart,
  toChartData,
  toChartNumber,
  validateChartConfig,
  ZSqlChartConfig,
  type SqlChartColumn,
  type SqlChartConfig,
} from './result-chart-model';

const col = (name: string, type: string): SqlChartColumn => ({ name, type });
const DAY = col('day', 'date');
const COUNTRY = col('country', 'string');
const DEVICE = col('device', 'string');
const EVENTS = col('events', 'integer');
const REVENUE = col('revenue', 'decimal');

describe('SQL result charts: suggestions', () => {
  it('suggests a big number for a single row', () => {
    expect(suggestChart([COUNTRY, EVENTS], [['NL', 12]])).toEqual({
      type: 'number',
      y: ['events'],
    });
  });

  it('suggests a line over time of every numeric column, or one line per text value in long format', () => {
    const wide = [
      ['2026-04-02', 'NL', 3, '1.5'],
      ['2026-04-01', 'DE', 4, '2.5'],
    ];
    expect(suggestChart([DAY, COUNTRY, EVENTS, REVENUE], wide)).toEqual({
      type: 'line',
      x: 'day',
      y: ['events', 'revenue'],
    });
    const long = [
      ['2026-04-01', 'NL', 3, 1],
      ['2026-04-01', 'DE', 4, 2],
    ];
    expect(suggestChart([DAY, COUNTRY, EVENTS, REVENUE], long)).toEqual({
      type: 'line',
      x: 'day',
      y: ['events'],
      series: 'country',
    });
  });

  it('suggests bars by a text column, split by a second text column when the first repeats', () => {
    expect(
      suggestChart(
        [COUNTRY, EVENTS],
        [
          ['NL', 1],
          ['DE', 2],
        ],
      ),
    ).toEqual({ type: 'bar', x: 'country', y: ['events'] });
    expect(
      suggestChart(
        [COUNTRY, DEVICE, EVENTS],
        [
          ['NL', 'ios', 1],
          ['NL', 'web', 2],
        ],
      ),
    ).toEqual({ type: 'bar', x: 'country', y: ['events'], series: 'device' });
  });

  it('suggests a scatter for numbers only, a line when the first one increases, bars for one', () => {
    const cols = [col('duration', 'float'), EVENTS];
    expect(
      suggestChart(cols, [
        [3.5, 1],
        [1.25, 2],
      ]),
    ).toEqual({ type: 'scatter', x: 'duration', y: ['events'] });
    expect(
      suggestChart(
        [col('hour', 'integer'), EVENTS],
        [
          [0, 5],
          ['1', 7],
          [2, 9],
        ],
      ),
    ).toEqual({ type: 'line', x: 'hour', y: ['events'] });
    expect(suggestChart([EVENTS], [[1], [2]])).toEqual({ type: 'bar', y: ['events'] });
    // Whole-number keys ranked (the busiest hours): bars by key, not a scatter of two measures.
    expect(
      suggestChart(
        [col('hour_of_day', 'integer'), EVENTS],
        [
          [15, 1211],
          [14, 1107],
          [16, 1085],
        ],
      ),
    ).toEqual({ type: 'bar', x: 'hour_of_day', y: ['events'] });
    // A repeated whole number is a measure, not a key.
    expect(
      suggestChart(
        [col('sessions', 'integer'), EVENTS],
        [
          [3, 10],
          [1, 12],
          [3, 9],
        ],
      ),
    ).toEqual({ type: 'scatter', x: 'sessions', y: ['events'] });
  });

  it('suggests nothing, with a reason, when there is no number or no row', () => {
    const text = [COUNTRY, col('seen_at', 'timestamp')];
    expect(suggestChart(text, [['NL', '2026-04-01T10:00:00.000Z']])).toBeNull();
    expect(chartProblem(text, [['NL', '2026-04-01T10:00:00.000Z']])).toMatch(/no numeric column/);
    expect(suggestChart([EVENTS], [])).toBeNull();
    expect(chartProblem([EVENTS], [])).toMatch(/no rows/);
    expect(chartProblem([EVENTS], [[1]])).toBeNull();
  });
});

describe('SQL result charts: validation', () => {
  const columns = [DAY, COUNTRY, EVENTS, REVENUE, col('tags', 'list')];

  it('accepts a drawable config', () => {
    expect(
      validateChartConfig({ type: 'line', x: 'day', y: ['events', 'revenue'] }, columns),
    ).toBeNull();
    expect(validateChartConfig({ type: 'number', x: 'gone', y: ['events'] }, columns)).toBeNull();
    expect(validateChartConfig({ type: 'bar', y: ['events'] }, columns)).toBeNull();
  });

  it('explains schema problems precisely', () => {
    expect(validateChartConfig({ type: 'pie', y: ['events'] }, columns)).toBe(
      'Chart type must be one of line, bar, area, scatter or number',
    );
    expect(validateChartConfig({ type: 'line', x: 'day', y: [] }, columns)).toBe(
      'Pick at least one y column',
    );
    expect(
      validateChartConfig(
        { type: 'line', y: Array.from({ length: 11 }, (_, i) => `c${i}`) },
        columns,
      ),
    ).toBe('Pick at most 10 y columns');
    expect(validateChartConfig({ type: 'scatter', y: ['events'] }, columns)).toBe(
      'A scatter chart needs an x column',
    );
    expect(validateChartConfig({ type: 'line', x: 'events', y: ['events'] }, columns)).toBe(
      'Column events cannot be both x and y',
    );
    expect(validateChartConfig({ type: 'bar', y: ['events', 'events'] }, columns)).toBe(
      'Column events is picked twice as y',
    );
    expect(
      validateChartConfig(
        { type: 'line', x: 'day', y: ['events', 'revenue'], series: 'country' },
        columns,
      ),
    ).toMatch(/^With a series column, pick exactly one y column/);
    expect(
      validateChartConfig({ type: 'line', x: 'day', y: ['events'], series: 'day' }, columns),
    ).toBe('Column day cannot be both x and the series column');
    expect(
      ZSqlChartConfig.safeParse({ type: 'line', x: '', y: ['events'] }).error?.issues[0],
    ).toMatchObject({ path: ['x'], message: 'x must be a column name, not empty' });
  });

  it('names missing columns and columns of the wrong type', () => {
    expect(validateChartConfig({ type: 'line', x: 'day', y: ['profit'] }, columns)).toBe(
      'Column profit is not in the result any more',
    );
    expect(validateChartConfig({ type: 'line', x: 'week', y: ['events'] }, columns)).toBe(
      'Column week is not in the result any more',
    );
    expect(validateChartConfig({ type: 'bar', x: 'day', y: ['country'] }, columns)).toBe(
      'y must be numeric: country is text',
    );
    expect(validateChartConfig({ type: 'bar', x: 'day', y: ['day'] }, columns)).toBe(
      'Column day cannot be both x and y',
    );
    expect(validateChartConfig({ type: 'line', x: 'country', y: ['day'] }, columns)).toBe(
      'y must be numeric: day is a date',
    );
    expect(validateChartConfig({ type: 'scatter', x: 'country', y: ['events'] }, columns)).toBe(
      'x of a scatter chart must be numeric or a date: country is text',
    );
    expect(validateChartConfig({ type: 'bar', x: 'tags', y: ['events'] }, columns)).toBe(
      'x cannot be tags: a list column cannot go on an axis',
    );
    expect(
      validateChartConfig({ type: 'bar', x: 'day', y: ['events'], series: 'region' }, columns),
    ).toBe('Column region is not in the result any more');
  });
});

describe('SQL result charts: data', () => {
  it('coerces numeric-looking strings (big integers, decimals) and drops what is not a number', () => {
    expect(toChartNumber('9007199254740993')).toBe(9007199254740992);
    expect(toChartNumber('-12.50')).toBe(-12.5);
    expect(toChartNumber('1e3')).toBe(1000);
    expect(toChartNumber(7n)).toBe(7);
    expect(toChartNumber('NaN')).toBeNull();
    expect(toChartNumber('Infinity')).toBeNull();
    expect(toChartNumber('12 apples')).toBeNull();
    expect(toChartNumber('')).toBeNull();
    expect(toChartNumber(true)).toBeNull();
    expect(toChartNumber(null)).toBeNull();

    const chart = toChartData(
      { type: 'bar', x: 'country', y: ['events', 'revenue'] },
      [COUNTRY, EVENTS, REVENUE],
      [
        ['NL', '18446744073709551615', '12.25'],
        ['DE', 3, 'NaN'],
      ],
    );
    expect(chart.data).toEqual([
      { x: 'NL', s0: 18446744073709551615, s1: 12.25 },
      { x: 'DE', s0: 3, s1: null },
    ]);
    expect(chart.series.map((s) => [s.key, s.label, s.total])).toEqual([
      ['s0', 'events', 18446744073709551615 + 3],
      ['s1', 'revenue', 12.25],
    ]);
    expect(chart.stacked).toBe(false);
  });

  it('sorts a line over time and keeps the query order of bars by text', () => {
    const rows = [
      ['2026-04-03', 'c', 3],
      ['2026-04-01', 'a', 1],
      ['2026-04-02', 'b', 2],
    ];
    const line = toChartData(
      { type: 'line', x: 'day', y: ['events'] },
      [DAY, COUNTRY, EVENTS],
      rows,
    );
    expect(line.xKind).toBe('time');
    expect(line.xDaysOnly).toBe(true);
    expect(line.data.map((r) => r.x)).toEqual(['2026-04-01', '2026-04-02', '2026-04-03']);
    expect(line.data.map((r) => r.s0)).toEqual([1, 2, 3]);
    const bar = toChartData(
      { type: 'bar', x: 'country', y: ['events'] },
      [DAY, COUNTRY, EVENTS],
      rows,
    );
    expect(bar.data.map((r) => r.x)).toEqual(['c', 'a', 'b']);
  });

  it('sorts numeric x (big integers as strings too) numerically, not as text', () => {
    const chart = toChartData(
      { type: 'area', x: 'bucket', y: ['events'] },
      [col('bucket', 'integer'), EVENTS],
      [
        ['10', 1],
        [9, 2],
        [100, 3],
      ],
    );
    expect(chart.xKind).toBe('number');
    expect(chart.data.map((r) => r.x)).toEqual([9, 10, 100]);
  });

  it('sorts timestamps by instant and tells days from times', () => {
    const chart = toChartData(
      { type: 'line', x: 'at', y: ['events'] },
      [col('at', 'timestamp'), EVENTS],
      [
        ['2026-04-01T12:30:00.000Z', 2],
        ['2026-04-01T09:00:00.000Z', 1],
        ['infinity', 9],
        [null, 9],
      ],
    );
    expect(chart.data).toEqual([
      { x: '2026-04-01T09:00:00.000Z', s0: 1 },
      { x: '2026-04-01T12:30:00.000Z', s0: 2 },
    ]);
    expect(chart.xDaysOnly).toBe(false);
    expect(chart.droppedRows).toBe(2);
  });

  it('pivots long format into one series per value, missing combinations null', () => {
    const chart = toChartData(
      { type: 'area', x: 'day', y: ['events'], series: 'country' },
      [DAY, COUNTRY, EVENTS],
      [
        ['2026-04-02', 'NL', 5],
        ['2026-04-01', 'NL', 1],
        ['2026-04-01', 'DE', 10],
        ['2026-04-02', null, 2],
      ],
    );
    expect(chart.series.map((s) => [s.key, s.label, s.total])).toEqual([
      ['s0', 'DE', 10],
      ['s1', 'NL', 6],
      ['s2', '(null)', 2],
    ]);
    expect(chart.data).toEqual([
      { x: '2026-04-01', s0: 10, s1: 1, s2: null },
      { x: '2026-04-02', s0: null, s1: 5, s2: 2 },
    ]);
    expect(chart.stacked).toBe(true);
    expect(chart.truncatedSeries).toBeUndefined();
  });

  it('keeps the top 10 series by total and sums the rest into Other', () => {
    // 13 countries c0…c12 with totals 13…1 over two days; c10, c11, c12 become Other.
    const rows: unknown[][] = [];
    for (let i = 0; i < 13; i++) {
      rows.push(['2026-04-01', `c${i}`, 13 - i]);
      rows.push(['2026-04-02', `c${i}`, 0]);
    }
    rows.reverse(); // ranking is by total, not by row order
    const config: SqlChartConfig = { type: 'line', x: 'day', y: ['events'], series: 'country' };
    const chart = toChartData(config, [DAY, COUNTRY, EVENTS], rows);
    expect(chart.series).toHaveLength(11);
    expect(chart.series.slice(0, 10).map((s) => s.label)).toEqual(
      Array.from({ length: 10 }, (_, i) => `c${i}`),
    );
    expect(chart.series[10]).toMatchObject({ key: OTHER_SERIES_KEY, label: 'Other', total: 6 });
    expect(chart.truncatedSeries).toBe(3);
    expect(chart.data[0]).toMatchObject({ x: '2026-04-01', s0: 13, s9: 4, other: 3 + 2 + 1 });
    expect(chart.data[1]).toMatchObject({ x: '2026-04-02', other: 0 });
    expect(chart.mergedRows).toBeUndefined();
    expect(chartNotes(chart, config)).toEqual([
      '3 more values of country are summed into “Other”.',
    ]);
  });

  it('sums rows that repeat an x value and says so', () => {
    const chart = toChartData(
      { type: 'bar', x: 'country', y: ['events'] },
      [COUNTRY, EVENTS],
      [
        ['NL', 1],
        ['DE', 2],
        ['NL', 4],
        ['NL', null],
      ],
    );
    expect(chart.data).toEqual([
      { x: 'NL', s0: 5 },
      { x: 'DE', s0: 2 },
    ]);
    expect(chart.mergedRows).toBe(2);
  });

  it('caps the points to the first ones in x order and reports it', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [29 - i, i]);
    const config: SqlChartConfig = { type: 'line', x: 'n', y: ['events'] };
    const chart = toChartData(config, [col('n', 'integer'), EVENTS], rows, { maxPoints: 10 });
    expect(chart.data).toHaveLength(10);
    expect(chart.data[0]).toEqual({ x: 0, s0: 29 });
    expect(chart.totalPoints).toBe(30);
    expect(chart.truncatedPoints).toBe(20);
    expect(chartNotes(chart, config)).toEqual(['Showing the first 10 of 30 points.']);
    const all = toChartData(config, [col('n', 'integer'), EVENTS], rows);
    expect(all.data).toHaveLength(30);
    expect(all.truncatedPoints).toBeUndefined();
  });

  it('draws scatter points per row, by series, with time x as epoch milliseconds', () => {
    const chart = toChartData(
      { type: 'scatter', x: 'day', y: ['events'], series: 'country' },
      [DAY, COUNTRY, EVENTS],
      [
        ['2026-04-01', 'NL', 1],
        ['2026-04-01', 'NL', 2],
        ['2026-04-02', 'DE', 7],
      ],
    );
    expect(chart.data).toEqual([
      { x: Date.UTC(2026, 3, 1), s1: 1 },
      { x: Date.UTC(2026, 3, 1), s1: 2 },
      { x: Date.UTC(2026, 3, 2), s0: 7 },
    ]);
    expect(chart.series.map((s) => s.label)).toEqual(['DE', 'NL']);
    expect(chart.mergedRows).toBeUndefined();
    expect(chart.stacked).toBe(false);
  });

  it('uses the row number without an x column', () => {
    const chart = toChartData({ type: 'bar', y: ['events'] }, [EVENTS], [[4], [4]]);
    expect(chart.xKind).toBe('row');
    expect(chart.data).toEqual([
      { x: 1, s0: 4 },
      { x: 2, s0: 4 },
    ]);
  });

  it('shows the first y of the first row as a number', () => {
    expect(
      toChartData(
        { type: 'number', y: ['revenue'] },
        [EVENTS, REVENUE],
        [
          [1, '1234.5'],
          [2, 99],
        ],
      ).value,
    ).toBe(1234.5);
    expect(toChartData({ type: 'number', y: ['events'] }, [EVENTS], [[null]]).value).toBeNull();
  });

  it('returns the problem instead of data for an invalid config or no rows', () => {
    expect(
      toChartData({ type: 'line', x: 'day', y: ['gone'] }, [DAY, EVENTS], [['2026-04-01', 1]]),
    ).toMatchObject({ data: [], problem: 'Column gone is not in the result any more' });
    expect(toChartData({ type: 'line', x: 'day', y: ['events'] }, [DAY, EVENTS], [])).toMatchObject(
      { data: [], problem: expect.stringMatching(/no rows/) },
    );
  });
});

describe('SQL result charts: two figures side by side', () => {
  it('suggests a bar per number for one row with several numbers', () => {
    const a = col('events_2026_10_12', 'integer');
    const b = col('events_2026_10_19', 'integer');
    expect(suggestChart([a, b], [[14, 9]])).toEqual({
      type: 'bar',
      y: ['events_2026_10_12', 'events_2026_10_19'],
    });
    expect(suggestChart([COUNTRY, EVENTS, REVENUE], [['NL', 3, '1.5']])).toEqual({
      type: 'bar',
      x: 'country',
      y: ['events', 'revenue'],
    });
  });

  it('puts a series ten times smaller than the other on a right-hand axis', () => {
    const columns = [DAY, col('sessions', 'integer'), col('avg_minutes', 'float')];
    const config: SqlChartConfig = { type: 'line', x: 'day', y: ['sessions', 'avg_minutes'] };
    const data = (minutes: number) =>
      toChartData(config, columns, [
        ['2026-10-01', 1200, minutes],
        ['2026-10-02', 1300, minutes + 1],
      ]);
    const small = data(4);
    expect(rightAxisSeries(small, small.series, config)).toBe(small.series[1]!.key);
    expect(small.series[1]!.label).toBe('avg_minutes');
    const close = data(400);
    expect(rightAxisSeries(close, close.series, config)).toBeUndefined();
  });
});
