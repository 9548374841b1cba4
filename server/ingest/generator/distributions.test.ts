import { describe, expect, it } from 'vitest';
import { COUNTRY, SIGNUP_PLAN } from './catalog';
import {
  clamp,
  exponential,
  geometric,
  logNormal,
  normal,
  pick,
  pickIndex,
  weighted,
} from './distributions';
import { Prng } from './prng';

const N = 200_000;

describe('weighted tables', () => {
  it('draws values in proportion to their weights (plan mix 70/25/5)', () => {
    const rng = new Prng(11);
    const counts = { free: 0, pro: 0, enterprise: 0 };
    for (let i = 0; i < N; i++) counts[pick(rng, SIGNUP_PLAN)]++;
    expect(counts.free / N).toBeCloseTo(0.7, 2);
    expect(counts.pro / N).toBeCloseTo(0.25, 2);
    expect(counts.enterprise / N).toBeCloseTo(0.05, 2);
  });

  it('never draws a zero-weight value and rejects invalid weights', () => {
    const rng = new Prng(5);
    const table = weighted([
      ['a', 1],
      ['never', 0],
      ['b', 1],
    ]);
    for (let i = 0; i < 10_000; i++) expect(pick(rng, table)).not.toBe('never');
    expect(() => weighted([['x', -1]])).toThrow();
    expect(() => weighted([['x', 0]])).toThrow();
  });

  it('weights the ten countries with the US first', () => {
    const rng = new Prng(9);
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const code = pick(rng, COUNTRY).code;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(
      ['AU', 'BR', 'CA', 'DE', 'FR', 'GB', 'IN', 'JP', 'NL', 'US'].sort(),
    );
    expect((counts.get('US') ?? 0) / N).toBeCloseTo(0.3, 2);
  });

  it('pickIndex follows raw weights', () => {
    const rng = new Prng(2);
    let ones = 0;
    for (let i = 0; i < N; i++) if (pickIndex(rng, [1, 3, 0]) === 1) ones++;
    expect(ones / N).toBeCloseTo(0.75, 2);
  });
});

describe('continuous and count distributions', () => {
  it('normal has mean 0 and variance 1', () => {
    const rng = new Prng(13);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < N; i++) {
      const x = normal(rng);
      sum += x;
      sq += x * x;
    }
    expect(sum / N).toBeCloseTo(0, 1);
    expect(sq / N).toBeCloseTo(1, 1);
  });

  it('logNormal has the given median', () => {
    const rng = new Prng(17);
    const xs = Array.from({ length: 50_001 }, () => logNormal(rng, 30, 1)).sort((a, b) => a - b);
    expect(xs[25_000]! / 30).toBeGreaterThan(0.95);
    expect(xs[25_000]! / 30).toBeLessThan(1.05);
  });

  it('exponential and geometric have the expected means', () => {
    const rng = new Prng(19);
    let e = 0;
    let g = 0;
    for (let i = 0; i < N; i++) {
      e += exponential(rng, 5);
      g += geometric(rng, 0.25);
    }
    expect(e / N).toBeCloseTo(5, 0);
    expect(g / N).toBeCloseTo(3, 1); // (1 - p) / p
    expect(geometric(rng, 1)).toBe(0);
  });

  it('clamp bounds values', () => {
    expect(clamp(5, 0, 3)).toBe(3);
    expect(clamp(-1, 0, 3)).toBe(0);
    expect(clamp(2, 0, 3)).toBe(2);
  });
});
