import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { ConnectionPool } from './connection-pool';

describe('ConnectionPool', () => {
  it('lends free items, then queues FIFO', async () => {
    const pool = new ConnectionPool(['a'], 2);
    const first = await pool.acquire();
    const order: string[] = [];
    const second = pool.acquire().then((item) => order.push(`second:${item}`));
    const third = pool.acquire().then((item) => order.push(`third:${item}`));
    expect(pool.stats).toMatchObject({ busy: 1, waiting: 2 });
    pool.release(first);
    await second;
    pool.release('a');
    await third;
    expect(order).toEqual(['second:a', 'third:a']);
  });

  it('fails fast with ENGINE_BUSY when the queue is full', async () => {
    const pool = new ConnectionPool(['a'], 0);
    await pool.acquire();
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'ENGINE_BUSY' });
  });

  it('removes a waiter whose signal aborts, with the signal reason', async () => {
    const pool = new ConnectionPool(['a'], 1);
    await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort(new AppError('TIMEOUT', 'too slow'));
    await expect(waiting).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(pool.stats.waiting).toBe(0);
  });

  it('rejects an already aborted signal as CANCELLED without queueing', async () => {
    const pool = new ConnectionPool(['a'], 1);
    await expect(pool.acquire(AbortSignal.abort())).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('close rejects waiters and waits for lent items', async () => {
    const pool = new ConnectionPool(['a'], 1);
    const item = await pool.acquire();
    const waiting = pool.acquire();
    let closed = false;
    const closing = pool.close().then(() => {
      closed = true;
    });
    await expect(waiting).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(closed).toBe(false);
    pool.release(item);
    await closing;
    expect(closed).toBe(true);
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
