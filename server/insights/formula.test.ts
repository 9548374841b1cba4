import { describe, expect, it } from 'vitest';
import { evaluateFormula, FormulaError, parseFormula } from './formula';

const run = (text: string, values: number[]) =>
  evaluateFormula(parseFormula(text, values.length), (i) => values[i]!);

describe('formulas', () => {
  it('follows precedence, parentheses, unary minus and decimals', () => {
    expect(run('A + B * 2', [1, 3])).toBe(7);
    expect(run('(A + B) * 2', [1, 3])).toBe(8);
    expect(run('-A + .5', [2])).toBe(-1.5);
    expect(run('a/b', [3, 4])).toBe(0.75);
    expect(run('A - B - 1', [10, 3])).toBe(6);
  });

  it('gives null (a gap) when dividing by zero, through the whole expression', () => {
    expect(run('A / B', [1, 0])).toBeNull();
    expect(run('A / B + 1', [1, 0])).toBeNull();
  });

  it('refuses what is not a formula over the series, with a precise message', () => {
    const error = (text: string, n = 2) => {
      try {
        parseFormula(text, n);
      } catch (e) {
        if (e instanceof FormulaError) return e.message;
        throw e;
      }
      return null;
    };
    expect(error('')).toBe('The formula is empty');
    expect(error('A +')).toBe('The formula ends too early');
    expect(error('A B')).toBe('Unexpected "letter" after the end');
    expect(error('D', 3)).toBe('Series D does not exist: this insight has 3 series (A–C)');
    expect(error('sum(A)')).toBe('"sum" is not a series: use single letters (A, B, …)');
  });
});
