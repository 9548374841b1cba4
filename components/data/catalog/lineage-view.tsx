'use client';
// The Catalog's Lineage view: the whole project as a graph, a legend, and a card for the
// selected node (its lineage lit in the graph) with a link to its page.
import { ArrowRight, X } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import { formatCount } from '../format';
import { LayerBadge, StatusDot, TestSummary } from './catalog-list';
import { LineageGraph } from './lineage-graph';
import {
  LAYERS,
  LAYER_PLURAL,
  LAYER_NODE,
  lineageOf,
  statusLabel,
  type CatalogNode,
} from './catalog-model';

export function LineageView({
  nodes,
  selected,
  onSelect,
  onClear,
  onOpenPage,
}: {
  nodes: readonly CatalogNode[];
  selected: CatalogNode | null;
  onSelect: (node: CatalogNode) => void;
  onClear: () => void;
  onOpenPage: (node: CatalogNode) => void;
}) {
  const present = LAYERS.filter((l) => nodes.some((n) => n.layer === l));
  const lineage = selected
    ? lineageOf(new Map(nodes.map((n) => [n.uniqueId, n])), selected.uniqueId)
    : null;
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-xs text-muted-foreground">
        {present.map((layer) => (
          <span key={layer} className="inline-flex items-center gap-1.5">
            <span className={cn('size-3 rounded-sm border border-l-4', LAYER_NODE[layer])} />
            {LAYER_PLURAL[layer]}
          </span>
        ))}
        <span className="ml-auto">
          Click a node to trace its lineage · scroll to zoom · drag to pan
        </span>
      </div>
      <LineageGraph
        nodes={nodes}
        selectedId={selected?.uniqueId ?? null}
        onSelect={onSelect}
        className="h-[min(78vh,52rem)] min-h-96"
        data-testid="lineage-graph"
      />
      {selected ? (
        <div
          className="flex flex-wrap items-start justify-between gap-4 rounded-lg border bg-card p-4"
          data-testid="lineage-selected"
          data-node-id={selected.uniqueId}
        >
          <div className="grid min-w-0 flex-1 gap-1.5">
            <div className="flex flex-wrap items-center gap-2">
              <StatusDot status={selected.status} />
              <span className="font-mono font-semibold break-all">{selected.name}</span>
              <LayerBadge layer={selected.layer} />
              <Badge variant="outline" className="text-muted-foreground">
                {statusLabel(selected)}
              </Badge>
            </div>
            <p className="line-clamp-2 text-sm text-muted-foreground">
              {selected.description || 'No description.'}
            </p>
            <p className="flex flex-wrap gap-x-4 text-xs text-muted-foreground">
              <span>{formatCount(lineage?.upstream.size ?? 0)} upstream</span>
              <span>{formatCount(lineage?.downstream.size ?? 0)} downstream</span>
              <span>{formatCount(selected.columns.length)} columns</span>
              <span className="inline-flex items-center gap-1">
                tests <TestSummary node={selected} />
              </span>
              {selected.rows !== null ? <span>{formatCount(selected.rows)} rows</span> : null}
            </p>
          </div>
          <div className="flex gap-2">
            <Button
              type="button"
              variant="ghost"
              size="sm"
              onClick={onClear}
              aria-label="Clear the selection"
            >
              <X aria-hidden /> Clear
            </Button>
            <Button
              type="button"
              size="sm"
              onClick={() => onOpenPage(selected)}
              data-testid="lineage-open-node"
            >
              Open details <ArrowRight aria-hidden />
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
