// The live event stream of Admin → Ingestion: the newest acknowledged events per workspace
// (a small ring) and subscribers fed as batches arrive. A subscriber is sent at most
// `maxPerSecond` events; under a flood the rest are counted, not queued, so a slow browser
// never holds memory on the server.
import type { IngestBus } from '../ingest-bus';
import type { BronzeEvent } from '../collector/normalize';

export interface LiveEvent {
  event_id: string;
  event: string;
  user_id: string | null;
  anonymous_id: string | null;
  ts: string;
  received_at: string;
  source: string;
  platform: string | null;
  country: string | null;
  properties: string;
}

export interface LiveSubscriber {
  workspaceId: string;
  eventName?: string;
  send: (events: LiveEvent[], skipped: number) => void;
}

const RECENT = 100;

function toLive(e: BronzeEvent): LiveEvent {
  return {
    event_id: e.event_id,
    event: e.event,
    user_id: e.user_id,
    anonymous_id: e.anonymous_id,
    ts: e.ts,
    received_at: e.received_at,
    source: e.source,
    platform: e.platform,
    country: e.country,
    properties: e.properties.length > 500 ? `${e.properties.slice(0, 500)}…` : e.properties,
  };
}

export class LiveHub {
  private recent = new Map<string, LiveEvent[]>();
  private subscribers = new Set<LiveSubscriber & { budget: number; windowStart: number }>();

  constructor(private readonly maxPerSecond = 50) {}

  attach(bus: IngestBus): void {
    bus.on('accepted', (b) => this.publish(b.workspaceId, b.events));
  }

  publish(workspaceId: string, events: BronzeEvent[]): void {
    if (events.length === 0) return;
    const ring = this.recent.get(workspaceId) ?? [];
    const tail = events.slice(-RECENT).map(toLive);
    ring.push(...tail);
    if (ring.length > RECENT) ring.splice(0, ring.length - RECENT);
    this.recent.set(workspaceId, ring);
    const now = Date.now();
    for (const sub of this.subscribers) {
      if (sub.workspaceId !== workspaceId) continue;
      if (now - sub.windowStart >= 1000) {
        sub.windowStart = now;
        sub.budget = this.maxPerSecond;
      }
      const matching = sub.eventName ? tail.filter((e) => e.event === sub.eventName) : tail;
      const total = sub.eventName
        ? events.filter((e) => e.event === sub.eventName).length
        : events.length;
      if (total === 0) continue;
      const sent = matching.slice(-Math.max(0, sub.budget));
      sub.budget -= sent.length;
      sub.send(sent, total - sent.length);
    }
  }

  /** Newest first. */
  recentEvents(workspaceId: string, eventName?: string): LiveEvent[] {
    const ring = this.recent.get(workspaceId) ?? [];
    return (eventName ? ring.filter((e) => e.event === eventName) : ring).slice().reverse();
  }

  subscribe(sub: LiveSubscriber): () => void {
    const entry = { ...sub, budget: this.maxPerSecond, windowStart: Date.now() };
    this.subscribers.add(entry);
    return () => this.subscribers.delete(entry);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }
}
