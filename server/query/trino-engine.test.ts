import { describe, expect, it } from 'vitest';
import {
  analyserMistake,
  boundStatement,
  inScope,
  trinoColumnType,
  trinoLiteral,
  trinoValue,
} from './trino-engine';

describe('trinoLiteral', () => {
  // Values reach Trino as typed literals in EXECUTE IMMEDIATE … USING, never inside the query
  // text; a quote in a string must stay data.
  it('writes each value as a typed literal', () => {
    expect(trinoLiteral("it's")).toBe("'it''s'");
    expect(trinoLiteral(42)).toBe("BIGINT '42'");
    expect(trinoLiteral(0.5)).toBe("DOUBLE '0.5'");
    expect(trinoLiteral(10n)).toBe("BIGINT '10'");
    expect(trinoLiteral(true)).toBe('true');
    expect(trinoLiteral(null)).toBe('NULL');
    expect(trinoLiteral(new Date(Date.UTC(2026, 9, 1)))).toBe(
      "from_iso8601_timestamp('2026-10-01T00:00:00.000Z')",
    );
    expect(trinoLiteral(['a', 1])).toBe("ARRAY['a', BIGINT '1']");
  });

  it('refuses values it cannot bind', () => {
    expect(() => trinoLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => trinoLiteral({ a: 1 })).toThrow(/cannot be bound/);
  });
});

describe('boundStatement', () => {
  it('wraps a query with parameters in EXECUTE IMMEDIATE, quoting the query once', () => {
    expect(boundStatement("select ? where x = 'a'", ['b'])).toBe(
      "EXECUTE IMMEDIATE 'select ? where x = ''a''' USING 'b'",
    );
    expect(boundStatement('select 1', undefined)).toBe('select 1');
    expect(boundStatement('select 1', [])).toBe('select 1');
  });

  // The SQL editor's templates bind named parameters ($tl_from…); Trino's are positional, so
  // each named one becomes a ? in the order it appears (repeats bind the value again), and only
  // the names given are touched — a "$" inside a metadata table's name stays.
  it('turns named parameters into positional ones', () => {
    expect(boundStatement('select 1', {})).toBe('select 1');
    expect(
      boundStatement('select * from "t$history" where d between $tl_a and $tl_ab or x = $tl_a', {
        tl_a: '2026-10-01',
        tl_ab: 3,
      }),
    ).toBe(
      `EXECUTE IMMEDIATE 'select * from "t$history" where d between ? and ? or x = ?' USING '2026-10-01', BIGINT '3', '2026-10-01'`,
    );
  });
});

describe('trinoColumnType', () => {
  it('maps Trino type names onto the portable types', () => {
    expect(trinoColumnType('varchar')).toBe('string');
    expect(trinoColumnType('varchar(20)')).toBe('string');
    expect(trinoColumnType('bigint')).toBe('integer');
    expect(trinoColumnType('double')).toBe('float');
    expect(trinoColumnType('decimal(18,3)')).toBe('decimal');
    expect(trinoColumnType('timestamp(3) with time zone')).toBe('timestamp');
    expect(trinoColumnType('time(3)')).toBe('time');
    expect(trinoColumnType('array(varchar)')).toBe('list');
    expect(trinoColumnType('map(varchar, varchar)')).toBe('struct');
    expect(trinoColumnType('ipaddress')).toBe('other');
  });
});

