// Workspace scoping of user SQL (the SQL editor, Ask), decided on DuckDB's own parse tree
// (json_serialize_sql) before anything is bound. One instance serves every workspace, and the
// lake folder it may read holds every workspace's files, so the instance lockdown alone cannot
// keep a user in their workspace. This check can: a statement may name only
//  - tables and views of the workspace's schema — unqualified (the engine resolves them there)
//    or qualified with exactly that schema;
//  - common table expressions in scope where they are named (a CTE is visible in the rest of
//    its query and to the CTEs after it, as DuckDB binds them);
//  - the table functions of TABLE_FUNCTIONS (generators, no data access).
// Everything else — other schemas and catalogs (bronze.*, information_schema, another
// workspace), file paths used as tables ('x.parquet'), read_csv/glob/query() and the like, and
// the scalar functions of DENIED_FUNCTIONS — is refused, with the statement offset of the first
// offence so the editor can point at it. Default deny: a name is allowed because it is listed.
import { closest as closestOf, distance } from 'fastest-levenshtein';

/** Table functions user SQL may call: pure generators over their arguments. */
export const TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['range', 'generate_series', 'unnest']);

/**
 * Scalar functions refused anywhere in user SQL: they run SQL text (past this check) or read
 * the environment. (File readers are table functions, refused by not being listed above.)
 */
export const DENIED_FUNCTIONS: ReadonlySet<string> = new Set([
  'json_execute_serialized_sql',
  'json_deserialize_sql',
  'getenv',
  'current_setting',
]);

export interface ScopeRules {
  /** The workspace's schema (lower case). */
  schema: string;
  /** Its tables and views (lower case). */
  tables: ReadonlySet<string>;
}

export interface ScopeViolation {
  message: string;
  /** Character offset in the statement, when DuckDB reported one. */
  location?: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** One statement of json_serialize_sql's output. */
export type ParseTree = Json;
type Node = { [key: string]: Json };

const isNode = (v: Json | undefined): v is Node =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const NO_LOCATION = 18446744073709551615;

function locationOf(node: Node): number | undefined {
  const loc = node.query_location;
  return typeof loc === 'number' && loc >= 0 && loc < NO_LOCATION ? loc : undefined;
}

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');

/**
 * The first scope violation in a parsed statement (the `statements[0]` of json_serialize_sql),
 * or undefined when it stays inside the workspace.
 */
export function scopeViolation(
  statement: ParseTree,
  rules: ScopeRules,
): ScopeViolation | undefined {
  const found: ScopeViolation[] = [];
  visit(statement, new Set(), rules, found);
  return found[0];
}

function visit(value: Json, ctes: ReadonlySet<string>, rules: ScopeRules, out: ScopeViolation[]) {
  if (out.length > 0) return;
  if (Array.isArray(value)) {
    for (const v of value) visit(v, ctes, rules, out);
    return;
  }
  if (!isNode(value)) return;

  // A query node's CTEs: each body sees the ones before it and itself (recursive CTEs); the
  // rest of the node sees all of them.
  let scope = ctes;
  const cteMap = value.cte_map;
  if (isNode(cteMap) && Array.isArray(cteMap.map) && cteMap.map.length > 0) {
    const inner = new Set(ctes);
    for (const entry of cteMap.map) {
      if (!isNode(entry)) continue;
      inner.add(str(entry.key).toLowerCase());
      visit(entry.value ?? null, new Set(inner), rules, out);
    }
    scope = inner;
  }

  switch (value.type) {
    case 'BASE_TABLE':
      checkTable(value, scope, rules, out);
      break;
    case 'TABLE_FUNCTION': {
      const fn = isNode(value.function) ? value.function : undefined;
      const name = str(fn?.function_name).toLowerCase();
      if (!TABLE_FUNCTIONS.has(name) || str(fn?.schema) !== '' || str(fn?.catalog) !== '') {
        out.push({
          message: `The table function ${name || '(unnamed)'}() is not available here: queries read this workspace's tables only (${[...TABLE_FUNCTIONS].join(', ')} are allowed).`,
          location: locationOf(value),
        });
        return;
      }
      break;
    }
    case 'FUNCTION': {
      const name = str(value.function_name).toLowerCase();
      if (DENIED_FUNCTIONS.has(name)) {
        out.push({
          message: `The function ${name}() is not available in queries.`,
          location: locationOf(value),
        });
        return;
      }
      break;
    }
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === 'cte_map') continue;
    visit(child, scope, rules, out);
  }
}

function checkTable(
  node: Node,
  ctes: ReadonlySet<string>,
  rules: ScopeRules,
  out: ScopeViolation[],
): void {
  const catalog = str(node.catalog_name).toLowerCase();
  const schema = str(node.schema_name).toLowerCase();
  const table = str(node.table_name).toLowerCase();
  const location = locationOf(node);
  if (catalog !== '' || (schema !== '' && schema !== rules.schema)) {
    const shown = [catalog, schema, table].filter(Boolean).join('.');
    out.push({
      message: `${shown} is outside this workspace: queries read this workspace's tables only, by their plain names (e.g. fact_events).`,
      location,
    });
    return;
  }
  if (schema === '' && ctes.has(table)) return;
  if (rules.tables.has(table)) return;
  const hint = closest(table, rules.tables);
  out.push({
    message: `Table ${table} does not exist in this workspace${hint ? ` — did you mean ${hint}?` : '.'}`,
    location,
  });
}

/** The candidate nearest to `name` by edit distance, if near enough to be a typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].sort();
  if (list.length === 0) return undefined;
  const best = closestOf(name, list);
  return distance(name, best) <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}
