// Data → Catalog: every source, model, seed and snapshot of the dbt project with descriptions,
// columns, tests and lineage, from the manifest.json of the workspace's current (last
// successful, switched-to) run — the project as it was when the marts users query were built.
// Column types of the marts come from the engine (the views over the run's Parquet files);
// test results and rows from the run's results. Parsed once per run and cached.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../db/client';
import { AppError } from '../errors';
import type { QueryEngine } from '../query/query-engine';
import { workspaceSchema } from '../pipelines/marts';
import { sqlString } from '../query/sql-quote';
import type { NodeResult } from '../pipelines/run-results';

export type CatalogLayer = 'source' | 'seed' | 'staging' | 'intermediate' | 'marts' | 'snapshot';

export interface CatalogTest {
  uniqueId: string;
  name: string;
  /** not_null, unique, accepted_values, relationships, accepted_range, … */
  kind: string;
  column: string | null;
  /** Its status in the current run (pass, fail, error, …), null when it did not run. */
  status: string | null;
}

export interface CatalogColumn {
  name: string;
  description: string;
  type: string | null;
  tests: CatalogTest[];
}

export interface CatalogNode {
  uniqueId: string;
  name: string;
  resourceType: 'source' | 'model' | 'seed' | 'snapshot';
  layer: CatalogLayer;
  description: string;
  materialized: string | null;
  path: string | null;
  tags: string[];
  columns: CatalogColumn[];
  /** Tests on the node as a whole (not on one column). */
  tests: CatalogTest[];
  upstream: string[];
  downstream: string[];
  /** SQL as written (Jinja) and as the current run compiled it, for models and snapshots. */
  rawSql: string | null;
  compiledSql: string | null;
  /** Rows the current run wrote (marts), null when unknown. */
  rows: number | null;
  /** Seconds the current run spent building it. */
  seconds: number | null;
  status: string | null;
  /**
   * The name user SQL reads it by in the workspace's schema, when it can: a mart or a stored
   * staging model by its own name, a bronze table as `bronze_<table>` (the workspace's rows).
   * Null for what is not stored where queries reach (views dbt inlines, intermediate tables).
   */
  relation: string | null;
  /** Whether users can query it (relation is set). */
  queryable: boolean;
}

export interface Catalog {
  runId: string;
  builtAt: Date | null;
  nodes: CatalogNode[];
}

interface ManifestNode {
  unique_id: string;
  name: string;
  resource_type: string;
  description?: string;
  original_file_path?: string;
  fqn?: string[];
  tags?: string[];
  config?: { materialized?: string };
  columns?: Record<string, { name: string; description?: string; data_type?: string | null }>;
  depends_on?: { nodes?: string[] };
  raw_code?: string;
  compiled_code?: string;
  attached_node?: string;
  column_name?: string | null;
  test_metadata?: { name?: string };
  source_name?: string;
}

interface Manifest {
  nodes: Record<string, ManifestNode>;
  sources: Record<string, ManifestNode>;
  child_map?: Record<string, string[]>;
  parent_map?: Record<string, string[]>;
}

/** CatalogNode.relation: where the workspace's schema has it (martColumnTypes lists that schema). */
function relationOf(
  node: ManifestNode,
  layer: CatalogLayer,
  relations: Record<string, Record<string, string>>,
): string | null {
  const name =
    layer === 'marts' || layer === 'staging'
      ? node.name
      : layer === 'source' && node.source_name === 'bronze'
        ? `bronze_${node.name}`
        : null;
  return name !== null && name in relations ? name : null;
}

function layerOf(node: ManifestNode): CatalogLayer {
  if (node.resource_type === 'source') return 'source';
  if (node.resource_type === 'seed') return 'seed';
  if (node.resource_type === 'snapshot') return 'snapshot';
  const folder = node.fqn?.[1];
  if (folder === 'staging' || folder === 'intermediate' || folder === 'marts') return folder;
  return 'marts';
}

