// How a saved query's result is charted (the SQL editor's chart view and the query's dashboard
// tile): the chart type and which result columns go where. The schema checks the config on its
// own; whether its columns are in a result, and of the right types, is checked when it is drawn
// (components/sql/result-chart-model.ts validateChartConfig), since a query's columns change.
import { z } from 'zod';

export const SQL_CHART_TYPES = ['line', 'bar', 'area', 'scatter', 'number'] as const;
export type SqlChartType = (typeof SQL_CHART_TYPES)[number];

/** y columns one chart draws at most. */
export const MAX_Y_COLUMNS = 10;

const ZColumnName = (what: string) =>
  z
    .string({ error: `${what} must be a column name` })
    .min(1, { error: `${what} must be a column name, not empty` })
    .max(300, { error: `${what} is too long for a column name (300 characters at most)` });

/**
 * What an analyst picks. `x` is needed by scatter charts; line, bar and area charts without `x`
 * use the row number. `series` (long format) splits the single y column into one series per
 * value of that column. `number` shows the first y of the first row and ignores `x` and `series`.
 */
export const ZSqlChartConfig = z
  .object({
    type: z.enum(SQL_CHART_TYPES, {
      error: 'Chart type must be one of line, bar, area, scatter or number',
    }),
    x: ZColumnName('x').optional(),
    y: z
      .array(ZColumnName('Each y'), { error: 'y must be a list of column names' })
      .min(1, { error: 'Pick at least one y column' })
      .max(MAX_Y_COLUMNS, { error: `Pick at most ${MAX_Y_COLUMNS} y columns` }),
    series: ZColumnName('series').optional(),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.y.forEach((name, i) => {
      if (seen.has(name))
        ctx.addIssue({
          code: 'custom',
          path: ['y', i],
          message: `Column ${name} is picked twice as y`,
        });
      seen.add(name);
    });
    if (c.type === 'number') return;
    if (c.type === 'scatter' && c.x === undefined)
      ctx.addIssue({ code: 'custom', path: ['x'], message: 'A scatter chart needs an x column' });
    if (c.x !== undefined && c.y.includes(c.x))
      ctx.addIssue({
        code: 'custom',
        path: ['x'],
        message: `Column ${c.x} cannot be both x and y`,
      });
    if (c.series === undefined) return;
    if (c.series === c.x)
      ctx.addIssue({
        code: 'custom',
        path: ['series'],
        message: `Column ${c.series} cannot be both x and the series column`,
      });
    else if (c.y.includes(c.series))
      ctx.addIssue({
        code: 'custom',
        path: ['series'],
        message: `Column ${c.series} cannot be both y and the series column`,
      });
    if (c.y.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['y'],
        message:
          'With a series column, pick exactly one y column (the series column splits it into one series per value)',
      });
  });
export type SqlChartConfig = z.infer<typeof ZSqlChartConfig>;