// User SQL on Trino may read only its workspace's marts: the workspace schema's views resolve
// to the run schemas behind them (ws_<id>__r_<run>), which are the same workspace's data.
describe('inScope', () => {
  const ws = 'ws_0194d3c2_7a3b_7000_8000_000000000001';
  const t = (schema: string, table = 'fact_events', catalog = 'lake') => ({
    catalog,
    schemaTable: { schema, table },
  });
  it('accepts the schema and its run schemas', () => {
    expect(inScope(t(ws), 'lake', ws)).toBe(true);
    expect(inScope(t(`${ws}__r_0123456789abcdef`), 'lake', ws)).toBe(true);
  });
  it('refuses bronze, other workspaces, metadata schemas and other catalogs', () => {
    expect(inScope(t('bronze', 'events'), 'lake', ws)).toBe(false);
    expect(inScope(t('ws_0194d3c2_7a3b_7000_8000_000000000002'), 'lake', ws)).toBe(false);
    expect(inScope(t('ws_0194d3c2_7a3b_7000_8000_000000000002__r_01'), 'lake', ws)).toBe(false);
    expect(inScope(t('information_schema', 'tables'), 'lake', ws)).toBe(false);
    expect(inScope(t('tl_snapshots', 'users_plan_scd__x'), 'lake', ws)).toBe(false);
    expect(inScope(t(ws, 'fact_events', 'system'), 'lake', ws)).toBe(false);
    expect(inScope(t(`${ws}_evil`), 'lake', ws)).toBe(false);
  });
  // bronze.* holds every workspace: a scan of it is the workspace's only when Trino's pushed-down
  // constraint pins workspace_id to this workspace's id (the bronze_<table> views' filter).
  it('accepts bronze only where the scan is pinned to this workspace', () => {
    const id = '0194d3c2-7a3b-7000-8000-000000000001';
    const pinned = (...values: string[]) => ({
      none: false,
      columnConstraints: [
        {
          columnName: 'workspace_id',
          domain: {
            nullsAllowed: false,
            ranges: values.map((value) => ({
              low: { value, bound: 'EXACTLY' },
              high: { value, bound: 'EXACTLY' },
            })),
          },
        },
      ],
    });
    const bronze = t('bronze', 'events');
    expect(inScope(bronze, 'lake', ws, pinned(id))).toBe(true);
    expect(inScope(bronze, 'lake', ws, pinned('0194d3c2-7a3b-7000-8000-000000000002'))).toBe(false);
    expect(inScope(bronze, 'lake', ws, pinned(id, '0194d3c2-7a3b-7000-8000-000000000002'))).toBe(
      false,
    );
    expect(inScope(bronze, 'lake', ws, { none: false, columnConstraints: [] })).toBe(false);
    expect(inScope(bronze, 'lake', ws)).toBe(false);
    const range = pinned(id);
    range.columnConstraints[0]!.domain.ranges[0]!.high.bound = 'BELOW';
    expect(inScope(bronze, 'lake', ws, range)).toBe(false);
    const nulls = pinned(id);
    nulls.columnConstraints[0]!.domain.nullsAllowed = true;
    expect(inScope(bronze, 'lake', ws, nulls)).toBe(false);
    // Only the bronze schema: another schema's table is not let in by a workspace_id filter.
    expect(inScope(t('tl_snapshots', 'x'), 'lake', ws, pinned(id))).toBe(false);
  });
  // The app's queries of the current marts run in the run's own schema (marts-store.ts
  // querySchema): its tables and the workspace's bronze rows are in scope, no other workspace's.
  it('scopes a query that runs in one of the workspace schema run schemas', () => {
    const id = '0194d3c2-7a3b-7000-8000-000000000001';
    const pinned = (value: string) => ({
      none: false,
      columnConstraints: [
        {
          columnName: 'workspace_id',
          domain: {
            nullsAllowed: false,
            ranges: [{ low: { value, bound: 'EXACTLY' }, high: { value, bound: 'EXACTLY' } }],
          },
        },
      ],
    });
    // A short workspace schema (a cuid id): the run schema is longer than 43 characters.
    for (const [workspace, schema] of [
      [id, `${ws}__r_0123456789abcdef`],
      ['cm3x9k2fq0000abcd1234efgh', 'ws_cm3x9k2fq0000abcd1234efgh__r_0123456789abcdef'],
    ] as const) {
      expect(inScope(t(schema), 'lake', schema)).toBe(true);
      expect(inScope(t('bronze', 'events'), 'lake', schema, pinned(workspace))).toBe(true);
      expect(inScope(t('bronze', 'events'), 'lake', schema, pinned(`${workspace}x`))).toBe(false);
      expect(inScope(t('ws_other__r_0123456789abcdef'), 'lake', schema)).toBe(false);
    }
  });
});

