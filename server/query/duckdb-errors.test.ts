import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { lineAndColumn, parseDuckDbError, toQueryError, typoHint } from './duckdb-errors';

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

// DuckDB 1.5.5's JSON for misspelt names (errors_as_json=true), as the engine raises them.
const json = (fields: Record<string, string>) => new Error(JSON.stringify(fields));
const columnTypo = json({
  exception_type: 'Binder',
  exception_message:
    'Referenced column "evnt_name" not found in FROM clause!\nCandidate bindings: "event_name", "event_ts", "user_id"',
  candidates: 'event_name,event_ts,user_id',
  position: '7',
  error_subtype: 'COLUMN_NOT_FOUND',
  name: 'evnt_name',
});

describe('typo hints', () => {
  it('names the column a misspelt one was meant to be, after the engine message', () => {
    const error = toQueryError(columnTypo, 'select evnt_name from fact_events');
    expect(error.message).toBe(
      'Binder Error: Referenced column "evnt_name" not found in FROM clause!\nCandidate bindings: "event_name", "event_ts", "user_id"\nHint: column evnt_name not found — did you mean event_name?',
    );
    expect(error.details).toMatchObject({
      position: 7,
      hint: 'column evnt_name not found — did you mean event_name?',
    });
  });

  it('reads alias.column errors from the message, which has no name field', () => {
    const error = toQueryError(
      json({
        exception_type: 'Binder',
        exception_message:
          'Table "u" does not have a column named "pln"\n\nCandidate bindings: : "plan"',
        position: '7',
      }),
      'select u.pln from fact_events f join dim_users u using (user_id)',
    );
    expect(error.details?.hint).toBe('column pln not found — did you mean plan?');
  });

  it('names a function when the misspelling is close', () => {
    const info = parseDuckDbError(
      json({
        exception_type: 'Catalog',
        exception_message:
          'Scalar Function with name lenght does not exist!\nDid you mean "length"?',
        candidates: 'length',
        error_subtype: 'MISSING_ENTRY',
        type: 'Scalar Function',
        name: 'lenght',
      }),
    );
    expect(typoHint(info)).toBe('function lenght does not exist — did you mean length?');
  });

  it('offers nothing when no candidate is a plausible typo', () => {
    // DuckDB suggests event_name for xyz and count_if for count_distinct: no hint for those.
    const xyz = json({
      exception_type: 'Binder',
      exception_message:
        'Referenced column "xyz" not found in FROM clause!\nCandidate bindings: "event_name"',
      candidates: 'event_name',
      error_subtype: 'COLUMN_NOT_FOUND',
      name: 'xyz',
    });
    expect(typoHint(parseDuckDbError(xyz))).toBeUndefined();
    expect(toQueryError(xyz, 'select xyz from fact_events').message).not.toMatch(/Hint/);
    const countDistinct = json({
      exception_type: 'Catalog',
      exception_message:
        'Scalar Function with name count_distinct does not exist!\nDid you mean "count_if"?',
      candidates: 'count_if',
      error_subtype: 'MISSING_ENTRY',
      type: 'Scalar Function',
      name: 'count_distinct',
    });
    expect(typoHint(parseDuckDbError(countDistinct))).toBeUndefined();
  });
});
