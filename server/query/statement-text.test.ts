import { describe, expect, it } from 'vitest';
import { describeStatement, explainTarget, stripLeadingComments } from './statement-text';

describe('stripLeadingComments', () => {
  it('removes line and nested block comments', () => {
    expect(stripLeadingComments('  -- a\n/* b /* c */ d */ select 1')).toBe('select 1');
    expect(stripLeadingComments('-- only')).toBe('');
  });
});

describe('explainTarget', () => {
  it('returns the statement after EXPLAIN [ANALYZE]', () => {
    expect(explainTarget('EXPLAIN select 1')).toBe('select 1');
    expect(explainTarget('/* x */ explain analyze\n select 1')).toBe('select 1');
  });

  it('leaves EXPLAIN options in the target, where the parser then refuses them', () => {
    expect(explainTarget('explain (format json) select 1')).toBe('(format json) select 1');
  });

  it('is undefined without EXPLAIN or without a statement', () => {
    expect(explainTarget('explain')).toBeUndefined();
    expect(explainTarget('select 1')).toBeUndefined();
  });
});

describe('describeStatement', () => {
  it('names known statement keywords', () => {
    expect(describeStatement('insert into t values (1)')).toBe('INSERT');
    expect(describeStatement('-- x\n  Install httpfs')).toBe('INSTALL');
  });

  it('falls back to a generic description', () => {
    expect(describeStatement('with x as (select 1) insert into t select * from x')).toBe(
      'a statement that is not a SELECT',
    );
  });
});
