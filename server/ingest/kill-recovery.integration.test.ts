// Reliability: kill -9 the ingestion server while a client streams batches, at random moments
// (before, during and after Delta commits and WAL retirements), restart it, and check that every
// acknowledged event is in bronze exactly once. Random kills rarely land in the narrow window
// between a segment's Delta commit and its retirement from the WAL, so a second test makes the
// server kill itself exactly there, from a flusher commit hook.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Starts test/ingest-server.fixture.ts; `lines` collects what it prints after its first line. */
async function startServer(
  dataDir: string,
  ...flags: ('kill-after-commit' | 'no-demo-data')[]
): Promise<{ child: ChildProcess; port: number; key: string; lines: string[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('test/ingest-server.fixture.ts'), dataDir, ...flags],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  const first = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (lines.push(line) === 1) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
  const { port, key } = JSON.parse(first) as { port: number; key: string };
  return { child, port, key, lines };
}

function batchOf(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    event_id: randomUUID(),
    event: 'feature_used',
    user_id: `u_${i % 50}`,
    timestamp: new Date(Date.UTC(2026, 9, 1 + (i % 30))).toISOString(),
    properties: { feature_name: 'kanban_board' },
  }));
}

describe('kill -9 during ingestion', () => {
  it('loses no acknowledged event and writes none twice', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tl-kill-'));
    dirs.push(dataDir);
    const acked = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const { child, port, key } = await startServer(dataDir);
      const exited = new Promise((r) => child.once('exit', r));
      let streaming = true;
      const client = async () => {
        while (streaming) {
          const batch = batchOf(200);
          try {
            const res = await fetch(`http://127.0.0.1:${port}/api/v1/batch`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ batch }),
            });
            if (res.status === 200) for (const e of batch) acked.add(e.event_id);
          } catch {
            return; // the server died mid-request: not acknowledged
          }
        }
      };
      const clients = [client(), client()];
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1500)));
      child.kill('SIGKILL');
      streaming = false;
      await Promise.all(clients);
      await exited;
    }
    expect(acked.size).toBeGreaterThan(0);
    // Restart once more: leftovers are replayed; then compare.
    const { child, port } = await startServer(dataDir);
    const stats = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as {
      rows: number;
      ids: number;
    };
    child.kill('SIGTERM');
    expect(stats.ids, 'every acknowledged event is in bronze').toBeGreaterThanOrEqual(acked.size);
    expect(stats.rows, 'no event is in bronze twice').toBe(stats.ids);
  }, 180_000);

  // The crash between a segment's Delta commit and its retirement: the restarted server finds the
  // segment still in the WAL and replays it, so its rows reach the writer a second time. Only the
  // Delta transaction id (app id + version = segment number) makes that replay a no-op. If the
  // replay were not idempotent, every event of that segment — the acknowledged ones among them —
  // would be in bronze twice and `rows == distinct ids` fails; the last assertion names the cause
  // directly (a second commit with the same transaction version in the Delta log).
  it('skips the replay of a segment committed just before the crash', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tl-kill-commit-'));
    dirs.push(dataDir);
    const { child, port, key, lines } = await startServer(
      dataDir,
      'kill-after-commit',
      'no-demo-data',
    );
    const exited = new Promise<NodeJS.Signals | null>((r) =>
      child.once('exit', (_code, signal) => r(signal)),
    );
    let alive = true;
    void exited.then(() => (alive = false));
    const acked = new Set<string>();
    const deadline = Date.now() + 30_000;
    const client = async () => {
      while (alive && Date.now() < deadline) {
        const batch = batchOf(200);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/batch`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ batch }),
          });
          if (res.status === 200) for (const e of batch) acked.add(e.event_id);
        } catch {
          return; // the server died mid-request: not acknowledged
        }
      }
    };
    await Promise.all([client(), client()]);
    if (alive) child.kill('SIGKILL');
    const signal = await exited;

    // It died from the hook: it said so, and the segment is committed but still in the WAL.
    const said = lines
      .slice(1)
      .map(
        (l) =>
          JSON.parse(l) as {
            killing?: { segment: number; events: number; events_status?: string };
          },
      )
      .find((l) => l.killing)?.killing;
    expect(said, 'the server killed itself from the afterCommit hook within 30 s').toBeDefined();
    expect(signal).toBe('SIGKILL');
    expect(said!.events_status, 'the segment was written to Delta, not skipped').toBe('written');
    const walDir = path.join(dataDir, 'wal');
    const segmentFile = path.join(walDir, `${String(said!.segment).padStart(16, '0')}.wal`);
    expect(existsSync(segmentFile), 'the committed segment was not retired').toBe(true);
    const committedIds = (await readFile(segmentFile, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => (JSON.parse(l) as { events: { event_id: string }[] }).events)
      .map((e) => e.event_id);
    expect(committedIds.length).toBe(said!.events);
    expect(
      committedIds.filter((id) => acked.has(id)).length,
      'acknowledged events are in the segment that will be replayed',
    ).toBeGreaterThan(0);

    // Restart without the hook: the replay of the committed segment must be skipped.
    const server = await startServer(dataDir, 'no-demo-data');
    try {
      const stats = (await (await fetch(`http://127.0.0.1:${server.port}/stats`)).json()) as {
        rows: number;
        ids: number;
        wal: { sealed: number };
      };
      const inBronze = (await (
        await fetch(`http://127.0.0.1:${server.port}/event-ids`)
      ).json()) as { ids: string[]; truncated: boolean };
      expect(stats.wal.sealed, 'the restart committed every leftover segment').toBe(0);
      expect(existsSync(segmentFile), 'the replayed segment is retired now').toBe(false);
      expect(stats.rows, 'no event is in bronze twice').toBe(stats.ids);
      expect(inBronze.truncated).toBe(false);
      const present = new Set(inBronze.ids);
      expect(
        [...acked].filter((id) => !present.has(id)),
        'acknowledged but missing',
      ).toEqual([]);
      for (const id of committedIds) expect(present.has(id)).toBe(true);
    } finally {
      server.child.kill('SIGTERM');
    }
    const logDir = path.join(dataDir, 'lake', 'bronze', 'events', '_delta_log');
    const commits = await Promise.all(
      (await readdir(logDir))
        .filter((f) => f.endsWith('.json'))
        .map((f) => readFile(path.join(logDir, f), 'utf8')),
    );
    const sameVersion = commits.flatMap((c) =>
      c
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { txn?: { version: number } })
        .filter((a) => a.txn?.version === said!.segment),
    );
    expect(
      sameVersion,
      `one Delta commit carries transaction version ${said!.segment}`,
    ).toHaveLength(1);
  }, 120_000);
});
