'use client';
// Funnels drawn as steps (bars of conversion with the drop-off shaded, relative to the first or
// the previous step; grouped bars per breakdown value), time to convert (median time from the
// previous step) or a table.
import * as React from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ArrowDownRight, Clock } from 'lucide-react';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import type { FunnelsQuery, FunnelsResult, FunnelStepResult } from '@/server/insights/funnels';
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
import { formatCount, formatDuration, formatPercent } from '../format';
import type { ChartProps } from './types';
import { conversionOf, funnelGroups, overallConversion, type RelativeTo } from './funnels-data';

const stepName = (query: FunnelsQuery, i: number) =>
  query.steps[i]?.label ?? query.steps[i]?.event ?? `Step ${i + 1}`;
const groupColor = (key: string, i: number) => (key === '$other' ? OTHER_COLOR : colorAt(i));

export function FunnelsChart({
  query,
  result,
  chartType,
  options,
  height = 320,
}: ChartProps<FunnelsQuery, FunnelsResult>) {
  const relativeTo: RelativeTo = options?.relativeTo ?? 'first';
  if (chartType === 'table') return <FunnelsTable query={query} result={result} />;
  if (chartType === 'time') return <TimeToConvert query={query} result={result} height={height} />;
  return <FunnelSteps query={query} result={result} relativeTo={relativeTo} height={height} />;
}

function StepTick({
  x,
  y,
  payload,
  query,
}: {
  x?: number | string;
  y?: number | string;
  payload?: { value: number };
  query: FunnelsQuery;
}) {
  const i = payload?.value ?? 0;
  const name = stepName(query, i);
  return (
    <g transform={`translate(${Number(x)},${Number(y)})`}>
      <text textAnchor="middle" dy={12} fontSize={11} fill="var(--muted-foreground)">
        Step {i + 1}
      </text>
      <text textAnchor="middle" dy={27} fontSize={12} fill="var(--foreground)" fontWeight={500}>
        {name.length > 22 ? `${name.slice(0, 21)}…` : name}
      </text>
    </g>
  );
}

