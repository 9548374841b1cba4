// The SQL an insight ran, with its bound values written in as literals, for "Open in SQL editor":
// the editor runs plain read-only SQL and has no parameters. Placeholders are DuckDB's `$n` or
// Trino's positional `?`; text inside quotes ('…' literals, "…" identifiers) is left alone.
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${String(value).replaceAll("'", "''")}'`;
}

export function inlineParams(sql: string, params: readonly unknown[]): string {
  if (params.length === 0) return sql;
  let out = '';
  let positional = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const m = /^\$(\d+)/.exec(sql.slice(i));
      if (m) {
        const index = Number(m[1]) - 1;
        out += index < params.length ? sqlLiteral(params[index]) : m[0];
        i += m[0].length;
        continue;
      }
    }
    if (c === '?' && positional < params.length) {
      out += sqlLiteral(params[positional++]);
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
