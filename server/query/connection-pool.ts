// A fixed set of connections lent out one query at a time, with a bounded FIFO wait queue.
// Engine-neutral and free of I/O so the queueing rules are unit-tested on their own.
// Not obvious: a full queue fails fast with ENGINE_BUSY instead of growing, so a burst of
// dashboard tiles degrades into clear errors rather than unbounded memory and latency.
import { AppError } from '../errors';

interface Waiter<T> {
  resolve: (item: T) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

export interface PoolStats {
  size: number;
  idle: number;
  busy: number;
  waiting: number;
  queueMax: number;
}

export class ConnectionPool<T> {
  private readonly idle: T[];
  private readonly busy = new Set<T>();
  private readonly waiters: Waiter<T>[] = [];
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly items: readonly T[],
    private readonly queueMax: number,
  ) {
    if (items.length === 0) throw new Error('ConnectionPool needs at least one item');
    this.idle = [...items];
  }

  get stats(): PoolStats {
    return {
      size: this.items.length,
      idle: this.idle.length,
      busy: this.busy.size,
      waiting: this.waiters.length,
      queueMax: this.queueMax,
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Items currently lent out (the engine interrupts them on close). */
  get lent(): T[] {
    return [...this.busy];
  }

  /**
   * Resolves with a free item, or waits in FIFO order. Rejects with ENGINE_BUSY when the queue is
   * full, with the signal's reason (or CANCELLED) when the signal aborts while waiting, and with
   * SERVICE_UNAVAILABLE once the pool is closed.
   */
  acquire(signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const item = this.idle.shift();
    if (item !== undefined) {
      this.busy.add(item);
      return Promise.resolve(item);
    }
    if (this.waiters.length >= this.queueMax) {
      return Promise.reject(
        new AppError(
          'ENGINE_BUSY',
          `The query engine is busy: all ${this.items.length} connection(s) are running queries and ${this.waiters.length} more are waiting (limit ${this.queueMax}). Try again in a moment.`,
          { poolSize: this.items.length, waiting: this.waiters.length, queueMax: this.queueMax },
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortReason(signal));
      };
      const waiter: Waiter<T> = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Returns an item; the longest waiter gets it first. */
  release(item: T): void {
    if (!this.busy.delete(item)) return;
    const waiter = this.waiters.shift();
    if (waiter && !this.closed) {
      waiter.cleanup();
      this.busy.add(item);
      waiter.resolve(item);
      return;
    }
    this.idle.push(item);
    if (this.closed && this.busy.size === 0) this.drained?.();
  }

  /** Rejects all waiters and resolves once every lent item has come back. */
  close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.cleanup();
      waiter.reject(closedError());
    }
    if (this.busy.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }
}

function closedError(): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'The query engine has been shut down.');
}

function abortReason(signal: AbortSignal | undefined): unknown {
  const reason: unknown = signal?.reason;
  return reason instanceof AppError
    ? reason
    : new AppError('CANCELLED', 'The query was cancelled.');
}
