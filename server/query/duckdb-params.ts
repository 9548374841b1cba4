// Binds ExecuteOptions.params to a DuckDB prepared statement through its typed bind API: values
// never become SQL text. Named parameters (`$name`) take an object, positional ones (`?`, `$1`)
// an array. Not obvious: DuckDB reports positional parameters by name too (`?` and `$1` are both
// named "1"), so an array binds by index and an object by name, and each side checks that
// every parameter gets exactly one value.
import { DuckDBTimestampValue, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { AppError } from '../errors';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The subset of DuckDBPreparedStatement binding needs; keeps this module testable. */
export type BindTarget = Pick<
  DuckDBPreparedStatement,
  | 'parameterCount'
  | 'parameterName'
  | 'bindVarchar'
  | 'bindBoolean'
  | 'bindInteger'
  | 'bindBigInt'
  | 'bindHugeInt'
  | 'bindDouble'
  | 'bindNull'
  | 'bindTimestamp'
>;

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/** Binds one value at a 1-based index, choosing the DuckDB type from the JS type. */
export function bindValue(target: BindTarget, index: number, value: unknown, label: string): void {
  if (value === null) return target.bindNull(index);
  switch (typeof value) {
    case 'string':
      return target.bindVarchar(index, value);
    case 'boolean':
      return target.bindBoolean(index, value);
    case 'number':
      if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) {
        return target.bindInteger(index, value);
      }
      if (Number.isSafeInteger(value)) return target.bindBigInt(index, BigInt(value));
      return target.bindDouble(index, value);
    case 'bigint':
      return value >= INT64_MIN && value <= INT64_MAX
        ? target.bindBigInt(index, value)
        : target.bindHugeInt(index, value);
    default:
      break;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) {
      throw new AppError('BAD_REQUEST', `Parameter ${label} is an invalid Date.`);
    }
    // A Date is an instant: bound as a UTC TIMESTAMP (the engine's session time zone is UTC).
    return target.bindTimestamp(index, new DuckDBTimestampValue(BigInt(ms) * 1000n));
  }
  throw new AppError(
    'BAD_REQUEST',
    `Parameter ${label} has an unsupported type (${describeValue(value)}). Use a string, number, bigint, boolean, null or Date.`,
    { parameter: label },
  );
}

export function bindParams(
  target: BindTarget,
  params: Record<string, unknown> | unknown[] | undefined,
): void {
  const count = target.parameterCount;
  if (params === undefined || (Array.isArray(params) && params.length === 0)) {
    if (count > 0) {
      throw new AppError(
        'BAD_REQUEST',
        `The query has ${count} parameter(s) but no values were given.`,
        { expected: count },
      );
    }
    return;
  }
  if (Array.isArray(params)) {
    if (params.length !== count) {
      throw new AppError(
        'BAD_REQUEST',
        `The query has ${count} parameter(s) but ${params.length} value(s) were given.`,
        { expected: count, given: params.length },
      );
    }
    params.forEach((value, i) => bindValue(target, i + 1, value, `$${i + 1}`));
    return;
  }
  const names = new Set<string>();
  for (let i = 1; i <= count; i++) {
    const name = target.parameterName(i);
    names.add(name);
    if (!Object.hasOwn(params, name)) {
      throw new AppError('BAD_REQUEST', `No value was given for parameter $${name}.`, {
        parameter: name,
      });
    }
    bindValue(target, i, params[name], `$${name}`);
  }
  const unknown = Object.keys(params).filter((key) => !names.has(key));
  if (unknown.length > 0) {
    throw new AppError(
      'BAD_REQUEST',
      `The query has no parameter(s) ${unknown.map((k) => `$${k}`).join(', ')}. Remove them or use them in the SQL.`,
      { unknown },
    );
  }
}
