import { describe, expect, it } from 'vitest';
import { inlineParams } from './sql-text';

describe('inlining bound values for the SQL editor', () => {
  it('replaces DuckDB $n placeholders, leaving quoted text alone', () => {
    expect(
      inlineParams(`select '$1', "a$2" from t where x = $1 and y in ($2, $10) and z = '$none'`, [
        "it's",
        3,
        null,
        4,
        5,
        6,
        7,
        8,
        9,
        true,
      ]),
    ).toBe(`select '$1', "a$2" from t where x = 'it''s' and y in (3, true) and z = '$none'`);
  });

  it('replaces Trino positional ? in order', () => {
    expect(inlineParams(`select ? , '?' , ?`, ['a', 2])).toBe(`select 'a' , '?' , 2`);
  });

  it('returns the text unchanged without parameters', () => {
    expect(inlineParams('select 1', [])).toBe('select 1');
  });
});
