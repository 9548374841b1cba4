// The embedded query engine: one in-memory DuckDB instance, a bounded pool of connections, and
// two independent guardrails for user SQL.
//  1. The statement check (DuckDB's own parser): exactly one statement, and it must be a SELECT
//     (or EXPLAIN [ANALYZE] of one). json_serialize_sql decides that from the parse tree alone,
//     *before* the statement is prepared — because preparing binds, and binding some statements
//     already has effects (preparing `EXPORT DATABASE '<dir>'` creates the directory).
//  2. The instance lockdown, applied once at start-up and then frozen with lock_configuration:
//     no file access outside the lake folder, no extension install/autoload, memory and thread
//     limits. Table functions such as read_csv('/etc/passwd') are SELECTs and pass check 1;
//     the lockdown is what refuses them.
// Not obvious: whatever the locked instance refuses — LOAD of a (local) extension, any SET —
// must happen in `setup`, which runs before the lock; after it not even `admin()` can change a
// setting. Views over lake files are fine later (admin() can refresh them). Spill files still
// work: DuckDB writes temp_directory itself, outside the allowed_directories check.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  DuckDBInstance,
  StatementType,
  version as duckdbVersion,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
} from '@duckdb/node-api';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { ConnectionPool, type PoolStats } from './connection-pool';
import { lineAndColumn, parseDuckDbError, toQueryError, tooDeeplyNested } from './duckdb-errors';
import { bindParams } from './duckdb-params';
import { engineTypeName, toColumnType, toJsonValue } from './duckdb-values';
import type {
  EngineHealth,
  ExecuteOptions,
  QueryColumn,
  QueryEngine,
  QueryResult,
  QueryStreamEvent,
} from './query-engine';
import { scopeViolation, type ParseTree } from './scope';
import { describeStatement, explainTarget } from './statement-text';
import { sqlString } from './sql-quote';

export type { DuckDBConnection };

export interface DuckDbEngineOptions {
  /** The only folder queries may read (and the folder `setup` creates views over). */
  lakeDir: string;
  /** Where DuckDB spills when a query exceeds `memoryLimit`. */
  tempDir: string;
  threads: number;
  /** DuckDB size string, e.g. `2GB` or `512MiB`. */
  memoryLimit: string;
  poolSize: number;
  /** Callers that may wait for a connection; beyond that, ENGINE_BUSY. */
  queueMax: number;
  defaultTimeoutMs: number;
  defaultMaxRows: number;
  logger?: Logger;
  /**
   * Internal: runs once on a connection before the lockdown. Use it for what the locked
   * instance refuses: LOAD of local extensions, views over lake files, attaching lake catalogs.
   */
  setup?: (conn: DuckDBConnection) => Promise<void>;
}

/** What a statement check found; the prepared statement is the caller's to destroy. */
interface CheckedStatement {
  prepared: DuckDBPreparedStatement;
  statementType: string;
}

/** A streamed batch after the first: at most this many rows… */
const BATCH_ROWS = 10_000;
/** …or what arrived within this many ms. */
const BATCH_MS = 200;

const ALLOWED_KIND = { select: StatementType.SELECT, explain: StatementType.EXPLAIN } as const;

export class DuckDbEngine implements QueryEngine {
  readonly dialect = 'duckdb' as const;
  private closing: Promise<void> | undefined;

