'use client';
// The two building blocks every insight surface uses (the Insights page, dashboard tiles, Ask):
//
// - InsightChart({ query, result, chartType?, options?, height? }) draws a result that is
//   already there (no fetching), with the kind's chart (components/insights/kinds/).
// - InsightCard({ query, workspaceSlug, role, … }) runs the query with `insights.run` and shows
//   it in a card: loading skeleton, error, empty state, the chart, and header actions (export
//   CSV and PNG, view the SQL; "Open in SQL editor" for analysts and admins). The card carries
//   data-testid="insight-chart" (overridable) and data-loading-state="loading|ready|error|empty",
//   so tests and screenshots can wait for it.
import * as React from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  AlertTriangle,
  Code2,
  Download,
  FileImage,
  FileSpreadsheet,
  RefreshCw,
  SearchX,
} from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState } from '@/components/empty-state';
import type { SectionRole } from '@/components/sections/types';
import { cn } from '@/lib/utils';
import type { InsightQuery, InsightResponse } from '@/server/insights/insight-service';
import { exportFileName, toCsv } from './csv';
import { downloadPng, downloadText } from './export-image';
import { kindUI } from './kinds';
import type { ChartOptions } from './kinds/types';
import { describeIssues } from './query-url';
import { SqlDialog } from './sql-dialog';

export interface InsightChartProps {
  /** The query object the result answers (`insights.run` input). */
  query: InsightQuery;
  /** `insights.run`'s `result` for that query. */
  result: InsightResponse['result'];
  /** One of the kind's chart types (trends: line|area|bar|number|table; funnels: funnel|table); the kind's default when omitted. */
  chartType?: string;
  options?: ChartOptions;
  /** Plot height in px (default 320). */
  height?: number;
  /** Offer drill-downs (funnels: click a step to see its users). */
  drillDown?: boolean;
}

/** Draws a result already fetched. */
export function InsightChart({
  query,
  result,
  chartType,
  options,
  height,
  drillDown,
}: InsightChartProps) {
  const ui = kindUI(query.kind);
  if (!ui)
    return (
      <p className="py-10 text-center text-sm text-muted-foreground">
        Insights of type “{query.kind}” cannot be drawn by this version yet.
      </p>
    );
  const type = ui.chartTypes.some((c) => c.value === chartType) ? chartType! : ui.defaultChartType;
  return (
    <ui.Chart
      query={query}
      result={result}
      chartType={type}
      options={options}
      height={height}
      drillDown={drillDown}
    />
  );
}

export type LoadingState = 'loading' | 'ready' | 'error' | 'empty';

export interface InsightCardProps {
  query: InsightQuery;
  chartType?: string;
  options?: ChartOptions;
  /** Card title; defaults to the kind's automatic name ("signed_up → subscription_started"). */
  title?: React.ReactNode;
  /** Under the title (e.g. a saved insight's description). */
  description?: React.ReactNode;
  /** For "Open in SQL editor" links. */
  workspaceSlug: string;
  /** Viewers see the SQL; analysts and admins can also open it in the editor. */
  role: SectionRole;
  height?: number;
  /** Offer drill-downs (funnels: click a step to see its users); the Insights page sets it. */
  drillDown?: boolean;
  /** More header buttons (e.g. a dashboard tile's menu), before the built-in ones. */
  actions?: React.ReactNode;
  className?: string;
  'data-testid'?: string;
}

