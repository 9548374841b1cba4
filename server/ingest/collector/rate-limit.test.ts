import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './rate-limit';

describe('TokenBuckets', () => {
  // 429 with Retry-After when a workspace exceeds its rate; other workspaces are unaffected.
  it('allows a second of burst, then refills at the rate', () => {
    const b = new TokenBuckets();
    expect(b.take('a', 1000, 1000, 0)).toBe(0);
    expect(b.take('a', 1, 1000, 0)).toBe(1);
    expect(b.take('b', 1000, 1000, 0)).toBe(0);
    expect(b.take('a', 500, 1000, 500)).toBe(0);
    expect(b.take('a', 600, 1000, 500)).toBe(1);
    expect(b.take('a', 5000, 1000, 10_000)).toBe(4);
  });
});
