// Sampling helpers over Prng. Weighted tables are built once (cumulative weights, binary search)
// because the simulation draws from them millions of times. Not obvious: Math.log/exp/sqrt are
// V8's fdlibm ports, which give the same bits on every platform, so they keep determinism.
import type { Prng } from './prng';

export interface WeightedTable<T> {
  readonly values: readonly T[];
  readonly cumulative: Float64Array;
  readonly total: number;
}

/** Builds a table from [value, weight] pairs; weights must be >= 0 and sum > 0. */
export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, w], i) => {
    if (!(w >= 0)) throw new Error(`weight must be >= 0, got ${w}`);
    total += w;
    cumulative[i] = total;
  });
  if (!(total > 0)) throw new Error('weights must sum to more than 0');
  return { values: entries.map(([v]) => v), cumulative, total };
}

/** Draws one value with probability weight / total. */
export function pick<T>(rng: Prng, table: WeightedTable<T>): T {
  const target = rng.next() * table.total;
  const c = table.cumulative;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((c[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return table.values[lo] as T;
}

/** Draws an index from raw weights (for small, changing weight vectors). */
export function pickIndex(rng: Prng, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] ?? 0;
  let target = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i] ?? 0;
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/** Uniform choice from a non-empty array. */
export function choice<T>(rng: Prng, values: readonly T[]): T {
  return values[Math.floor(rng.next() * values.length)] as T;
}

/** Standard normal (Box–Muller, one value per call). */
export function normal(rng: Prng): number {
  const u = 1 - rng.next(); // (0, 1]: keeps log finite
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** exp(N(log(median), sigma)): positive, right-skewed (durations, multipliers). */
export function logNormal(rng: Prng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** Exponential with the given mean. */
export function exponential(rng: Prng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/** Number of failures before the first success, success probability p (mean (1-p)/p). */
export function geometric(rng: Prng, p: number): number {
  if (p >= 1) return 0;
  return Math.floor(Math.log(1 - rng.next()) / Math.log(1 - p));
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
