'use client';
// Trends: events or unique users over time. Editor: series (event, math, filters), formulas
// between series, filters for every series, breakdown; toolbar: date range, interval and
// compare to the previous period.
import * as React from 'react';
import {
  AreaChart as AreaIcon,
  ChartColumn,
  ChartLine,
  Copy,
  Hash,
  Plus,
  Sigma,
  Table2,
  Trash2,
} from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { ZTrendsQuery, type TrendsQuery, type TrendsResult } from '@/server/insights/trends';
import { colorAt } from '../chart-parts';
import { BreakdownPicker } from '../controls/breakdown-picker';
import { DateRangePicker } from '../controls/date-range-picker';
import { EventPicker } from '../controls/event-picker';
import { FilterEditor } from '../controls/filter-editor';
import { IntervalSelect } from '../controls/interval-select';
import { EditorSection, Switch } from '../controls/section';
import { useDraft } from '../controls/use-draft';
import { daysIn, lastDays } from '../dates';
import { TrendsChart } from './trends-chart';
import { trendsCsv } from './trends-data';
import type { EditorProps, InsightKindUI } from './types';

type Series = TrendsQuery['series'][number];
const MAX_SERIES = 10;
const MAX_FORMULAS = 5;
const letter = (i: number) => String.fromCharCode(65 + i);

function SeriesCard({
  series,
  index,
  count,
  onChange,
  onRemove,
  onDuplicate,
}: {
  series: Series;
  index: number;
  count: number;
  onChange: (s: Series) => void;
  onRemove: () => void;
  onDuplicate: () => void;
}) {
  return (
    <div
      className="grid grid-cols-1 gap-1.5 rounded-lg border bg-card p-2"
      data-testid={`series-${index}`}
    >
      <div className="flex items-center gap-1.5">
        <span
          className="flex size-6 shrink-0 items-center justify-center rounded-md text-[11px] font-bold text-white"
          style={{ background: colorAt(index) }}
          aria-label={`Series ${letter(index)}`}
        >
          {letter(index)}
        </span>
        <EventPicker
          value={series.event}
          onChange={(event) => onChange({ ...series, event })}
          className="flex-1"
          data-testid={`series-${index}-event`}
        />
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="size-7 text-muted-foreground"
          aria-label={`Duplicate series ${letter(index)}`}
          title="Duplicate"
          disabled={count >= MAX_SERIES}
          onClick={onDuplicate}
        >
          <Copy className="size-3.5" aria-hidden />
        </Button>
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="size-7 text-muted-foreground"
          aria-label={`Remove series ${letter(index)}`}
          title="Remove"
          disabled={count <= 1}
          onClick={onRemove}
        >
          <Trash2 className="size-3.5" aria-hidden />
        </Button>
      </div>
      <Select
        value={series.math}
        onValueChange={(math) => onChange({ ...series, math: math as Series['math'] })}
      >
        <SelectTrigger
          size="sm"
          className="h-8 w-full text-xs"
          aria-label="Count"
          data-testid={`series-${index}-math`}
        >
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="total" className="text-xs">
            Total events
          </SelectItem>
          <SelectItem value="unique_users" className="text-xs">
            Unique users
          </SelectItem>
        </SelectContent>
      </Select>
      <FilterEditor
        filters={series.filters}
        onChange={(filters) => onChange({ ...series, filters })}
        events={[series.event]}
        compact
        testIdPrefix={`series-${index}-filter`}
      />
    </div>
  );
}

function FormulaRow({
  formula,
  index,
  onChange,
  onRemove,
}: {
  formula: TrendsQuery['formulas'][number];
  index: number;
  onChange: (f: TrendsQuery['formulas'][number]) => void;
  onRemove: () => void;
}) {
  const [text, setText] = useDraft(formula.expression);
  const commit = () => {
    const expression = text.trim();
    if (expression && expression !== formula.expression) onChange({ ...formula, expression });
  };
  return (
    <div className="flex items-center gap-1" data-testid={`formula-${index}`}>
      <Sigma className="size-4 shrink-0 text-muted-foreground" aria-hidden />
      <Input
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        placeholder="A / B * 100"
        aria-label={`Formula ${index + 1}`}
        className="h-8 font-mono text-xs md:text-xs"
        maxLength={200}
        data-testid={`formula-${index}-expression`}
      />
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="size-7 shrink-0 text-muted-foreground"
        aria-label={`Remove formula ${index + 1}`}
        onClick={onRemove}
      >
        <Trash2 className="size-3.5" aria-hidden />
      </Button>
    </div>
  );
}

