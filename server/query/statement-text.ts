// Small text helpers for the read-only check. They never decide what is allowed — DuckDB's
// parser does — they only (a) cut `EXPLAIN [ANALYZE]` off a statement the parser already called
// EXPLAIN, so the parser can check the inner statement, and (b) name a rejected statement in the
// error message without binding it (binding some statements, e.g. EXPORT DATABASE, already
// touches the file system).

/** Removes leading whitespace, `-- line` and (nested) `/* block *\/` comments. */
export function stripLeadingComments(sql: string): string {
  let rest = sql;
  for (;;) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith('--')) {
      const end = trimmed.indexOf('\n');
      rest = end < 0 ? '' : trimmed.slice(end + 1);
    } else if (trimmed.startsWith('/*')) {
      let depth = 0;
      let i = 0;
      for (; i < trimmed.length; i++) {
        if (trimmed.startsWith('/*', i)) {
          depth++;
          i++;
        } else if (trimmed.startsWith('*/', i)) {
          depth--;
          i++;
          if (depth === 0) break;
        }
      }
      rest = trimmed.slice(i + 1);
    } else {
      return trimmed;
    }
  }
}

/**
 * `EXPLAIN [ANALYZE] <statement>` -> `<statement>`; undefined when the text does not start that
 * way (e.g. `EXPLAIN (FORMAT json) …`), in which case the caller rejects the statement.
 */
export function explainTarget(sql: string): string | undefined {
  const match = /^explain(?:\s+analyze)?\s+([\s\S]+)$/i.exec(stripLeadingComments(sql));
  const inner = match?.[1]?.trim();
  return inner ? inner : undefined;
}

const STATEMENT_KEYWORDS = new Set([
  'ALTER',
  'ANALYZE',
  'ATTACH',
  'BEGIN',
  'CALL',
  'CHECKPOINT',
  'COMMIT',
  'COPY',
  'CREATE',
  'DEALLOCATE',
  'DELETE',
  'DETACH',
  'DROP',
  'EXECUTE',
  'EXPLAIN',
  'EXPORT',
  'FORCE',
  'IMPORT',
  'INSERT',
  'INSTALL',
  'LOAD',
  'MERGE',
  'PIVOT',
  'PRAGMA',
  'PREPARE',
  'RESET',
  'ROLLBACK',
  'SET',
  'TRUNCATE',
  'UNPIVOT',
  'UPDATE',
  'USE',
  'VACUUM',
]);

/** A name for a statement the parser said is not a SELECT, for the rejection message. */
export function describeStatement(sql: string): string {
  const word = /^[A-Za-z_]+/.exec(stripLeadingComments(sql))?.[0]?.toUpperCase();
  return word && STATEMENT_KEYWORDS.has(word) ? word : 'a statement that is not a SELECT';
}
