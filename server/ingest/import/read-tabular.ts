// Streams a CSV or Parquet file through a private, in-memory DuckDB instance (not the query
// engine's: that one is locked to the lake folder and serves users). Rows arrive in chunks of
// ~2,048, so memory stays bounded whatever the file size. Every known column is turned into
// text in SQL (timestamps as ISO 8601 UTC, structs/maps/lists as JSON) and mapped onto the
// envelope by rowToItem. CSV is read with all_varchar so ids like "000123" keep their zeros;
// malformed CSV lines are not fatal: DuckDB stores them (store_rejects) and they are counted
// as rejected after the scan. DuckDB reports no scan progress, so progress is estimated: rows
// read × average row size (CSV, sampled from the first MiB) or rows / metadata row count (Parquet).
import { open } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../errors';
import { sqlIdent as ident, sqlString as literal } from '../../query/sql-quote';
import type { ImportItem, ItemReader } from './import-item';
import type { ImportFormat } from './list-import-files';
import { KNOWN_COLUMNS, TIMESTAMP_COLUMNS, rowToItem, type TabularRow } from './tabular-row';

function source(format: Exclude<ImportFormat, 'ndjson'>, file: string): string {
  return format === 'csv'
    ? `read_csv(${literal(file)}, header = true, all_varchar = true, store_rejects = true)`
    : `read_parquet(${literal(file)})`;
}

/** One column as text: ISO timestamps in UTC, nested values as JSON, the rest cast. */
function asText(name: string, type: string): string {
  const col = ident(name);
  if (TIMESTAMP_COLUMNS.includes(name) && /^(TIMESTAMP|DATE)/.test(type))
    return `strftime(${col}::TIMESTAMPTZ, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  if (/^(STRUCT|MAP|JSON)|\[\]$/.test(type)) return `to_json(${col})::VARCHAR`;
  return `${col}::VARCHAR`;
}

async function averageLineBytes(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let lines = 0;
    for (let i = buffer.indexOf(10); i !== -1 && i < bytesRead; i = buffer.indexOf(10, i + 1))
      lines++;
    return bytesRead / Math.max(lines, 1);
  } finally {
    await handle.close();
  }
}

export function readTabular(
  format: Exclude<ImportFormat, 'ndjson'>,
  file: string,
  fileBytes: number,
): ItemReader {
  let rows = 0;
  let estimate = (_rows: number) => 0;
  return {
    bytesRead: () => Math.min(fileBytes, Math.round(estimate(rows))),
    async *items(): AsyncGenerator<ImportItem> {
      const instance = await DuckDBInstance.create(':memory:', {
        threads: '2',
        memory_limit: '1GB',
      });
      let conn: DuckDBConnection | undefined;
      try {
        conn = await instance.connect();
        await conn.run(`SET TimeZone = 'UTC'`);
        const from = source(format, file);
        const described = await conn
          .runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)
          .catch((error: unknown) => {
            throw new AppError(
              'BAD_REQUEST',
              `${file} could not be read as ${format.toUpperCase()}: ${(error as Error).message}`,
              { path: file },
            );
          });
        const columns = described
          .getRowObjectsJS()
          .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
          .filter((c) => KNOWN_COLUMNS.includes(c.name));
        if (!columns.some((c) => c.name === 'event' || c.name === 'type'))
          throw new AppError(
            'BAD_REQUEST',
            `${file} has no "event" column. Use the envelope's column names: event, user_id, anonymous_id, session_id, timestamp, event_id, properties and the context columns.`,
            { path: file },
          );
        if (format === 'parquet') {
          const meta = await conn.runAndReadAll(
            `SELECT coalesce(sum(num_rows), 0)::DOUBLE AS n FROM parquet_file_metadata(${literal(file)})`,
          );
          const total = Number(meta.getRowsJS()[0]?.[0] ?? 0);
          estimate = (n) => (total > 0 ? (n / total) * fileBytes : 0);
        } else {
          const perLine = await averageLineBytes(file);
          estimate = (n) => (n + 1) * perLine;
        }

        const names = columns.map((c) => c.name);
        const result = await conn.stream(
          `SELECT ${columns.map((c) => `${asText(c.name, c.type)} AS ${ident(c.name)}`).join(', ')} FROM ${from}`,
        );
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          const values = chunk.getColumns();
          for (let r = 0; r < chunk.rowCount; r++) {
            const row: TabularRow = {};
            for (let c = 0; c < names.length; c++) row[names[c]!] = values[c]![r] as string | null;
            rows++;
            yield rowToItem(row);
          }
        }
        if (format === 'csv') {
          const rejects = await conn.runAndReadAll(
            `SELECT error_type::VARCHAR, count(*)::INTEGER, any_value(csv_line)::VARCHAR FROM reject_errors GROUP BY 1 ORDER BY 1`,
          );
          for (const [type, count, line] of rejects.getRowsJS() as [string, number, string][])
            for (let i = 0; i < count; i++)
              yield {
                ok: false,
                reason: `CSV line could not be parsed (${type.toLowerCase().replaceAll('_', ' ')})`,
                payload: line,
              };
        }
        rows = Number.MAX_SAFE_INTEGER;
      } finally {
        conn?.closeSync();
        instance.closeSync();
      }
    },
  };
}
