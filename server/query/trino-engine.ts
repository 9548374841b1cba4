// The distributed mode's query engine: Trino over its REST protocol (trino-client), behind the
// same QueryEngine interface as DuckDB. Guardrails, as in the embedded engine:
//   - read-only: the statement is checked by Trino's own analyser (EXPLAIN (TYPE IO, FORMAT
//     JSON)): one statement, a query that writes no table; anything Trino cannot explain as
//     such is refused. The server side is read-only too (infra/local/trino.sh installs the
//     `read-only` system access control), so a statement that slipped past cannot write.
//   - timeout: the session's query_max_execution_time and a client timer that kills the query
//     (its DELETE on the query's URI), whichever comes first; an abort signal does the same.
//   - row cap: reading stops after maxRows rows and the query is cancelled (truncated = true).
// Parameters are positional (`?`) and bound by Trino itself (EXECUTE IMMEDIATE … USING), with
// each value written as a typed literal.
import { BasicAuth, Trino, type QueryResult as TrinoPage } from 'trino-client';
import { AppError } from '../errors';
import type {
  ColumnType,
  EngineHealth,
  ExecuteOptions,
  QueryColumn,
  QueryEngine,
  QueryResult,
  QueryStreamEvent,
} from './query-engine';
import { sqlString } from './sql-quote';
import { lineAndColumn } from './duckdb-errors';
import { typoHint, withHint } from './typo-hint';
import { explainTarget } from './statement-text';
import { workspaceSchema } from '../pipelines/marts';

export interface TrinoEngineOptions {
  url: string;
  catalog: string;
  schema: string;
  /** The user queries run as (read-only on the server). */
  user: string;
  /** The user that registers the lake's Delta tables in the catalog (may write metadata). */
  adminUser?: string;
  timeoutMs: number;
  maxRows: number;
}

/** Trino's type name → the portable column type. */
export function trinoColumnType(type: string): ColumnType {
  const t = type.toLowerCase();
  if (/^(varchar|char)/.test(t)) return 'string';
  if (/^(tinyint|smallint|integer|bigint)$/.test(t)) return 'integer';
  if (/^(real|double)$/.test(t)) return 'float';
  if (t.startsWith('decimal')) return 'decimal';
  if (t === 'boolean') return 'boolean';
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t.startsWith('time')) return 'time';
  if (t.startsWith('interval')) return 'interval';
  if (t === 'json') return 'json';
  if (t.startsWith('array')) return 'list';
  if (t.startsWith('row') || t.startsWith('map')) return 'struct';
  if (t === 'varbinary') return 'binary';
  if (t === 'uuid') return 'uuid';
  return 'other';
}

