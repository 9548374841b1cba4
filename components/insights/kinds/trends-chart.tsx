'use client';
// Trends drawn as line, area, bar (stacked with a breakdown), big numbers or a table. Colours
// come from the palette in chart-parts; the previous period is dashed in its line's colour.
import * as React from 'react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import type { TrendsQuery, TrendsResult } from '@/server/insights/trends';
import { cn } from '@/lib/utils';
import {
  AXIS_TICK,
  ChartLegend,
  colorAt,
  CURSOR_FILL,
  GRID_STROKE,
  OTHER_COLOR,
  TooltipCard,
  useHiddenSeries,
  type ChartTooltipProps,
} from '../chart-parts';
import { describeBucket, formatBucket } from '../dates';
import { formatCompact, formatValue } from '../format';
import type { ChartProps } from './types';
import { chartLines, trendLines, type TrendLine } from './trends-data';

const colorOf = (l: TrendLine) => (l.other ? OTHER_COLOR : colorAt(l.colorIndex));

export function TrendsChart({
  query,
  result,
  chartType,
  height = 320,
}: ChartProps<TrendsQuery, TrendsResult>) {
  const all = React.useMemo(() => trendLines(query, result), [query, result]);
  const lines = chartType === 'table' ? all : chartLines(all);
  const { hidden, toggle } = useHiddenSeries(lines.map((l) => l.key));
  if (chartType === 'number')
    return <BigNumbers lines={lines.filter((l) => !l.previous)} all={lines} />;
  if (chartType === 'table') return <TrendsTable query={query} result={result} lines={lines} />;

  const visible = lines.filter((l) => !hidden.has(l.key));
  const data = result.buckets.map((b, i) => {
    const row: Record<string, number | string | null> = { bucket: b };
    for (const l of visible) row[l.key] = l.values[i] ?? null;
    return row;
  });
  const stacked = !!query.breakdown && !lines.some((l) => l.formula) && !query.compare;
  const common = {
    data,
    margin: { top: 8, right: 12, bottom: 0, left: 0 },
  };
  const axes = (
    <>
      <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
      <XAxis
        dataKey="bucket"
        tickFormatter={(b: string) => formatBucket(b, query.interval)}
        tick={AXIS_TICK}
        axisLine={false}
        tickLine={false}
        minTickGap={28}
        tickMargin={8}
      />
      <YAxis
        tickFormatter={(v: number) => formatCompact(v)}
        tick={AXIS_TICK}
        axisLine={false}
        tickLine={false}
        width={44}
        allowDecimals={lines.some((l) => l.formula)}
      />
      <Tooltip
        cursor={chartType === 'bar' ? CURSOR_FILL : { stroke: 'var(--border)' }}
        content={(p: ChartTooltipProps) => (
          <TrendsTooltip {...p} query={query} result={result} lines={visible} />
        )}
        isAnimationActive={false}
      />
    </>
  );
  const dash = (l: TrendLine) => (l.previous ? '5 4' : undefined);
  let chart: React.ReactElement;
  if (chartType === 'bar')
    chart = (
      <BarChart {...common} barCategoryGap="18%">
        {axes}
        {visible.map((l) => (
          <Bar
            key={l.key}
            dataKey={l.key}
            name={l.label}
            fill={colorOf(l)}
            fillOpacity={l.previous ? 0.35 : 0.9}
            stackId={stacked ? 'stack' : undefined}
            radius={stacked ? 0 : [3, 3, 0, 0]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    );
  else if (chartType === 'area')
    chart = (
      <AreaChart {...common}>
        {axes}
        {visible.map((l) => (
          <Area
            key={l.key}
            type="monotone"
            dataKey={l.key}
            name={l.label}
            stroke={colorOf(l)}
            strokeWidth={2}
            strokeDasharray={dash(l)}
            fill={colorOf(l)}
            fillOpacity={l.previous ? 0.04 : stacked ? 0.5 : 0.14}
            stackId={stacked ? 'stack' : undefined}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    );
  else
    chart = (
      <LineChart {...common}>
        {axes}
        {visible.map((l) => (
          <Line
            key={l.key}
            type="monotone"
            dataKey={l.key}
            name={l.label}
            stroke={colorOf(l)}
            strokeWidth={l.previous ? 1.5 : 2}
            strokeDasharray={dash(l)}
            dot={data.length <= 14 ? { r: 2.5, strokeWidth: 0, fill: colorOf(l) } : false}
            activeDot={{ r: 4, strokeWidth: 0 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    );
  return (
    <div className="grid grid-cols-1 gap-3">
      <div style={{ height }} className="w-full" data-testid="trends-plot">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          {chart}
        </ResponsiveContainer>
      </div>
      <ChartLegend
        items={lines.map((l) => ({
          key: l.key,
          label: l.label,
          color: colorOf(l),
          dashed: l.previous,
          value: l.formula ? undefined : formatValue(l.total),
        }))}
        hidden={hidden}
        onToggle={toggle}
      />
    </div>
  );
}

function TrendsTooltip({
  active,
  label,
  query,
  result,
  lines,
}: ChartTooltipProps & { query: TrendsQuery; result: TrendsResult; lines: TrendLine[] }) {
  if (!active || typeof label !== 'string') return null;
  const i = result.buckets.indexOf(label);
  if (i < 0) return null;
  const prev = result.previousBuckets?.[i];
  const rows = lines
    .filter((l) => !l.previous)
    .map((l) => {
      const p = lines.find((x) => x.key === `${l.key}:prev`);
      const pv = p?.values[i];
      return {
        key: l.key,
        label: l.label,
        color: colorOf(l),
        raw: l.values[i] ?? null,
        value: l.values[i] === null || l.values[i] === undefined ? '—' : formatValue(l.values[i]!),
        detail: p ? `vs ${pv === null || pv === undefined ? '—' : formatValue(pv)}` : undefined,
      };
    })
    .sort((a, b) => (b.raw ?? -Infinity) - (a.raw ?? -Infinity));
  return (
    <TooltipCard
      title={
        <>
          {describeBucket(label, query.interval)}
          {prev ? (
            <span className="block font-normal text-muted-foreground">
              vs {describeBucket(prev, query.interval)}
            </span>
          ) : null}
        </>
      }
      rows={rows}
    />
  );
}

function BigNumbers({ lines, all }: { lines: TrendLine[]; all: TrendLine[] }) {
  return (
    <div
      className={cn(
        'grid gap-4 py-4',
        lines.length === 1 ? 'place-items-center' : 'sm:grid-cols-2 lg:grid-cols-3',
      )}
      data-testid="trends-numbers"
    >
      {lines.slice(0, 12).map((l) => {
        const prev = all.find((x) => x.key === `${l.key}:prev`);
        const change = prev && prev.total !== 0 ? (l.total - prev.total) / prev.total : null;
        return (
          <div key={l.key} className={cn('grid gap-1', lines.length === 1 && 'text-center')}>
            <div className="flex items-center gap-1.5 text-xs text-muted-foreground">
              <span className="size-2 rounded-full" style={{ background: colorOf(l) }} />
              <span className="truncate">{l.label}</span>
            </div>
            <div
              className={cn(
                'font-semibold tracking-tight tabular-nums',
                lines.length === 1 ? 'text-5xl' : 'text-3xl',
              )}
              data-testid="trends-number"
            >
              {formatValue(l.total)}
            </div>
            {change !== null ? (
              <div
                className={cn(
                  'text-xs font-medium tabular-nums',
                  change >= 0 ? 'text-success' : 'text-destructive',
                )}
              >
                {change >= 0 ? '▲' : '▼'} {Math.abs(change * 100).toFixed(1)}% vs previous period
              </div>
            ) : null}
            {l.summed && !l.formula ? (
              <div className="text-[11px] text-muted-foreground">Sum of each interval’s users</div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

function TrendsTable({
  query,
  result,
  lines,
}: {
  query: TrendsQuery;
  result: TrendsResult;
  lines: TrendLine[];
}) {
  return (
    <div className="max-h-[420px] overflow-auto rounded-md border" data-testid="trends-table">
      <Table>
        <TableHeader className="sticky top-0 z-10 bg-card">
          <TableRow>
            <TableHead className="min-w-40">Series</TableHead>
            <TableHead className="text-right">Total</TableHead>
            {result.buckets.map((b) => (
              <TableHead key={b} className="text-right whitespace-nowrap">
                {formatBucket(b, query.interval)}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {lines.map((l) => (
            <TableRow key={l.key}>
              <TableCell className="max-w-64">
                <span className="flex items-center gap-1.5">
                  <span
                    className="size-2 shrink-0 rounded-full"
                    style={{ background: colorOf(l) }}
                  />
                  <span className="truncate">{l.label}</span>
                </span>
              </TableCell>
              <TableCell className="text-right font-medium tabular-nums">
                {l.formula ? '—' : formatValue(l.total)}
              </TableCell>
              {l.values.map((v, i) => (
                <TableCell key={i} className="text-right tabular-nums">
                  {v === null ? '—' : formatValue(v)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