  /** Use createDuckDbEngine(); the constructor expects an already locked instance. */
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connections: readonly DuckDBConnection[],
    private readonly pool: ConnectionPool<DuckDBConnection>,
    private readonly defaults: { timeoutMs: number; maxRows: number },
    private readonly logger: Logger | undefined,
  ) {}

  get stats(): PoolStats {
    return this.pool.stats;
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<QueryResult> {
    let head: Extract<QueryStreamEvent, { type: 'columns' }> | undefined;
    let tail: Extract<QueryStreamEvent, { type: 'end' }> | undefined;
    const rows: unknown[][] = [];
    for await (const event of this.stream(sql, options)) {
      if (event.type === 'columns') head = event;
      else if (event.type === 'rows') for (const row of event.rows) rows.push(row);
      else tail = event;
    }
    if (!head || !tail) throw new Error('query stream ended without its columns or its end');
    return {
      columns: head.columns,
      rows,
      rowCount: rows.length,
      truncated: tail.truncated,
      durationMs: tail.durationMs,
      statementType: head.statementType,
    };
  }

  async *stream(
    sql: string,
    options: ExecuteOptions = {},
  ): AsyncGenerator<QueryStreamEvent, void, undefined> {
    this.assertOpen();
    const timeoutMs = positiveInteger(options.timeoutMs, this.defaults.timeoutMs, 'timeoutMs', 1);
    const maxRows = positiveInteger(options.maxRows, this.defaults.maxRows, 'maxRows', 0);
    if (options.signal?.aborted) throw cancelledError();

    const controller = new AbortController();
    let phase: 'queued' | 'running' = 'queued';
    const timer = setTimeout(() => {
      controller.abort(
        new AppError(
          'TIMEOUT',
          phase === 'queued'
            ? `Query exceeded the ${timeoutMs} ms limit while waiting for a free engine connection; the engine is busy. Try again in a moment.`
            : `Query exceeded the ${timeoutMs} ms limit and was stopped. Narrow it down (filters, a shorter time range, fewer columns) or raise the timeout.`,
          { timeoutMs, phase },
        ),
      );
    }, timeoutMs);
    const onUserAbort = () => controller.abort(cancelledError());
    options.signal?.addEventListener('abort', onUserAbort, { once: true });
    try {
      const conn = await this.pool.acquire(controller.signal);
      phase = 'running';
      try {
        // Every query sets it: a pooled connection must not keep the previous caller's schema.
        await conn
          .run(`SET search_path = ${sqlString(schemaName(options.schema ?? 'main'))}`)
          .catch((error: unknown) => {
            throw toQueryError(error, sql);
          });
        yield* this.streamOn(
          conn,
          sql,
          options.params,
          maxRows,
          controller.signal,
          options.scoped ? schemaName(options.schema ?? 'main') : undefined,
        );
      } finally {
        this.pool.release(conn);
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onUserAbort);
    }
  }

  async checkReadOnly(sql: string): Promise<void> {
    this.assertOpen();
    const conn = await this.pool.acquire();
    try {
      const checked = await this.checkOn(conn, sql);
      checked.prepared.destroySync();
    } catch (error) {
      throw this.closing ? closedError() : toQueryError(error, sql);
    } finally {
      this.pool.release(conn);
    }
  }

  /**
   * INTERNAL — for engine wiring only (refreshing lake views, catalog introspection), never for
   * SQL that a user or a model wrote: runs `fn` on a pooled connection WITHOUT the read-only
   * check, timeout or row cap. The instance lockdown still applies.
   */
  async admin<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.assertOpen();
    const conn = await this.pool.acquire();
    try {
      return await fn(conn);
    } finally {
      this.pool.release(conn);
    }
  }

  async health(): Promise<EngineHealth> {
    if (this.closing) return { ok: false, detail: 'DuckDB engine is shut down' };
    try {
      await this.execute('select 1', { timeoutMs: 5_000, maxRows: 1 });
      const { size, busy, waiting } = this.pool.stats;
      return {
        ok: true,
        detail: `DuckDB ${duckdbVersion()}: ${busy}/${size} connections busy, ${waiting} waiting`,
      };
    } catch (error) {
      // Busy is alive: a full queue is back-pressure, not a failure of the engine.
      if (error instanceof AppError && error.code === 'ENGINE_BUSY') {
        return { ok: true, detail: `DuckDB ${duckdbVersion()}: busy (${error.message})` };
      }
      return {
        ok: false,
        detail: `DuckDB: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Running queries are interrupted so shutdown does not wait for a long scan.
      for (const conn of this.pool.lent) conn.interrupt();
      await this.pool.close();
      for (const conn of this.connections) conn.closeSync();
      this.instance.closeSync();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw closedError();
  }

  private async *streamOn(
    conn: DuckDBConnection,
    sql: string,
    params: ExecuteOptions['params'],
    maxRows: number,
    signal: AbortSignal,
    scope: string | undefined,
  ): AsyncGenerator<QueryStreamEvent, void, undefined> {
    const started = performance.now();
    const onAbort = () => conn.interrupt();
    signal.addEventListener('abort', onAbort, { once: true });
    let prepared: DuckDBPreparedStatement | undefined;
    try {
      const checked = await this.checkOn(conn, sql, scope);
      prepared = checked.prepared;
      throwIfAborted(signal);
      bindParams(prepared, params);
      const result = await prepared.stream();
      throwIfAborted(signal);

      const columns: QueryColumn[] = [];
      for (let i = 0; i < result.columnCount; i++) {
        const type = result.columnType(i);
        columns.push({
          name: result.columnName(i),
          type: toColumnType(type),
          engineType: engineTypeName(type),
        });
      }
      yield { type: 'columns', columns, statementType: checked.statementType };

      // Chunks of ~2048 rows; stop once the cap is passed so a huge result is never
      // materialised. One chunk beyond the cap tells whether more rows existed. The first chunk
      // goes out at once (first rows fast); later ones in batches of up to BATCH_ROWS, or
      // whatever arrived within BATCH_MS, so a slow filter still shows progress.
      let batch: unknown[][] = [];
      let rowCount = 0;
      let truncated = false;
      let flushedAt = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        // An interrupt between chunks ends a stream silently (an empty chunk), so the abort
        // flag, not the chunk, says whether this is the real end.
        throwIfAborted(signal);
        if (!chunk || chunk.rowCount === 0) break;
        const take = Math.min(chunk.rowCount, maxRows - rowCount);
        for (let r = 0; r < take; r++) batch.push(chunk.getRowValues(r).map(toJsonValue));
        rowCount += take;
        if (take < chunk.rowCount) {
          truncated = true;
          break;
        }
        const now = performance.now();
        if (flushedAt === 0 || batch.length >= BATCH_ROWS || now - flushedAt >= BATCH_MS) {
          yield { type: 'rows', rows: batch };
          batch = [];
          flushedAt = performance.now();
        }
      }
      if (batch.length > 0) yield { type: 'rows', rows: batch };

      const durationMs = Math.round(performance.now() - started);
      this.logger?.debug(
        { statementType: checked.statementType, rows: rowCount, truncated, durationMs },
        'query finished',
      );
      yield { type: 'end', rowCount, truncated, durationMs };
    } catch (error) {
      if (signal.aborted) {
        const reason: unknown = signal.reason;
        if (reason instanceof AppError && reason.code === 'TIMEOUT') {
          this.logger?.warn({ timeoutMs: reason.details?.timeoutMs }, 'query timed out');
        }
        throw reason;
      }
      if (this.closing) throw closedError();
      throw toQueryError(error, sql);
    } finally {
      signal.removeEventListener('abort', onAbort);
      prepared?.destroySync();
    }
  }

  /**
   * The read-only statement check on a given connection (see the module comment), and with
   * `scope` (a schema) the workspace scope check of server/query/scope.ts.
   */
  private async checkOn(
    conn: DuckDBConnection,
    sql: string,
    scope?: string,
  ): Promise<CheckedStatement> {
    if (sql.trim() === '') throw emptyError();
    let extracted;
    try {
      extracted = await conn.extractStatements(sql);
    } catch (error) {
      // DuckDB reports "no statements" (only comments) as a bare native-callback error.
      if (parseDuckDbError(error).message.includes('Error in native callback')) throw emptyError();
      throw toQueryError(error, sql);
    }
    if (extracted.count !== 1) {
      // DuckDB expands a PIVOT without an IN list into several statements (it creates an ENUM).
      const pivotHint = /\bpivot\b/i.test(sql)
        ? ' A PIVOT needs an explicit value list here: PIVOT … ON col IN (…) USING ….'
        : '';
      throw new AppError(
        'QUERY_REJECTED',
        `Only one statement per query is allowed; found ${extracted.count}. Remove the extra statements (and stray semicolons) and run them one at a time.${pivotHint}`,
        { statementCount: extracted.count },
      );
    }

    let kind: keyof typeof ALLOWED_KIND;
    let tree = await parsedSelect(conn, sql);
    let offset = 0;
    if (tree !== undefined) {
      kind = 'select';
    } else {
      const inner = explainTarget(sql);
      tree = inner === undefined ? undefined : await parsedSelect(conn, inner);
      if (inner === undefined || tree === undefined) {
        throw new AppError(
          'QUERY_REJECTED',
          `Only read-only SELECT queries are allowed; got ${describeStatement(sql)}.`,
          { statementType: describeStatement(sql) },
        );
      }
      kind = 'explain';
      offset = Math.max(0, sql.lastIndexOf(inner));
    }
    if (scope !== undefined) {
      const violation = scopeViolation(tree, {
        schema: scope,
        tables: await tablesOf(conn, scope),
      });
      if (violation) {
        const position = violation.location === undefined ? undefined : violation.location + offset;
        throw new AppError(
          'QUERY_REJECTED',
          violation.message,
          position === undefined ? {} : { position, ...lineAndColumn(sql, position) },
        );
      }
    }

    // Safe to bind now: the parser says it is a SELECT (or EXPLAIN of one). The prepared type is
    // checked as well, as a second opinion from the binder.
    const prepared = await extracted.prepare(0);
    const type = prepared.statementType;
    if (type !== ALLOWED_KIND[kind]) {
      prepared.destroySync();
      throw new AppError(
        'QUERY_REJECTED',
        `Only read-only SELECT queries are allowed; got ${StatementType[type]}.`,
        { statementType: StatementType[type] },
      );
    }
    return { prepared, statementType: StatementType[type] };
  }
}

/**
 * The parse tree when DuckDB's parser reads `sql` as exactly one SELECT, else undefined.
 * json_serialize_sql parses without binding and refuses every other statement type ("Only
 * SELECT statements can be serialized").
 */
async function parsedSelect(conn: DuckDBConnection, sql: string): Promise<ParseTree | undefined> {
  const reader = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const text = reader.getRows()[0]?.[0];
  if (typeof text !== 'string') return undefined;
  const parsed = JSON.parse(text) as {
    error?: boolean;
    error_type?: string;
    error_message?: string;
    position?: string;
    statements?: ParseTree[];
  };
  // The parser's nesting limits (the statement splitter let the text through): say so rather
  // than "not a SELECT". Anything else that is not one SELECT is the caller's to report.
  if (
    parsed.error &&
    parsed.error_type === 'parser' &&
    /memory exhausted|depth/i.test(parsed.error_message ?? '')
  ) {
    const position = Number(parsed.position);
    throw new AppError(
      'QUERY_REJECTED',
      tooDeeplyNested(parsed.error_message ?? ''),
      Number.isInteger(position) ? { position, ...lineAndColumn(sql, position) } : {},
    );
  }
  return parsed.error === false && parsed.statements?.length === 1
    ? parsed.statements[0]
    : undefined;
}

/** The tables and views of a schema, lower case: what scoped SQL may name. */
async function tablesOf(conn: DuckDBConnection, schema: string): Promise<Set<string>> {
  const reader = await conn.runAndReadAll(
    `SELECT lower(table_name) FROM duckdb_tables() WHERE schema_name = $1
     UNION ALL SELECT lower(view_name) FROM duckdb_views() WHERE schema_name = $1`,
    [schema],
  );
  return new Set(reader.getRows().map((r) => String(r[0])));
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}

function cancelledError(): AppError {
  return new AppError('CANCELLED', 'The query was cancelled.');
}

function closedError(): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'The query engine has been shut down.');
}

function emptyError(): AppError {
  return new AppError(
    'QUERY_REJECTED',
    'The SQL is empty (only whitespace or comments). Write one SELECT query.',
  );
}

function positiveInteger(value: number | undefined, fallback: number, name: string, min: number) {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) {
    throw new AppError('BAD_REQUEST', `${name} must be an integer >= ${min}; got ${String(v)}.`, {
      option: name,
    });
  }
  return v;
}

/** A schema name the engine accepts for `schema`: a plain lower-case identifier. */
function schemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new AppError('BAD_REQUEST', `"${name}" is not a valid schema name.`);
  return name;
}

/** A directory as an allowed_directories entry: absolute, with a trailing separator. */
export function allowedDirectoryEntry(dir: string): string {
  const abs = path.resolve(dir);
  return abs.endsWith(path.sep) ? abs : abs + path.sep;
}

/**
 * Starts DuckDB, runs `setup`, then locks the instance down. The lock is verified by reading the
 * settings back, so a DuckDB upgrade that renames a setting fails start-up instead of silently
 * running unlocked.
 */
export async function createDuckDbEngine(opts: DuckDbEngineOptions): Promise<DuckDbEngine> {
  for (const [name, value, min] of [
    ['poolSize', opts.poolSize, 1],
    ['queueMax', opts.queueMax, 0],
    ['threads', opts.threads, 1],
    ['defaultTimeoutMs', opts.defaultTimeoutMs, 1],
    ['defaultMaxRows', opts.defaultMaxRows, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min) {
      throw new AppError('CONFIG_INVALID', `DuckDB engine: ${name} must be an integer >= ${min}.`);
    }
  }
  const lakeDir = path.resolve(opts.lakeDir);
  const tempDir = path.resolve(opts.tempDir);
  await mkdir(lakeDir, { recursive: true });
  await mkdir(tempDir, { recursive: true });

  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      threads: String(opts.threads),
      memory_limit: opts.memoryLimit,
      temp_directory: tempDir,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      errors_as_json: 'true',
      // Rows without an ORDER BY come in no particular order (as in PostgreSQL and Trino). With
      // insertion order kept, a big LIMIT (`select * from fact_events limit 1000000`) is a sink
      // that reads every limited row before the first is returned (0.9 s instead of 70 ms to
      // the first chunk at 10M events, bench/README.md), and scans cost more memory.
      // Everything we compile orders its result explicitly.
      preserve_insertion_order: 'false',
    });
  } catch (error) {
    throw new AppError(
      'CONFIG_INVALID',
      `Could not start DuckDB: ${parseDuckDbError(error).message}. Check TL_DUCKDB_THREADS and TL_DUCKDB_MEMORY_LIMIT.`,
      undefined,
      { cause: error },
    );
  }

  const connections: DuckDBConnection[] = [];
  try {
    for (let i = 0; i < opts.poolSize; i++) connections.push(await instance.connect());
    const first = connections[0];
    if (!first) throw new Error('no connection');
    // Timestamps come back as UTC instants anyway; UTC here makes TIMESTAMP <-> TIMESTAMPTZ
    // casts and date_trunc on TIMESTAMPTZ independent of the server's local zone.
    await first.run(`SET GLOBAL TimeZone = 'UTC'`);
    await opts.setup?.(first);
    // DuckDB 1.5.5 already refuses `/data/lake-backup/…` for an entry `/data/lake`; the
    // trailing separator keeps that true should a version ever match plain string prefixes.
    await first.run(`SET allowed_directories = [${sqlString(allowedDirectoryEntry(lakeDir))}]`);
    await first.run(`SET enable_external_access = false`);
    await first.run(`SET autoinstall_known_extensions = false`);
    await first.run(`SET autoload_known_extensions = false`);
    await first.run(`SET lock_configuration = true`);

    const settings = await first.runAndReadAll(
      `SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration', 'autoinstall_known_extensions', 'autoload_known_extensions')`,
    );
    const values = Object.fromEntries(settings.getRows().map(([n, v]) => [String(n), String(v)]));
    const expected = {
      enable_external_access: 'false',
      lock_configuration: 'true',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    for (const [name, want] of Object.entries(expected)) {
      if (values[name] !== want) {
        throw new Error(`setting ${name} is ${values[name] ?? 'missing'}, expected ${want}`);
      }
    }
  } catch (error) {
    for (const conn of connections) conn.closeSync();
    instance.closeSync();
    if (error instanceof AppError) throw error;
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      `Could not start the DuckDB query engine: ${parseDuckDbError(error).message}`,
      undefined,
      { cause: error },
    );
  }

  opts.logger?.info(
    {
      duckdb: duckdbVersion(),
      lakeDir,
      tempDir,
      threads: opts.threads,
      memoryLimit: opts.memoryLimit,
      poolSize: opts.poolSize,
      queueMax: opts.queueMax,
    },
    'DuckDB query engine started (locked down to the lake folder)',
  );
  return new DuckDbEngine(
    instance,
    connections,
    new ConnectionPool(connections, opts.queueMax),
    { timeoutMs: opts.defaultTimeoutMs, maxRows: opts.defaultMaxRows },
    opts.logger,
  );
}
