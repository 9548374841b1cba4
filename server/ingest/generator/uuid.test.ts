import { describe, expect, it } from 'vitest';
import { Prng } from './prng';
import { UUID_PATTERN, uuidV7, uuidV7Timestamp } from './uuid';

describe('uuidV7', () => {
  it('formats a version-7, RFC-variant UUID with the timestamp in front', () => {
    const ms = Date.UTC(2026, 10, 1, 10, 0, 0, 123);
    const id = uuidV7(ms, 0xffffffff, 0xffffffff, 0xffffffff);
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(uuidV7Timestamp(id)).toBe(ms);
  });

  it('pins the layout', () => {
    expect(uuidV7(0x0123456789ab, 0x12345678, 0x9abcdef0, 0x0badcafe)).toBe(
      '01234567-89ab-7678-a345-def00badcafe',
    );
  });

  it('is unique for distinct `unique` values even with identical time and randomness', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50_000; i++) ids.add(uuidV7(1_700_000_000_000, 1, 2, i));
    expect(ids.size).toBe(50_000);
  });

  it('sorts by time as text for increasing timestamps', () => {
    const rng = new Prng(1);
    const a = uuidV7(1_700_000_000_000, rng.nextU32(), rng.nextU32(), 1);
    const b = uuidV7(1_700_000_000_001, rng.nextU32(), rng.nextU32(), 0);
    expect(a < b).toBe(true);
  });
});
