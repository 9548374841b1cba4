'use client';
// The Catalog's list: search (name, description, column names; "/" focuses it), layer chips,
// grouping by layer or sorting, and one row per source, model, seed or snapshot.
import { Fragment, useMemo, type RefObject } from 'react';
import { Check, Search, X } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { Badge } from '@/components/ui/badge';
import { Input } from '@/components/ui/input';
import { Kbd } from '@/components/ui/kbd';
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
import { cn } from '@/lib/utils';
import { TimeAgo } from '../event-detail-sheet';
import { formatCount } from '../format';
import {
  LAYERS,
  LAYER_BADGE,
  LAYER_LABEL,
  LAYER_PLURAL,
  TONE_DOT,
  matchesSearch,
  statusLabel,
  statusTone,
  testCounts,
  type CatalogLayer,
  type CatalogNode,
} from './catalog-model';

export type CatalogSort = 'layer' | 'name' | 'rows' | 'tests';

const SORT_LABEL: Record<CatalogSort, string> = {
  layer: 'Group by layer',
  name: 'Name',
  rows: 'Most rows',
  tests: 'Failing tests first',
};

export function LayerBadge({ layer, className }: { layer: CatalogLayer; className?: string }) {
  return (
    <Badge variant="outline" className={cn(LAYER_BADGE[layer], className)}>
      {LAYER_LABEL[layer]}
    </Badge>
  );
}

export function TestSummary({ node }: { node: CatalogNode }) {
  const counts = testCounts(node);
  if (counts.total === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <span
      className="inline-flex items-center gap-2 tabular-nums"
      title={`${counts.passing} passing, ${counts.failing} failing, ${counts.other} other (warn, skipped or not run)`}
      data-testid={`catalog-tests-${node.name}`}
    >
      <span className="inline-flex items-center gap-0.5 text-emerald-700 dark:text-emerald-400">
        <Check className="size-3.5" aria-hidden />
        {counts.passing}
        <span className="sr-only"> passing</span>
      </span>
      {counts.failing > 0 ? (
        <span className="inline-flex items-center gap-0.5 text-red-700 dark:text-red-400">
          <X className="size-3.5" aria-hidden />
          {counts.failing}
          <span className="sr-only"> failing</span>
        </span>
      ) : null}
      {counts.other > 0 ? (
        <span className="text-xs text-muted-foreground">+{counts.other}</span>
      ) : null}
    </span>
  );
}

export function StatusDot({ status, className }: { status: string | null; className?: string }) {
  return (
    <span
      className={cn(
        'inline-block size-2 shrink-0 rounded-full',
        TONE_DOT[statusTone(status)],
        className,
      )}
      aria-hidden
    />
  );
}

function compare(sort: CatalogSort) {
  const byName = (a: CatalogNode, b: CatalogNode) => a.name.localeCompare(b.name);
  switch (sort) {
    case 'layer':
      return (a: CatalogNode, b: CatalogNode) =>
        LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer) || byName(a, b);
    case 'rows':
      return (a: CatalogNode, b: CatalogNode) => (b.rows ?? -1) - (a.rows ?? -1) || byName(a, b);
    case 'tests':
      return (a: CatalogNode, b: CatalogNode) =>
        testCounts(b).failing - testCounts(a).failing || byName(a, b);
    default:
      return byName;
  }
}