/** Runs `query` and shows it in a card with loading / error / empty states and exports. */
export function InsightCard({
  query,
  chartType,
  options,
  title,
  description,
  workspaceSlug,
  role,
  height = 320,
  drillDown,
  actions,
  className,
  'data-testid': testId = 'insight-chart',
}: InsightCardProps) {
  const trpc = useTRPC();
  const ui = kindUI(query.kind);
  const validation = React.useMemo(() => ui?.schema.safeParse(query), [ui, query]);
  const valid = validation?.success === true;
  const run = useQuery({
    ...trpc.insights.run.queryOptions(query, { enabled: valid }),
    // While an edit runs, keep showing the previous result (dimmed) — of the same kind only: a
    // funnel result cannot be drawn by the trends chart.
    placeholderData: (prev: InsightResponse | undefined) =>
      prev?.kind === query.kind ? prev : undefined,
  });
  const cardRef = React.useRef<HTMLDivElement>(null);
  const [sqlOpen, setSqlOpen] = React.useState(false);
  const response = run.data;
  const stale = run.isPlaceholderData;
  const name = title ?? (ui ? ui.describe(query) : query.kind);
  const fileTitle = typeof name === 'string' ? name : (ui?.describe(query) ?? 'insight');

  let state: LoadingState;
  let body: React.ReactNode;
  if (!ui) {
    state = 'error';
    body = (
      <CardMessage
        icon={AlertTriangle}
        title={`“${query.kind}” insights are not available in this version.`}
      />
    );
  } else if (!valid) {
    state = 'error';
    body = (
      <CardMessage
        icon={AlertTriangle}
        title="Finish the insight to see it"
        description={describeIssues(validation?.error?.issues ?? [])}
        testId="insight-invalid"
      />
    );
  } else if (run.isPending) {
    state = 'loading';
    body = <ChartSkeleton height={height} />;
  } else if (run.isError && !response) {
    state = 'error';
    body = (
      <CardMessage
        icon={AlertTriangle}
        title="This insight could not run"
        description={run.error.message}
        action={
          <Button variant="outline" size="sm" onClick={() => void run.refetch()}>
            <RefreshCw aria-hidden />
            Try again
          </Button>
        }
        testId="insight-error"
      />
    );
  } else if (response && ui.isEmpty(response.result)) {
    state = stale || run.isFetching ? 'loading' : 'empty';
    body = (
      <EmptyState
        compact
        icon={SearchX}
        title="No matching events in this range"
        description="Try a longer date range, other events, or fewer filters."
        className="border-none bg-transparent"
        data-testid="insight-empty"
      />
    );
  } else {
    state = stale || (run.isFetching && run.isError) ? 'loading' : 'ready';
    body = (
      <div className={cn('transition-opacity', stale && 'opacity-50')}>
        <InsightChart
          query={query}
          result={response!.result}
          chartType={chartType}
          options={options}
          height={height}
          drillDown={drillDown}
        />
      </div>
    );
  }
  if (run.isError && response && !run.isFetching) state = 'error';

  const exportCsv = () => {
    if (!ui || !response) return;
    downloadText(toCsv(ui.csv(query, response.result, options)), exportFileName(fileTitle, 'csv'));
  };
  const exportPng = async () => {
    if (!cardRef.current) return;
    try {
      await downloadPng(cardRef.current, exportFileName(fileTitle, 'png'));
    } catch (e) {
      toast.error(`Could not draw the image: ${(e as Error).message}`);
    }
  };

  return (
    <div
      ref={cardRef}
      className={cn(
        'flex min-w-0 flex-col gap-3 rounded-xl border bg-card p-4 text-card-foreground',
        className,
      )}
      data-testid={testId}
      data-loading-state={state}
      data-kind={query.kind}
      aria-busy={state === 'loading'}
    >
      <div className="flex items-start justify-between gap-3">
        <div className="grid min-w-0 gap-0.5">
          <h2 className="truncate text-sm font-semibold" data-testid="insight-title">
            {name}
          </h2>
          {description ? <div className="text-xs text-muted-foreground">{description}</div> : null}
          {response ? (
            <p className="text-xs text-muted-foreground" data-testid="insight-meta">
              {response.cached ? 'From cache' : `Ran in ${response.durationMs} ms`} · computed{' '}
              {new Date(response.computedAt).toLocaleTimeString('en-US', {
                hour: 'numeric',
                minute: '2-digit',
              })}
            </p>
          ) : null}
        </div>
        <div className="flex shrink-0 items-center gap-1" data-export-ignore="">
          {actions}
          {run.isFetching && response ? (
            <RefreshCw
              className="size-3.5 animate-spin text-muted-foreground"
              aria-label="Updating"
            />
          ) : null}
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button
                variant="ghost"
                size="sm"
                className="h-8 px-2 text-xs"
                disabled={!response}
                data-testid="insight-export"
              >
                <Download aria-hidden />
                Export
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuItem onSelect={exportCsv} data-testid="insight-export-csv">
                <FileSpreadsheet aria-hidden />
                CSV
              </DropdownMenuItem>
              <DropdownMenuItem onSelect={() => void exportPng()} data-testid="insight-export-png">
                <FileImage aria-hidden />
                PNG image
              </DropdownMenuItem>
            </DropdownMenuContent>
          </DropdownMenu>
          <Button
            variant="ghost"
            size="sm"
            className="h-8 px-2 text-xs"
            disabled={!response}
            onClick={() => setSqlOpen(true)}
            data-testid="insight-view-sql"
          >
            <Code2 aria-hidden />
            SQL
          </Button>
        </div>
      </div>
      {body}
      {response ? (
        <SqlDialog
          open={sqlOpen}
          onOpenChange={setSqlOpen}
          sql={response.sql}
          params={response.params}
          workspaceSlug={workspaceSlug}
          role={role}
        />
      ) : null}
    </div>
  );
}

function ChartSkeleton({ height }: { height: number }) {
  return (
    <div className="grid gap-3" aria-label="Loading the insight">
      <div className="flex items-end gap-2" style={{ height }}>
        {[45, 62, 38, 70, 55, 80, 66, 90, 58, 74, 48, 84].map((h, i) => (
          <Skeleton key={i} className="flex-1 rounded-sm" style={{ height: `${h}%` }} />
        ))}
      </div>
      <div className="flex gap-4">
        <Skeleton className="h-3 w-24" />
        <Skeleton className="h-3 w-20" />
      </div>
    </div>
  );
}

function CardMessage({
  icon: Icon,
  title,
  description,
  action,
  testId,
}: {
  icon: React.ComponentType<{ className?: string; 'aria-hidden'?: boolean }>;
  title: string;
  description?: string;
  action?: React.ReactNode;
  testId?: string;
}) {
  return (
    <div className="flex flex-col items-center gap-2 px-6 py-16 text-center" data-testid={testId}>
      <Icon className="size-6 text-destructive" aria-hidden />
      <p className="text-sm font-medium">{title}</p>
      {description ? (
        <p className="max-w-lg text-sm text-balance text-muted-foreground">{description}</p>
      ) : null}
      {action}
    </div>
  );
}
