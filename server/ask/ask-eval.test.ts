import { describe, expect, it } from 'vitest';
import { compareResults, normaliseCell, parseEvalSet } from './ask-eval';

describe('compareResults', () => {
  it('ignores column order and names, and row order unless ordered', () => {
    const expected = [
      ['free', 10n],
      ['pro', 4n],
    ];
    expect(
      compareResults(expected, [
        [4, 'pro'],
        [10, 'free'],
      ]).match,
    ).toBe(true);
    expect(
      compareResults(
        expected,
        [
          [4, 'pro'],
          [10, 'free'],
        ],
        { ordered: true },
      ).match,
    ).toBe(false);
    expect(
      compareResults(
        expected,
        [
          [10, 'free'],
          [4, 'pro'],
        ],
        { ordered: true },
      ).match,
    ).toBe(true);
  });

  it('rounds numbers to 4 significant digits', () => {
    expect(compareResults([[0.123449]], [[0.1234]]).match).toBe(true);
    expect(compareResults([[0.12346]], [[0.1234]]).match).toBe(false);
    expect(compareResults([[123456]], [[123500]]).match).toBe(true);
  });

  it('says why results differ', () => {
    expect(compareResults([[1], [2]], [[1]])).toEqual({
      match: false,
      reason: '1 rows, expected 2',
    });
    expect(compareResults([[1, 2]], [[1]])).toEqual({
      match: false,
      reason: '1 columns, expected 2',
    });
    expect(compareResults([[1]], [[2]])).toEqual({ match: false, reason: 'values differ' });
  });

  it('compares dates whatever their form', () => {
    expect(normaliseCell(new Date('2026-10-26T00:00:00Z'))).toBe('2026-10-26');
    expect(normaliseCell('2026-10-26 00:00:00')).toBe('2026-10-26');
    expect(normaliseCell('2026-10-26')).toBe('2026-10-26');
    expect(normaliseCell(null)).toBe('null');
  });
});

describe('parseEvalSet', () => {
  it('reads JSONL and names a bad line', () => {
    const set = parseEvalSet(
      '{"id":"a","question":"q?","sql":"select 1"}\n\n{"id":"b","question":"nps?","answerable":false}\n',
    );
    expect(set.map((q) => q.id)).toEqual(['a', 'b']);
    expect(() => parseEvalSet('{"id":"a","question":"q?"}')).toThrow(
      /line 1: an answerable question needs "sql"/,
    );
    expect(() => parseEvalSet('x')).toThrow(/line 1: not JSON/);
  });
});