export function CatalogList({
  nodes,
  builtAt,
  search,
  onSearch,
  searchRef,
  layers,
  onLayers,
  sort,
  onSort,
  onOpen,
}: {
  nodes: readonly CatalogNode[];
  builtAt: Date | null;
  search: string;
  onSearch: (value: string) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  layers: CatalogLayer[];
  onLayers: (layers: CatalogLayer[]) => void;
  sort: CatalogSort;
  onSort: (sort: CatalogSort) => void;
  onOpen: (node: CatalogNode) => void;
}) {
  const present = LAYERS.filter((l) => nodes.some((n) => n.layer === l));
  const matching = useMemo(() => nodes.filter((n) => matchesSearch(n, search)), [nodes, search]);
  const shown = useMemo(
    () =>
      matching.filter((n) => layers.length === 0 || layers.includes(n.layer)).sort(compare(sort)),
    [matching, layers, sort],
  );
  const toggle = (layer: CatalogLayer) =>
    onLayers(layers.includes(layer) ? layers.filter((l) => l !== layer) : [...layers, layer]);

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <div className="relative max-w-sm min-w-56 flex-1">
          <Search
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden
          />
          <Input
            ref={searchRef}
            type="search"
            value={search}
            onChange={(e) => onSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && search !== '') {
                e.preventDefault();
                onSearch('');
              }
            }}
            placeholder="Search models and columns"
            aria-label="Search the catalog by name, description or column"
            aria-keyshortcuts="/"
            className="pr-9 pl-8"
            maxLength={200}
            data-testid="catalog-search"
          />
          <Kbd className="absolute top-1/2 right-2.5 -translate-y-1/2" aria-hidden>
            /
          </Kbd>
        </div>
        <div role="group" aria-label="Filter by layer" className="flex flex-wrap gap-1.5">
          {present.map((layer) => {
            const active = layers.includes(layer);
            const count = matching.filter((n) => n.layer === layer).length;
            return (
              <button
                key={layer}
                type="button"
                aria-pressed={active}
                onClick={() => toggle(layer)}
                data-testid={`catalog-layer-${layer}`}
                className={cn(
                  'inline-flex h-7 cursor-pointer items-center gap-1.5 rounded-full border px-3 text-xs font-medium transition-colors',
                  'focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none',
                  active ? LAYER_BADGE[layer] : 'text-muted-foreground hover:bg-accent',
                )}
              >
                {LAYER_PLURAL[layer]}
                <span className="tabular-nums opacity-70">{count}</span>
              </button>
            );
          })}
          {layers.length > 0 ? (
            <button
              type="button"
              onClick={() => onLayers([])}
              className="h-7 cursor-pointer rounded-full px-2 text-xs text-muted-foreground hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
            >
              Clear
            </button>
          ) : null}
        </div>
        <Select value={sort} onValueChange={(v) => onSort(v as CatalogSort)}>
          <SelectTrigger
            className="ml-auto w-48"
            aria-label="Sort the catalog"
            data-testid="catalog-sort"
          >
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {(Object.keys(SORT_LABEL) as CatalogSort[]).map((s) => (
              <SelectItem key={s} value={s}>
                {SORT_LABEL[s]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>

      {shown.length === 0 ? (
        <EmptyState
          compact
          icon={Search}
          title={search.trim() ? `Nothing matches "${search.trim()}"` : 'Nothing in these layers'}
          description="Search looks in names, descriptions and column names."
          data-testid="catalog-no-match"
        />
      ) : (
        <div className="rounded-lg border">
          <Table data-testid="catalog-table">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Layer</TableHead>
                <TableHead className="text-right">Columns</TableHead>
                <TableHead>Tests</TableHead>
                <TableHead className="text-right">Rows</TableHead>
                <TableHead>Last built</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.map((node, i) => {
                const groupStart = sort === 'layer' && shown[i - 1]?.layer !== node.layer;
                return (
                  <Fragment key={node.uniqueId}>
                    {groupStart ? (
                      <TableRow className="bg-muted/40 hover:bg-muted/40">
                        <TableCell
                          colSpan={6}
                          className="py-1.5 text-xs font-semibold tracking-wide text-muted-foreground uppercase"
                          data-testid={`catalog-group-${node.layer}`}
                        >
                          {LAYER_PLURAL[node.layer]}
                          <span className="ml-2 font-normal tabular-nums">
                            {shown.filter((n) => n.layer === node.layer).length}
                          </span>
                        </TableCell>
                      </TableRow>
                    ) : null}
                    <TableRow
                      data-testid={`catalog-row-${node.name}`}
                      className="cursor-pointer"
                      onClick={() => onOpen(node)}
                    >
                      <TableCell className="max-w-md whitespace-normal">
                        <button
                          type="button"
                          className="inline-flex cursor-pointer items-center gap-2 text-left font-mono text-sm font-medium break-all hover:underline focus-visible:underline focus-visible:outline-none"
                          onClick={(e) => {
                            e.stopPropagation();
                            onOpen(node);
                          }}
                          title={statusLabel(node)}
                        >
                          <StatusDot status={node.status} />
                          {node.name}
                        </button>
                        {node.description ? (
                          <p className="line-clamp-1 pl-4 text-xs text-muted-foreground">
                            {node.description}
                          </p>
                        ) : null}
                      </TableCell>
                      <TableCell>
                        <LayerBadge layer={node.layer} />
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatCount(node.columns.length)}
                      </TableCell>
                      <TableCell>
                        <TestSummary node={node} />
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {node.rows === null ? (
                          <span className="text-muted-foreground">—</span>
                        ) : (
                          formatCount(node.rows)
                        )}
                      </TableCell>
                      <TableCell className="text-muted-foreground">
                        {node.status !== null && builtAt ? <TimeAgo value={builtAt} /> : '—'}
                      </TableCell>
                    </TableRow>
                  </Fragment>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
