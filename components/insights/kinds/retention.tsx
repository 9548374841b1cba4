'use client';
// Retention: of the users who did the start event in a period (the cohort), how many came back
// N periods later. Views: the cohort matrix as a heat map, and the size-weighted curve (one line
// per breakdown value).
import * as React from 'react';
import { ChartLine, Grid3x3, Repeat } from 'lucide-react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/utils';
import {
  ZRetentionQuery,
  type RetentionQuery,
  type RetentionResult,
} from '@/server/insights/retention';
import {
  AXIS_TICK,
  ChartLegend,
  colorAt,
  GRID_STROKE,
  OTHER_COLOR,
  TooltipCard,
  useHiddenSeries,
  type ChartTooltipProps,
} from '../chart-parts';
import { ActivityEventEditor, activityLabel } from '../controls/activity-event';
import { BreakdownPicker } from '../controls/breakdown-picker';
import { DateRangePicker } from '../controls/date-range-picker';
import { FilterEditor } from '../controls/filter-editor';
import { EditorSection, Switch } from '../controls/section';
import { useDraft } from '../controls/use-draft';
import { describeBucket, lastDays } from '../dates';
import { breakdownLabel, formatCount, formatPercent } from '../format';
import type { ChartProps, EditorProps, InsightKindUI } from './types';

function RetentionEditor({ query, onChange }: EditorProps<RetentionQuery>) {
  const [periods, setPeriods] = useDraft(String(query.periods));
  const commit = () => {
    const n = Math.round(Number(periods));
    if (Number.isFinite(n) && n >= 1 && n <= 60) onChange({ ...query, periods: n });
    else setPeriods(String(query.periods));
  };
  const events = [query.startEvent.event, query.returnEvent?.event].filter((e): e is string => !!e);
  return (
    <div className="grid grid-cols-1 gap-5">
      <EditorSection title="Cohort: users who did">
        <ActivityEventEditor
          value={query.startEvent}
          onChange={(startEvent) => onChange({ ...query, startEvent })}
          testId="retention-start"
        />
        <Select
          value={query.cohortType}
          onValueChange={(v) =>
            onChange({ ...query, cohortType: v as RetentionQuery['cohortType'] })
          }
        >
          <SelectTrigger size="sm" className="h-8 w-full text-xs" aria-label="Cohort type">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="first_time" className="text-xs">
              For the first time
            </SelectItem>
            <SelectItem value="recurring" className="text-xs">
              In any period (recurring)
            </SelectItem>
          </SelectContent>
        </Select>
      </EditorSection>
      <EditorSection title="Came back and did">
        <Switch
          checked={!query.returnEvent}
          onCheckedChange={(same) =>
            onChange({
              ...query,
              returnEvent: same ? undefined : { event: query.startEvent.event, filters: [] },
            })
          }
          label="The same event"
        />
        {query.returnEvent ? (
          <ActivityEventEditor
            value={query.returnEvent}
            onChange={(returnEvent) => onChange({ ...query, returnEvent })}
            testId="retention-return"
          />
        ) : null}
        <Select
          value={query.returnCounting}
          onValueChange={(v) =>
            onChange({ ...query, returnCounting: v as RetentionQuery['returnCounting'] })
          }
        >
          <SelectTrigger size="sm" className="h-8 w-full text-xs" aria-label="Counting">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="on" className="text-xs">
              In period N
            </SelectItem>
            <SelectItem value="on_or_after" className="text-xs">
              In period N or later
            </SelectItem>
          </SelectContent>
        </Select>
      </EditorSection>
      <EditorSection title="Periods">
        <div className="flex items-center gap-1.5">
          <Input
            type="number"
            min={1}
            max={60}
            value={periods}
            onChange={(e) => setPeriods(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
            }}
            aria-label="Periods after the cohort period"
            className="h-8 w-20 text-xs md:text-xs"
          />
          <Select
            value={query.period}
            onValueChange={(v) => onChange({ ...query, period: v as RetentionQuery['period'] })}
          >
            <SelectTrigger size="sm" className="h-8 flex-1 text-xs" aria-label="Period">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="day" className="text-xs">
                days
              </SelectItem>
              <SelectItem value="week" className="text-xs">
                weeks
              </SelectItem>
              <SelectItem value="month" className="text-xs">
                months
              </SelectItem>
            </SelectContent>
          </Select>
        </div>
      </EditorSection>
      <EditorSection title="Filters">
        <FilterEditor
          filters={query.filters}
          onChange={(filters) => onChange({ ...query, filters })}
          events={events}
          testIdPrefix="filter"
        />
      </EditorSection>
      <EditorSection title="Breakdown">
        <BreakdownPicker
          value={query.breakdown}
          onChange={(b) =>
            onChange({
              ...query,
              breakdown: b ? { ...b, limit: Math.min(b.limit, 25) } : undefined,
            })
          }
          events={events}
        />
      </EditorSection>
    </div>
  );
}

