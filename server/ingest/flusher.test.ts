// The flusher's background loop survives a failing lake write: the failure is reported, the
// process keeps running, and the next tick retries (events stay in the log meanwhile).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeltaWriter } from '../lake/delta-writer';
import { Flusher } from './flusher';
import { WriteAheadLog } from './wal/write-ahead-log';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('Flusher', () => {
  it('keeps the process alive and retries when a background flush fails', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tl-flusher-'));
    dirs.push(dir);
    const wal = await WriteAheadLog.open({ dir, segmentBytes: 1 << 20, maxPendingBytes: 1 << 30 });
    let attempts = 0;
    // The sidecar failing on a segment (e.g. a value Delta cannot store).
    const writer = {
      appendSegment: () => {
        attempts++;
        return Promise.reject(new Error('year 0 is out of range'));
      },
    } as unknown as DeltaWriter;
    const flusher = new Flusher({
      wal,
      writer,
      eventsTable: path.join(dir, 'events'),
      identifiesTable: path.join(dir, 'identifies'),
      intervalMs: 20,
      flushBytes: 1 << 20,
      logger: pino({ level: 'silent' }),
    });
    const failures: unknown[] = [];
    flusher.on('flush-failed', (e) => failures.push(e));
    await wal.append({ id: 'b1', events: [], identifies: [] });
    flusher.start();
    // Without a listener for 'error', emitting it would throw out of the timer callback.
    await new Promise((r) => setTimeout(r, 200));
    await flusher.stop();
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(failures.length).toBe(attempts);
    expect(flusher.lastError).toMatch(/year 0/);
    expect(wal.sealedSegments().length).toBe(1);
    await wal.close();
  });
});
