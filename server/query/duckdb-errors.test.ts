import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { lineAndColumn, parseDuckDbError, toQueryError } from './duckdb-errors';

// Messages as DuckDB 1.5.5 produces them with errors_as_json=true.
const parserError = new Error(
  'Failed to extract statements: Parser Error: {"exception_type":"Parser","exception_message":"syntax error at or near \\"selec\\"","error_subtype":"SYNTAX_ERROR","position":"9"}',
);
const catalogError = new Error(
  '{"exception_type":"Catalog","exception_message":"Table with name nope does not exist!","position":"16"}',
);
const permissionError = new Error(
  '{"exception_type":"Permission","exception_message":"Cannot access file \\"/etc/passwd\\" - file system operations are disabled by configuration","position":"14"}',
);

describe('parseDuckDbError', () => {
  it('reads the JSON behind a prefix', () => {
    expect(parseDuckDbError(parserError)).toEqual({
      type: 'Parser',
      message: 'syntax error at or near "selec"',
      position: 9,
    });
  });

  it('falls back to the text of non-JSON messages', () => {
    expect(parseDuckDbError(new Error('Binder Error: column x not found'))).toEqual({
      type: 'Binder',
      message: 'column x not found',
    });
    expect(parseDuckDbError(new Error('Error in native callback'))).toEqual({
      type: 'Unknown',
      message: 'Error in native callback',
    });
  });
});

describe('lineAndColumn', () => {
  it('counts 1-based lines and columns', () => {
    expect(lineAndColumn('select 1', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('select *\n  from nope', 16)).toEqual({ line: 2, column: 8 });
  });
});

describe('toQueryError', () => {
  it('maps engine errors to QUERY_FAILED with a position', () => {
    const error = toQueryError(catalogError, 'select *\n  from nope');
    expect(error.code).toBe('QUERY_FAILED');
    expect(error.message).toBe('Catalog Error: Table with name nope does not exist!');
    expect(error.details).toMatchObject({ line: 2, column: 8, position: 16 });
  });

  it('maps lockdown refusals to QUERY_REJECTED', () => {
    const error = toQueryError(permissionError, "select * from read_csv('/etc/passwd')");
    expect(error.code).toBe('QUERY_REJECTED');
    expect(error.message).toMatch(/only read files inside the lake folder/);
  });

  it('passes AppErrors through', () => {
    const original = new AppError('TIMEOUT', 'slow');
    expect(toQueryError(original, 'select 1')).toBe(original);
  });
});
