'use client';
// Funnels drawn by view: steps (bars of conversion with the drop-off shaded, relative to the
// first or the previous step; grouped bars per breakdown value; click a step to list its users),
// time to convert (a histogram of converters' durations between two steps, with median and mean)
// and conversion over time (entered / converted bars and the rate line); or as a table.
import * as React from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  LabelList,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ArrowDownRight, Clock, UsersRound } from 'lucide-react';
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
import { describeBucket, formatBucket } from '../dates';
import { cn } from '@/lib/utils';
import { formatCompact, formatCount, formatDuration, formatPercent } from '../format';
import type { ChartProps } from './types';
import {
  conversionOf,
  funnelGroups,
  histogramRows,
  overallConversion,
  overTimeRows,
  type RelativeTo,
} from './funnels-data';
import { FunnelUsersSheet, type FunnelOutcome } from './funnel-users-sheet';

const stepName = (query: FunnelsQuery, i: number) =>
  query.steps[i]?.label ?? query.steps[i]?.event ?? `Step ${i + 1}`;
const groupColor = (key: string, i: number) => (key === '$other' ? OTHER_COLOR : colorAt(i));

export function FunnelsChart({
  query,
  result,
  chartType,
  options,
  height = 320,
  drillDown = false,
}: ChartProps<FunnelsQuery, FunnelsResult>) {
  const relativeTo: RelativeTo = options?.relativeTo ?? 'first';
  const [picked, setPicked] = React.useState<{ step: number; outcome: FunnelOutcome } | null>(null);
  // A result of another view (placeholder data while the new view runs) is drawn as its own view.
  const view = result.view ?? 'steps';
  if (view === 'time_to_convert')
    return chartType === 'table' ? (
      <HistogramTable result={result} />
    ) : (
      <TimeToConvertHistogram query={query} result={result} height={height} />
    );
  if (view === 'trends')
    return chartType === 'table' ? (
      <OverTimeTable query={query} result={result} />
    ) : (
      <ConversionOverTime query={query} result={result} height={height} />
    );
  const onStep = drillDown
    ? (step: number) => setPicked({ step, outcome: step === 0 ? 'converted' : 'dropped' })
    : undefined;
  return (
    <>
      {chartType === 'table' ? (
        <FunnelsTable query={query} result={result} />
      ) : (
        <FunnelSteps
          query={query}
          result={result}
          relativeTo={relativeTo}
          height={height}
          onStep={onStep}
        />
      )}
      {drillDown ? (
        <FunnelUsersSheet
          query={query}
          step={picked?.step ?? null}
          outcome={picked?.outcome ?? 'dropped'}
          onOutcomeChange={(outcome) => setPicked((p) => (p ? { ...p, outcome } : p))}
          onClose={() => setPicked(null)}
        />
      ) : null}
    </>
  );
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
  onStep,
}: {
  query: FunnelsQuery;
  result: FunnelsResult;
  relativeTo: RelativeTo;
  height: number;
  /** Click on a step (its bars or its card): list its users. */
  onStep?: (step: number) => void;
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
            onClick={
              onStep
                ? (state: { activeTooltipIndex?: number | string | null }) => {
                    const i = Number(state?.activeTooltipIndex);
                    if (Number.isInteger(i) && i >= 0) onStep(i);
                  }
                : undefined
            }
            style={onStep ? { cursor: 'pointer' } : undefined}
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
        <StepSummary query={query} steps={result.steps} relativeTo={relativeTo} onStep={onStep} />
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
      {onStep ? (
        <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
          <UsersRound className="size-3.5" aria-hidden />
          Click a step to see who dropped off before it (or who converted).
        </p>
      ) : null}
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
  onStep,
}: {
  query: FunnelsQuery;
  steps: FunnelStepResult[];
  relativeTo: RelativeTo;
  onStep?: (step: number) => void;
}) {
  return (
    <ol
      className="grid [grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr))] gap-2"
      data-testid="funnel-steps"
    >
      {steps.map((s) => (
        <li
          key={s.index}
          className={cn(
            'relative grid grid-cols-1 gap-0.5 rounded-md border bg-muted/30 px-3 py-2 text-xs',
            onStep &&
              'cursor-pointer transition-colors focus-within:ring-[3px] focus-within:ring-ring/50 hover:border-primary/40 hover:bg-accent/50',
          )}
          data-testid={`funnel-step-${s.index}`}
        >
          {onStep ? (
            <button
              type="button"
              className="absolute inset-0 cursor-pointer rounded-md outline-none"
              aria-label={`Users of step ${s.index + 1}: ${stepName(query, s.index)}`}
              onClick={() => onStep(s.index)}
              data-testid={`funnel-step-${s.index}-users`}
            />
          ) : null}
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

function ViewMessage({ children }: { children: React.ReactNode }) {
  return <p className="py-16 text-center text-sm text-muted-foreground">{children}</p>;
}

/** Converters' durations between two steps as a histogram, with the median and mean. */
function TimeToConvertHistogram({
  query,
  result,
  height,
}: {
  query: FunnelsQuery;
  result: FunnelsResult;
  height: number;
}) {
  const t = result.timeToConvert;
  if (!t) return <ViewMessage>No time to convert in this result.</ViewMessage>;
  const rows = histogramRows(t);
  // The bin holding the median and the mean, to mark them on the axis.
  const binOf = (secs: number | null) =>
    secs === null
      ? undefined
      : rows.find((r, i) => secs < r.toSeconds || i === rows.length - 1)?.label;
  const medianBin = binOf(t.medianSeconds);
  const meanBin = binOf(t.averageSeconds);
  return (
    <div className="grid grid-cols-1 gap-3">
      <div
        className="flex flex-wrap items-baseline gap-x-6 gap-y-1 text-xs text-muted-foreground"
        data-testid="funnel-ttc-summary"
      >
        <span>
          {stepName(query, t.fromStep)} → {stepName(query, t.toStep)}
        </span>
        <span>
          <span className="text-base font-semibold text-foreground tabular-nums">
            {formatCount(t.users)}
          </span>{' '}
          converted
        </span>
        <span data-testid="funnel-ttc-median">
          Median{' '}
          <span className="text-base font-semibold text-foreground tabular-nums">
            {formatDuration(t.medianSeconds)}
          </span>
        </span>
        <span data-testid="funnel-ttc-mean">
          Mean{' '}
          <span className="text-base font-semibold text-foreground tabular-nums">
            {formatDuration(t.averageSeconds)}
          </span>
        </span>
      </div>
      <div style={{ height: height - 28 }} className="w-full" data-testid="funnel-ttc-plot">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <BarChart data={rows} margin={{ top: 22, right: 12, bottom: 0, left: 0 }} barGap={0}>
            <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
            <XAxis
              dataKey="label"
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
              interval="preserveStartEnd"
              minTickGap={16}
            />
            <YAxis
              allowDecimals={false}
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
                const row = p.active ? rows.find((r) => r.label === p.label) : undefined;
                return row ? (
                  <TooltipCard
                    title={`Converted in ${row.label}`}
                    rows={[
                      {
                        key: 'users',
                        label: 'Users',
                        color: colorAt(0),
                        value: formatCount(row.users),
                        detail: t.users ? formatPercent(row.users / t.users) : undefined,
                      },
                    ]}
                  />
                ) : null;
              }}
            />
            {medianBin !== undefined ? (
              <ReferenceLine
                x={medianBin}
                stroke="var(--foreground)"
                strokeDasharray="4 3"
                label={{
                  value: `median ${formatDuration(t.medianSeconds)}`,
                  position: 'top',
                  fontSize: 11,
                  fill: 'var(--foreground)',
                }}
              />
            ) : null}
            {meanBin !== undefined && meanBin !== medianBin ? (
              <ReferenceLine
                x={meanBin}
                stroke="var(--muted-foreground)"
                strokeDasharray="2 3"
                label={{
                  value: `mean ${formatDuration(t.averageSeconds)}`,
                  position: 'insideTopRight',
                  fontSize: 11,
                  fill: 'var(--muted-foreground)',
                }}
              />
            ) : null}
            <Bar
              dataKey="users"
              fill={colorAt(0)}
              radius={[3, 3, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}

const OVER_TIME_COLORS = { entered: colorAt(0), converted: colorAt(1), rate: colorAt(2) };

/** Attempts per interval: entered and converted (bars, left axis), the rate (line, right, %). */
function ConversionOverTime({
  query,
  result,
  height,
}: {
  query: FunnelsQuery;
  result: FunnelsResult;
  height: number;
}) {
  const rows = overTimeRows(result.overTime);
  const { hidden, toggle } = useHiddenSeries(['entered', 'converted', 'rate']);
  const interval = query.trendsInterval;
  const entered = rows.reduce((a, r) => a + r.entered, 0);
  const converted = rows.reduce((a, r) => a + r.converted, 0);
  return (
    <div className="grid grid-cols-1 gap-3">
      <div style={{ height }} className="w-full" data-testid="funnel-over-time-plot">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <ComposedChart data={rows} margin={{ top: 12, right: 4, bottom: 0, left: 0 }} barGap={1}>
            <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />
            <XAxis
              dataKey="bucket"
              tickFormatter={(v: string) => formatBucket(v, interval)}
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
              minTickGap={24}
            />
            <YAxis
              yAxisId="users"
              allowDecimals={false}
              tickFormatter={(v: number) => formatCompact(v)}
              tick={AXIS_TICK}
              axisLine={false}
              tickLine={false}
              width={44}
            />
            <YAxis
              yAxisId="rate"
              orientation="right"
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
              content={(p: ChartTooltipProps) => {
                const row = p.active ? rows.find((r) => r.bucket === p.label) : undefined;
                return row ? (
                  <TooltipCard
                    title={describeBucket(row.bucket, interval)}
                    rows={[
                      {
                        key: 'entered',
                        label: 'Entered',
                        color: OVER_TIME_COLORS.entered,
                        value: formatCount(row.entered),
                      },
                      {
                        key: 'converted',
                        label: 'Converted',
                        color: OVER_TIME_COLORS.converted,
                        value: formatCount(row.converted),
                      },
                      {
                        key: 'rate',
                        label: 'Conversion',
                        color: OVER_TIME_COLORS.rate,
                        value: formatPercent(row.rate),
                      },
                    ]}
                  />
                ) : null;
              }}
            />
            {hidden.has('entered') ? null : (
              <Bar
                yAxisId="users"
                dataKey="entered"
                fill={OVER_TIME_COLORS.entered}
                fillOpacity={0.35}
                radius={[2, 2, 0, 0]}
                isAnimationActive={false}
              />
            )}
            {hidden.has('converted') ? null : (
              <Bar
                yAxisId="users"
                dataKey="converted"
                fill={OVER_TIME_COLORS.converted}
                radius={[2, 2, 0, 0]}
                isAnimationActive={false}
              />
            )}
            {hidden.has('rate') ? null : (
              <Line
                yAxisId="rate"
                dataKey="rate"
                type="monotone"
                stroke={OVER_TIME_COLORS.rate}
                strokeWidth={2}
                dot={rows.length <= 31 ? { r: 2.5 } : false}
                isAnimationActive={false}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ChartLegend
        items={[
          {
            key: 'entered',
            label: 'Entered the funnel',
            color: OVER_TIME_COLORS.entered,
            value: formatCount(entered),
          },
          {
            key: 'converted',
            label: 'Converted',
            color: OVER_TIME_COLORS.converted,
            value: formatCount(converted),
          },
          {
            key: 'rate',
            label: 'Conversion rate',
            color: OVER_TIME_COLORS.rate,
            value: formatPercent(entered ? converted / entered : 0),
          },
        ]}
        hidden={hidden}
        onToggle={toggle}
      />
    </div>
  );
}

function HistogramTable({ result }: { result: FunnelsResult }) {
  const rows = histogramRows(result.timeToConvert);
  const total = result.timeToConvert?.users ?? 0;
  return (
    <div className="max-h-[420px] overflow-auto rounded-md border" data-testid="funnel-table">
      <Table>
        <TableHeader className="sticky top-0 z-10 bg-card">
          <TableRow>
            <TableHead>Time to convert</TableHead>
            <TableHead className="text-right">Users</TableHead>
            <TableHead className="text-right">Share</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.i}>
              <TableCell className="tabular-nums">{r.label}</TableCell>
              <TableCell className="text-right font-medium tabular-nums">
                {formatCount(r.users)}
              </TableCell>
              <TableCell className="text-right tabular-nums">
                {total ? formatPercent(r.users / total) : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function OverTimeTable({ query, result }: { query: FunnelsQuery; result: FunnelsResult }) {
  const rows = overTimeRows(result.overTime);
  return (
    <div className="max-h-[420px] overflow-auto rounded-md border" data-testid="funnel-table">
      <Table>
        <TableHeader className="sticky top-0 z-10 bg-card">
          <TableRow>
            <TableHead>
              {query.trendsInterval === 'day'
                ? 'Day'
                : query.trendsInterval === 'week'
                  ? 'Week'
                  : 'Month'}
            </TableHead>
            <TableHead className="text-right">Entered</TableHead>
            <TableHead className="text-right">Converted</TableHead>
            <TableHead className="text-right">Conversion</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.bucket}>
              <TableCell>{describeBucket(r.bucket, query.trendsInterval)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(r.entered)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(r.converted)}</TableCell>
              <TableCell className="text-right font-medium tabular-nums">
                {r.entered ? formatPercent(r.rate) : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
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
