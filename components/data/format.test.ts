import { describe, expect, it } from 'vitest';
import { formatAbsolute, formatCount, formatExample, formatRelative } from './format';

describe('Data view formatting', () => {
  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
  });

  it('says how long ago, in the largest whole unit', () => {
    const now = new Date('2026-11-10T12:00:00.000Z');
    expect(formatRelative('2026-11-10T11:59:30.000Z', now)).toBe('just now');
    expect(formatRelative('2026-11-10T11:57:00.000Z', now)).toBe('3 minutes ago');
    expect(formatRelative('2026-11-10T09:00:00.000Z', now)).toBe('3 hours ago');
    expect(formatRelative('2026-11-09T12:00:00.000Z', now)).toBe('yesterday');
    expect(formatRelative('2026-10-20T12:00:00.000Z', now)).toBe('3 weeks ago');
    // Client clocks can run ahead of the server.
    expect(formatRelative('2026-11-10T14:00:00.000Z', now)).toBe('in 2 hours');
  });

  it('formats absolute times in UTC and examples as JSON', () => {
    expect(formatAbsolute('2026-11-01T10:00:00.000Z')).toBe('Nov 1, 2026, 10:00 AM UTC');
    expect(formatExample('pro')).toBe('"pro"');
    expect(formatExample(3)).toBe('3');
    expect(formatExample({ a: [1] })).toBe('{"a":[1]}');
  });
});
