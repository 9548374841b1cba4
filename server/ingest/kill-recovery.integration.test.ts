// Reliability: kill -9 the ingestion server while a client streams batches, at random moments
// (before, during and after Delta commits and WAL retirements), restart it, and check that every
// acknowledged event is in bronze exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function startServer(
  dataDir: string,
): Promise<{ child: ChildProcess; port: number; key: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('test/ingest-server.fixture.ts'), dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
  const { port, key } = JSON.parse(first) as { port: number; key: string };
  return { child, port, key };
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
});