// A result must read the same from either engine: DuckDB's shapes (duckdb-values.ts) are the
// reference — decimals as numbers, timestamps as ISO 8601 UTC with milliseconds.
describe('trinoValue', () => {
  it('turns decimals (sent as text) into numbers', () => {
    expect(trinoValue('decimal(12,3)', '4.570')).toBe(4.57);
    expect(trinoValue('decimal(38,0)', null)).toBeNull();
  });
  it('writes timestamps as DuckDB does', () => {
    expect(trinoValue('timestamp(6) with time zone', '2026-10-01 12:34:56.123456 UTC')).toBe(
      '2026-10-01T12:34:56.123Z',
    );
    expect(trinoValue('timestamp(3)', '2026-10-01 00:00:00.000')).toBe('2026-10-01T00:00:00.000Z');
    expect(trinoValue('timestamp(0)', '2026-10-01 00:00:00')).toBe('2026-10-01T00:00:00.000Z');
    expect(trinoValue('timestamp(3) with time zone', '2026-10-01 02:00:00.000 +02:00')).toBe(
      '2026-10-01T00:00:00.000Z',
    );
    // A named zone is left as Trino wrote it rather than guessed.
    expect(trinoValue('timestamp(3) with time zone', '2026-10-01 02:00:00.000 Europe/Berlin')).toBe(
      '2026-10-01 02:00:00.000 Europe/Berlin',
    );
  });
  it('passes other values through', () => {
    expect(trinoValue('date', '2026-10-01')).toBe('2026-10-01');
    expect(trinoValue('double', 1.5)).toBe(1.5);
    expect(trinoValue('varchar', 'x')).toBe('x');
  });
});

// The SQL editor underlines an error where the analyst wrote it: Trino's "line L:C" is in the
// statement it saw (`EXPLAIN (TYPE IO, FORMAT JSON) <query>`), so the prefix comes off line 1.
describe('analyserMistake', () => {
  const error = (errorName: string, message: string, errorType = 'USER_ERROR') => ({
    errorName,
    errorType,
    message,
  });

  it('places an unknown column where the analyst wrote it, on line 1 and below', () => {
    const one = analyserMistake(
      error('COLUMN_NOT_FOUND', "line 1:39: Column 'nope' cannot be resolved"),
      '  select nope from t',
      false,
    );
    expect(one?.code).toBe('QUERY_FAILED');
    expect(one?.message).toBe("Column 'nope' cannot be resolved");
    expect(one?.details).toMatchObject({ position: 9, line: 1, column: 10 });
    const two = analyserMistake(
      error('TABLE_NOT_FOUND', "line 2:6: Table 'lake.x.nope' does not exist"),
      'select 1\nfrom nope',
      false,
    );
    expect(two?.details).toMatchObject({ position: 14, line: 2, column: 6 });
  });

  it('gives no position when parameters were bound (Trino saw EXECUTE IMMEDIATE)', () => {
    const e = analyserMistake(error('COLUMN_NOT_FOUND', 'line 1:1: x'), 'select x', true);
    expect(e?.details).not.toHaveProperty('position');
  });

  // These stay refusals of the read-only check (QUERY_REJECTED), not mistakes to fix.
  it('leaves permissions, unsupported statements and a second statement to the check', () => {
    expect(
      analyserMistake(error('PERMISSION_DENIED', 'Access Denied'), 'x', false),
    ).toBeUndefined();
    expect(analyserMistake(error('NOT_SUPPORTED', 'no'), 'x', false)).toBeUndefined();
    expect(
      analyserMistake(
        error('SYNTAX_ERROR', "line 1:40: mismatched input ';'"),
        'select 1; drop table t',
        false,
      ),
    ).toBeUndefined();
    expect(
      analyserMistake(error('GENERIC_INTERNAL_ERROR', 'boom', 'INTERNAL_ERROR'), 'x', false),
    ).toBeUndefined();
  });
});
