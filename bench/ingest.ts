// `npm run tl -- bench ingest`: drives the real server's POST /api/v1/batch from this process
// (1,000-event batches of generated Orbit events; autocannon for the closed-loop phases, an
// open-loop pacer for the latency at a fixed rate) and reports sustained events/s,
// acknowledgement latency at 20,000 events/s, and lake bytes vs NDJSON bytes. Baseline in the
// same run: the same requests with an invalid key, i.e. HTTP + reading and parsing
// the body and looking up the key, without validation, WAL or fsync.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { generateDataset } from '../server/ingest/generator/generate';
import { pacedLoad, percentile } from './paced-load';
import { median } from './stats';

export interface IngestBenchOptions {
  seconds: number;
  connections: number;
  log: (line: string) => void;
  /** Write a V8 CPU profile of the server to this directory (node --cpu-prof). */
  cpuProfDir?: string;
  /** Extra environment for the server (e.g. KAFKA_BROKERS for the Kafka mode). */
  env?: Record<string, string>;
}

/** Issue #3's targets on one laptop-class machine. */
export const INGEST_TARGETS = {
  events_per_s: 50_000,
  p99_ack_ms_at_20k: 100,
  lake_to_ndjson_bytes: 0.1,
} as const;

const PACED_SECONDS = 15;

export interface IngestBenchResult {
  events_per_s: number;
  p50_ack_ms: number;
  p99_ack_ms_at_20k: number;
  lake_to_ndjson_bytes: number;
  /** The same requests with an invalid key: HTTP + routing + body parsing, nothing stored. */
  baseline: { requests_per_s: number; as_events_per_s: number; p50_ms: number; p99_ms: number };
  details: Record<string, unknown>;
}

/**
 * Several runs as one result: the median of each headline figure (each taken on its own), with
 * every run's figures under details.runs. One run is returned as it is.
 */
