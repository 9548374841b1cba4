import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors';
import { formatTable, toCliError } from './cli-output';

describe('formatTable', () => {
  it('aligns numbers right, text left, and shows NULL', () => {
    const text = formatTable(
      [
        { name: 'n', type: 'integer' },
        { name: 'label', type: 'string' },
      ],
      [
        [1, 'a'],
        [100, null],
      ],
    );
    expect(text.split('\n')).toEqual(['  n │ label', '────┼──────', '  1 │ a', '100 │ NULL']);
  });

  it('cuts long cells and renders nested values as JSON', () => {
    const text = formatTable([{ name: 'v', type: 'struct' }], [[{ a: 'x'.repeat(100) }]]);
    expect(text.split('\n')[2]).toHaveLength(60);
    expect(text).toContain('{"a":"xxx');
  });
});

describe('toCliError', () => {
  it('keeps AppError code and details; anything else is INTERNAL', () => {
    expect(toCliError(new AppError('TIMEOUT', 'slow', { timeoutMs: 1 }))).toEqual({
      code: 'TIMEOUT',
      message: 'slow',
      details: { timeoutMs: 1 },
    });
    expect(toCliError(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
  });
});
