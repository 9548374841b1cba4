'use client';
// A SQL result as a chart (line, bar, area, scatter or a big number), drawn like the insight
// charts (components/insights/chart-parts). With `onConfigChange` a toolbar above the chart picks
// the chart type, x, the y columns and an optional series column; without it (dashboard tiles)
// only the chart. The data shaping is result-chart-model.ts; a config that no longer fits the
// result (a column renamed in the SQL) shows validateChartConfig's message instead of a chart.
import * as React from 'react';
import {
  AlertTriangle,
  AreaChart as AreaIcon,
  ChartColumn,
  ChartLine,
  ChartNoAxesColumn,
  ChartScatter,
  ChevronDown,
  Hash,
} from 'lucide-react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
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
} from '@/components/insights/chart-parts';
import { Segmented } from '@/components/insights/controls/segmented';
import { formatCompact, formatValue } from '@/components/insights/format';
import { cn } from '@/lib/utils';
import { COLUMN_TYPES } from '@/server/query/query-engine';
import {
  chartNotes,
  chartProblem,
  isNumericColumn,
  isTimeColumn,
  MAX_Y_COLUMNS,
  toChartData,
  validateChartConfig,
  X_KEY,
  type SqlChartColumn,
  type SqlChartConfig,
  type SqlChartData,
  type SqlChartRow,
  type SqlChartSeries,
  type SqlChartType,
  rightAxisSeries,
} from './result-chart-model';
import type { SqlResult } from './results-grid';

const CHART_TYPES: readonly { value: SqlChartType; label: string; icon: typeof ChartLine }[] = [
  { value: 'line', label: 'Line', icon: ChartLine },
  { value: 'bar', label: 'Bar', icon: ChartColumn },
  { value: 'area', label: 'Area', icon: AreaIcon },
  { value: 'scatter', label: 'Scatter', icon: ChartScatter },
  { value: 'number', label: 'Number', icon: Hash },
];

/** Select values that are not column names (Radix Select items cannot have an empty value). */
const ROW_NUMBER = '\u0000row';
const NO_SERIES = '\u0000none';
/** Types that can be an axis or split series (not JSON, lists, structs, binary). */
const AXIS_TYPES: ReadonlySet<string> = new Set(
  COLUMN_TYPES.filter((t) => !['json', 'list', 'struct', 'binary'].includes(t)),
);

export interface ResultChartProps {
  /** The result to draw (only `columns` and `rows` are read). */
  result: Pick<SqlResult, 'columns' | 'rows'>;
  /**
   * What to draw; null when there is no config yet and suggestChart found nothing — the reason
   * (chartProblem) is shown.
   */
  config: SqlChartConfig | null;
  /** Shows the toolbar (type, x, y, series); every pick calls it with the whole new config. */
  onConfigChange?: (config: SqlChartConfig) => void;
  /** Dashboard tiles: smaller number and legend; with no `height` the plot fills the parent. */
  compact?: boolean;
  /** Plot height in px; default 320, or the parent's height when `compact`. */
  height?: number;
  className?: string;
}

