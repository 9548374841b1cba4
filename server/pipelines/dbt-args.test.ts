import { describe, expect, it } from 'vitest';
import { dbtBuildArgs, parseSelector } from './dbt-args';

describe('parseSelector', () => {
  it('accepts dbt selector syntax and splits unions', () => {
    expect(parseSelector('')).toEqual([]);
    expect(parseSelector('  ')).toEqual([]);
    expect(parseSelector(null)).toEqual([]);
    expect(parseSelector('+fact_events dim_users+ 2+fct_sessions+1')).toEqual([
      '+fact_events',
      'dim_users+',
      '2+fct_sessions+1',
    ]);
    expect(parseSelector('tag:daily,path:models/marts @stg_events')).toEqual([
      'tag:daily,path:models/marts',
      '@stg_events',
    ]);
    expect(parseSelector('marts.*')).toEqual(['marts.*']);
  });

  it.each([
    '--full-refresh',
    'fact_events --vars x',
    'a;rm -rf /',
    '$(whoami)',
    'fact_events`id`',
    "x'y",
    '../../etc',
  ])('refuses %j with a message that shows the syntax', (bad) => {
    expect(() => parseSelector(bad)).toThrow(/not a dbt selector term/);
  });

  it('refuses very long selectors', () => {
    expect(() => parseSelector('a '.repeat(300))).toThrow(/longer than 500/);
  });
});

describe('dbtBuildArgs', () => {
  it('is an argument array with the selection last', () => {
    const args = dbtBuildArgs({
      projectDir: '/p/dbt',
      targetPath: '/d/t',
      logPath: '/d/l',
      target: 'duckdb',
      select: ['+fact_events', 'tag:x'],
    });
    expect(args.slice(0, 1)).toEqual(['build']);
    expect(args).toContain('--log-format');
    expect(args.slice(-3)).toEqual(['--select', '+fact_events', 'tag:x']);
    expect(
      dbtBuildArgs({
        projectDir: 'p',
        targetPath: 't',
        logPath: 'l',
        target: 'duckdb',
        select: [],
      }),
    ).not.toContain('--select');
  });
});
