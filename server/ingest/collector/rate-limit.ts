// Per-workspace token buckets: `rate` events per second with one second of burst.
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes `n` tokens; returns 0 when allowed, else the seconds to wait (nothing is taken). */
  take(key: string, n: number, rate: number, now = Date.now()): number {
    const b = this.buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (n <= b.tokens) {
      b.tokens -= n;
      return 0;
    }
    return Math.max(1, Math.ceil((n - b.tokens) / rate));
  }
}
