import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { waitForEvent } from './wait-event';

describe('waitForEvent', () => {
  it('resolves on the event and leaves no listener behind', async () => {
    const emitter = new EventEmitter();
    const waiting = waitForEvent(emitter, 'finished', 10_000);
    expect(emitter.listenerCount('finished')).toBe(1);
    emitter.emit('finished');
    await waiting;
    expect(emitter.listenerCount('finished')).toBe(0);
  });

  it('resolves on the timeout and removes its listener, round after round', async () => {
    const emitter = new EventEmitter();
    for (let round = 0; round < 20; round++) await waitForEvent(emitter, 'finished', 1);
    expect(emitter.listenerCount('finished')).toBe(0);
  });
});
