'use client';
// Stickiness: how many users did the event on exactly (or at least) N days / weeks of the range.
import { ChartColumn, Magnet, Table2 } from 'lucide-react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
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
  ZStickinessQuery,
  type StickinessQuery,
  type StickinessResult,
} from '@/server/insights/stickiness';
import {
  AXIS_TICK,
  CURSOR_FILL,
  GRID_STROKE,
  TooltipCard,
  type ChartTooltipProps,
} from '../chart-parts';
import { ActivityEventEditor, activityLabel } from '../controls/activity-event';
import { DateRangePicker } from '../controls/date-range-picker';
import { EditorSection } from '../controls/section';
import { lastDays } from '../dates';
import { formatCompact, formatCount, formatPercent } from '../format';
import type { ChartProps, EditorProps, InsightKindUI } from './types';

function StickinessEditor({ query, onChange }: EditorProps<StickinessQuery>) {
  return (
    <div className="grid grid-cols-1 gap-5">
      <EditorSection title="Event">
        <ActivityEventEditor
          value={query.event}
          onChange={(event) => onChange({ ...query, event })}
          testId="stickiness-event"
        />
      </EditorSection>
      <EditorSection title="Count active">
        <Select
          value={query.interval}
          onValueChange={(v) => onChange({ ...query, interval: v as StickinessQuery['interval'] })}
        >
          <SelectTrigger size="sm" className="h-8 w-full text-xs" aria-label="Interval">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="day" className="text-xs">
              Days
            </SelectItem>
            <SelectItem value="week" className="text-xs">
              Weeks
            </SelectItem>
          </SelectContent>
        </Select>
      </EditorSection>
    </div>
  );
}

function StickinessChart({
  result,
  chartType,
  height = 320,
}: ChartProps<StickinessQuery, StickinessResult>) {
  const cumulative = chartType === 'cumulative';
  if (chartType === 'table')
    return (
      <div className="max-h-[420px] overflow-auto rounded-md border" data-testid="stickiness-table">
        <Table>
          <TableHeader className="sticky top-0 bg-card">
            <TableRow>
              <TableHead>Active on</TableHead>
              <TableHead className="text-right">Exactly</TableHead>
              <TableHead className="text-right">At least</TableHead>
              <TableHead className="text-right">Share (at least)</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.points.map((p) => (
              <TableRow key={p.intervals}>
                <TableCell>{p.label}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(p.users)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(p.atLeast)}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatPercent(p.atLeast / (result.totalUsers || 1))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    );
  const data = result.points.map((p) => ({
    n: p.intervals,
    label: p.label,
    value: cumulative ? p.atLeast : p.users,
  }));
  return (
    <div style={{ height }} className="w-full" data-testid="stickiness-plot">
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
          <XAxis
            dataKey="label"
            tick={AXIS_TICK}
            axisLine={false}
            tickLine={false}
            minTickGap={12}
          />
          <YAxis
            tickFormatter={(v: number) => formatCompact(v)}
            tick={AXIS_TICK}
            axisLine={false}
            tickLine={false}
            width={44}
          />
          <Tooltip
            cursor={CURSOR_FILL}
            isAnimationActive={false}
            content={(p: ChartTooltipProps) => {
              const d = p.active
                ? (p.payload?.[0]?.payload as (typeof data)[number] | undefined)
                : undefined;
              return d ? (
                <TooltipCard
                  title={`${cumulative ? 'At least' : 'Exactly'} ${d.label}`}
                  rows={[
                    {
                      key: 'u',
                      label: 'Users',
                      color: 'var(--chart-1)',
                      value: formatCount(d.value),
                      detail: formatPercent(d.value / (result.totalUsers || 1)),
                    },
                  ]}
                />
              ) : null;
            }}
          />
          <Bar
            dataKey="value"
            fill="var(--chart-1)"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export const stickinessUI: InsightKindUI<StickinessQuery, StickinessResult> = {
  kind: 'stickiness',
  title: 'Stickiness',
  description: 'How many days per week or month users perform an event.',
  icon: Magnet,
  schema: ZStickinessQuery,
  defaultQuery: (events, today) =>
    ZStickinessQuery.parse({
      kind: 'stickiness',
      event: { event: events[0] ?? null },
      dateRange: lastDays(30, today),
    }),
  chartTypes: [
    { value: 'bar', label: 'Exactly N', icon: ChartColumn },
    { value: 'cumulative', label: 'At least N', icon: Magnet },
    { value: 'table', label: 'Table', icon: Table2 },
  ],
  defaultChartType: 'bar',
  describe: (q) => `Stickiness of ${activityLabel(q.event)}`,
  events: (q) => (q.event.event ? [q.event.event] : []),
  isEmpty: (r) => r.totalUsers === 0,
  csv: (_q, r) => ({
    header: ['intervals', 'label', 'users_exactly', 'users_at_least'],
    rows: r.points.map((p) => [p.intervals, p.label, p.users, p.atLeast]),
  }),
  Editor: StickinessEditor,
  Toolbar: ({ query, onChange }) => (
    <DateRangePicker
      value={query.dateRange}
      onChange={(dateRange) => onChange({ ...query, dateRange })}
    />
  ),
  Chart: StickinessChart,
};
