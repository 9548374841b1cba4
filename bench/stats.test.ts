import { describe, expect, it } from 'vitest';
import { median, resultFileName, sizeLabel } from './stats';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even count', () => {
    expect(median([62.1, 55.2, 58.4])).toBe(58.4);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('result files', () => {
  it('labels runs by size except at the 10M events the targets are set for', () => {
    expect(sizeLabel(10_000_000)).toBeUndefined();
    expect(sizeLabel(100_000_000)).toBe('100m');
    expect(sizeLabel(250_000)).toBe('250000');
    expect(resultFileName('2026-11-27', 'insights')).toBe('2026-11-27-insights.json');
    expect(resultFileName('2026-11-27', 'dbt', sizeLabel(100_000_000))).toBe(
      '2026-11-27-dbt-100m.json',
    );
  });
});
