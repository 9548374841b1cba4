'use client';
// One tile of a dashboard: a saved insight run with the dashboard's date range and filters
// (dashboards.runTile), a saved SQL query charted (dashboards.runQueryTile), or a text note. The card carries data-testid="dashboard-tile" and
// data-loading-state (loading|ready|empty|error) for tests; analysts get a drag handle and a
// remove button, viewers a static card. "Refresh" asks again: results are cached per dbt run,
// so it is instant until new marts exist, and then it computes on the new ones.
import * as React from 'react';
import Link from 'next/link';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AlertTriangle, ExternalLink, GripVertical, RefreshCw, SearchX, X } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { Tooltip, TooltipContent, TooltipTrigger } from '@/components/ui/tooltip';
import { formatAbsolute, formatRelative } from '@/components/data/format';
import { InsightChart } from '@/components/insights/insight-chart';
import { kindUI } from '@/components/insights/kinds';
import { withQuery } from '@/components/insights/query-url';
import { ResultChart } from '@/components/sql/result-chart';
import { suggestChart } from '@/components/sql/result-chart-model';
import { cn } from '@/lib/utils';
import type { TDashboardResponse } from '@/server/api/routers/dashboards';
import type { DashboardFilters } from './dashboard-filters';
import { useNow } from './use-now';

export type Tile = TDashboardResponse['tiles'][number];
export type LoadingState = 'loading' | 'ready' | 'empty' | 'error';

/** CSS class of the drag handle (react-grid-layout's dragConfig.handle). */
export const DRAG_HANDLE = 'dashboard-tile-handle';

interface TileProps {
  tile: Tile;
  dashboardId: string;
  workspaceSlug: string;
  filters: Partial<DashboardFilters>;
  editable: boolean;
  /** Plot height in px (from the tile's grid height). */
  chartHeight: number;
  onRemove?: () => void;
}

export function DashboardTile(props: TileProps) {
  if (props.tile.type === 'query' && props.tile.savedQuery) return <QueryTile {...props} />;
  return props.tile.type === 'text' || !props.tile.insight ? (
    <TextTile {...props} />
  ) : (
    <InsightTile {...props} />
  );
}

function TileFrame({
  state,
  range,
  tile,
  editable,
  title,
  meta,
  actions,
  onRemove,
  children,
}: {
  state: LoadingState;
  /** The days the shown result covers ("from..to"), for tests. */
  range?: string;
  tile: Tile;
  editable: boolean;
  title?: React.ReactNode;
  meta?: React.ReactNode;
  actions?: React.ReactNode;
  onRemove?: () => void;
  children: React.ReactNode;
}) {
  return (
    <div
      className="flex h-full min-w-0 flex-col overflow-hidden rounded-xl border bg-card text-card-foreground shadow-xs"
      data-testid="dashboard-tile"
      data-tile-id={tile.id}
      data-tile-type={tile.type}
      data-loading-state={state}
      data-range={range}
      aria-busy={state === 'loading'}
    >
      {title !== undefined || editable ? (
        <div className="flex items-start gap-1.5 px-3 pt-3">
          {editable ? <DragHandle /> : null}
          <div className="grid min-w-0 flex-1 gap-0.5">
            {title !== undefined ? (
              <h3 className="truncate text-sm font-semibold" data-testid="tile-title">
                {title}
              </h3>
            ) : null}
            {meta}
          </div>
          <div className="flex shrink-0 items-center">
            {actions}
            {editable && onRemove ? <RemoveButton onRemove={onRemove} /> : null}
          </div>
        </div>
      ) : null}
      <div className="min-h-0 flex-1 px-3 pb-3">{children}</div>
    </div>
  );
}

function TextTile({ tile, editable, onRemove }: TileProps) {
  // No title row: the note starts at the top, the handle and remove button sit beside it.
  return (
    <div
      className="flex h-full min-w-0 items-start gap-1.5 overflow-hidden rounded-xl border bg-card p-3 text-card-foreground shadow-xs"
      data-testid="dashboard-tile"
      data-tile-id={tile.id}
      data-tile-type="text"
      data-loading-state="ready"
    >
      {editable ? <DragHandle /> : null}
      <div className="h-full min-w-0 flex-1 overflow-auto text-sm leading-relaxed whitespace-pre-wrap text-muted-foreground">
        {tile.text}
      </div>
      {editable && onRemove ? <RemoveButton onRemove={onRemove} /> : null}
    </div>
  );
}

function DragHandle() {
  return (
    <button
      type="button"
      className={cn(
        DRAG_HANDLE,
        'mt-0.5 -ml-1 cursor-grab rounded p-0.5 text-muted-foreground hover:bg-accent active:cursor-grabbing',
      )}
      aria-label="Drag to move the tile"
      data-testid="tile-drag-handle"
    >
      <GripVertical className="size-4" aria-hidden />
    </button>
  );
}

