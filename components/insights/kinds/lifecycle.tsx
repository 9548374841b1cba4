'use client';
// Lifecycle: active users split into new, returning and resurrecting per interval, with the
// dormant (users who stopped) drawn below zero — stacked bars.
import { Activity, ChartColumnStacked, Table2 } from 'lucide-react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ReferenceLine,
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
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import {
  ZLifecycleQuery,
  type LifecycleQuery,
  type LifecycleResult,
} from '@/server/insights/lifecycle';
import {
  AXIS_TICK,
  ChartLegend,
  CURSOR_FILL,
  GRID_STROKE,
  TooltipCard,
  useHiddenSeries,
  type ChartTooltipProps,
} from '../chart-parts';
import { ActivityEventEditor, activityLabel } from '../controls/activity-event';
import { DateRangePicker } from '../controls/date-range-picker';
import { EditorSection } from '../controls/section';
import { describeBucket, formatBucket, lastDays } from '../dates';
import { formatCompact, formatCount } from '../format';
import type { ChartProps, EditorProps, InsightKindUI } from './types';

const STATUS_COLOR: Record<string, string> = {
  new: 'var(--chart-2)',
  returning: 'var(--chart-1)',
  resurrecting: 'var(--chart-3)',
  dormant: 'var(--chart-4)',
};
const STATUS_LABEL: Record<string, string> = {
  new: 'New',
  returning: 'Returning',
  resurrecting: 'Resurrecting',
  dormant: 'Dormant',
};

function LifecycleEditor({ query, onChange }: EditorProps<LifecycleQuery>) {
  return (
    <div className="grid grid-cols-1 gap-5">
      <EditorSection
        title="Activity"
        hint="A user is active in an interval when they did this event."
      >
        <ActivityEventEditor
          value={query.event}
          onChange={(event) => onChange({ ...query, event })}
          testId="lifecycle-event"
        />
      </EditorSection>
    </div>
  );
}

function LifecycleChart({
  query,
  result,
  chartType,
  height = 320,
}: ChartProps<LifecycleQuery, LifecycleResult>) {
  const { hidden, toggle } = useHiddenSeries(result.series.map((s) => s.status));
  if (chartType === 'table')
    return (
      <div className="max-h-[420px] overflow-auto rounded-md border" data-testid="lifecycle-table">
        <Table>
          <TableHeader className="sticky top-0 bg-card">
            <TableRow>
              <TableHead>Interval</TableHead>
              {result.series.map((s) => (
                <TableHead key={s.status} className="text-right">
                  {STATUS_LABEL[s.status]}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.buckets.map((b, i) => (
              <TableRow key={b}>
                <TableCell>{describeBucket(b, query.interval)}</TableCell>
                {result.series.map((s) => (
                  <TableCell key={s.status} className="text-right tabular-nums">
                    {formatCount(s.values[i] ?? 0)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    );
  const data = result.buckets.map((b, i) => {
    const row: Record<string, string | number> = { bucket: b };
    for (const s of result.series) if (!hidden.has(s.status)) row[s.status] = s.values[i] ?? 0;
    return row;
  });
  return (
    <div className="grid grid-cols-1 gap-3">
      <div style={{ height }} className="w-full" data-testid="lifecycle-plot">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <BarChart
            data={data}
            stackOffset="sign"
            margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
          >
            <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
            <XAxis
              dataKey="bucket"
              tickFormatter={(b: string) => formatBucket(b, query.interval)}
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
              minTickGap={28}
            />
            <YAxis
              tickFormatter={(v: number) => formatCompact(v)}
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
              width={44}
            />
            <ReferenceLine y={0} stroke="var(--border)" />
            <Tooltip
              cursor={CURSOR_FILL}
              isAnimationActive={false}
              content={(p: ChartTooltipProps) =>
                p.active && typeof p.label === 'string' ? (
                  <TooltipCard
                    title={describeBucket(p.label, query.interval)}
                    rows={result.series.map((s) => ({
                      key: s.status,
                      label: STATUS_LABEL[s.status]!,
                      color: STATUS_COLOR[s.status]!,
                      value: formatCount(s.values[result.buckets.indexOf(p.label as string)] ?? 0),
                    }))}
                  />
                ) : null
              }
            />
            {result.series
              .filter((s) => !hidden.has(s.status))
              .map((s) => (
                <Bar
                  key={s.status}
                  dataKey={s.status}
                  stackId="lifecycle"
                  fill={STATUS_COLOR[s.status]}
                  isAnimationActive={false}
                />
              ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartLegend
        items={result.series.map((s) => ({
          key: s.status,
          label: STATUS_LABEL[s.status]!,
          color: STATUS_COLOR[s.status]!,
          value: formatCount(Math.abs(s.total)),
        }))}
        hidden={hidden}
        onToggle={toggle}
      />
    </div>
  );
}

export const lifecycleUI: InsightKindUI<LifecycleQuery, LifecycleResult> = {
  kind: 'lifecycle',
  title: 'Lifecycle',
  description: 'Split active users into new, returning, resurrecting and dormant.',
  icon: Activity,
  schema: ZLifecycleQuery,
  defaultQuery: (_events, today) =>
    ZLifecycleQuery.parse({
      kind: 'lifecycle',
      event: { event: null },
      interval: 'week',
      dateRange: lastDays(90, today),
    }),
  chartTypes: [
    { value: 'bar', label: 'Stacked bars', icon: ChartColumnStacked },
    { value: 'table', label: 'Table', icon: Table2 },
  ],
  defaultChartType: 'bar',
  describe: (q) => `Lifecycle of ${activityLabel(q.event)}`,
  events: (q) => (q.event.event ? [q.event.event] : []),
  isEmpty: (r) => r.series.every((s) => s.values.every((v) => v === 0)),
  csv: (_q, r) => ({
    header: ['bucket_start_utc', ...r.series.map((s) => s.status)],
    rows: r.buckets.map((b, i) => [b, ...r.series.map((s) => s.values[i] ?? 0)]),
  }),
  Editor: LifecycleEditor,
  Toolbar: ({ query, onChange }) => (
    <>
      <DateRangePicker
        value={query.dateRange}
        onChange={(dateRange) => onChange({ ...query, dateRange })}
      />
      <Select
        value={query.interval}
        onValueChange={(v) => onChange({ ...query, interval: v as LifecycleQuery['interval'] })}
      >
        <SelectTrigger size="sm" className="w-28" aria-label="Interval">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="day">Daily</SelectItem>
          <SelectItem value="week">Weekly</SelectItem>
          <SelectItem value="month">Monthly</SelectItem>
        </SelectContent>
      </Select>
    </>
  ),
  Chart: LifecycleChart,
};