function FunnelSteps({
  query,
  result,
  relativeTo,
  height,
}: {
  query: FunnelsQuery;
  result: FunnelsResult;
  relativeTo: RelativeTo;
  height: number;
}) {
  const groups = funnelGroups(result);
  const single = result.breakdowns.length === 0;
  const { hidden, toggle } = useHiddenSeries(groups.map((g) => g.key));
  const visible = groups.map((g, i) => ({ ...g, i })).filter((g) => !hidden.has(g.key));
  const data = query.steps.map((_, k) => {
    const row: Record<string, number> = { step: k };
    for (const g of visible) {
      const s = g.steps[k];
      const c = s ? conversionOf(s, relativeTo) : 0;
      row[`c${g.i}`] = c;
      row[`d${g.i}`] = Math.max(0, 1 - c);
    }
    return row;
  });
  return (
    <div className="grid grid-cols-1 gap-3">
      <div style={{ height }} className="w-full" data-testid="funnel-plot">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <BarChart
            data={data}
            margin={{ top: 22, right: 12, bottom: 0, left: 0 }}
            barCategoryGap={single ? '28%' : '16%'}
            barGap={2}
          >
            <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
            <XAxis
              dataKey="step"
              tick={(p: {
                x?: number | string;
                y?: number | string;
                payload?: { value: number };
              }) => <StepTick {...p} query={query} />}
              height={40}
              axisLine={false}
              tickLine={false}
              interval={0}
            />
            <YAxis
              domain={[0, 1]}
              ticks={[0, 0.25, 0.5, 0.75, 1]}
              tickFormatter={(v: number) => formatPercent(v)}
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
              width={44}
            />
            <Tooltip
              cursor={CURSOR_FILL}
              isAnimationActive={false}
              content={(p: ChartTooltipProps) => (
                <StepsTooltip {...p} query={query} groups={visible} relativeTo={relativeTo} />
              )}
            />
            {visible.map((g) => (
              <Bar
                key={`c${g.i}`}
                dataKey={`c${g.i}`}
                stackId={`g${g.i}`}
                fill={groupColor(g.key, g.i)}
                isAnimationActive={false}
              >
                {single ? (
                  <LabelList
                    dataKey={`c${g.i}`}
                    position="top"
                    formatter={(v: unknown) => formatPercent(Number(v))}
                    fontSize={12}
                    fontWeight={600}
                    fill="var(--foreground)"
                    offset={26}
                  />
                ) : null}
              </Bar>
            ))}
            {visible.map((g) => (
              <Bar
                key={`d${g.i}`}
                dataKey={`d${g.i}`}
                stackId={`g${g.i}`}
                fill={groupColor(g.key, g.i)}
                fillOpacity={0.13}
                radius={[3, 3, 0, 0]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {single ? (
        <StepSummary query={query} steps={result.steps} relativeTo={relativeTo} />
      ) : (
        <ChartLegend
          items={groups.map((g, i) => ({
            key: g.key,
            label: g.label,
            color: groupColor(g.key, i),
            value: `${formatPercent(overallConversion(g.steps))} · ${formatCount(g.steps[0]?.users ?? 0)}`,
          }))}
          hidden={hidden}
          onToggle={toggle}
        />
      )}
    </div>
  );
}

function StepsTooltip({
  active,
  label,
  query,
  groups,
  relativeTo,
}: ChartTooltipProps & {
  query: FunnelsQuery;
  groups: { key: string; label: string; steps: FunnelStepResult[]; i: number }[];
  relativeTo: RelativeTo;
}) {
  if (!active || typeof label !== 'number') return null;
  return (
    <TooltipCard
      title={`Step ${label + 1} · ${stepName(query, label)}`}
      rows={groups.map((g) => {
        const s = g.steps[label];
        return {
          key: g.key,
          label: g.label,
          color: groupColor(g.key, g.i),
          value: s ? `${formatCount(s.users)} users` : '—',
          detail: s ? formatPercent(conversionOf(s, relativeTo)) : undefined,
        };
      })}
    />
  );
}

/** Per step: users, conversion, drop-off and median time — the numbers a PM quotes. */
function StepSummary({
  query,
  steps,
  relativeTo,
}: {
  query: FunnelsQuery;
  steps: FunnelStepResult[];
  relativeTo: RelativeTo;
}) {
  return (
    <ol
      className="grid [grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr))] gap-2"
      data-testid="funnel-steps"
    >
      {steps.map((s) => (
        <li
          key={s.index}
          className="grid grid-cols-1 gap-0.5 rounded-md border bg-muted/30 px-3 py-2 text-xs"
          data-testid={`funnel-step-${s.index}`}
        >
          <span className="truncate text-muted-foreground">
            {s.index + 1}. {stepName(query, s.index)}
          </span>
          <span className="text-base font-semibold tabular-nums" data-testid="funnel-step-users">
            {formatCount(s.users)}
          </span>
          <span className="tabular-nums" data-testid="funnel-step-conversion">
            {formatPercent(conversionOf(s, relativeTo))}{' '}
            <span className="text-muted-foreground">
              {relativeTo === 'previous' ? 'of previous' : 'of first'}
            </span>
          </span>
          {s.index > 0 ? (
            <span className="flex flex-wrap items-center gap-x-2 text-muted-foreground tabular-nums">
              <span className="inline-flex items-center gap-1 whitespace-nowrap">
                <ArrowDownRight className="size-3 text-destructive" aria-hidden />
                {formatCount(s.dropOff)} dropped
              </span>
              {s.medianSecondsFromPrevious !== null ? (
                <span
                  className="inline-flex items-center gap-1 whitespace-nowrap"
                  title="Median time from the previous step"
                >
                  <Clock className="size-3" aria-hidden />
                  {formatDuration(s.medianSecondsFromPrevious)}
                </span>
              ) : null}
            </span>
          ) : (
            <span className="text-muted-foreground">entered the funnel</span>
          )}
        </li>
      ))}
    </ol>
  );
}

function TimeToConvert({
  query,
  result,
  height,
}: {
  query: FunnelsQuery;
  result: FunnelsResult;
  height: number;
}) {
  const groups = funnelGroups(result);
  const { hidden, toggle } = useHiddenSeries(groups.map((g) => g.key));
  if (query.order === 'any')
    return (
      <p className="py-16 text-center text-sm text-muted-foreground">
        Time to convert needs ordered steps: choose a sequential or strict order.
      </p>
    );
  const visible = groups.map((g, i) => ({ ...g, i })).filter((g) => !hidden.has(g.key));
  const data = query.steps.slice(1).map((_, j) => {
    const k = j + 1;
    const row: Record<string, number | null> = { step: k };
    for (const g of visible) row[`t${g.i}`] = g.steps[k]?.medianSecondsFromPrevious ?? null;
    return row;
  });
  return (
    <div className="grid grid-cols-1 gap-3">
      <p className="text-xs text-muted-foreground">
        Median time from the previous step, among users who converted.
      </p>
      <div style={{ height: height - 24 }} className="w-full" data-testid="funnel-time-plot">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <BarChart data={data} margin={{ top: 22, right: 12, bottom: 0, left: 0 }} barGap={2}>
            <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
            <XAxis
              dataKey="step"
              tick={(p: {
                x?: number | string;
                y?: number | string;
                payload?: { value: number };
              }) => <StepTick {...p} query={query} />}
              height={40}
              axisLine={false}
              tickLine={false}
              interval={0}
            />
            <YAxis
              tickFormatter={(v: number) => formatDuration(v)}
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
              width={56}
            />
            <Tooltip
              cursor={CURSOR_FILL}
              isAnimationActive={false}
              content={(p: ChartTooltipProps) =>
                p.active && typeof p.label === 'number' ? (
                  <TooltipCard
                    title={`${stepName(query, p.label - 1)} → ${stepName(query, p.label)}`}
                    rows={visible.map((g) => ({
                      key: g.key,
                      label: g.label,
                      color: groupColor(g.key, g.i),
                      value: formatDuration(g.steps[p.label as number]?.medianSecondsFromPrevious),
                    }))}
                  />
                ) : null
              }
            />
            {visible.map((g) => (
              <Bar
                key={g.key}
                dataKey={`t${g.i}`}
                fill={groupColor(g.key, g.i)}
                radius={[3, 3, 0, 0]}
                isAnimationActive={false}
              >
                {groups.length === 1 ? (
                  <LabelList
                    dataKey={`t${g.i}`}
                    position="top"
                    formatter={(v: unknown) => formatDuration(v as number | null)}
                    fontSize={12}
                    fill="var(--foreground)"
                  />
                ) : null}
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {groups.length > 1 ? (
        <ChartLegend
          items={groups.map((g, i) => ({
            key: g.key,
            label: g.label,
            color: groupColor(g.key, i),
          }))}
          hidden={hidden}
          onToggle={toggle}
        />
      ) : null}
    </div>
  );
}

function FunnelsTable({ query, result }: { query: FunnelsQuery; result: FunnelsResult }) {
  const groups =
    result.breakdowns.length > 0
      ? [{ key: '$all', label: 'All users', steps: result.steps }, ...funnelGroups(result)]
      : funnelGroups(result);
  return (
    <div className="max-h-[420px] overflow-auto rounded-md border" data-testid="funnel-table">
      <Table>
        <TableHeader className="sticky top-0 z-10 bg-card">
          <TableRow>
            {result.breakdowns.length ? <TableHead>Breakdown</TableHead> : null}
            <TableHead>Step</TableHead>
            <TableHead className="text-right">Users</TableHead>
            <TableHead className="text-right">Of first</TableHead>
            <TableHead className="text-right">Of previous</TableHead>
            <TableHead className="text-right">Dropped</TableHead>
            <TableHead className="text-right">Median time</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {groups.flatMap((g) =>
            g.steps.map((s) => (
              <TableRow key={`${g.key}:${s.index}`}>
                {result.breakdowns.length ? (
                  <TableCell className={s.index === 0 ? 'font-medium' : 'text-transparent'}>
                    {g.label}
                  </TableCell>
                ) : null}
                <TableCell>
                  <span className="text-muted-foreground">{s.index + 1}.</span>{' '}
                  <span className="font-mono text-xs">{stepName(query, s.index)}</span>
                </TableCell>
                <TableCell className="text-right font-medium tabular-nums">
                  {formatCount(s.users)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatPercent(s.conversionFromFirst)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatPercent(s.conversionFromPrevious)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {s.index === 0 ? '—' : formatCount(s.dropOff)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatDuration(s.medianSecondsFromPrevious)}
                </TableCell>
              </TableRow>
            )),
          )}
        </TableBody>
      </Table>
    </div>
  );
}
