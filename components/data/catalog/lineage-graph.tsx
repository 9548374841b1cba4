'use client';
// The lineage graph of the dbt project (React Flow, laid out left to right by layer). Clicking a
// node (or Enter on it: every node is a button) selects it; the selection's upstream and
// downstream paths stay lit, the rest fades. Used full-size in the Catalog's Lineage view and as
// a focused mini-lineage (a node and its direct neighbours) on a node's page.
import '@xyflow/react/dist/style.css';
import { memo, useMemo, useSyncExternalStore } from 'react';
import { useTheme } from 'next-themes';
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { cn } from '@/lib/utils';
import {
  LAYER_HEX,
  LAYER_LABEL,
  LAYER_NODE,
  TONE_DOT,
  lineageOf,
  statusLabel,
  statusTone,
  type CatalogNode,
} from './catalog-model';
import { NODE_HEIGHT, NODE_WIDTH, layoutLineage } from './lineage-layout';

interface LineageNodeData extends Record<string, unknown> {
  node: CatalogNode;
  selected: boolean;
  dimmed: boolean;
}
type LineageFlowNode = Node<LineageNodeData, 'catalog'>;

const LineageNode = memo(function LineageNode({ data }: NodeProps<LineageFlowNode>) {
  const { node, selected, dimmed } = data;
  const tone = statusTone(node.status);
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className="opacity-0!" />
      <button
        type="button"
        // No onClick: the click (or Enter / Space on the focused button) bubbles to React
        // Flow's node wrapper, whose onNodeClick selects.
        data-testid={`lineage-node-${node.name}`}
        data-selected={selected ? 'true' : undefined}
        aria-pressed={selected}
        aria-label={`${node.name}, ${LAYER_LABEL[node.layer]}, ${statusLabel(node)}`}
        title={node.description || node.name}
        style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
        className={cn(
          'flex cursor-pointer flex-col justify-center gap-0.5 rounded-md border border-l-4 px-2.5 text-left text-card-foreground shadow-xs transition-opacity',
          'focus-visible:ring-[3px] focus-visible:ring-ring/60 focus-visible:outline-none',
          LAYER_NODE[node.layer],
          selected && 'ring-2 ring-primary',
          dimmed && 'opacity-30',
        )}
      >
        <span className="flex items-center gap-1.5">
          <span
            className={cn('size-2 shrink-0 rounded-full', TONE_DOT[tone])}
            aria-hidden
            data-testid="lineage-node-status"
            data-status={node.status ?? 'none'}
          />
          <span className="truncate font-mono text-xs font-medium">{node.name}</span>
        </span>
        <span className="pl-3.5 text-[0.65rem] tracking-wide text-muted-foreground uppercase">
          {LAYER_LABEL[node.layer]}
          {node.materialized ? ` · ${node.materialized}` : ''}
        </span>
      </button>
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={false}
        className="opacity-0!"
      />
    </>
  );
});

const NODE_TYPES = { catalog: LineageNode };

const noSubscribe = () => () => {};
/** False on the server and during hydration, true after: the theme is only known then. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}

export function LineageGraph({
  nodes,
  selectedId,
  onSelect,
  mini = false,
  className,
  'data-testid': testId,
}: {
  nodes: readonly CatalogNode[];
  selectedId: string | null;
  onSelect: (node: CatalogNode) => void;
  /** The compact variant: no minimap, fewer controls. */
  mini?: boolean;
  className?: string;
  'data-testid'?: string;
}) {
  const { resolvedTheme } = useTheme();
  // React Flow keeps its colour-mode class in state: give it the theme once it is known (a
  // server-rendered "light" would otherwise stick after hydration).
  const hydrated = useHydrated();
  const positions = useMemo(() => layoutLineage(nodes), [nodes]);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.uniqueId, n])), [nodes]);
  const lit = useMemo(() => {
    if (!selectedId || !byId.has(selectedId)) return null;
    const { upstream, downstream } = lineageOf(byId, selectedId);
    return { upstream, downstream };
  }, [byId, selectedId]);

  const flowNodes = useMemo(
    (): LineageFlowNode[] =>
      nodes.map((n) => {
        const p = positions.get(n.uniqueId) ?? { x: 0, y: 0 };
        const onPath =
          !lit ||
          n.uniqueId === selectedId ||
          lit.upstream.has(n.uniqueId) ||
          lit.downstream.has(n.uniqueId);
        return {
          id: n.uniqueId,
          type: 'catalog',
          position: { x: p.x, y: p.y },
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          data: { node: n, selected: n.uniqueId === selectedId, dimmed: !onPath },
          draggable: false,
          selectable: false,
          connectable: false,
        };
      }),
    [nodes, positions, lit, selectedId],
  );

  const flowEdges = useMemo((): Edge[] => {
    const edges: Edge[] = [];
    for (const n of nodes)
      for (const d of n.downstream) {
        if (!byId.has(d)) continue;
        const onPath =
          lit !== null &&
          ((lit.upstream.has(n.uniqueId) && (d === selectedId || lit.upstream.has(d))) ||
            ((n.uniqueId === selectedId || lit.downstream.has(n.uniqueId)) &&
              lit.downstream.has(d)));
        const colour = onPath ? 'var(--primary)' : 'var(--muted-foreground)';
        edges.push({
          id: `${n.uniqueId}->${d}`,
          source: n.uniqueId,
          target: d,
          animated: onPath,
          focusable: false,
          selectable: false,
          style: {
            stroke: colour,
            strokeWidth: onPath ? 2 : 1,
            opacity: lit && !onPath ? 0.2 : 0.7,
          },
          markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 16, height: 16 },
        });
      }
    return edges;
  }, [nodes, byId, lit, selectedId]);

  return (
    <div
      className={cn(
        'overflow-hidden rounded-lg border bg-card',
        // React Flow's controls and minimap in the app's colours (light and dark).
        '[--xy-controls-button-background-color-hover:var(--accent)] [--xy-controls-button-background-color:var(--card)] [--xy-controls-button-border-color:var(--border)] [--xy-controls-button-color-hover:var(--foreground)] [--xy-controls-button-color:var(--foreground)] [--xy-minimap-background-color:var(--background)]',
        className,
      )}
      data-testid={testId}
    >
      <ReactFlow
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={NODE_TYPES}
        onNodeClick={(_, n) => onSelect(n.data.node)}
        colorMode={hydrated && resolvedTheme === 'dark' ? 'dark' : 'light'}
        fitView
        // The full graph opens at a zoom where labels stay readable (fitting all 24+ nodes into
        // the box gave ~0.33); the minimap shows the rest, and the controls' fit button below
        // shows everything at once.
        fitViewOptions={{ padding: 0.1, maxZoom: mini ? 1 : 1.2, minZoom: mini ? 0.2 : 0.6 }}
        minZoom={0.1}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        zoomOnScroll={!mini}
        preventScrolling={!mini}
        proOptions={{ hideAttribution: true }}
        style={{ background: 'transparent' }}
      >
        <Background gap={20} size={1} />
        <Controls
          showInteractive={false}
          position="bottom-right"
          fitViewOptions={{ padding: 0.1, minZoom: 0.1 }}
        />
        {mini ? null : (
          <MiniMap
            pannable
            zoomable
            position="bottom-left"
            nodeColor={(n) => LAYER_HEX[(n as LineageFlowNode).data.node.layer]}
            nodeStrokeWidth={0}
          />
        )}
      </ReactFlow>
    </div>
  );
}
