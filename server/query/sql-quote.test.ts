import { describe, expect, it } from 'vitest';
import { sqlIdent, sqlString } from './sql-quote';

describe('sql quoting', () => {
  it('doubles the quote character', () => {
    expect(sqlString("/data/o'brien/x")).toBe("'/data/o''brien/x'");
    expect(sqlIdent('a"b')).toBe('"a""b"');
  });
});
