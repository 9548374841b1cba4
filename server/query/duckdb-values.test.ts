import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  DuckDBDateValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBVarCharType,
  ENUM,
  HUGEINT,
  INTERVAL,
  LIST,
  MAP,
  STRUCT,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  UUID,
  VARCHAR,
  blobValue,
  dateValue,
  decimalValue,
  intervalValue,
  listValue,
  mapValue,
  structValue,
  timeValue,
} from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import {
  bigintToJson,
  doubleToJson,
  engineTypeName,
  formatDate,
  formatTimestamp,
  toColumnType,
  toJsonValue,
} from './duckdb-values';

describe('toColumnType', () => {
  it.each([
    [BOOLEAN, 'boolean'],
    [BIGINT, 'integer'],
    [HUGEINT, 'integer'],
    [DOUBLE, 'float'],
    [DECIMAL(18, 3), 'decimal'],
    [VARCHAR, 'string'],
    [ENUM(['a', 'b']), 'string'],
    [DATE, 'date'],
    [TIMESTAMP, 'timestamp'],
    [TIMESTAMPTZ, 'timestamp'],
    [TIME, 'time'],
    [INTERVAL, 'interval'],
    [LIST(BIGINT), 'list'],
    [STRUCT({ a: BIGINT }), 'struct'],
    [MAP(VARCHAR, BIGINT), 'struct'],
    [BLOB, 'binary'],
    [UUID, 'uuid'],
  ] as const)('%s -> %s', (type, expected) => {
    expect(toColumnType(type)).toBe(expected);
  });

  it('recognises DuckDB JSON, which is VARCHAR with an alias', () => {
    const json = DuckDBVarCharType.create('JSON');
    expect(toColumnType(json)).toBe('json');
    expect(engineTypeName(json)).toBe('JSON');
    expect(engineTypeName(DECIMAL(18, 3))).toBe('DECIMAL(18,3)');
  });
});

describe('bigintToJson', () => {
  it('keeps safe integers as numbers and larger ones as exact strings', () => {
    expect(bigintToJson(42n)).toBe(42);
    expect(bigintToJson(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(bigintToJson(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toBe('9007199254740992');
    expect(bigintToJson(-(2n ** 100n))).toBe('-1267650600228229401496703205376');
  });
});

describe('doubleToJson', () => {
  it('maps non-finite doubles to strings (JSON has no NaN)', () => {
    expect(doubleToJson(1.5)).toBe(1.5);
    expect(doubleToJson(Number.NaN)).toBe('NaN');
    expect(doubleToJson(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(doubleToJson(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });
});

describe('dates and timestamps', () => {
  it('formats DATE as YYYY-MM-DD, including before the epoch and infinities', () => {
    expect(formatDate(dateValue({ year: 2024, month: 2, day: 29 }))).toBe('2024-02-29');
    expect(formatDate(dateValue({ year: 1969, month: 12, day: 31 }))).toBe('1969-12-31');
    expect(formatDate(DuckDBDateValue.PosInf)).toBe('infinity');
    expect(formatDate(DuckDBDateValue.NegInf)).toBe('-infinity');
  });

  it('formats TIMESTAMP and TIMESTAMPTZ as ISO 8601 UTC with milliseconds', () => {
    const micros = BigInt(Date.UTC(2026, 10, 1, 10, 0, 0, 123)) * 1000n + 456n;
    expect(formatTimestamp(new DuckDBTimestampValue(micros))).toBe('2026-11-01T10:00:00.123Z');
    expect(formatTimestamp(new DuckDBTimestampTZValue(micros))).toBe('2026-11-01T10:00:00.123Z');
    expect(formatTimestamp(new DuckDBTimestampSecondsValue(1n))).toBe('1970-01-01T00:00:01.000Z');
    expect(formatTimestamp(new DuckDBTimestampNanosecondsValue(1_500_000n))).toBe(
      '1970-01-01T00:00:00.001Z',
    );
  });

  it('rounds sub-millisecond instants before the epoch toward the past', () => {
    expect(formatTimestamp(new DuckDBTimestampValue(-1n))).toBe('1969-12-31T23:59:59.999Z');
  });

  it('keeps infinite timestamps as words', () => {
    expect(formatTimestamp(DuckDBTimestampValue.PosInf)).toBe('infinity');
    expect(formatTimestamp(DuckDBTimestampTZValue.NegInf)).toBe('-infinity');
  });
});

describe('toJsonValue', () => {
  it('converts scalars', () => {
    expect(toJsonValue(null)).toBeNull();
    expect(toJsonValue('x')).toBe('x');
    expect(toJsonValue(true)).toBe(true);
    expect(toJsonValue(7n)).toBe(7);
    expect(toJsonValue(decimalValue(12345n, 10, 3))).toBe(12.345);
    expect(toJsonValue(timeValue({ hour: 12, min: 34, sec: 56, micros: 0 }))).toBe('12:34:56');
    expect(toJsonValue(intervalValue(14, 3, 3_600_000_000n))).toBe(
      '1 year 2 months 3 days 01:00:00',
    );
    expect(toJsonValue(blobValue(new Uint8Array([0xaa, 0xbb])))).toBe('qrs=');
  });

  it('converts nested LIST, STRUCT and MAP recursively', () => {
    const value = structValue({
      ids: listValue([1n, 2n ** 64n]),
      at: dateValue({ year: 2026, month: 1, day: 2 }),
      props: mapValue([{ key: 'k', value: listValue([true, null]) }]),
    });
    expect(toJsonValue(value)).toEqual({
      ids: [1, '18446744073709551616'],
      at: '2026-01-02',
      props: { k: [true, null] },
    });
    expect(JSON.parse(JSON.stringify(toJsonValue(value)))).toEqual(toJsonValue(value));
  });
});