export function medianOfRuns(results: readonly IngestBenchResult[]): IngestBenchResult {
  if (results.length === 1) return results[0]!;
  const pick = (f: (r: IngestBenchResult) => number) => median(results.map(f));
  return {
    events_per_s: Math.round(pick((r) => r.events_per_s)),
    p50_ack_ms: pick((r) => r.p50_ack_ms),
    p99_ack_ms_at_20k: pick((r) => r.p99_ack_ms_at_20k),
    lake_to_ndjson_bytes: Number(pick((r) => r.lake_to_ndjson_bytes).toFixed(4)),
    baseline: {
      requests_per_s: pick((r) => r.baseline.requests_per_s),
      as_events_per_s: Math.round(pick((r) => r.baseline.as_events_per_s)),
      p50_ms: pick((r) => r.baseline.p50_ms),
      p99_ms: pick((r) => r.baseline.p99_ms),
    },
    details: {
      aggregation: `median of ${results.length} runs, each figure on its own`,
      runs: results.map((r) => ({
        events_per_s: r.events_per_s,
        p50_ack_ms: r.p50_ack_ms,
        p99_ack_ms_at_20k: r.p99_ack_ms_at_20k,
        lake_to_ndjson_bytes: r.lake_to_ndjson_bytes,
        baseline_requests_per_s: r.baseline.requests_per_s,
        ...r.details,
      })),
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function dirBytes(dir: string, ext: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(ext))
      total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

interface OverviewBody {
  sources: { acceptedTotal: number }[];
  lag: { pendingBytes: number };
  lake: { events: number | null };
}

export async function benchIngest(opts: IngestBenchOptions): Promise<IngestBenchResult> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'tl-bench-ingest-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  try {
    opts.log('generating 200,000 Orbit events for the request bodies…');
    await generateDataset({
      events: 200_000,
      seed: 7,
      days: 90,
      endDate: '2026-11-01',
      outDir: path.join(work, 'gen'),
    });
    const lines = (await readFile(path.join(work, 'gen', 'events.ndjson'), 'utf8'))
      .trimEnd()
      .split('\n');
    const bodies: string[] = [];
    for (let i = 0; i < lines.length; i += 1000)
      bodies.push(`{"batch":[${lines.slice(i, i + 1000).join(',')}]}`);
    const ndjsonBytesPerBody = bodies.map((_, i) =>
      lines.slice(i * 1000, i * 1000 + 1000).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0),
    );

    const mode = opts.env?.KAFKA_BROKERS
      ? `Kafka mode, ${opts.env.KAFKA_BROKERS}`
      : 'embedded mode';
    opts.log(`starting the server on ${base} (${mode}, data in ${work}/data)…`);
    const profile = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
    server = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/main.ts'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        TL_DATA_DIR: path.join(work, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        TL_ADMIN_PASSWORD: 'bench-admin-password',
        TL_DEMO_DATA: '0',
        LOG_LEVEL: 'warn',
        TL_INGEST_RATE_LIMIT: '100000000',
        ...opts.env,
      },
    });
    await waitFor(
      async () => ((await fetch(`${base}/api/trpc/system.health`)).ok ? true : undefined),
      120_000,
      'the server',
    );
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email: 'admin@example.com', password: 'bench-admin-password' }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const keyRes = await fetch(`${base}/api/trpc/admin.apiKeys.create`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie,
        origin: base,
        'x-tl-workspace': 'demo',
      },
      body: JSON.stringify({ json: { name: 'bench' } }),
    });
    const key = ((await keyRes.json()) as { result: { data: { json: { secret: string } } } }).result
      .data.json.secret;

    const requests = (authorization: string) =>
      bodies.map((body) => ({
        method: 'POST' as const,
        path: '/api/v1/batch',
        headers: { 'content-type': 'application/json', authorization },
        body,
        // What the server acknowledged, from its answers (not assumed from the batch size).
        onResponse: (status: number, responseBody: string) => {
          if (status === 200)
            acknowledged += (JSON.parse(responseBody) as { accepted: number }).accepted;
        },
      }));
    let acknowledged = 0;

    opts.log('warm-up (3 s)…');
    await run({
      url: base,
      connections: 2,
      duration: 3,
      requests: requests(`Bearer ${key}`),
    });

    opts.log(`baseline: same requests with an invalid key (${opts.seconds} s)…`);
    const baseline = await run({
      url: base,
      connections: opts.connections,
      duration: opts.seconds,
      requests: requests('Bearer tlk_invalid'),
    });

    opts.log(
      `sustained: as fast as the server acknowledges (${opts.seconds} s, ${opts.connections} connections)…`,
    );
    const beforeSustained = acknowledged;
    const sustained = await run({
      url: base,
      connections: opts.connections,
      duration: opts.seconds,
      requests: requests(`Bearer ${key}`),
    });
    const sustainedOk = sustained['2xx'];
    const sustainedEvents = acknowledged - beforeSustained;

    const overview = async () => {
      const res = await fetch(`${base}/api/trpc/ingestion.overview`, {
        headers: { cookie, origin: base, 'x-tl-workspace': 'demo' },
      });
      return ((await res.json()) as { result: { data: { json: OverviewBody } } }).result.data.json;
    };
    /** Waits until the lake holds every event the server acknowledged; fails after 2 minutes. */
    const drain = async () => {
      let last: OverviewBody | undefined;
      return waitFor(
        async () => {
          last = await overview();
          // The server's own count: requests still in flight when a phase ends are
          // acknowledged by the server but no longer counted by autocannon.
          const serverAcked = last.sources.reduce((n, s) => n + s.acceptedTotal, 0);
          return last.lag.pendingBytes === 0 &&
            last.lake.events === serverAcked &&
            serverAcked >= acknowledged
            ? last
            : undefined;
        },
        120_000,
        'the lake writer to commit every acknowledged event',
      ).catch((error: unknown) => {
        throw new Error(
          `${(error as Error).message} (${acknowledged} acknowledged; last overview ${JSON.stringify(last)})`,
        );
      });
    };
    opts.log('waiting for the flusher to commit the sustained phase to the lake…');
    const drainStarted = performance.now();
    await drain();
    const drainSeconds = (performance.now() - drainStarted) / 1000;

    // Steady state at the target rate, with the lake writer keeping up (not catching up): 5 s
    // at the rate first (the heap the sustained phase left behind is collected then), then the
    // measured PACED_SECONDS.
    // Open loop (bench/paced-load.ts): one batch due every 50 ms, latency counted from when
    // it was due.
    const pacedRequests = bodies.map((body) => ({
      path: '/api/v1/batch',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body,
    }));
    const countAcknowledged = (status: number, responseBody: string) => {
      if (status === 200)
        acknowledged += (JSON.parse(responseBody) as { accepted: number }).accepted;
    };
    opts.log('settling at 20,000 events/s (5 s, not measured)…');
    await pacedLoad({
      url: base,
      ratePerSecond: 20,
      seconds: 5,
      requests: pacedRequests,
      onResponse: countAcknowledged,
    });
    opts.log(`latency at 20,000 events/s (a batch every 50 ms, ${PACED_SECONDS} s)…`);
    const paced = await pacedLoad({
      url: base,
      ratePerSecond: 20,
      seconds: PACED_SECONDS,
      requests: pacedRequests,
      onResponse: countAcknowledged,
    });
    const pacedMs = (p: number) => Math.round(percentile(paced.latenciesMs, p));
    opts.log('waiting for the flusher to commit everything to the lake…');
    const drained = await drain();
    const lakeBytes = await dirBytes(
      path.join(work, 'data', 'lake', 'bronze', 'events'),
      '.parquet',
    );
    // Which bodies were sent is not tracked per request; the average NDJSON size per batch is exact enough.
    const avgNdjson = ndjsonBytesPerBody.reduce((a, b) => a + b, 0) / ndjsonBytesPerBody.length;
    const ndjsonBytes = (avgNdjson * (drained.lake.events ?? 0)) / 1000;

    const eventsPerSecond = sustainedEvents / opts.seconds;
    return {
      events_per_s: Math.round(eventsPerSecond),
      p50_ack_ms: sustained.latency.p50,
      p99_ack_ms_at_20k: pacedMs(99),
      lake_to_ndjson_bytes: Number((lakeBytes / ndjsonBytes).toFixed(4)),
      baseline: {
        requests_per_s: baseline.requests.average,
        as_events_per_s: Math.round(baseline.requests.average * 1000),
        p50_ms: baseline.latency.p50,
        p99_ms: baseline.latency.p99,
      },
      details: {
        cores: os.cpus().length,
        connections: opts.connections,
        seconds: opts.seconds,
        sustained: {
          batches_ok: sustainedOk,
          non_2xx: sustained.non2xx,
          errors: sustained.errors,
          p50_ms: sustained.latency.p50,
          p99_ms: sustained.latency.p99,
        },
        at_20k: {
          batches_sent: paced.sent,
          batches_ok: paced.ok,
          failed: paced.failed,
          seconds: PACED_SECONDS,
          events_per_s: (paced.ok * 1000) / PACED_SECONDS,
          p50_ms: pacedMs(50),
          p99_ms: pacedMs(99),
          max_ms: pacedMs(100),
        },
        lake_events: drained.lake.events,
        acknowledged_events_seen_by_client: acknowledged,
        drain_seconds_after_sustained: Number(drainSeconds.toFixed(1)),
        lake_bytes: lakeBytes,
        ndjson_bytes: Math.round(ndjsonBytes),
      },
    };
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    await rm(work, { recursive: true, force: true });
  }
}
