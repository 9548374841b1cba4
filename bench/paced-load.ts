// Open-loop load at a fixed request rate: request k is due at start + k / rate, whether or not
// earlier ones have been answered, and its latency counts from when it was due. A server that
// stalls therefore shows the stall in every request that fell due meanwhile — the latency a
// client sending at that rate would see (no coordinated omission).
//
// Why not autocannon's overallRate: it sends each connection's quota for the second back to
// back at the start of the second (a burst of 20 batches, not one every 50 ms) and corrects its
// histogram with a 1 ms expected interval, so it reports the queueing of its own bursts: p99
// 300–450 ms where evenly paced clients measured 40–80 ms against the same server.
import http from 'node:http';

export interface PacedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface PacedResult {
  sent: number;
  ok: number;
  /** Non-2xx answers and transport errors. */
  failed: number;
  /** Latencies of the 2xx answers, ascending, in ms. */
  latenciesMs: number[];
}

export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * ascending.length) - 1;
  return ascending[Math.min(ascending.length - 1, Math.max(0, rank))]!;
}

export async function pacedLoad(opts: {
  url: string;
  ratePerSecond: number;
  seconds: number;
  requests: readonly PacedRequest[];
  onResponse?: (status: number, body: string) => void;
}): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const base = new URL(opts.url);
  const total = Math.round(opts.ratePerSecond * opts.seconds);
  const intervalMs = 1000 / opts.ratePerSecond;
  const result: PacedResult = { sent: 0, ok: 0, failed: 0, latenciesMs: [] };
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  const send = (k: number, dueAt: number) =>
    new Promise<void>((resolve) => {
      const r = opts.requests[k % opts.requests.length]!;
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path: r.path,
          headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              result.ok++;
              result.latenciesMs.push(performance.now() - dueAt);
            } else result.failed++;
            opts.onResponse?.(status, Buffer.concat(chunks).toString('utf8'));
            resolve();
          });
        },
      );
      req.on('error', () => {
        result.failed++;
        resolve();
      });
      req.end(r.body);
    });
  for (let k = 0; k < total; k++) {
    const dueAt = start + k * intervalMs;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    result.sent++;
    inFlight.push(send(k, dueAt));
  }
  await Promise.all(inFlight);
  agent.destroy();
  result.latenciesMs.sort((a, b) => a - b);
  return result;
}
