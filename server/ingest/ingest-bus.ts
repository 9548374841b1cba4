// In-process notifications of ingestion: what was acknowledged (after the WAL fsync) and what
// was rejected, per request or import batch. The collector and imports publish; the live
// stream, ingestion stats and the dead-letter store subscribe. Listeners must be quick: they
// run on the request path. A listener that throws is reported and skipped, never passed on to
// the publisher: the batch is already acknowledged (or rejected) when it is published, and
// a 500 then would tell a client to resend what is stored.
import { EventEmitter } from 'node:events';
import type { BronzeEvent, BronzeIdentify, IngestSource, Rejection } from './collector/normalize';

export interface AcceptedBatch {
  workspaceId: string;
  source: IngestSource;
  batchId: string;
  events: BronzeEvent[];
  identifies: BronzeIdentify[];
}

export interface RejectedItem extends Rejection {
  payload: unknown;
}

export interface RejectedBatch {
  workspaceId: string;
  source: IngestSource;
  batchId: string;
  receivedAt: Date;
  items: RejectedItem[];
}

type IngestEvents = { accepted: [AcceptedBatch]; rejected: [RejectedBatch] };

export class IngestBus extends EventEmitter<IngestEvents> {
  constructor(private readonly onListenerError: (error: unknown, event: string) => void) {
    super();
    this.setMaxListeners(100);
  }

  override emit<K extends keyof IngestEvents>(event: K, ...args: IngestEvents[K]): boolean {
    const listeners = this.listeners(event) as ((...a: IngestEvents[K]) => void)[];
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
    return listeners.length > 0;
  }
}