function RemoveButton({ onRemove }: { onRemove: () => void }) {
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="size-7"
          onClick={onRemove}
          aria-label="Remove the tile"
          data-testid="tile-remove"
        >
          <X aria-hidden />
        </Button>
      </TooltipTrigger>
      <TooltipContent>Remove from the dashboard</TooltipContent>
    </Tooltip>
  );
}

function InsightTile({
  tile,
  dashboardId,
  workspaceSlug,
  filters,
  editable,
  chartHeight,
  onRemove,
}: TileProps) {
  const trpc = useTRPC();
  const now = useNow();
  const insight = tile.insight!;
  const run = useQuery({
    ...trpc.dashboards.runTile.queryOptions({ dashboardId, tileId: tile.id, ...filters }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const ui = kindUI(insight.query.kind);
  const data = run.data;
  const stale = run.isPlaceholderData;

  let state: LoadingState;
  let body: React.ReactNode;
  if (run.isPending) {
    state = 'loading';
    body = <TileSkeleton height={chartHeight} />;
  } else if (run.isError && !data) {
    state = 'error';
    body = (
      <TileMessage icon={AlertTriangle} tone="error" title="This tile could not run">
        {run.error.message}
      </TileMessage>
    );
  } else if (!ui) {
    state = 'error';
    body = (
      <TileMessage icon={AlertTriangle} tone="error" title="Not available in this version">
        “{insight.query.kind}” insights cannot be drawn here yet.
      </TileMessage>
    );
  } else if (data && ui.isEmpty(data.response.result)) {
    state = stale ? 'loading' : 'empty';
    body = (
      <TileMessage icon={SearchX} title="No matching events in this range">
        Try a longer date range or fewer filters.
      </TileMessage>
    );
  } else {
    state = stale ? 'loading' : 'ready';
    body = (
      <div className={cn('transition-opacity', stale && 'opacity-50')}>
        <InsightChart
          query={data!.query}
          result={data!.response.result}
          chartType={insight.chartType ?? undefined}
          height={chartHeight}
        />
      </div>
    );
  }
  if (run.isError && data && !run.isFetching) state = 'error';

  const response = data?.response;
  // The Insights page knows each kind's own chart types; others open with the kind's default.
  const chart = ui?.chartTypes.some((c) => c.value === insight.chartType)
    ? (insight.chartType ?? undefined)
    : undefined;
  const openHref = `/w/${encodeURIComponent(workspaceSlug)}/insights?${withQuery(
    '',
    data?.query ?? insight.query,
    chart,
  ).toString()}&insight=${encodeURIComponent(insight.id)}`;

  return (
    <TileFrame
      state={state}
      range={shownRange(data?.query)}
      tile={tile}
      editable={editable}
      onRemove={onRemove}
      title={insight.name}
      meta={
        response ? (
          <ComputedMeta
            computedAt={response.computedAt}
            cached={response.cached}
            durationMs={response.durationMs}
            title={`Computed ${formatAbsolute(response.computedAt)} on dbt run ${response.runId}`}
            now={now}
          />
        ) : insight.description ? (
          <p className="truncate text-xs text-muted-foreground">{insight.description}</p>
        ) : null
      }
      actions={
        <TileActions
          fetching={run.isFetching}
          onRefresh={() => void run.refetch()}
          openHref={openHref}
          openLabel="Open in Insights"
        />
      }
    >
      {body}
    </TileFrame>
  );
}

/**
 * A saved SQL query, charted as it was saved (or as suggested for its result), following the
 * dashboard's date range through `{{ filters }}` and start/end date parameters.
 */
function QueryTile({
  tile,
  dashboardId,
  workspaceSlug,
  filters,
  editable,
  chartHeight,
  onRemove,
}: TileProps) {
  const trpc = useTRPC();
  const now = useNow();
  const saved = tile.savedQuery!;
  const run = useQuery({
    ...trpc.dashboards.runQueryTile.queryOptions({ dashboardId, tileId: tile.id, ...filters }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const data = run.data;
  const stale = run.isPlaceholderData;
  const config = React.useMemo(
    () => (data ? (data.query.chart ?? suggestChart(data.result.columns, data.result.rows)) : null),
    [data],
  );

  let state: LoadingState;
  let body: React.ReactNode;
  if (run.isPending) {
    state = 'loading';
    body = <TileSkeleton height={chartHeight} />;
  } else if (run.isError && !data) {
    state = 'error';
    body = (
      <TileMessage icon={AlertTriangle} tone="error" title="This query could not run">
        {run.error.message}
      </TileMessage>
    );
  } else if (data && data.result.rowCount === 0) {
    state = stale ? 'loading' : 'empty';
    body = (
      <TileMessage icon={SearchX} title="The query returned no rows">
        Try a longer date range.
      </TileMessage>
    );
  } else {
    state = stale ? 'loading' : 'ready';
    body = (
      <div className={cn('h-full transition-opacity', stale && 'opacity-50')}>
        <ResultChart result={data!.result} config={config} compact height={chartHeight} />
      </div>
    );
  }
  if (run.isError && data && !run.isFetching) state = 'error';

  return (
    <TileFrame
      state={state}
      range={data?.range ? `${data.range.from}..${data.range.to}` : undefined}
      tile={tile}
      editable={editable}
      onRemove={onRemove}
      title={saved.name}
      meta={
        data ? (
          <ComputedMeta
            computedAt={data.computedAt}
            cached={data.cached}
            durationMs={data.result.durationMs}
            title={`Computed ${formatAbsolute(data.computedAt)}`}
            now={now}
            prefix="SQL · "
          />
        ) : saved.description ? (
          <p className="truncate text-xs text-muted-foreground">{saved.description}</p>
        ) : null
      }
      actions={
        <TileActions
          fetching={run.isFetching}
          onRefresh={() => void run.refetch()}
          openHref={`/w/${encodeURIComponent(workspaceSlug)}/sql?saved=${encodeURIComponent(saved.id)}`}
          openLabel="Open in the SQL editor"
        />
      }
    >
      {body}
    </TileFrame>
  );
}

function ComputedMeta({
  computedAt,
  cached,
  durationMs,
  title,
  now,
  prefix = '',
}: {
  computedAt: string;
  cached: boolean;
  durationMs: number;
  title: string;
  now: Date;
  prefix?: string;
}) {
  return (
    <p
      className="flex items-center gap-1.5 truncate text-xs text-muted-foreground"
      data-testid="tile-meta"
      title={title}
    >
      <span>
        {prefix}computed {formatRelative(computedAt, now)}
      </span>
      {cached ? (
        <Badge variant="secondary" className="h-4 px-1.5 text-[10px]" data-testid="tile-cached">
          cached
        </Badge>
      ) : (
        <span>· {durationMs} ms</span>
      )}
    </p>
  );
}

/** Refresh (results are cached per dbt run) and open the tile where it was made. */
function TileActions({
  fetching,
  onRefresh,
  openHref,
  openLabel,
}: {
  fetching: boolean;
  onRefresh: () => void;
  openHref: string;
  openLabel: string;
}) {
  return (
    <>
      <Tooltip>
        <TooltipTrigger asChild>
          <Button
            variant="ghost"
            size="icon"
            className="size-7"
            onClick={onRefresh}
            disabled={fetching}
            aria-label="Refresh the tile"
            data-testid="tile-refresh"
          >
            <RefreshCw className={cn(fetching && 'animate-spin')} aria-hidden />
          </Button>
        </TooltipTrigger>
        <TooltipContent>Refresh (new results once a dbt run has finished)</TooltipContent>
      </Tooltip>
      <Tooltip>
        <TooltipTrigger asChild>
          <Button variant="ghost" size="icon" className="size-7" asChild>
            <Link href={openHref} aria-label={openLabel} data-testid="tile-open">
              <ExternalLink aria-hidden />
            </Link>
          </Button>
        </TooltipTrigger>
        <TooltipContent>{openLabel}</TooltipContent>
      </Tooltip>
    </>
  );
}

function shownRange(query: { dateRange?: { from: string; to: string } } | undefined) {
  return query?.dateRange ? `${query.dateRange.from}..${query.dateRange.to}` : undefined;
}

function TileSkeleton({ height }: { height: number }) {
  return (
    <div className="flex items-end gap-1.5 pt-2" style={{ height }} aria-label="Loading the tile">
      {[45, 62, 38, 70, 55, 80, 66, 90, 58, 74].map((h, i) => (
        <Skeleton key={i} className="flex-1 rounded-sm" style={{ height: `${h}%` }} />
      ))}
    </div>
  );
}

function TileMessage({
  icon: Icon,
  title,
  tone,
  children,
}: {
  icon: React.ComponentType<{ className?: string; 'aria-hidden'?: boolean }>;
  title: string;
  tone?: 'error';
  children: React.ReactNode;
}) {
  return (
    <div className="flex h-full flex-col items-center justify-center gap-1.5 px-4 text-center">
      <Icon
        className={cn('size-5', tone === 'error' ? 'text-destructive' : 'text-muted-foreground')}
        aria-hidden
      />
      <p className="text-sm font-medium">{title}</p>
      <p className="line-clamp-3 max-w-md text-xs text-balance text-muted-foreground">{children}</p>
    </div>
  );
}
