import type { EventEmitter } from 'node:events';

/**
 * Resolves when `emitter` emits `event` or after `ms`, whichever comes first, and always removes
 * its listener: a poll loop that raced a bare `once()` against a timer left one listener behind
 * per round (a 100 s dbt run tripped Node's MaxListenersExceededWarning).
 */
export function waitForEvent(emitter: EventEmitter, event: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    emitter.once(event, done);
  });
}
