import { describe, expect, it } from 'vitest';
import { daysIn, formatRange, lastDays, presetOf } from './dates';

describe('insight date ranges', () => {
  it('counts presets back from today, today included', () => {
    expect(lastDays(7, '2026-05-01')).toEqual({ from: '2026-04-25', to: '2026-05-01' });
    expect(daysIn(lastDays(30, '2026-03-01'))).toBe(30);
    expect(presetOf({ from: '2026-04-02', to: '2026-05-01' }, '2026-05-01')).toBe('30d');
    expect(presetOf({ from: '2026-04-02', to: '2026-04-30' }, '2026-05-01')).toBeUndefined();
  });

  it('formats a range compactly', () => {
    expect(formatRange({ from: '2026-04-02', to: '2026-05-01' })).toBe('Apr 2 – May 1, 2026');
    expect(formatRange({ from: '2025-12-30', to: '2026-01-02' })).toBe(
      'Dec 30, 2025 – Jan 2, 2026',
    );
  });
});
