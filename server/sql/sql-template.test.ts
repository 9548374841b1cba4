import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import {
  guessParamType,
  renderTemplate,
  splitStatements,
  templateParams,
  templateTags,
} from './sql-template';

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('templateTags', () => {
  it('finds parameters and the filters hook, with their places', () => {
    const sql =
      'select * from t where d >= {{ start_date }} and {{filters(t.day)}} and {{ filters }}';
    expect(templateTags(sql)).toEqual([
      { kind: 'param', name: 'start_date', start: 27, end: 43 },
      { kind: 'filters', name: 't.day', start: 48, end: 66 },
      { kind: 'filters', name: 'event_date', start: 71, end: 84 },
    ]);
  });

  it('leaves tags inside string literals and comments alone', () => {
    const sql = `select '{{ a }}', "{{ b }}" -- {{ c }}\n/* {{ d }} */ , {{ e }}`;
    expect(templateParams(sql)).toEqual(['e']);
  });

  it('lists each parameter once, in order', () => {
    expect(templateParams('{{ b }} {{ a }} {{ b }}')).toEqual(['b', 'a']);
  });

  it('refuses a column on anything but filters', () => {
    expect(errorOf(() => templateTags('select {{ start(x) }}')).message).toMatch(
      /only \{\{ filters\(column\) \}\} takes a column/,
    );
  });
});

describe('renderTemplate', () => {
  it('binds typed values, never splicing them into the text', () => {
    const rendered = renderTemplate(
      'select * from t where d >= {{ since }} and country = {{ country }} and n > {{ min_n }}',
      {
        declared: [{ name: 'min_n', type: 'number', default: '3' }],
        values: { since: '2026-09-01', country: "x' or 1=1 --" },
      },
    );
    expect(rendered.sql).toBe(
      'select * from t where d >= CAST($tl_since AS DATE) and country = CAST($tl_country AS VARCHAR) and n > CAST($tl_min_n AS DOUBLE)',
    );
    expect(rendered.params).toEqual({
      tl_since: '2026-09-01',
      tl_country: "x' or 1=1 --",
      tl_min_n: 3,
    });
  });

  it('turns the filters hook into the date range, or TRUE without one', () => {
    const sql = 'select count(*) from fact_events where {{ filters }}';
    expect(renderTemplate(sql, {}).sql).toBe('select count(*) from fact_events where TRUE');
    const ranged = renderTemplate(sql, { range: { from: '2026-10-01', to: '2026-10-31' } });
    expect(ranged.sql).toBe(
      'select count(*) from fact_events where (CAST(event_date AS DATE) BETWEEN CAST($tl_range_from AS DATE) AND CAST($tl_range_to AS DATE))',
    );
    expect(ranged.params).toEqual({ tl_range_from: '2026-10-01', tl_range_to: '2026-10-31' });
  });

  it('says which parameter has no value, and where', () => {
    const error = errorOf(() => renderTemplate('select 1\nwhere d = {{ day }}', {}));
    expect(error.message).toBe('Give a value for {{ day }} (date).');
    expect(error.details).toMatchObject({ param: 'day', position: 19, line: 2, column: 11 });
  });

  it('refuses values that are not of the type', () => {
    expect(
      errorOf(() =>
        renderTemplate('select {{ d }}', {
          declared: [{ name: 'd', type: 'date' }],
          values: { d: '2026-02-30' },
        }),
      ).message,
    ).toBe('{{ d }} must be a date, YYYY-MM-DD; got "2026-02-30".');
    expect(
      errorOf(() =>
        renderTemplate('select {{ n }}', {
          declared: [{ name: 'n', type: 'number' }],
          values: { n: '12abc' },
        }),
      ).message,
    ).toBe('{{ n }} must be a number; got "12abc".');
  });

  it('maps positions in the rendered text back to the analyst text', () => {
    const sql = 'select {{ a }}, bogus from {{ b }} x';
    const rendered = renderTemplate(sql, { values: { a: '1', b: 't' } });
    const bogus = rendered.sql.indexOf('bogus');
    expect(rendered.originalPosition(bogus)).toBe(sql.indexOf('bogus'));
    expect(rendered.originalPosition(rendered.sql.indexOf(' x'))).toBe(sql.indexOf(' x'));
    // Inside a replacement: the tag itself.
    expect(rendered.originalPosition(rendered.sql.indexOf('$tl_b'))).toBe(sql.indexOf('{{ b }}'));
    expect(rendered.originalPosition(3)).toBe(3);
  });

  it('leaves SQL without tags untouched', () => {
    const rendered = renderTemplate('select 1', { values: { x: '1' } });
    expect(rendered).toMatchObject({ sql: 'select 1', params: {} });
  });
});

describe('splitStatements', () => {
  it('cuts at semicolons outside strings and comments, keeping each start', () => {
    const sql = "select 1;\n-- a comment; still one\nselect ';' as s /* ; */ ;\n\n  ;select 3";
    expect(splitStatements(sql)).toEqual([
      { sql: 'select 1', offset: 0 },
      { sql: "-- a comment; still one\nselect ';' as s /* ; */", offset: 10 },
      { sql: 'select 3', offset: sql.lastIndexOf('select 3') },
    ]);
  });

  it('leaves out pieces that are only comments and whitespace', () => {
    expect(splitStatements('-- nothing;\n/* here */;  ')).toEqual([]);
    expect(splitStatements('select 1')).toEqual([{ sql: 'select 1', offset: 0 }]);
  });
});

describe('guessParamType', () => {
  it('guesses dates and numbers by name', () => {
    expect(guessParamType('start_date')).toBe('date');
    expect(guessParamType('since')).toBe('date');
    expect(guessParamType('min_sessions')).toBe('text');
    expect(guessParamType('top')).toBe('number');
    expect(guessParamType('country')).toBe('text');
  });
});