/** Pure: the catalog nodes of a manifest, with the run's results applied. */
export function catalogFromManifest(
  manifest: Manifest,
  results: readonly NodeResult[],
  martColumnTypes: Record<string, Record<string, string>>,
): CatalogNode[] {
  const resultOf = new Map(results.map((r) => [r.uniqueId, r]));
  const tests = new Map<string, CatalogTest[]>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type !== 'test' || !node.attached_node) continue;
    const list = tests.get(node.attached_node) ?? [];
    list.push({
      uniqueId: node.unique_id,
      name: node.name,
      kind: node.test_metadata?.name ?? 'singular',
      column: node.column_name ?? null,
      status: resultOf.get(node.unique_id)?.status ?? null,
    });
    tests.set(node.attached_node, list);
  }
  const entries = [...Object.values(manifest.sources), ...Object.values(manifest.nodes)].filter(
    (n) => ['source', 'model', 'seed', 'snapshot'].includes(n.resource_type),
  );
  const ids = new Set(entries.map((n) => n.unique_id));
  const keep = (list: readonly string[] | undefined) => (list ?? []).filter((id) => ids.has(id));
  return entries
    .map((node): CatalogNode => {
      const layer = layerOf(node);
      const own = tests.get(node.unique_id) ?? [];
      const relation = relationOf(node, layer, martColumnTypes);
      const types = (relation && martColumnTypes[relation]) || {};
      // Columns the project describes first (in its order), then any others the relation has;
      // for a bronze view, not the ones it leaves out (workspace_id: it is the workspace's).
      const declared = Object.values(node.columns ?? {}).filter(
        (c) => !(relation && layer === 'source') || c.name in types,
      );
      const names = [
        ...declared.map((c) => c.name),
        ...(relation ? Object.keys(types).filter((n) => !node.columns?.[n]) : []),
      ];
      const result = resultOf.get(node.unique_id);
      return {
        uniqueId: node.unique_id,
        name: node.resource_type === 'source' ? `${node.source_name}.${node.name}` : node.name,
        resourceType: node.resource_type as CatalogNode['resourceType'],
        layer,
        description: node.description ?? '',
        materialized: node.config?.materialized ?? null,
        path: node.original_file_path ?? null,
        tags: node.tags ?? [],
        columns: names.map((name) => ({
          name,
          description: node.columns?.[name]?.description ?? '',
          type: types[name] ?? node.columns?.[name]?.data_type ?? null,
          tests: own.filter((t) => t.column === name),
        })),
        tests: own.filter((t) => !t.column || !names.includes(t.column)),
        upstream: keep(manifest.parent_map?.[node.unique_id] ?? node.depends_on?.nodes),
        downstream: keep(manifest.child_map?.[node.unique_id]),
        rawSql: node.raw_code ?? null,
        compiledSql: result?.compiledSql ?? node.compiled_code ?? null,
        rows: result?.rows ?? null,
        seconds: result?.seconds ?? null,
        status: result?.status ?? null,
        relation,
        queryable: relation !== null,
      };
    })
    .sort((a, b) => a.uniqueId.localeCompare(b.uniqueId));
}

const cache = new Map<string, Promise<Catalog>>();

/** The catalog of the workspace's current run; NOT_FOUND before the first successful run. */
export async function loadCatalog(
  prisma: PrismaClient,
  engine: QueryEngine,
  dataDir: string,
  workspaceId: string,
): Promise<Catalog> {
  const run = await prisma.pipelineRun.findFirst({
    where: { workspaceId, isCurrent: true },
    select: { id: true, finishedAt: true, results: true },
  });
  if (!run)
    throw new AppError(
      'NOT_FOUND',
      'No marts have been built in this workspace yet. An admin can run dbt build in Admin → Pipelines.',
    );
  let loaded = cache.get(run.id);
  if (!loaded) {
    loaded = (async () => {
      const file = path.join(dataDir, 'pipelines', 'runs', run.id, 'target', 'manifest.json');
      if (!existsSync(file))
        throw new AppError('NOT_FOUND', `The current run's manifest is missing (${file}).`);
      const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
      const types = await martColumnTypes(engine, workspaceSchema(workspaceId));
      const results = (run.results ?? []) as unknown as NodeResult[];
      return {
        runId: run.id,
        builtAt: run.finishedAt,
        nodes: catalogFromManifest(manifest, results, types),
      };
    })();
    loaded.catch(() => cache.delete(run.id));
    cache.set(run.id, loaded);
  }
  return loaded;
}

async function martColumnTypes(
  engine: QueryEngine,
  schema: string,
): Promise<Record<string, Record<string, string>>> {
  // information_schema: DuckDB and Trino both have it (Trino's spells types in lower case).
  const result = await engine.execute(
    `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ${sqlString(schema)} ORDER BY table_name, ordinal_position`,
    { schema, maxRows: 100_000 },
  );
  const out: Record<string, Record<string, string>> = {};
  for (const [table, column, type] of result.rows as [string, string, string][])
    (out[table] ??= {})[column] = engine.dialect === 'trino' ? type.toUpperCase() : type;
  return out;
}