function RetentionMatrix({ query, result }: { query: RetentionQuery; result: RetentionResult }) {
  const n = query.periods + 1;
  return (
    <div className="max-h-[520px] overflow-auto rounded-md border" data-testid="retention-matrix">
      <table className="w-full border-collapse text-xs">
        <thead className="sticky top-0 z-10 bg-card">
          <tr>
            <th className="border-b px-3 py-2 text-left font-medium whitespace-nowrap">Cohort</th>
            <th className="border-b px-3 py-2 text-right font-medium">Users</th>
            {Array.from({ length: n }, (_, i) => (
              <th key={i} className="border-b px-2 py-2 text-center font-medium whitespace-nowrap">
                {query.period[0]!.toUpperCase()}
                {query.period.slice(1)} {i}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr className="font-medium">
            <td className="border-b px-3 py-1.5">Average</td>
            <td className="border-b px-3 py-1.5 text-right tabular-nums">
              {formatCount(result.cohorts.reduce((a, c) => a + c.size, 0))}
            </td>
            {result.curve.map((p) => (
              <HeatCell
                key={p.period}
                rate={p.rate}
                title={`${formatCount(p.users)} of ${formatCount(p.cohortUsers)}`}
              />
            ))}
          </tr>
          {result.cohorts.map((c) => (
            <tr key={c.periodStart}>
              <td className="border-b px-3 py-1.5 whitespace-nowrap">
                {describeBucket(c.periodStart, query.period)}
              </td>
              <td className="border-b px-3 py-1.5 text-right tabular-nums">
                {formatCount(c.size)}
              </td>
              {c.rates.map((r, i) => (
                <HeatCell
                  key={i}
                  rate={r}
                  title={
                    c.counts[i] === null
                      ? undefined
                      : `${formatCount(c.counts[i]!)} of ${formatCount(c.size)}`
                  }
                />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HeatCell({ rate, title }: { rate: number | null; title?: string }) {
  if (rate === null) return <td className="border-b px-2 py-1.5" />;
  return (
    <td
      className={cn('border-b px-2 py-1.5 text-center tabular-nums', rate > 0.55 && 'text-white')}
      style={{
        background: `color-mix(in oklch, var(--chart-1) ${Math.round(rate * 90)}%, transparent)`,
      }}
      title={title}
    >
      {formatPercent(rate)}
    </td>
  );
}

function RetentionCurve({
  query,
  result,
  height,
}: {
  query: RetentionQuery;
  result: RetentionResult;
  height: number;
}) {
  const curves = result.breakdowns.length
    ? result.breakdowns.map((b, i) => ({
        key: b.breakdown,
        label: breakdownLabel(b.breakdown),
        color: b.breakdown === '$other' ? OTHER_COLOR : colorAt(i),
        points: b.curve,
      }))
    : [{ key: 'all', label: 'All users', color: colorAt(0), points: result.curve }];
  const { hidden, toggle } = useHiddenSeries(curves.map((c) => c.key));
  const visible = curves.filter((c) => !hidden.has(c.key));
  const data = result.curve.map((p) => {
    const row: Record<string, number | null> = { period: p.period };
    for (const c of visible) row[c.key] = c.points[p.period]?.rate ?? null;
    return row;
  });
  return (
    <div className="grid grid-cols-1 gap-3">
      <div style={{ height }} className="w-full" data-testid="retention-curve">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
            <XAxis
              dataKey="period"
              tickFormatter={(p: number) => `${query.period[0]!.toUpperCase()}${p}`}
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
            />
            <YAxis
              domain={[0, 1]}
              tickFormatter={(v: number) => formatPercent(v)}
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
              width={44}
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: 'var(--border)' }}
              content={(p: ChartTooltipProps) =>
                p.active && typeof p.label === 'number' ? (
                  <TooltipCard
                    title={`${query.period[0]!.toUpperCase()}${query.period.slice(1)} ${p.label}`}
                    rows={visible.map((c) => {
                      const pt = c.points[p.label as number];
                      return {
                        key: c.key,
                        label: c.label,
                        color: c.color,
                        value:
                          pt?.rate === null || pt?.rate === undefined
                            ? '—'
                            : formatPercent(pt.rate),
                        detail: pt ? formatCount(pt.users) : undefined,
                      };
                    })}
                  />
                ) : null
              }
            />
            {visible.map((c) => (
              <Line
                key={c.key}
                dataKey={c.key}
                stroke={c.color}
                strokeWidth={2}
                dot={{ r: 2.5, strokeWidth: 0, fill: c.color }}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {curves.length > 1 ? (
        <ChartLegend
          items={curves.map((c) => ({ key: c.key, label: c.label, color: c.color }))}
          hidden={hidden}
          onToggle={toggle}
        />
      ) : null}
    </div>
  );
}

function RetentionChart({
  query,
  result,
  chartType,
  height = 320,
}: ChartProps<RetentionQuery, RetentionResult>) {
  return chartType === 'curve' ? (
    <RetentionCurve query={query} result={result} height={height} />
  ) : (
    <RetentionMatrix query={query} result={result} />
  );
}

export const retentionUI: InsightKindUI<RetentionQuery, RetentionResult> = {
  kind: 'retention',
  title: 'Retention',
  description: 'How many users come back in the periods after their first visit.',
  icon: Repeat,
  schema: ZRetentionQuery,
  defaultQuery: (events, today) =>
    ZRetentionQuery.parse({
      kind: 'retention',
      startEvent: { event: events.find((e) => /sign(ed)?_?up/.test(e)) ?? events[0] ?? null },
      // Coming back = any activity, the usual first question ("do new users come back?").
      returnEvent: { event: null },
      period: 'week',
      periods: 8,
      dateRange: lastDays(90, today),
    }),
  chartTypes: [
    { value: 'matrix', label: 'Cohorts', icon: Grid3x3 },
    { value: 'curve', label: 'Curve', icon: ChartLine },
  ],
  defaultChartType: 'matrix',
  describe: (q) =>
    `Retention of ${activityLabel(q.startEvent)}${q.returnEvent ? ` → ${activityLabel(q.returnEvent)}` : ''}`,
  events: (q) => [q.startEvent.event, q.returnEvent?.event].filter((e): e is string => !!e),
  isEmpty: (r) => r.cohorts.every((c) => c.size === 0),
  csv: (q, r) => ({
    header: [
      'cohort_start_utc',
      'users',
      ...Array.from({ length: q.periods + 1 }, (_, i) => `${q.period}_${i}`),
    ],
    rows: r.cohorts.map((c) => [c.periodStart, c.size, ...c.counts]),
  }),
  Editor: RetentionEditor,
  Toolbar: ({ query, onChange }) => (
    <DateRangePicker
      value={query.dateRange}
      onChange={(dateRange) => onChange({ ...query, dateRange })}
    />
  ),
  Chart: RetentionChart,
};
