import { describe, expect, it } from 'vitest';
import { Prng, hashInts, hashLabel, mix32 } from './prng';

describe('Prng', () => {
  it('repeats the same sequence for the same seed parts', () => {
    const a = new Prng(7, 1, hashLabel('user'));
    const b = new Prng(7, 1, hashLabel('user'));
    const seqA = Array.from({ length: 100 }, () => a.nextU32());
    const seqB = Array.from({ length: 100 }, () => b.nextU32());
    expect(seqA).toEqual(seqB);
  });

  it('pins the first outputs (a change here changes every generated dataset)', () => {
    const rng = new Prng(7);
    expect([rng.nextU32(), rng.nextU32(), rng.nextU32()]).toMatchInlineSnapshot(`
      [
        964761133,
        3595601404,
        3691700044,
      ]
    `);
  });

  it('gives different sequences for neighbouring seeds and stream indices', () => {
    const first = (...parts: number[]) => new Prng(...parts).nextU32();
    expect(first(7)).not.toBe(first(8));
    expect(first(7, 0)).not.toBe(first(7, 1));
    expect(hashInts(1, 2)).not.toBe(hashInts(2, 1));
  });

  it('draws uniform floats in [0, 1) with a mean near 0.5', () => {
    const rng = new Prng(42);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('draws integers in the inclusive range, every value reachable', () => {
    const rng = new Prng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const v = rng.int(-2, 3);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(3);
      seen.add(v);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('formats hex strings of the asked length', () => {
    const rng = new Prng(1);
    expect(rng.hex(4)).toMatch(/^[0-9a-f]{4}$/);
    expect(rng.hex(20)).toMatch(/^[0-9a-f]{20}$/);
  });

  it('mix32 is a bijection on a sample (ids built on it cannot collide)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(mix32(i));
    expect(seen.size).toBe(200_000);
  });
});
