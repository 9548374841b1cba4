import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacedLoad, percentile } from './paced-load';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('pacedLoad', () => {
  let server: http.Server;
  let url: string;
  let stallUntil = 0;
  const arrivals: number[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      arrivals.push(performance.now());
      req.resume();
      req.on('end', () => {
        const reply = () => res.writeHead(req.url === '/fail' ? 500 : 200).end('{"accepted":1}');
        const wait = stallUntil - performance.now();
        if (wait > 0) setTimeout(reply, wait);
        else reply();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends evenly spaced requests, not bursts', async () => {
    arrivals.length = 0;
    const res = await pacedLoad({
      url,
      ratePerSecond: 40,
      seconds: 1,
      requests: [{ path: '/ok', headers: {}, body: 'x' }],
    });
    expect(res).toMatchObject({ sent: 40, ok: 40, failed: 0 });
    // 40 due over a second: a burst sender would deliver them all at once. A loaded machine
    // only delays timers (fewer early), so this holds however busy the machine is.
    const start = arrivals[0]!;
    expect(arrivals.filter((t) => t - start < 250).length).toBeLessThanOrEqual(15);
    expect(arrivals.at(-1)! - start).toBeGreaterThan(900);
  });

  it('counts a stall against every request that fell due during it', async () => {
    const started = performance.now();
    stallUntil = started + 300;
    const res = await pacedLoad({
      url,
      ratePerSecond: 20,
      seconds: 1,
      requests: [{ path: '/ok', headers: {}, body: 'x' }],
    });
    stallUntil = 0;
    // The first request waited ~300 ms; those due at 50, 100, … ms waited correspondingly less.
    expect(res.latenciesMs.at(-1)).toBeGreaterThanOrEqual(280);
    expect(res.latenciesMs.filter((ms) => ms > 100).length).toBeGreaterThanOrEqual(3);
  });

  it('reports failures apart from latencies', async () => {
    const seen: number[] = [];
    const res = await pacedLoad({
      url,
      ratePerSecond: 10,
      seconds: 0.5,
      requests: [{ path: '/fail', headers: {}, body: '' }],
      onResponse: (status) => seen.push(status),
    });
    expect(res).toMatchObject({ sent: 5, ok: 0, failed: 5, latenciesMs: [] });
    expect(seen).toEqual([500, 500, 500, 500, 500]);
  });
});
