// What the SQL editor's schema browser and autocomplete know: the workspace's marts, stored
// staging models and bronze rows (with the dbt catalog's descriptions and the current run's column
// types and row counts), and the schema registry's event names and property keys (for string literals and JSON paths), and
// the engine's functions with their parameters and descriptions.
// One request per editor load; the payload for 5,000 columns is ~300 kB.
import type { PrismaClient } from '../db/client';
import { loadCatalog } from '../catalog/dbt-catalog';
import { isAppError } from '../errors';
import type { DuckDbEngine } from '../query/duckdb-engine';
import type { QueryEngine } from '../query/query-engine';
import { TrinoEngine } from '../query/trino-engine';
import { DENIED_FUNCTIONS } from '../query/scope';

export interface SqlSchemaTable {
  /** The name queries use (the catalog node's relation). */
  name: string;
  /** Where it comes from: the marts, dbt's staging models, or the raw bronze rows. */
  layer: 'marts' | 'staging' | 'bronze';
  description: string;
  rows: number | null;
  columns: { name: string; type: string | null; description: string }[];
}

export interface SqlFunction {
  name: string;
  kind: 'scalar' | 'aggregate' | 'macro';
  /** The first overload's parameters, e.g. `part, timestamp`. */
  parameters: string;
  description: string;
}

export interface SqlSchema {
  /** False until the first dbt build: then there are no tables to query yet. */
  built: boolean;
  tables: SqlSchemaTable[];
  events: string[];
  properties: { event: string; name: string; type: string }[];
  /** The engine's functions user SQL may call (not those the workspace scope refuses). */
  functions: SqlFunction[];
}

/** name, kind, description, parameters of the first overload with the fewest. */
export const FUNCTIONS_SQL = `SELECT function_name,
                  min(function_type),
                  coalesce(max(description), ''),
                  coalesce(array_to_string(arg_min(parameters, len(parameters)), ', '), '')
           FROM duckdb_functions()
           WHERE function_type IN ('scalar', 'aggregate', 'macro')
             AND NOT starts_with(function_name, '__')
             AND regexp_full_match(function_name, '[a-z_][a-z0-9_]*')
           GROUP BY 1 ORDER BY 1`;

/** The rows of FUNCTIONS_SQL, less those the workspace scope refuses. */
export function toSqlFunctions(rows: unknown[][]): SqlFunction[] {
  return rows
    .filter(([name]) => !DENIED_FUNCTIONS.has(String(name)))
    .map(([name, kind, description, parameters]) => ({
      name: String(name),
      kind: String(kind) as SqlFunction['kind'],
      parameters: String(parameters),
      description: String(description),
    }));
}

/** The engine's functions never change while it runs: read once per engine. */
const functionsOf = new WeakMap<QueryEngine, Promise<SqlFunction[]>>();

function engineFunctions(engine: QueryEngine): Promise<SqlFunction[]> {
  let found = functionsOf.get(engine);
  if (!found) {
    found = (
      engine instanceof TrinoEngine
        ? engine.functions().then(toSqlFunctions)
        : (engine as DuckDbEngine).admin(async (conn) => {
            const reader = await conn.runAndReadAll(FUNCTIONS_SQL);
            return toSqlFunctions(reader.getRows());
          })
    ).catch((error: unknown) => {
      functionsOf.delete(engine);
      throw error;
    });
    functionsOf.set(engine, found);
  }
  return found;
}

export async function loadSqlSchema(
  deps: { prisma: PrismaClient; engine: QueryEngine; dataDir: string },
  workspaceId: string,
): Promise<SqlSchema> {
  const [catalog, events, properties, functions] = await Promise.all([
    loadCatalog(deps.prisma, deps.engine, deps.dataDir, workspaceId).catch((error: unknown) => {
      if (isAppError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }),
    deps.prisma.eventDefinition.findMany({
      where: { workspaceId },
      select: { name: true },
      orderBy: { name: 'asc' },
    }),
    deps.prisma.propertyDefinition.findMany({
      where: { workspaceId },
      select: { eventName: true, name: true, type: true },
      orderBy: [{ eventName: 'asc' }, { name: 'asc' }],
    }),
    engineFunctions(deps.engine),
  ]);
  return {
    built: catalog !== undefined,
    tables: (catalog?.nodes ?? [])
      .flatMap((n) => (n.relation === null ? [] : [{ ...n, relation: n.relation }]))
      .map((n) => ({
        name: n.relation,
        layer:
          n.layer === 'source'
            ? ('bronze' as const)
            : n.layer === 'staging'
              ? ('staging' as const)
              : ('marts' as const),
        description: n.description,
        rows: n.rows,
        columns: n.columns.map((c) => ({ name: c.name, type: c.type, description: c.description })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    events: events.map((e) => e.name),
    properties: properties.map((p) => ({ event: p.eventName, name: p.name, type: p.type })),
    functions,
  };
}
