'use client';
// Data → Catalog: the dbt project as the workspace's current run built it — a searchable list
// of sources, models, seeds and snapshots, their lineage graph, and one node's page. All of it
// lives in the URL: ?view=graph|list, ?node=<name or uniqueId> (a reload or a link restores it).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, Database, List, Network, Workflow } from 'lucide-react';
import { useTRPC } from '@/lib/trpc/client';
import { ErrorAlert } from '@/components/query-view';
import { EmptyState } from '@/components/empty-state';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import type { SectionProps } from '@/components/sections/types';
import { TimeAgo } from '../event-detail-sheet';
import { formatCount } from '../format';
import { CatalogList, type CatalogSort } from './catalog-list';
import { CatalogNodePage } from './catalog-node-page';
import { LineageView } from './lineage-view';
import { findNode, nodeParam, type CatalogLayer, type CatalogNode } from './catalog-model';

type View = 'list' | 'graph';

function codeOf(error: unknown): string | undefined {
  return (error as { data?: { code?: string } } | null)?.data?.code;
}

export function CatalogSkeleton() {
  return (
    <div className="grid gap-3" data-testid="catalog-loading" data-loading-state="loading">
      <div className="flex gap-3">
        <Skeleton className="h-9 w-72" />
        <Skeleton className="h-9 w-40" />
        <Skeleton className="ml-auto h-9 w-44" />
      </div>
      <div className="grid gap-2 rounded-lg border p-4">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-9 w-full" />
        ))}
      </div>
    </div>
  );
}

export function CatalogTab({ workspaceSlug, role }: SectionProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view: View = params.get('view') === 'graph' ? 'graph' : 'list';
  const requested = params.get('node');
  const catalog = useQuery(trpc.catalog.get.queryOptions());

  // Search, filters and sort outlive a visit to a node's page (the tab stays mounted).
  const [search, setSearch] = useState('');
  const [layers, setLayers] = useState<CatalogLayer[]>([]);
  const [sort, setSort] = useState<CatalogSort>('layer');
  const searchRef = useRef<HTMLInputElement>(null);

  const navigate = useCallback(
    (patch: { view?: View; node?: string | null }) => {
      const next = new URLSearchParams(params.toString());
      next.set('tab', 'catalog');
      if (patch.view !== undefined) {
        if (patch.view === 'graph') next.set('view', 'graph');
        else next.delete('view');
      }
      if (patch.node !== undefined) {
        if (patch.node === null) next.delete('node');
        else next.set('node', patch.node);
      }
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [params, pathname, router],
  );

  const nodes = catalog.data?.nodes;
  const selected = useMemo(() => (nodes ? findNode(nodes, requested) : null), [nodes, requested]);
  const open = useCallback(
    (node: CatalogNode, nextView?: View) =>
      navigate({ node: nodeParam(node, nodes ?? []), view: nextView }),
    [navigate, nodes],
  );
  const showingList = view === 'list' && requested === null;

  // "/" focuses the search box (unless the user is typing somewhere already).
  useEffect(() => {
    if (!showingList) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (
        target &&
        (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
      )
        return;
      if (document.querySelector('[role="dialog"]')) return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [showingList]);

  if (catalog.isPending) return <CatalogSkeleton />;
  if (catalog.isError) {
    if (codeOf(catalog.error) === 'NOT_FOUND')
      return (
        <EmptyState
          icon={Database}
          title="No marts have been built yet"
          description={
            <>
              The catalog lists the dbt project&apos;s sources, models, columns, tests and lineage
              once a dbt build has succeeded in this workspace.{' '}
              {role === 'admin'
                ? 'Start one in Admin → Pipelines.'
                : 'A workspace admin builds the marts in Admin → Pipelines.'}
            </>
          }
          action={
            role === 'admin'
              ? {
                  label: 'Admin → Pipelines',
                  href: `/w/${encodeURIComponent(workspaceSlug)}/admin?tab=pipelines`,
                  icon: Workflow,
                  variant: 'outline',
                }
              : undefined
          }
          data-testid="catalog-empty"
        >
          <p className="text-xs">{catalog.error.message}</p>
        </EmptyState>
      );
    return <ErrorAlert message={catalog.error.message} />;
  }

  const data = catalog.data;
  if (view === 'list' && requested !== null) {
    if (!selected)
      return (
        <EmptyState
          compact
          icon={Database}
          title={`"${requested}" is not in the catalog`}
          description="The current run's project has no source, model, seed or snapshot by that name."
          action={{
            label: 'Back to the catalog',
            icon: ArrowLeft,
            onClick: () => navigate({ node: null }),
            variant: 'outline',
          }}
          data-testid="catalog-node-missing"
        />
      );
    return (
      <CatalogNodePage
        key={selected.uniqueId}
        node={selected}
        nodes={data.nodes}
        builtAt={data.builtAt}
        onBack={() => navigate({ node: null })}
        onOpen={(n) => open(n)}
        onShowInGraph={() => navigate({ view: 'graph' })}
      />
    );
  }

  return (
    <div className="grid gap-4" data-testid="catalog" data-run-id={data.runId}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground" data-testid="catalog-summary">
          {formatCount(data.nodes.length)} nodes from the current dbt run
          {data.builtAt ? (
            <>
              , built <TimeAgo value={data.builtAt} />
            </>
          ) : null}
          .
        </p>
        <div
          role="group"
          aria-label="Catalog view"
          className="inline-flex rounded-lg bg-muted p-[3px]"
        >
          {(
            [
              ['list', 'List', List],
              ['graph', 'Lineage', Network],
            ] as const
          ).map(([value, label, Icon]) => (
            <Button
              key={value}
              type="button"
              size="sm"
              variant={view === value ? 'outline' : 'ghost'}
              aria-pressed={view === value}
              className="h-7"
              onClick={() => navigate({ view: value })}
              data-testid={`catalog-view-${value}`}
            >
              <Icon aria-hidden /> {label}
            </Button>
          ))}
        </div>
      </div>
      {view === 'graph' ? (
        <LineageView
          nodes={data.nodes}
          selected={selected}
          onSelect={(n) => open(n)}
          onClear={() => navigate({ node: null })}
          onOpenPage={(n) => open(n, 'list')}
        />
      ) : (
        <CatalogList
          nodes={data.nodes}
          builtAt={data.builtAt}
          search={search}
          onSearch={setSearch}
          searchRef={searchRef}
          layers={layers}
          onLayers={setLayers}
          sort={sort}
          onSort={setSort}
          onOpen={(n) => open(n)}
        />
      )}
    </div>
  );
}
