// In-process notifications of ingestion: what was acknowledged (after the WAL fsync) and what
// was rejected, per request or import batch. The collector and imports publish; the live
// stream, ingestion stats and the dead-letter store subscribe. Listeners must be quick and
// must not throw: they run on the request path.
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

export class IngestBus extends EventEmitter<{
  accepted: [AcceptedBatch];
  rejected: [RejectedBatch];
}> {
  constructor() {
    super();
    this.setMaxListeners(100);
  }
}
