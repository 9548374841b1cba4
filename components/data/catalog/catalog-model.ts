// Pure helpers for Data → Catalog: layer metadata and colours, run statuses, test counts, search
// and the lookup of the `?node=` URL parameter (a uniqueId, or a name when it is unambiguous).
import type { CatalogLayer, CatalogNode, CatalogTest } from '@/server/catalog/dbt-catalog';

export type { CatalogLayer, CatalogNode, CatalogTest };

/** Left to right, as the data flows; seeds sit with sources, snapshots with marts. */
export const LAYERS: CatalogLayer[] = [
  'source',
  'seed',
  'staging',
  'intermediate',
  'snapshot',
  'marts',
];

export const LAYER_LABEL: Record<CatalogLayer, string> = {
  source: 'Source',
  seed: 'Seed',
  staging: 'Staging',
  intermediate: 'Intermediate',
  snapshot: 'Snapshot',
  marts: 'Mart',
};

export const LAYER_PLURAL: Record<CatalogLayer, string> = {
  source: 'Sources',
  seed: 'Seeds',
  staging: 'Staging',
  intermediate: 'Intermediate',
  snapshot: 'Snapshots',
  marts: 'Marts',
};

/** Badge / chip classes per layer (readable in light and dark mode). */
export const LAYER_BADGE: Record<CatalogLayer, string> = {
  source: 'border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300',
  seed: 'border-lime-500/30 bg-lime-500/10 text-lime-700 dark:text-lime-300',
  staging: 'border-sky-500/30 bg-sky-500/10 text-sky-700 dark:text-sky-300',
  intermediate: 'border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-300',
  snapshot: 'border-rose-500/30 bg-rose-500/10 text-rose-700 dark:text-rose-300',
  marts: 'border-violet-500/30 bg-violet-500/10 text-violet-700 dark:text-violet-300',
};

/** The graph's node accents: a coloured left border and a faint tint. */
export const LAYER_NODE: Record<CatalogLayer, string> = {
  source: 'border-l-emerald-500 bg-emerald-50 dark:bg-emerald-950/40',
  seed: 'border-l-lime-500 bg-lime-50 dark:bg-lime-950/40',
  staging: 'border-l-sky-500 bg-sky-50 dark:bg-sky-950/40',
  intermediate: 'border-l-amber-500 bg-amber-50 dark:bg-amber-950/40',
  snapshot: 'border-l-rose-500 bg-rose-50 dark:bg-rose-950/40',
  marts: 'border-l-violet-500 bg-violet-50 dark:bg-violet-950/40',
};

/** The minimap's colour per layer. */
export const LAYER_HEX: Record<CatalogLayer, string> = {
  source: '#10b981',
  seed: '#84cc16',
  staging: '#0ea5e9',
  intermediate: '#f59e0b',
  snapshot: '#f43f5e',
  marts: '#8b5cf6',
};

export type StatusTone = 'ok' | 'fail' | 'warn' | 'skip' | 'none';

/** dbt's run and test statuses, reduced to a colour. */
export function statusTone(status: string | null): StatusTone {
  if (status === null) return 'none';
  if (status === 'success' || status === 'pass') return 'ok';
  if (status === 'error' || status === 'fail' || status === 'runtime error') return 'fail';
  if (status === 'warn') return 'warn';
  return 'skip';
}

export const TONE_DOT: Record<StatusTone, string> = {
  ok: 'bg-emerald-500',
  fail: 'bg-red-500',
  warn: 'bg-amber-500',
  skip: 'bg-zinc-400',
  none: 'border border-zinc-400 bg-transparent',
};

export const TONE_BADGE: Record<StatusTone, string> = {
  ok: 'border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300',
  fail: 'border-red-500/30 bg-red-500/10 text-red-700 dark:text-red-300',
  warn: 'border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-300',
  skip: 'border-zinc-500/30 bg-zinc-500/10 text-zinc-600 dark:text-zinc-300',
  none: 'text-muted-foreground',
};

export function statusLabel(node: Pick<CatalogNode, 'status' | 'resourceType'>): string {
  if (node.status) return node.status;
  return node.resourceType === 'source' ? 'source (not built)' : 'not built';
}

/** Every test of a node: node-level and per column. */
export function allTests(node: CatalogNode): CatalogTest[] {
  return [...node.tests, ...node.columns.flatMap((c) => c.tests)];
}

export interface TestCounts {
  total: number;
  passing: number;
  failing: number;
  other: number;
}

export function testCounts(node: CatalogNode): TestCounts {
  const tests = allTests(node);
  const passing = tests.filter((t) => statusTone(t.status) === 'ok').length;
  const failing = tests.filter((t) => statusTone(t.status) === 'fail').length;
  return { total: tests.length, passing, failing, other: tests.length - passing - failing };
}

/** Case-insensitive match on name, description and column names (and their descriptions). */
export function matchesSearch(node: CatalogNode, term: string): boolean {
  const q = term.trim().toLowerCase();
  if (q === '') return true;
  return (
    node.name.toLowerCase().includes(q) ||
    node.description.toLowerCase().includes(q) ||
    node.columns.some(
      (c) => c.name.toLowerCase().includes(q) || c.description.toLowerCase().includes(q),
    )
  );
}

/** The value `?node=` carries for a node: its name when no other node has it, else its uniqueId. */
export function nodeParam(node: CatalogNode, nodes: readonly CatalogNode[]): string {
  return nodes.filter((n) => n.name === node.name).length === 1 ? node.name : node.uniqueId;
}

/** Resolves `?node=` (a uniqueId or a name) against the catalog. */
export function findNode(nodes: readonly CatalogNode[], param: string | null): CatalogNode | null {
  if (!param) return null;
  return nodes.find((n) => n.uniqueId === param) ?? nodes.find((n) => n.name === param) ?? null;
}

/** Everything `id` reads from (transitively) and everything that reads from it. */
export function lineageOf(
  byId: ReadonlyMap<string, CatalogNode>,
  id: string,
): { upstream: Set<string>; downstream: Set<string> } {
  const walk = (start: string, next: (n: CatalogNode) => string[]) => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const node = byId.get(stack.pop()!);
      if (!node) continue;
      for (const other of next(node)) {
        if (seen.has(other)) continue;
        seen.add(other);
        stack.push(other);
      }
    }
    return seen;
  };
  return { upstream: walk(id, (n) => n.upstream), downstream: walk(id, (n) => n.downstream) };
}