function TrendsEditor({ query, onChange }: EditorProps<TrendsQuery>) {
  const events = query.series.map((s) => s.event);
  const setSeries = (series: Series[]) => {
    // Formulas name series by letter: drop the ones that no longer parse would be guessing;
    // the schema reports them, and the card says which.
    onChange({ ...query, series });
  };
  return (
    <div className="grid grid-cols-1 gap-5">
      <EditorSection title="Series" testId="trends-series">
        {query.series.map((s, i) => (
          <SeriesCard
            key={i}
            series={s}
            index={i}
            count={query.series.length}
            onChange={(next) => setSeries(query.series.map((x, j) => (j === i ? next : x)))}
            onRemove={() => setSeries(query.series.filter((_, j) => j !== i))}
            onDuplicate={() =>
              setSeries([...query.series.slice(0, i + 1), s, ...query.series.slice(i + 1)])
            }
          />
        ))}
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="justify-start border-dashed"
          disabled={query.series.length >= MAX_SERIES}
          onClick={() =>
            setSeries([...query.series, { ...query.series.at(-1)!, filters: [], label: undefined }])
          }
          data-testid="series-add"
        >
          <Plus aria-hidden />
          Add series
        </Button>
      </EditorSection>

      <EditorSection
        title="Formulas"
        hint={
          query.formulas.length
            ? 'Letters are series (A is the first). With a formula the chart shows the formula; the table and CSV keep every series.'
            : undefined
        }
        action={
          <Button
            type="button"
            variant="ghost"
            size="sm"
            className="h-7 px-2 text-xs"
            disabled={query.formulas.length >= MAX_FORMULAS}
            onClick={() =>
              onChange({
                ...query,
                formulas: [
                  ...query.formulas,
                  { expression: query.series.length > 1 ? 'A / B' : 'A * 1' },
                ],
              })
            }
            data-testid="formula-add"
          >
            <Plus aria-hidden />
            Add
          </Button>
        }
      >
        {query.formulas.map((f, i) => (
          <FormulaRow
            key={i}
            formula={f}
            index={i}
            onChange={(next) =>
              onChange({ ...query, formulas: query.formulas.map((x, j) => (j === i ? next : x)) })
            }
            onRemove={() =>
              onChange({ ...query, formulas: query.formulas.filter((_, j) => j !== i) })
            }
          />
        ))}
      </EditorSection>

      <EditorSection
        title="Filters"
        hint={query.filters.length ? 'Apply to every series.' : undefined}
      >
        <FilterEditor
          filters={query.filters}
          onChange={(filters) => onChange({ ...query, filters })}
          allowCohorts
          events={events}
          testIdPrefix="filter"
        />
      </EditorSection>

      <EditorSection title="Breakdown">
        <BreakdownPicker
          value={query.breakdown}
          onChange={(breakdown) => onChange({ ...query, breakdown })}
          events={events}
          allowCohorts
        />
      </EditorSection>
    </div>
  );
}

function TrendsToolbar({ query, onChange }: EditorProps<TrendsQuery>) {
  return (
    <>
      <DateRangePicker
        value={query.dateRange}
        onChange={(dateRange) =>
          onChange({
            ...query,
            dateRange,
            // Hourly covers at most 31 days (the server's rule): fall back to daily.
            interval: query.interval === 'hour' && daysIn(dateRange) > 31 ? 'day' : query.interval,
          })
        }
      />
      <IntervalSelect
        value={query.interval}
        range={query.dateRange}
        onChange={(interval) => onChange({ ...query, interval })}
      />
      <Switch
        checked={query.compare}
        onCheckedChange={(compare) => onChange({ ...query, compare })}
        label="Compare to previous period"
        testId="trends-compare"
      />
    </>
  );
}

export const trendsUI: InsightKindUI<TrendsQuery, TrendsResult> = {
  kind: 'trends',
  title: 'Trends',
  description: 'Count events or users over time, broken down by any property.',
  icon: ChartLine,
  schema: ZTrendsQuery,
  defaultQuery: (events, today) =>
    ZTrendsQuery.parse({
      kind: 'trends',
      series: [{ event: events[0] ?? 'page_viewed', math: 'total' }],
      interval: 'day',
      dateRange: lastDays(30, today),
    }),
  chartTypes: [
    { value: 'line', label: 'Line', icon: ChartLine },
    { value: 'area', label: 'Area', icon: AreaIcon },
    { value: 'bar', label: 'Bar', icon: ChartColumn },
    { value: 'number', label: 'Number', icon: Hash },
    { value: 'table', label: 'Table', icon: Table2 },
  ],
  defaultChartType: 'line',
  describe: (q) =>
    q.formulas.length
      ? q.formulas.map((f) => f.label || f.expression).join(', ')
      : q.series
          .map((s) => `${s.label ?? s.event}${s.math === 'unique_users' ? ' (users)' : ''}`)
          .join(', ') +
        (q.breakdown && 'property' in q.breakdown ? ` by ${q.breakdown.property.name}` : ''),
  events: (q) => q.series.map((s) => s.event),
  isEmpty: (r) => r.series.every((s) => s.total === 0),
  csv: trendsCsv,
  Editor: TrendsEditor,
  Toolbar: TrendsToolbar,
  Chart: TrendsChart,
};
