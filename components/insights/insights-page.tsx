'use client';
// Insights: pick a type, build it with controls, see the chart update. The whole insight lives
// in the URL (use-insight-url.ts), so a reload or a shared link shows exactly the same numbers.
import * as React from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import Link from 'next/link';
import { useQueryClient } from '@tanstack/react-query';
import { Activity, Keyboard, Link2, RefreshCw } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { Skeleton } from '@/components/ui/skeleton';
import type { SectionProps } from '@/components/sections/types';
import { cn } from '@/lib/utils';
import type { InsightQuery } from '@/server/insights/insight-service';
import { CohortsSection } from './cohorts/cohorts-section';
import { cohortViewOf, withCohortView } from './cohorts/use-cohort-url';
import { useEventNames } from './controls/event-picker';
import { Segmented } from './controls/segmented';
import { todayUtc } from './dates';
import { InsightCard } from './insight-chart';
import { KIND_TABS, kindUI, type AnyKindUI } from './kinds';
import type { ChartOptions } from './kinds/types';
import { SaveControls, INSIGHT_PARAM } from './save-controls';
import { SavedInsightsList } from './saved-list';
import { ShortcutsDialog, useInsightShortcuts } from './shortcuts';
import { useInsightUrl } from './use-insight-url';

export function InsightsPage({ workspaceSlug, role }: SectionProps) {
  const url = useInsightUrl();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const savedId = params.get(INSIGHT_PARAM);
  // `?kind=cohorts`: the Cohorts section instead of the insight builder (the insight stays in `q`).
  const cohortsOpen = cohortViewOf(params) !== null;
  const events = useEventNames();
  const eventNames = React.useMemo(() => (events.data ?? []).map((e) => e.name), [events.data]);
  const lastByKind = React.useRef<Record<string, { query: InsightQuery; chartType?: string }>>({});
  const [shortcutsOpen, setShortcutsOpen] = React.useState(false);
  const queryClient = useQueryClient();
  const trpc = useTRPC();

  const fromUrl = url.decoded.status === 'ok' ? url.decoded.query : undefined;
  const defaultQuery = React.useMemo(
    () =>
      events.data
        ? (kindUI('trends')!.defaultQuery(
            events.data.map((e) => e.name),
            todayUtc(),
          ) as InsightQuery)
        : undefined,
    [events.data],
  );
  const query: InsightQuery | undefined = fromUrl ?? defaultQuery;
  const ui: AnyKindUI | undefined = query ? kindUI(query.kind) : undefined;
  const chartType =
    ui && url.chartType && ui.chartTypes.some((c) => c.value === url.chartType)
      ? url.chartType
      : ui?.defaultChartType;

  React.useEffect(() => {
    if (query) lastByKind.current[query.kind] = { query, chartType };
  });
  // A fresh visit gets its default insight written into the URL, so "Copy link" shares it.
  const needsUrl = url.decoded.status === 'none' && !!query && !cohortsOpen;
  const { set } = url;
  React.useEffect(() => {
    if (needsUrl && query) set({ query, chartType });
  }, [needsUrl, query, chartType, set]);

  const update = (next: { query?: InsightQuery; chartType?: string; options?: ChartOptions }) => {
    if (!query) return;
    url.set({
      query: next.query ?? query,
      chartType: next.chartType ?? chartType,
      options: next.options ?? url.options,
    });
  };
  const switchKind = (kind: string) => {
    if (kind === 'cohorts') {
      if (!cohortsOpen)
        router.replace(`${pathname}?${withCohortView(params, { mode: 'list' }).toString()}`, {
          scroll: false,
        });
      return;
    }
    const target = kindUI(kind);
    if (!target) return;
    if (kind === query?.kind) {
      if (cohortsOpen && query) url.set({ query, chartType, options: url.options });
      return;
    }
    const remembered = lastByKind.current[kind];
    url.set({
      query: remembered?.query ?? (target.defaultQuery(eventNames, todayUtc()) as InsightQuery),
      chartType: remembered?.chartType ?? target.defaultChartType,
      options: url.options,
    });
  };
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.insights.run.pathFilter());
    toast.message('Refreshing the insight…');
  };
  const share = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      toast.success('Link copied: it opens this exact insight.');
    } catch {
      toast.error('Could not copy the link: copy it from the address bar.');
    }
  };

  useInsightShortcuts({
    onRefresh: refresh,
    onHelp: () => setShortcutsOpen(true),
    onShare: () => void share(),
    onKind: switchKind,
    onChartType: (i) => {
      const option = ui?.chartTypes[i];
      if (option) update({ chartType: option.value });
    },
  });

  const noEvents = events.data && events.data.length === 0 && !fromUrl;

  return (
    <div className="mx-auto grid w-full max-w-[1400px] gap-5 p-6" data-testid="section-insights">
      <PageHeader
        title="Insights"
        description="Answer product questions with trends, funnels and more — no SQL needed."
        actions={
          <>
            <Button
              variant="ghost"
              size="icon"
              onClick={() => setShortcutsOpen(true)}
              aria-label="Keyboard shortcuts"
              title="Keyboard shortcuts (?)"
              data-testid="insight-shortcuts"
            >
              <Keyboard aria-hidden />
            </Button>
            <Button
              variant="outline"
              size="sm"
              onClick={refresh}
              disabled={!query || cohortsOpen}
              data-testid="insight-refresh"
            >
              <RefreshCw aria-hidden />
              Refresh
            </Button>
            <Button
              variant="outline"
              size="sm"
              onClick={() => void share()}
              disabled={!query}
              data-testid="insight-share"
            >
              <Link2 aria-hidden />
              Copy link
            </Button>
            {role !== 'viewer' && query && ui && !cohortsOpen ? (
              <SaveControls
                query={query}
                chartType={chartType}
                defaultName={ui.describe(query)}
                workspaceSlug={workspaceSlug}
              />
            ) : null}
          </>
        }
      />

      <nav
        role="tablist"
        aria-label="Insight type"
        className="-mx-1 flex gap-1 overflow-x-auto px-1 pb-1"
        data-testid="insight-types"
      >
        {KIND_TABS.map((t) => {
          const active = cohortsOpen ? t.key === 'cohorts' : t.key === query?.kind;
          const enabled = !!t.ui || t.key === 'cohorts';
          return (
            <button
              key={t.key}
              type="button"
              role="tab"
              aria-selected={active}
              disabled={!enabled}
              title={enabled ? t.description : `${t.title}: coming soon`}
              onClick={() => switchKind(t.key)}
              data-testid={`insight-type-${t.key}`}
              data-state={active ? 'active' : 'inactive'}
              className={cn(
                'flex shrink-0 cursor-pointer items-center gap-2 rounded-lg border px-3 py-2 text-sm font-medium transition-colors outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50',
                active
                  ? 'border-primary/40 bg-primary/10 text-foreground'
                  : 'border-transparent text-muted-foreground hover:bg-accent hover:text-foreground',
                !enabled && 'cursor-not-allowed opacity-60 hover:bg-transparent',
              )}
            >
              <t.icon className={cn('size-4', active && 'text-primary')} aria-hidden />
              {t.title}
              {enabled ? null : (
                <Badge variant="outline" className="px-1.5 py-0 text-[10px] font-normal">
                  Soon
                </Badge>
              )}
            </button>
          );
        })}
      </nav>

      {url.decoded.status === 'invalid' ? (
        <Alert variant="destructive" data-testid="insight-url-invalid">
          <AlertDescription>
            This link’s insight could not be opened ({url.decoded.message}). Showing a new trend
            instead.
          </AlertDescription>
        </Alert>
      ) : null}

      {cohortsOpen ? (
        <CohortsSection role={role} />
      ) : noEvents ? (
        <EmptyState
          icon={Activity}
          title="No events to analyse yet"
          description="Insights count the events your app sends. Once events arrive and the marts are built, pick them here."
          action={{
            label: 'Data → Events',
            href: `/w/${encodeURIComponent(workspaceSlug)}/data?tab=events`,
            variant: 'outline',
          }}
          data-testid="insights-no-events"
        />
      ) : !query || !ui ? (
        <div className="grid gap-5 lg:grid-cols-[340px_1fr]">
          <Skeleton className="h-[480px] rounded-xl" />
          <Skeleton className="h-[480px] rounded-xl" />
        </div>
      ) : (
        <div className="grid items-start gap-5 lg:grid-cols-[340px_minmax(0,1fr)]">
          <aside
            className="min-w-0 rounded-xl border bg-card p-4"
            aria-label={`${ui.title} settings`}
            data-testid="insight-editor"
          >
            <ui.Editor query={query} onChange={(q: InsightQuery) => update({ query: q })} />
          </aside>
          <section className="grid min-w-0 gap-3" aria-label="Chart">
            <div className="flex flex-wrap items-center gap-2" data-testid="insight-toolbar">
              <ui.Toolbar query={query} onChange={(q: InsightQuery) => update({ query: q })} />
              <div className="ml-auto flex flex-wrap items-center gap-2">
                {ui.ChartOptionsControl ? (
                  <ui.ChartOptionsControl
                    query={query}
                    chartType={chartType!}
                    options={url.options}
                    onChange={(options) => update({ options })}
                  />
                ) : null}
                <Segmented
                  label="Chart type"
                  value={chartType!}
                  onChange={(c) => update({ chartType: c })}
                  options={ui.chartTypes}
                  iconsOnly={ui.chartTypes.length > 3}
                  testIdPrefix="chart-type"
                />
              </div>
            </div>
            <InsightCard
              query={query}
              chartType={chartType}
              options={url.options}
              workspaceSlug={workspaceSlug}
              role={role}
              height={360}
              drillDown
            />
            <p className="text-xs text-muted-foreground">
              Dates are UTC days. Numbers come from the workspace’s current marts (the last
              successful pipeline run).{' '}
              {role === 'admin' ? (
                <Link
                  className="underline underline-offset-2"
                  href={`/w/${encodeURIComponent(workspaceSlug)}/admin?tab=pipelines`}
                >
                  Pipelines
                </Link>
              ) : null}
            </p>
          </section>
        </div>
      )}
      {cohortsOpen ? null : <SavedInsightsList role={role} currentId={savedId} />}
      <ShortcutsDialog open={shortcutsOpen} onOpenChange={setShortcutsOpen} />
    </div>
  );
}
