// What the SQL editor's schema browser and autocomplete know: the workspace's queryable marts
// (with the dbt catalog's descriptions and the current run's column types and row counts), and
// the schema registry's event names and property keys (for string literals and JSON paths).
// One request per editor load; the payload for 5,000 columns is ~300 kB.
import type { PrismaClient } from '../db/client';
import { loadCatalog } from '../catalog/dbt-catalog';
import { isAppError } from '../errors';
import type { DuckDbEngine } from '../query/duckdb-engine';

export interface SqlSchemaTable {
  name: string;
  description: string;
  rows: number | null;
  columns: { name: string; type: string | null; description: string }[];
}

export interface SqlSchema {
  /** False until the first dbt build: then there are no tables to query yet. */
  built: boolean;
  tables: SqlSchemaTable[];
  events: string[];
  properties: { event: string; name: string; type: string }[];
}

export async function loadSqlSchema(
  deps: { prisma: PrismaClient; engine: DuckDbEngine; dataDir: string },
  workspaceId: string,
): Promise<SqlSchema> {
  const [catalog, events, properties] = await Promise.all([
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
  ]);
  return {
    built: catalog !== undefined,
    tables: (catalog?.nodes ?? [])
      .filter((n) => n.queryable)
      .map((n) => ({
        name: n.name,
        description: n.description,
        rows: n.rows,
        columns: n.columns.map((c) => ({ name: c.name, type: c.type, description: c.description })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    events: events.map((e) => e.name),
    properties: properties.map((p) => ({ event: p.eventName, name: p.name, type: p.type })),
  };
}
