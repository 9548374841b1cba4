// Quoting for the few SQL texts the server builds itself (paths in table functions, view and
// schema names) where DuckDB cannot take a bound parameter. User values are always bound.

/** A SQL string literal: 'it''s'. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted identifier: "my ""view""". */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