export function ResultChart({
  result,
  config,
  onConfigChange,
  compact = false,
  height,
  className,
}: ResultChartProps) {
  const { columns, rows } = result;
  const chart = React.useMemo(
    () => (config ? toChartData(config, columns, rows) : null),
    [config, columns, rows],
  );
  const problem = config ? (chart?.problem ?? null) : chartProblem(columns, rows);
  const fill = compact && height === undefined;
  return (
    <div
      className={cn('flex min-w-0 flex-col gap-3', fill && 'h-full min-h-0', className)}
      data-testid="sql-result-chart"
      data-chart-type={config?.type ?? 'none'}
      data-state={problem ? 'invalid' : 'ready'}
    >
      {onConfigChange && config ? (
        <ChartToolbar columns={columns} config={config} onChange={onConfigChange} />
      ) : null}
      {problem || !chart || !config ? (
        <ChartMessage
          invalid={!!config && validateChartConfig(config, columns) !== null}
          text={problem ?? 'Nothing to chart.'}
          compact={compact}
        />
      ) : config.type === 'number' ? (
        <BigNumber
          value={chart.value ?? null}
          label={config.y[0]!}
          rows={rows.length}
          compact={compact}
        />
      ) : (
        <CartesianResult
          chart={chart}
          config={config}
          compact={compact}
          height={height ?? (fill ? undefined : 320)}
        />
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Toolbar

function ChartToolbar({
  columns,
  config,
  onChange,
}: {
  columns: readonly SqlChartColumn[];
  config: SqlChartConfig;
  onChange: (config: SqlChartConfig) => void;
}) {
  // Duplicate names (select a.id, b.id) can only be picked once: configs name columns.
  const unique = columns.filter((c, i) => columns.findIndex((o) => o.name === c.name) === i);
  const numeric = unique.filter(isNumericColumn);
  const axis = unique.filter((c) => AXIS_TYPES.has(c.type));
  const scatter = config.type === 'scatter';
  const xOptions = scatter ? axis.filter((c) => isNumericColumn(c) || isTimeColumn(c)) : axis;
  const seriesOptions = axis.filter((c) => c.name !== config.x && !config.y.includes(c.name));

  const setType = (type: SqlChartType) => {
    const next: SqlChartConfig = { ...config, type };
    const x = config.x === undefined ? undefined : unique.find((c) => c.name === config.x);
    if (type === 'scatter' && (!x || !(isNumericColumn(x) || isTimeColumn(x)))) {
      // A scatter needs a numeric or time x: the first one that is not already y.
      const candidate =
        unique.find((c) => isTimeColumn(c) && c.name !== config.series) ??
        numeric.find((c) => !config.y.includes(c.name) && c.name !== config.series);
      if (candidate) next.x = candidate.name;
      else if (config.y.length > 1) {
        next.x = config.y[0];
        next.y = config.y.slice(1);
      }
    }
    onChange(next);
  };
  const setX = (value: string) => {
    const x = value === ROW_NUMBER ? undefined : value;
    const next: SqlChartConfig = { ...config, x };
    if (x === undefined) delete next.x;
    if (x !== undefined && config.y.includes(x)) {
      // The new x leaves y; a y of one column gets another numeric column instead.
      const rest = config.y.filter((y) => y !== x);
      const other = numeric.find((c) => c.name !== x && c.name !== config.series);
      if (rest.length > 0) next.y = rest;
      else if (other) next.y = [other.name];
    }
    if (x !== undefined && x === config.series) delete next.series;
    onChange(next);
  };
  const toggleY = (name: string) => {
    const on = config.y.includes(name);
    let y: string[];
    if (config.series !== undefined) y = [name];
    else if (on) y = config.y.length > 1 ? config.y.filter((n) => n !== name) : config.y;
    else y = config.y.length < MAX_Y_COLUMNS ? [...config.y, name] : config.y;
    // Keep the result's column order, so toggling back restores the same colours.
    y = numeric.map((c) => c.name).filter((n) => y.includes(n));
    onChange({ ...config, y });
  };
  const setSeries = (value: string) => {
    const next: SqlChartConfig = { ...config };
    if (value === NO_SERIES) delete next.series;
    else {
      next.series = value;
      next.y = config.y.slice(0, 1);
    }
    onChange(next);
  };

  const isNumber = config.type === 'number';
  const yLabel =
    config.y.length === 0
      ? 'Pick columns'
      : config.y.length === 1
        ? config.y[0]!
        : `${config.y[0]} +${config.y.length - 1}`;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="sql-chart-toolbar">
      <Segmented
        value={config.type}
        onChange={setType}
        options={CHART_TYPES}
        label="Chart type"
        testIdPrefix="sql-chart-type"
      />
      {isNumber ? null : (
        <ToolbarField label="X">
          <Select value={config.x ?? ROW_NUMBER} onValueChange={setX}>
            <SelectTrigger
              size="sm"
              className="w-40 text-xs"
              aria-label="X axis column"
              data-testid="sql-chart-x"
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {scatter ? null : <SelectItem value={ROW_NUMBER}>Row number</SelectItem>}
              {xOptions.map((c) => (
                <SelectItem key={c.name} value={c.name}>
                  <ColumnOption column={c} />
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </ToolbarField>
      )}
      <ToolbarField label={isNumber ? 'Value' : 'Y'}>
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button
              variant="outline"
              size="sm"
              className="w-44 justify-between px-3 text-xs font-normal"
              aria-label="Y axis columns"
              data-testid="sql-chart-y"
            >
              <span className="truncate">{yLabel}</span>
              <ChevronDown className="size-4 opacity-50" aria-hidden />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="start" className="max-h-80 w-56">
            <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">
              {config.series !== undefined || isNumber
                ? 'One numeric column'
                : `Numeric columns (up to ${MAX_Y_COLUMNS})`}
            </DropdownMenuLabel>
            <DropdownMenuSeparator />
            {numeric.length === 0 ? (
              <p className="px-2 py-1.5 text-xs text-muted-foreground">No numeric columns</p>
            ) : null}
            {numeric.map((c) => (
              <DropdownMenuCheckboxItem
                key={c.name}
                checked={config.y.includes(c.name)}
                // Several picks in a row: the menu stays open unless one column is the rule.
                onSelect={(e) => {
                  if (config.series === undefined && !isNumber) e.preventDefault();
                }}
                onCheckedChange={() =>
                  isNumber ? onChange({ ...config, y: [c.name] }) : toggleY(c.name)
                }
                disabled={c.name === config.x && !isNumber}
                data-testid={`sql-chart-y-option-${c.name}`}
                className="text-xs"
              >
                <ColumnOption column={c} />
              </DropdownMenuCheckboxItem>
            ))}
          </DropdownMenuContent>
        </DropdownMenu>
      </ToolbarField>
      {isNumber ? null : (
        <ToolbarField label="Series">
          <Select value={config.series ?? NO_SERIES} onValueChange={setSeries}>
            <SelectTrigger
              size="sm"
              className="w-40 text-xs"
              aria-label="Series column"
              data-testid="sql-chart-series"
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={NO_SERIES}>None</SelectItem>
              {config.series !== undefined &&
              !seriesOptions.some((c) => c.name === config.series) ? (
                <SelectItem value={config.series}>{config.series}</SelectItem>
              ) : null}
              {seriesOptions.map((c) => (
                <SelectItem key={c.name} value={c.name}>
                  <ColumnOption column={c} />
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </ToolbarField>
      )}
    </div>
  );
}

function ToolbarField({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-center gap-1.5">
      <span className="text-xs text-muted-foreground">{label}</span>
      {children}
    </div>
  );
}

function ColumnOption({ column }: { column: SqlChartColumn }) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      <span className="truncate">{column.name}</span>
      <span className="text-[10px] text-muted-foreground uppercase">{column.type}</span>
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// States

function ChartMessage({
  invalid,
  text,
  compact,
}: {
  invalid: boolean;
  text: string;
  compact: boolean;
}) {
  const Icon = invalid ? AlertTriangle : ChartNoAxesColumn;
  return (
    <div
      className={cn(
        'flex flex-1 flex-col items-center justify-center gap-2 px-6 text-center',
        compact ? 'py-6' : 'py-16',
      )}
      data-testid="sql-chart-message"
    >
      <Icon
        className={cn('size-6', invalid ? 'text-destructive' : 'text-muted-foreground')}
        aria-hidden
      />
      <p className="max-w-lg text-sm text-balance text-muted-foreground">{text}</p>
    </div>
  );
}

function BigNumber({
  value,
  label,
  rows,
  compact,
}: {
  value: number | null;
  label: string;
  rows: number;
  compact: boolean;
}) {
  return (
    <div
      className={cn(
        'flex flex-1 flex-col items-center justify-center gap-1 text-center',
        compact ? 'py-2' : 'py-10',
      )}
      data-testid="sql-chart-number"
    >
      <div className="flex items-center gap-1.5 text-xs text-muted-foreground">
        <span className="size-2 rounded-full" style={{ background: colorAt(0) }} />
        <span className="truncate">{label}</span>
      </div>
      <div
        className={cn(
          'font-semibold tracking-tight tabular-nums',
          compact ? 'text-4xl' : 'text-5xl',
        )}
        data-testid="sql-chart-number-value"
      >
        {value === null ? '—' : formatValue(value)}
      </div>
      {rows > 1 ? (
        <div className="text-[11px] text-muted-foreground">
          From the first of {rows.toLocaleString('en-US')} rows
        </div>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Line, bar, area, scatter

const UTC_DAY = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const UTC_DAY_YEAR = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const UTC_TIME = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const UTC_TIME_YEAR = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** An x value as an axis tick (`long`: as a tooltip title). Times are UTC, like the engine's. */
function formatX(value: unknown, chart: SqlChartData, long: boolean): string {
  if (value === null || value === undefined) return '';
  if (chart.xKind === 'time') {
    const ms = typeof value === 'number' ? value : Date.parse(String(value));
    if (Number.isNaN(ms)) return String(value);
    const date = new Date(ms);
    if (chart.xDaysOnly) return (long ? UTC_DAY_YEAR : UTC_DAY).format(date);
    return `${(long ? UTC_TIME_YEAR : UTC_TIME).format(date)}${long ? ' UTC' : ''}`;
  }
  if (chart.xKind === 'number')
    return long ? formatValue(Number(value)) : formatCompact(Number(value));
  if (chart.xKind === 'row') return long ? `Row ${String(value)}` : String(value);
  const text = String(value);
  return !long && text.length > 18 ? `${text.slice(0, 17)}…` : text;
}

const colorOf = (s: SqlChartSeries) => (s.other ? OTHER_COLOR : colorAt(s.colorIndex));

function CartesianResult({
  chart,
  config,
  compact,
  height,
}: {
  chart: SqlChartData;
  config: SqlChartConfig;
  compact: boolean;
  /** Undefined: fill the parent. */
  height: number | undefined;
}) {
  const { hidden, toggle } = useHiddenSeries(chart.seriesKeys);
  const visible = chart.series.filter((s) => !hidden.has(s.key));
  const notes = chartNotes(chart, config);
  const yLabel = config.y.length === 1 ? config.y[0]! : undefined;
  const margin = { top: 8, right: 12, bottom: 0, left: 0 };
  const axisProps = {
    type: 'number' as const,
    tickFormatter: (v: number) => formatCompact(v),
    tick: AXIS_TICK,
    axisLine: false,
    tickLine: false,
    width: 48,
  };
  const yAxis = (
    <YAxis
      {...axisProps}
      // Bars and areas measure from zero; lines and points zoom to their values.
      domain={config.type === 'line' || config.type === 'scatter' ? ['auto', 'auto'] : undefined}
    />
  );
  const grid = <CartesianGrid vertical={false} stroke={GRID_STROKE} strokeDasharray="3 3" />;
  // Two columns of different scales ("sessions" and "avg_minutes"): the smaller on its own axis
  // at the right, so it is not a flat line at zero.
  const right = rightAxisSeries(chart, visible, config);
  const rightAxis = right ? (
    <YAxis
      {...axisProps}
      yAxisId="right"
      orientation="right"
      domain={config.type === 'line' ? ['auto', 'auto'] : undefined}
    />
  ) : null;

  let plot: React.ReactElement;
  if (config.type === 'scatter') {
    plot = (
      <ScatterChart margin={margin}>
        {grid}
        <XAxis
          dataKey={X_KEY}
          type="number"
          name={chart.xLabel}
          domain={['auto', 'auto']}
          tickFormatter={(v: number) => formatX(v, chart, false)}
          tick={AXIS_TICK}
          axisLine={false}
          tickLine={false}
          minTickGap={28}
          tickMargin={8}
        />
        {yAxis}
        <Tooltip
          cursor={{ stroke: 'var(--border)', strokeDasharray: '3 3' }}
          content={(p: ChartTooltipProps) => (
            <ScatterTooltip {...p} chart={chart} yLabel={yLabel} />
          )}
          isAnimationActive={false}
        />
        {visible.map((s) => (
          <Scatter
            key={s.key}
            name={s.label}
            dataKey={s.key}
            data={chart.data.filter((r) => typeof r[s.key] === 'number')}
            fill={colorOf(s)}
            fillOpacity={0.75}
            isAnimationActive={false}
          />
        ))}
      </ScatterChart>
    );
  } else {
    const common = { data: chart.data, margin };
    const axes = (
      <>
        {grid}
        <XAxis
          dataKey={X_KEY}
          tickFormatter={(v: unknown) => formatX(v, chart, false)}
          tick={AXIS_TICK}
          axisLine={false}
          tickLine={false}
          minTickGap={28}
          tickMargin={8}
        />
        {yAxis}
        {rightAxis}
        <Tooltip
          cursor={config.type === 'bar' ? CURSOR_FILL : { stroke: 'var(--border)' }}
          content={(p: ChartTooltipProps) => (
            <SeriesTooltip {...p} chart={chart} series={visible} />
          )}
          isAnimationActive={false}
        />
      </>
    );
    const stackId = chart.stacked ? 'stack' : undefined;
    if (config.type === 'bar')
      plot = (
        <BarChart {...common} barCategoryGap="18%">
          {axes}
          {visible.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              {...(s.key === right ? { yAxisId: 'right' } : {})}
              name={s.label}
              fill={colorOf(s)}
              fillOpacity={0.9}
              stackId={stackId}
              radius={chart.stacked ? 0 : [3, 3, 0, 0]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      );
    else if (config.type === 'area')
      plot = (
        <AreaChart {...common}>
          {axes}
          {visible.map((s) => (
            <Area
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={colorOf(s)}
              strokeWidth={2}
              fill={colorOf(s)}
              fillOpacity={chart.stacked ? 0.5 : 0.14}
              stackId={stackId}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      );
    else
      plot = (
        <LineChart {...common}>
          {axes}
          {visible.map((s) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              {...(s.key === right ? { yAxisId: 'right' } : {})}
              name={s.label}
              stroke={colorOf(s)}
              strokeWidth={2}
              dot={chart.data.length <= 30 ? { r: 2.5, strokeWidth: 0, fill: colorOf(s) } : false}
              activeDot={{ r: 4, strokeWidth: 0 }}
              // Long format leaves gaps where a series has no row for an x; draw through them.
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      );
  }

  const showLegend = chart.series.length > 1 || !compact;
  return (
    <div
      className={cn(
        'grid grid-cols-1 gap-3',
        height === undefined && 'min-h-0 flex-1 grid-rows-[1fr_auto]',
      )}
    >
      <div
        style={height === undefined ? undefined : { height }}
        className={cn('w-full min-w-0', height === undefined && 'min-h-32')}
        data-testid="sql-chart-plot"
      >
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          {plot}
        </ResponsiveContainer>
      </div>
      {showLegend || notes.length > 0 ? (
        <div className="grid gap-1.5">
          {showLegend ? (
            <ChartLegend
              items={chart.series.map((s) => ({ key: s.key, label: s.label, color: colorOf(s) }))}
              hidden={hidden}
              onToggle={toggle}
            />
          ) : null}
          {notes.length > 0 ? (
            <p className="px-1 text-[11px] text-muted-foreground" data-testid="sql-chart-notes">
              {notes.join(' ')}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function SeriesTooltip({
  active,
  payload,
  label,
  chart,
  series,
}: ChartTooltipProps & { chart: SqlChartData; series: SqlChartSeries[] }) {
  const row = payload?.[0]?.payload as SqlChartRow | undefined;
  if (!active || !row) return null;
  const rows = series
    .map((s) => {
      const v = row[s.key];
      const raw = typeof v === 'number' ? v : null;
      return {
        key: s.key,
        label: s.label,
        color: colorOf(s),
        raw,
        value: raw === null ? '—' : formatValue(raw),
      };
    })
    .sort((a, b) => (b.raw ?? -Infinity) - (a.raw ?? -Infinity));
  return <TooltipCard title={formatX(row[X_KEY] ?? label, chart, true)} rows={rows} />;
}

function ScatterTooltip({
  active,
  payload,
  chart,
  yLabel,
}: ChartTooltipProps & { chart: SqlChartData; yLabel: string | undefined }) {
  const row = payload?.[0]?.payload as SqlChartRow | undefined;
  if (!active || !row) return null;
  // Entries are [x, y]; y's dataKey is the hovered Scatter's series key.
  const key = payload?.[1]?.dataKey;
  const s =
    chart.series.find((x) => x.key === key) ??
    chart.series.find((x) => typeof row[x.key] === 'number');
  if (!s || typeof row[s.key] !== 'number') return null;
  const y = row[s.key] as number;
  return (
    <TooltipCard
      title={s.label}
      rows={[
        {
          key: 'x',
          label: chart.xLabel,
          color: 'transparent',
          value: formatX(row[X_KEY], chart, true),
        },
        {
          key: 'y',
          label: yLabel ?? s.label,
          color: colorOf(s),
          value: formatValue(y),
        },
      ]}
    />
  );
}
