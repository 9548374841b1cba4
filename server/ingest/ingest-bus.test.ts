import { describe, expect, it } from 'vitest';
import { IngestBus, type RejectedBatch } from './ingest-bus';

const batch: RejectedBatch = {
  workspaceId: 'w',
  source: 'api',
  batchId: 'b',
  receivedAt: new Date(),
  items: [{ index: 0, reason: 'r', payload: null }],
};

describe('IngestBus', () => {
  it('reports a throwing listener and still runs the others, without throwing to the publisher', () => {
    const failures: string[] = [];
    const bus = new IngestBus((error, event) =>
      failures.push(`${event}: ${(error as Error).message}`),
    );
    const seen: string[] = [];
    bus.on('rejected', () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    bus.on('rejected', (b) => seen.push(b.batchId));
    expect(() => bus.emit('rejected', batch)).not.toThrow();
    expect(seen).toEqual(['b']);
    expect(failures).toEqual(['rejected: Maximum call stack size exceeded']);
  });
});
