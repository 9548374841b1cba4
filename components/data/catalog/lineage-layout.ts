// Left-to-right layout of the lineage graph. Nodes sit in bands by layer (sources and seeds →
// staging → intermediate → marts and snapshots); inside a band, a model that reads another of
// the same band goes one column further right. dagre orders the nodes vertically (it minimises
// edge crossings); the columns are ours, so every layer lines up.
import dagre from '@dagrejs/dagre';
import type { CatalogLayer, CatalogNode } from './catalog-model';

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 56;
const ROW_GAP = 16;

const BAND: Record<CatalogLayer, number> = {
  source: 0,
  seed: 0,
  staging: 1,
  intermediate: 2,
  marts: 3,
  snapshot: 3,
};

export interface Positioned {
  id: string;
  x: number;
  y: number;
}

/** Column of every node: bands by layer, longest path inside a band. */
function columns(nodes: readonly CatalogNode[]): Map<string, number> {
  const byId = new Map(nodes.map((n) => [n.uniqueId, n]));
  const column = new Map<string, number>();
  let start = 0;
  for (let band = 0; band <= 3; band++) {
    const members = nodes.filter((n) => BAND[n.layer] === band);
    const inBand = new Set(members.map((n) => n.uniqueId));
    const depth = new Map<string, number>();
    const visiting = new Set<string>();
    const depthOf = (id: string): number => {
      const known = depth.get(id);
      if (known !== undefined) return known;
      if (visiting.has(id)) return 0; // a cycle cannot happen in dbt; do not loop if it does
      visiting.add(id);
      const parents = (byId.get(id)?.upstream ?? []).filter((p) => inBand.has(p));
      const d = parents.length === 0 ? 0 : Math.max(...parents.map(depthOf)) + 1;
      depth.set(id, d);
      return d;
    };
    let widest = -1;
    for (const n of members) {
      const d = depthOf(n.uniqueId);
      column.set(n.uniqueId, start + d);
      widest = Math.max(widest, d);
    }
    start += widest + 1;
  }
  return column;
}

export function layoutLineage(nodes: readonly CatalogNode[]): Map<string, Positioned> {
  const ids = new Set(nodes.map((n) => n.uniqueId));
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: ROW_GAP, ranksep: COLUMN_GAP });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.uniqueId, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const n of nodes) for (const d of n.downstream) if (ids.has(d)) g.setEdge(n.uniqueId, d);
  dagre.layout(g);

  const column = columns(nodes);
  const byColumn = new Map<number, { id: string; y: number }[]>();
  for (const n of nodes) {
    const c = column.get(n.uniqueId) ?? 0;
    const list = byColumn.get(c) ?? [];
    list.push({ id: n.uniqueId, y: g.node(n.uniqueId)?.y ?? 0 });
    byColumn.set(c, list);
  }
  const out = new Map<string, Positioned>();
  for (const [c, list] of byColumn) {
    // dagre's vertical order, pushed apart where two would overlap.
    list.sort((a, b) => a.y - b.y || a.id.localeCompare(b.id));
    let last = -Infinity;
    for (const item of list) {
      const y = Math.max(item.y, last + NODE_HEIGHT + ROW_GAP);
      last = y;
      out.set(item.id, { id: item.id, x: c * (NODE_WIDTH + COLUMN_GAP), y });
    }
  }
  return out;
}
