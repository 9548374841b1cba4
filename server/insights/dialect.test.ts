import { describe, expect, it } from 'vitest';
import { duckdbDialect, trinoDialect } from './dialect';

describe('trinoDialect', () => {
  // Protects windows of 25 days and more on Trino: date_add's amount is an integer, so
  // 2^31 ms and beyond fail there ("integer overflow"); they go in seconds instead.
  it('adds long spans in seconds, shorter ones in milliseconds', () => {
    expect(trinoDialect.timeKeyPlus('t', 14 * 86_400_000)).toBe(
      "date_add('millisecond', 1209600000, t)",
    );
    expect(trinoDialect.timeKeyPlus('t', 30 * 86_400_000)).toBe("date_add('second', 2592000, t)");
    expect(trinoDialect.timeKeyPlus('t', -365 * 86_400_000)).toBe(
      "date_add('second', -31536000, t)",
    );
  });

  // Protects property filters on Trino: its JSON paths refuse `$."key"` (DuckDB's form) but
  // take the quoted key in brackets, escapes included.
  it('spells a JSON property path Trino accepts', () => {
    expect(trinoDialect.jsonPath('plan')).toBe('$["plan"]');
    expect(trinoDialect.jsonPath('a "b".c')).toBe('$["a \\"b\\".c"]');
    expect(duckdbDialect.jsonPath('plan')).toBe('$."plan"');
  });

  // Protects the funnel walk's bit tests: Trino's shift amount must be an integer.
  it('casts a computed bit index to integer', () => {
    expect(trinoDialect.bitSet('m', '3')).toBe('bitwise_and(bitwise_right_shift(m, 3), 1) = 1');
    expect(trinoDialect.bitSet('m', 'cardinality(acc)')).toBe(
      'bitwise_and(bitwise_right_shift(m, cast(cardinality(acc) as integer)), 1) = 1',
    );
    expect(duckdbDialect.bitSet('m', 'len(acc)')).toBe('((m >> len(acc)) & 1) = 1');
  });
});
