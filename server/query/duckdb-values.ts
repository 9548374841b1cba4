// DuckDB values and types -> the engine-neutral JSON shapes of QueryResult. Pure functions over
// @duckdb/node-api value classes, so they are unit-tested without running a query.
// Not obvious: DuckDB's own toString() is not usable for everything — infinite DATEs print as a
// far-future date, and timestamps print in DuckDB's format instead of ISO 8601 — so dates and
// timestamps are formatted here from their raw day/microsecond counts.
import {
  DuckDBArrayValue,
  DuckDBBitValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBGeometryValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimeNSValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  DuckDBUnionValue,
  DuckDBUUIDValue,
  DuckDBVariantValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { ColumnType } from './query-engine';

const MS_PER_DAY = 86_400_000;
/** JS Date covers ±8.64e15 ms around the epoch; outside it we fall back to DuckDB's text. */
const MAX_JS_DATE_MS = 8_640_000_000_000_000n;

export function toColumnType(type: DuckDBType): ColumnType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
    case DuckDBTypeId.INTEGER_LITERAL:
      return 'integer';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return 'float';
    case DuckDBTypeId.DECIMAL:
      return 'decimal';
    case DuckDBTypeId.VARCHAR:
      return type.alias?.toUpperCase() === 'JSON' ? 'json' : 'string';
    case DuckDBTypeId.STRING_LITERAL:
    case DuckDBTypeId.ENUM:
      return 'string';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'timestamp';
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIME_NS:
      return 'time';
    case DuckDBTypeId.INTERVAL:
      return 'interval';
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return 'list';
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return 'struct';
    case DuckDBTypeId.BLOB:
      return 'binary';
    case DuckDBTypeId.UUID:
      return 'uuid';
    default:
      return 'other';
  }
}

/** The engine's spelling of a type; DuckDB's JSON is VARCHAR with the alias JSON. */
export function engineTypeName(type: DuckDBType): string {
  return type.alias ?? type.toString();
}

/** BIGINT/HUGEINT: a number while exact, else its decimal string (JSON has no 64-bit ints). */
export function bigintToJson(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** Non-finite doubles have no JSON form; they become the strings DuckDB prints. */
export function doubleToJson(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

export function formatDate(value: DuckDBDateValue): string {
  if (!value.isFinite) return value.days > 0 ? 'infinity' : '-infinity';
  const ms = value.days * MS_PER_DAY;
  if (Math.abs(ms) > Number(MAX_JS_DATE_MS)) return value.toString();
  const iso = new Date(ms).toISOString();
  // Years outside 0000-9999 print as ±YYYYYY in ISO; keep DuckDB's text for those.
  return iso.startsWith('+') || iso.startsWith('-') ? value.toString() : iso.slice(0, 10);
}

/** Floor division: a negative count of microseconds still rounds toward the past. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Epoch milliseconds (UTC) -> `2026-11-01T10:00:00.123Z`; out of JS range -> fallback text. */
function isoFromEpochMillis(ms: bigint, fallback: () => string): string {
  if (ms > MAX_JS_DATE_MS || ms < -MAX_JS_DATE_MS) return fallback();
  const iso = new Date(Number(ms)).toISOString();
  return iso.startsWith('+') || iso.startsWith('-') ? fallback() : iso;
}

type AnyTimestampValue =
  | DuckDBTimestampValue
  | DuckDBTimestampTZValue
  | DuckDBTimestampSecondsValue
  | DuckDBTimestampMillisecondsValue
  | DuckDBTimestampNanosecondsValue;

/**
 * TIMESTAMP and TIMESTAMPTZ are both stored as UTC instants, so both print as ISO 8601 in UTC
 * with millisecond precision (what JS `Date` parses); `infinity` / `-infinity` stay words.
 */
export function formatTimestamp(value: AnyTimestampValue): string {
  let ms: bigint;
  let raw: bigint;
  if (value instanceof DuckDBTimestampSecondsValue) {
    raw = value.seconds;
    ms = raw * 1000n;
  } else if (value instanceof DuckDBTimestampMillisecondsValue) {
    raw = value.millis;
    ms = raw;
  } else if (value instanceof DuckDBTimestampNanosecondsValue) {
    raw = value.nanos;
    ms = floorDiv(raw, 1_000_000n);
  } else {
    raw = value.micros;
    ms = floorDiv(raw, 1000n);
  }
  if (!value.isFinite) return raw > 0n ? 'infinity' : '-infinity';
  return isoFromEpochMillis(ms, () => value.toString());
}

/** TIME -> `HH:MM:SS`, with the fraction only when there is one (`12:34:56.5`). */
export function formatTime(value: DuckDBTimeValue | DuckDBTimeNSValue | DuckDBTimeTZValue): string {
  return value.toString();
}

/** INTERVAL -> DuckDB's readable form, e.g. `1 year 2 months 3 days 04:05:06.5`. */
export function formatInterval(value: DuckDBIntervalValue): string {
  return value.toString();
}

/** Converts one DuckDB value to JSON, recursively for LIST, ARRAY, STRUCT, MAP and UNION. */
export function toJsonValue(value: DuckDBValue): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return doubleToJson(value);
    case 'bigint':
      return bigintToJson(value);
    default:
      break;
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBDateValue) return formatDate(value);
  if (
    value instanceof DuckDBTimestampValue ||
    value instanceof DuckDBTimestampTZValue ||
    value instanceof DuckDBTimestampSecondsValue ||
    value instanceof DuckDBTimestampMillisecondsValue ||
    value instanceof DuckDBTimestampNanosecondsValue
  ) {
    return formatTimestamp(value);
  }
  if (
    value instanceof DuckDBTimeValue ||
    value instanceof DuckDBTimeNSValue ||
    value instanceof DuckDBTimeTZValue
  ) {
    return formatTime(value);
  }
  if (value instanceof DuckDBIntervalValue) return formatInterval(value);
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('base64');
  if (value instanceof DuckDBGeometryValue) return Buffer.from(value.bytes).toString('base64');
  if (value instanceof DuckDBUUIDValue) return value.toString();
  if (value instanceof DuckDBBitValue) return value.toString();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    return value.items.map(toJsonValue);
  }
  if (value instanceof DuckDBStructValue) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value.entries)) out[key] = toJsonValue(entry);
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    // JSON objects need string keys; DuckDB's own MAP -> JSON cast makes the same choice.
    const out: Record<string, unknown> = {};
    for (const { key, value: entry } of value.entries) {
      const k = toJsonValue(key);
      out[typeof k === 'string' ? k : JSON.stringify(k)] = toJsonValue(entry);
    }
    return out;
  }
  if (value instanceof DuckDBUnionValue) return toJsonValue(value.value);
  if (value instanceof DuckDBVariantValue) return toJsonValue(value.value);
  return String(value);
}
