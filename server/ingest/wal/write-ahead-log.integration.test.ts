// The write-ahead log on a real file system, including a SIGKILL of a process in mid-stream.
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteAheadLog } from './write-ahead-log';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-wal-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function readAll(wal: WriteAheadLog): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const seq of wal.sealedSegments()) for await (const r of wal.read(seq)) out.push(r);
  return out;
}

describe('WriteAheadLog', () => {
  // Group commit: concurrent requests share fsyncs, and each is acknowledged only after one.
  it('acknowledges concurrent appends with far fewer fsyncs than records', async () => {
    let syncs = 0;
    const wal = await WriteAheadLog.open({
      dir: await tempDir(),
      segmentBytes: 1 << 30,
      maxPendingBytes: 1 << 30,
      onSync: () => syncs++,
    });
    const acks = await Promise.all(Array.from({ length: 500 }, (_, i) => wal.append({ i })));
    expect(acks.every((s) => s === 1)).toBe(true);
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThan(50);
    expect(await wal.seal()).toBe(1);
    expect(await readAll(wal)).toEqual(Array.from({ length: 500 }, (_, i) => ({ i })));
    await wal.close();
  });

  it('rotates segments by size and retires them one by one', async () => {
    const wal = await WriteAheadLog.open({
      dir: await tempDir(),
      segmentBytes: 1000,
      maxPendingBytes: 1 << 30,
    });
    for (let i = 0; i < 100; i++) await wal.append({ i, pad: 'p'.repeat(40) });
    await wal.seal();
    const sealed = wal.sealedSegments();
    expect(sealed.length).toBeGreaterThan(3);
    expect(await readAll(wal)).toHaveLength(100);
    const before = wal.stats.pendingBytes;
    await wal.retire(sealed[0]!);
    expect(wal.sealedSegments()).toEqual(sealed.slice(1));
    expect(wal.stats.pendingBytes).toBeLessThan(before);
    await wal.close();
  });

  // Backpressure: when the lake writer falls behind, new events get a 503 with Retry-After
  // instead of an acknowledgement the server could not keep.
  it('refuses appends while too much is waiting for the lake', async () => {
    const wal = await WriteAheadLog.open({
      dir: await tempDir(),
      segmentBytes: 1 << 30,
      maxPendingBytes: 100,
    });
    await wal.append({ pad: 'x'.repeat(200) });
    await expect(wal.append({ more: true })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { retryAfterSeconds: 5 },
    });
    await wal.seal();
    await wal.retire(wal.sealedSegments()[0]!);
    await expect(wal.append({ more: true })).resolves.toBeGreaterThan(0);
    await wal.close();
  });

  // Segment numbers are idempotency versions in the lake: reusing one would drop its events.
  it('never reuses a segment number, even after every segment was retired', async () => {
    const dir = await tempDir();
    const first = await WriteAheadLog.open({
      dir,
      segmentBytes: 1 << 30,
      maxPendingBytes: 1 << 30,
    });
    await first.append({ a: 1 });
    const seq = (await first.seal())!;
    await first.retire(seq);
    await first.close();
    const again = await WriteAheadLog.open({
      dir,
      segmentBytes: 1 << 30,
      maxPendingBytes: 1 << 30,
    });
    expect(await again.append({ a: 2 })).toBeGreaterThan(seq);
    await again.close();
  });

  it('seals what a previous run left behind and skips a torn last line', async () => {
    const dir = await tempDir();
    const first = await WriteAheadLog.open({
      dir,
      segmentBytes: 1 << 30,
      maxPendingBytes: 1 << 30,
    });
    await first.append({ a: 1 });
    await first.append({ a: 2 });
    // Simulate a crash in the middle of a write: part of a line, no newline, never acknowledged.
    await appendFile(first.pathOf(1), '{"a":3,"pad":"xx');
    const again = await WriteAheadLog.open({
      dir,
      segmentBytes: 1 << 30,
      maxPendingBytes: 1 << 30,
    });
    expect(again.sealedSegments()).toEqual([1]);
    expect(await readAll(again)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await again.append({ a: 4 })).toBe(2);
    await again.close();
    await first.close();
  });

  // The durability promise: whatever was acknowledged before a SIGKILL is on disk afterwards.
  it('keeps every acknowledged record when the process is killed with SIGKILL', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = await tempDir();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.resolve('server/ingest/wal/wal-child.fixture.ts'), dir],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const acked = new Set<number>();
      let buffer = '';
      let ready = false;
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line === 'ready') ready = true;
          else if (line) acked.add(Number(line));
        }
      });
      const exited = new Promise((r) => child.on('exit', r));
      while (!ready) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 400)));
      child.kill('SIGKILL');
      await exited;
      expect(acked.size).toBeGreaterThan(0);
      const wal = await WriteAheadLog.open({ dir, segmentBytes: 1 << 30, maxPendingBytes: 1e12 });
      const found = new Set((await readAll(wal)).map((r) => (r as { id: number }).id));
      const lost = [...acked].filter((id) => !found.has(id));
      expect(
        lost,
        `round ${round}: ${acked.size} acknowledged, ${(await readdir(dir)).length} files`,
      ).toEqual([]);
      await wal.close();
    }
  });
});