/** A bound value as a Trino literal for EXECUTE IMMEDIATE … USING (never spliced into the query). */
export function trinoLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return `BIGINT ${sqlString(String(value))}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new AppError('BAD_REQUEST', `A query parameter is not a finite number (${value}).`);
    return Number.isInteger(value) && Math.abs(value) <= 2 ** 53
      ? `BIGINT ${sqlString(String(value))}`
      : `DOUBLE ${sqlString(String(value))}`;
  }
  if (value instanceof Date) return `from_iso8601_timestamp(${sqlString(value.toISOString())})`;
  if (typeof value === 'string') return sqlString(value);
  if (Array.isArray(value)) return `ARRAY[${value.map(trinoLiteral).join(', ')}]`;
  throw new AppError('BAD_REQUEST', `A query parameter of type ${typeof value} cannot be bound.`);
}

/**
 * The statement Trino runs: the query itself, or EXECUTE IMMEDIATE with its parameters. Trino's
 * parameters are positional (`?`); named ones (`$name`, what the SQL editor's templates bind) are
 * turned into `?` in the order they appear — only the names given, so `"events$history"` stays.
 */
export function boundStatement(sql: string, params: ExecuteOptions['params']): string {
  if (params === undefined) return sql;
  if (!Array.isArray(params)) {
    const names = Object.keys(params).sort((a, b) => b.length - a.length);
    if (names.length === 0) return sql;
    const values: unknown[] = [];
    const pattern = new RegExp(`\\$(${names.map((n) => n.replace(/\W/g, '')).join('|')})\\b`, 'g');
    const positional = sql.replace(pattern, (_, name: string) => {
      values.push(params[name]);
      return '?';
    });
    return boundStatement(positional, values);
  }
  if (params.length === 0) return sql;
  return `EXECUTE IMMEDIATE ${sqlString(sql)} USING ${params.map(trinoLiteral).join(', ')}`;
}

const EXPLAIN_IO = 'EXPLAIN (TYPE IO, FORMAT JSON) ';
/** How long a query that found no node for its catalog is started again (see stream()). */
const NO_NODES_RETRY_MS = 15_000;

/**
 * A mistake Trino's analyser found in a query (an unknown column or table, a syntax error, a type
 * mismatch…), not an attempt to do more than read: a plain QUERY_FAILED with Trino's words and,
 * when the query ran as written (no bound parameters), the position in `sql` the SQL editor
 * underlines — what DuckDB's errors carry. Undefined for what the read-only check refuses
 * (permissions, unsupported statements, a second statement after `;`). Pure; exported for tests.
 */
export function analyserMistake(
  error: { errorName: string; errorType: string; message: string },
  sql: string,
  bound: boolean,
): AppError | undefined {
  if (error.errorType !== 'USER_ERROR') return undefined;
  if (error.errorName === 'PERMISSION_DENIED' || error.errorName === 'NOT_SUPPORTED')
    return undefined;
  if (error.errorName === 'SYNTAX_ERROR' && /input ';'/.test(error.message)) return undefined;
  const at = /^line (\d+):(\d+): /.exec(error.message);
  const message = at ? error.message.slice(at[0].length) : error.message;
  const details: Record<string, unknown> = { engine: 'trino', errorName: error.errorName };
  if (at && !bound) {
    // Trino saw `EXPLAIN (TYPE IO, FORMAT JSON) <the query, trimmed>`.
    const lead = sql.length - sql.trimStart().length;
    const text = sql.trimStart();
    const [line, column] = [Number(at[1]), Number(at[2])];
    let offset = line === 1 ? column - 1 - EXPLAIN_IO.length : -1;
    if (line > 1) {
      const lines = text.split('\n');
      if (line - 1 < lines.length)
        offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    }
    if (offset >= 0 && offset <= text.length) {
      const position = lead + offset;
      Object.assign(details, { position }, lineAndColumn(sql, position));
    }
  }
  return new AppError('QUERY_FAILED', message, details);
}

/**
 * A Trino value in the JSON shapes DuckDB's results have (server/query/duckdb-values.ts), so a
 * result reads the same from either engine: DECIMAL (sent as text) → number; TIMESTAMP [WITH TIME
 * ZONE] (`2026-10-01 12:00:00.000000 UTC`) → ISO 8601 in UTC with milliseconds; the rest (numbers,
 * strings, `YYYY-MM-DD` dates, arrays, rows) as sent.
 */
export function trinoValue(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const t = type.toLowerCase();
  if (t.startsWith('decimal') && typeof value === 'string') return Number(value);
  if (t.startsWith('timestamp') && typeof value === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?(?: (.+))?$/.exec(value);
    if (!m) return value;
    const [, day, time, fraction = '', zone] = m;
    const ms = fraction ? `${fraction}000`.slice(0, 4) : '.000';
    const offset =
      !zone || zone === 'UTC' || zone === 'Z' ? 'Z' : /^[+-]\d{2}:\d{2}$/.test(zone) ? zone : null;
    if (!offset) return value;
    const date = new Date(`${day}T${time}${ms}${offset}`);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  return value;
}

interface IoTable {
  catalog: string;
  schemaTable: { schema: string; table: string };
}

/** The predicate Trino pushed into a table's scan, as EXPLAIN (TYPE IO) reports it. */
interface IoConstraint {
  none?: boolean;
  columnConstraints?: {
    columnName: string;
    domain?: {
      nullsAllowed?: boolean;
      ranges?: {
        low?: { value?: unknown; bound?: string };
        high?: { value?: unknown; bound?: string };
      }[];
    };
  }[];
}

/**
 * An analyser mistake found in the query inside an EXPLAIN, its position moved by `offset` (where
 * that query starts in `sql`) with its line and column in `sql`.
 */
function atOffset(error: AppError | undefined, offset: number, sql: string) {
  const position = error?.details?.position;
  if (!error || typeof position !== 'number' || offset < 0) return error;
  return new AppError(error.code, error.message, {
    ...error.details,
    position: position + offset,
    ...lineAndColumn(sql, position + offset),
  });
}

/** What `EXPLAIN (TYPE IO, FORMAT JSON)` answers (the parts read here). */
interface ExplainIo {
  outputTable?: unknown;
  inputTableColumnInfos?: { table: IoTable; constraint?: IoConstraint }[];
}

/**
 * Whether a table a scoped query reads belongs to `schema`: the schema itself, or a run schema
 * of the same workspace (server/pipelines/marts.ts runSchema: the workspace schema's first 43
 * characters, then `__r_`), which the workspace schema's views read; or a bronze table (which
 * holds every workspace) read only where `workspace_id` is this workspace's — what the
 * workspace schema's `bronze_<table>` views filter on (marts-store.ts), and the scan's
 * constraint shows after Trino resolved the views, whatever the query says.
 */
export function inScope(
  table: IoTable,
  catalog: string,
  schema: string,
  constraint?: IoConstraint,
): boolean {
  const s = table.schemaTable.schema;
  if (table.catalog !== catalog) return false;
  // `schema` is the workspace's or, for the app's queries of the current marts, one of its run
  // schemas (`<workspace schema, first 43 characters>__r_<run>`).
  const run = schema.lastIndexOf('__r_');
  const base = (run > 0 ? schema.slice(0, run) : schema).slice(0, 43);
  if (s === schema || s.startsWith(`${base}__r_`)) return true;
  if (s !== 'bronze' || constraint?.none) return false;
  const ws = constraint?.columnConstraints?.filter((c) => c.columnName === 'workspace_id') ?? [];
  const ranges = ws.length === 1 ? (ws[0]!.domain?.ranges ?? []) : [];
  if (ws[0]?.domain?.nullsAllowed !== false || ranges.length !== 1) return false;
  const { low, high } = ranges[0]!;
  return (
    low?.bound === 'EXACTLY' &&
    high?.bound === 'EXACTLY' &&
    typeof low.value === 'string' &&
    low.value === high.value &&
    workspaceSchema(low.value).slice(0, 43) === base
  );
}

export class TrinoEngine implements QueryEngine {
  readonly dialect = 'trino' as const;
  private readonly client: Trino;

  private readonly adminClient: Trino;

  constructor(private readonly opts: TrinoEngineOptions) {
    this.client = Trino.create({
      server: opts.url,
      catalog: opts.catalog,
      schema: opts.schema,
      auth: new BasicAuth(opts.user),
      source: 'telemetry-lakehouse',
    });
    this.adminClient = Trino.create({
      server: opts.url,
      catalog: opts.catalog,
      auth: new BasicAuth(opts.adminUser ?? 'tl-admin'),
      source: 'telemetry-lakehouse',
    });
  }

  get url(): string {
    return this.opts.url;
  }

  get catalog(): string {
    return this.opts.catalog;
  }

  get adminUser(): string {
    return this.opts.adminUser ?? 'tl-admin';
  }

  private unavailable(error: unknown): AppError {
    const message = (error as Error).message ?? String(error);
    return new AppError(
      'SERVICE_UNAVAILABLE',
      `Trino at ${this.opts.url} is not reachable: ${message}. Queries fail until it is back.`,
    );
  }

  /** Runs a statement to its end (no guardrails): the engine's own checks use it. */
  private async run(
    statement: string,
    schema: string,
    session: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<AsyncIterator<TrinoPage> & { queryId?: string }> {
    try {
      const iterator = await this.client.query({
        query: statement,
        catalog: this.opts.catalog,
        schema,
        session,
      });
      return iterator;
    } catch (error) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'The query was cancelled.');
      throw this.unavailable(error);
    }
  }

  private failure(page: TrinoPage): AppError {
    const e = page.error!;
    if (e.errorName === 'EXCEEDED_TIME_LIMIT')
      return new AppError('TIMEOUT', `The query ran longer than allowed and was stopped.`);
    if (e.errorName === 'USER_CANCELED')
      return new AppError('CANCELLED', 'The query was cancelled.');
    return new AppError('QUERY_FAILED', e.message, {
      engine: 'trino',
      errorName: e.errorName,
      errorType: e.errorType,
    });
  }

  /**
   * Makes Delta tables of the lake visible as `<catalog>.<schema>.<table>` (the file metastore
   * records their location; the data stays where delta-rs wrote it). Idempotent.
   * `location` is relative to the catalog's `local.location` (the lake folder).
   */
  async registerDeltaTables(
    tables: { schema: string; table: string; location: string }[],
  ): Promise<void> {
    const run = async (statement: string, ignore?: RegExp) => {
      let pages;
      try {
        pages = await this.adminClient.query(statement);
      } catch (error) {
        throw this.unavailable(error);
      }
      for await (const page of pages) {
        if (page.error && !ignore?.test(page.error.message)) throw this.failure(page);
      }
    };
    const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
    for (const schema of new Set(tables.map((t) => t.schema)))
      await run(`CREATE SCHEMA IF NOT EXISTS ${ident(this.opts.catalog)}.${ident(schema)}`);
    for (const t of tables)
      await run(
        `CALL ${ident(this.opts.catalog)}.system.register_table(schema_name => ${sqlString(t.schema)}, table_name => ${sqlString(t.table)}, table_location => ${sqlString(`local:///${t.location.replace(/^\/+/, '')}`)})`,
        /already exists/i,
      );
  }

  async checkReadOnly(
    sql: string,
    schema = this.opts.schema,
    params?: ExecuteOptions['params'],
    scoped = false,
  ): Promise<void> {
    const text = sql.trim().replace(/;\s*$/, '');
    if (!text) throw new AppError('QUERY_REJECTED', 'The query is empty.');
    // EXPLAIN [ANALYZE] <query>: the query is what is checked (Trino explains no EXPLAIN), and
    // the plan of a read-only query is itself read-only (ANALYZE runs the query, reading).
    const query = explainTarget(text) ?? text;
    // EXPLAIN (TYPE IO) answers a query with JSON naming what it reads (and `outputTable` when it
    // writes); DDL, SET, CALL, GRANT… come back as their own text, not JSON: refused.
    // With parameters: EXPLAIN … EXECUTE IMMEDIATE '<query>' USING <values> (a query with `?`
    // cannot be analysed without values).
    const statement = boundStatement(query, params);
    const pages = await this.run(`${EXPLAIN_IO}${statement}`, schema);
    let plan = '';
    for (;;) {
      const { value: page, done } = await pages.next();
      if (done || !page) break;
      if (page.error) {
        const analysed = sql.replace(/;\s*$/, '');
        const mistake =
          query === text
            ? analyserMistake(page.error, analysed, statement !== query)
            : atOffset(
                analyserMistake(page.error, query, statement !== query),
                analysed.indexOf(query),
                analysed,
              );
        if (mistake) throw withHint(mistake, await this.columnHint(page.error, schema));
        const failure = this.failure(page);
        throw new AppError(
          'QUERY_REJECTED',
          `Only a single read-only query can run here. Trino says: ${failure.message}`,
          { engine: 'trino' },
        );
      }
      for (const row of page.data ?? []) plan += String(row[0] ?? '');
    }
    let io: ExplainIo = {};
    try {
      io = JSON.parse(plan) as ExplainIo;
    } catch {
      throw new AppError('QUERY_REJECTED', 'Only a single read-only query can run here.');
    }
    if (io.outputTable)
      throw new AppError(
        'QUERY_REJECTED',
        'Only read-only queries can run here: this statement writes a table.',
      );
    if (scoped) {
      // Trino's analyser has resolved every name (views to their tables): each table the query
      // reads must be one of this schema's (or, through its views, of the run schemas behind it).
      const outside = (io.inputTableColumnInfos ?? [])
        .filter((i) => !inScope(i.table, this.opts.catalog, schema, i.constraint))
        .map((i) => i.table);
      if (outside.length)
        throw new AppError(
          'QUERY_REJECTED',
          `This query may read only this workspace's marts; it reads ${[
            ...new Set(outside.map((t) => `${t.schemaTable.schema}.${t.schemaTable.table}`)),
          ]
            .slice(0, 3)
            .join(', ')}.`,
        );
    }
  }

  /**
   * "did you mean …?" for a column Trino could not resolve: Trino names no candidates, so they
   * are the columns of the schema's tables (one metadata query, on this error only). Undefined
   * for other errors, or when the metadata cannot be read.
   */
  private async columnHint(
    error: { errorName: string; message: string },
    schema: string,
  ): Promise<string | undefined> {
    const name = /Column '([^']+)' cannot be resolved/.exec(error.message)?.[1];
    if (error.errorName !== 'COLUMN_NOT_FOUND' || !name) return undefined;
    try {
      const pages = await this.run(
        `SELECT DISTINCT column_name FROM information_schema.columns WHERE table_schema = ${sqlString(schema)}`,
        schema,
      );
      const candidates: string[] = [];
      for (;;) {
        const { value: page, done } = await pages.next();
        if (done || !page || page.error) break;
        for (const [column] of page.data ?? []) candidates.push(String(column));
      }
      return typoHint({ kind: 'column', name, candidates });
    } catch {
      return undefined;
    }
  }

  /**
   * The functions queries may call, one row per name as the SQL editor's FUNCTIONS_SQL gives
   * them for DuckDB: name, kind, description, the parameters of the overload with the fewest.
   */
  async functions(): Promise<unknown[][]> {
    const pages = await this.run('SHOW FUNCTIONS', 'default');
    const byName = new Map<string, { kind: string; description: string; parameters: string }>();
    for (;;) {
      const { value: page, done } = await pages.next();
      if (done || !page) break;
      if (page.error) throw this.failure(page);
      // Function, Return Type, Argument Types, Function Type, Deterministic, Description
      for (const [name, , args, type, , description] of page.data ?? []) {
        const n = String(name);
        if (!/^[a-z_][a-z0-9_]*$/.test(n) || n.startsWith('$')) continue;
        const kind = String(type) === 'aggregate' ? 'aggregate' : 'scalar';
        if (kind === 'scalar' && String(type) !== 'scalar') continue; // window, table functions
        const parameters = String(args ?? '');
        const seen = byName.get(n);
        if (!seen || parameters.split(',').length < seen.parameters.split(',').length)
          byName.set(n, {
            kind,
            parameters,
            description: seen?.description || String(description ?? ''),
          });
      }
    }
    return [...byName]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, f]) => [name, f.kind, f.description, f.parameters]);
  }

  /** Runs one statement as the admin user (DDL of the marts); returns its rows. */
  async admin(statement: string): Promise<unknown[][]> {
    let pages;
    try {
      pages = await this.adminClient.query(statement);
    } catch (error) {
      throw this.unavailable(error);
    }
    const rows: unknown[][] = [];
    for await (const page of pages) {
      if (page.error) throw this.failure(page);
      for (const row of page.data ?? []) rows.push(row);
    }
    return rows;
  }

  async *stream(
    sql: string,
    options: ExecuteOptions = {},
  ): AsyncGenerator<QueryStreamEvent, void, undefined> {
    const schema = options.schema ?? this.opts.schema;
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    const maxRows = options.maxRows ?? this.opts.maxRows;
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'The query was cancelled.');
    const started = performance.now();
    await this.checkReadOnly(sql, schema, options.params, options.scoped ?? false);
    const statementType = explainTarget(sql.trim()) === undefined ? 'SELECT' : 'EXPLAIN';
    const statement = boundStatement(sql.trim().replace(/;\s*$/, ''), options.params);
    const start = () =>
      this.run(
        statement,
        schema,
        { query_max_execution_time: `${Math.max(1, Math.ceil(timeoutMs / 1000))}s` },
        options.signal,
      );
    let pages = await start();
    let queryId: string | undefined;
    let stopped: AppError | undefined;
    const kill = (reason: AppError) => {
      stopped ??= reason;
      if (queryId) void this.client.cancel(queryId).catch(() => undefined);
    };
    const timer = setTimeout(
      () =>
        kill(new AppError('TIMEOUT', `The query ran longer than ${timeoutMs} ms and was stopped.`)),
      timeoutMs,
    );
    const onAbort = () => kill(new AppError('CANCELLED', 'The query was cancelled.'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let columns: QueryColumn[] | undefined;
    let rowCount = 0;
    let truncated = false;
    try {
      for (;;) {
        const { value: page, done } = await pages.next();
        if (stopped) throw stopped;
        if (done || !page) break;
        queryId ??= page.id;
        // Just after Trino (or a worker) starts, the coordinator knows no node for the catalog
        // for a few seconds (its node list refreshes every 5 s): such a query ran nothing, so it
        // is started again, for up to NO_NODES_RETRY_MS.
        if (
          page.error?.errorName === 'NO_NODES_AVAILABLE' &&
          !columns &&
          performance.now() - started < NO_NODES_RETRY_MS
        ) {
          await new Promise((r) => setTimeout(r, 500));
          queryId = undefined;
          pages = await start();
          continue;
        }
        if (page.error) throw this.failure(page);
        if (!columns && page.columns) {
          columns = page.columns.map((c) => ({
            name: c.name,
            type: trinoColumnType(c.type),
            engineType: c.type,
          }));
          yield {
            type: 'columns',
            columns,
            statementType,
          };
        }
        const data = page.data ?? [];
        if (data.length) {
          const room = maxRows - rowCount;
          const types = columns?.map((c) => c.engineType) ?? [];
          const rows = data
            .slice(0, Math.max(0, room))
            .map((r) => r.map((v, i) => trinoValue(types[i] ?? '', v)));
          rowCount += rows.length;
          if (rows.length) yield { type: 'rows', rows };
          if (data.length > room) {
            truncated = true;
            if (queryId) await this.client.cancel(queryId).catch(() => undefined);
            break;
          }
        }
      }
      if (!columns) yield { type: 'columns', columns: [], statementType };
      yield {
        type: 'end',
        rowCount,
        truncated,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // A consumer that stops early (or an error) must not leave the query running.
      if (queryId && !truncated) void this.client.cancel(queryId).catch(() => undefined);
    }
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<QueryResult> {
    const result: QueryResult = {
      columns: [],
      rows: [],
      rowCount: 0,
      truncated: false,
      durationMs: 0,
      statementType: 'SELECT',
    };
    for await (const event of this.stream(sql, options)) {
      if (event.type === 'columns') {
        result.columns = event.columns;
        result.statementType = event.statementType;
      } else if (event.type === 'rows') for (const r of event.rows) result.rows.push(r);
      else Object.assign(result, event);
    }
    return result;
  }

  async health(): Promise<EngineHealth> {
    try {
      const info = await this.client.query({
        query: `SELECT (SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'),
                       (SELECT count(*) FROM system.runtime.queries WHERE state = 'RUNNING') - 1`,
      });
      let nodes = 0;
      let running = 0;
      for await (const page of info) {
        if (page.error) return { ok: false, detail: page.error.message };
        for (const row of page.data ?? []) [nodes, running] = [Number(row[0]), Number(row[1])];
      }
      return {
        ok: nodes > 0,
        detail: `Trino at ${this.opts.url}: ${nodes} active node(s) · ${running} other quer${running === 1 ? 'y' : 'ies'} running`,
      };
    } catch (error) {
      return { ok: false, detail: this.unavailable(error).message };
    }
  }

  async close(): Promise<void> {}
}
