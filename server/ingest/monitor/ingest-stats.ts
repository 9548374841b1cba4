// Throughput per workspace and source for Admin → Ingestion: accepted and rejected counts in
// one-second buckets over the last five minutes, totals since start, last event time. Fed by
// the ingest bus; in memory (per process), so it restarts empty — the lake has the history.
import type { IngestBus } from '../ingest-bus';
import type { IngestSource } from '../collector/normalize';

const WINDOW_SECONDS = 300;

interface Series {
  accepted: Float64Array;
  rejected: Float64Array;
  /** The second (epoch seconds) that bucket 0 of the ring currently stands for, per slot. */
  stamp: Float64Array;
  acceptedTotal: number;
  rejectedTotal: number;
  lastEventAt: number | undefined;
}

export interface SourceStats {
  source: IngestSource;
  eventsPerSecond: number;
  rejectedPerSecond: number;
  acceptedTotal: number;
  rejectedTotal: number;
  lastEventAt: Date | null;
  /** Accepted events per 10-second bucket, oldest first, covering the last five minutes. */
  series: { at: Date; accepted: number; rejected: number }[];
}

export class IngestStats {
  private series = new Map<string, Series>();

  constructor(private readonly now: () => number = Date.now) {}

  attach(bus: IngestBus): void {
    bus.on('accepted', (b) =>
      this.record(b.workspaceId, b.source, b.events.length + b.identifies.length, 0),
    );
    bus.on('rejected', (b) => this.record(b.workspaceId, b.source, 0, b.items.length));
  }

  record(workspaceId: string, source: IngestSource, accepted: number, rejected: number): void {
    const key = `${workspaceId}\u0000${source}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        accepted: new Float64Array(WINDOW_SECONDS),
        rejected: new Float64Array(WINDOW_SECONDS),
        stamp: new Float64Array(WINDOW_SECONDS),
        acceptedTotal: 0,
        rejectedTotal: 0,
        lastEventAt: undefined,
      };
      this.series.set(key, s);
    }
    const now = this.now();
    const second = Math.floor(now / 1000);
    const slot = second % WINDOW_SECONDS;
    if (s.stamp[slot] !== second) {
      s.stamp[slot] = second;
      s.accepted[slot] = 0;
      s.rejected[slot] = 0;
    }
    s.accepted[slot]! += accepted;
    s.rejected[slot]! += rejected;
    s.acceptedTotal += accepted;
    s.rejectedTotal += rejected;
    if (accepted > 0) s.lastEventAt = now;
  }

  snapshot(workspaceId: string): SourceStats[] {
    const nowSecond = Math.floor(this.now() / 1000);
    const out: SourceStats[] = [];
    for (const [key, s] of this.series) {
      const [ws, source] = key.split('\u0000') as [string, IngestSource];
      if (ws !== workspaceId) continue;
      const value = (arr: Float64Array, second: number) =>
        s.stamp[second % WINDOW_SECONDS] === second ? arr[second % WINDOW_SECONDS]! : 0;
      let recentAccepted = 0;
      let recentRejected = 0;
      // Rate over the last 10 complete seconds.
      for (let t = nowSecond - 10; t < nowSecond; t++) {
        recentAccepted += value(s.accepted, t);
        recentRejected += value(s.rejected, t);
      }
      const series: SourceStats['series'] = [];
      for (let start = nowSecond - WINDOW_SECONDS + 10; start <= nowSecond; start += 10) {
        let a = 0;
        let r = 0;
        for (let t = start - 9; t <= start; t++) {
          a += value(s.accepted, t);
          r += value(s.rejected, t);
        }
        series.push({ at: new Date(start * 1000), accepted: a, rejected: r });
      }
      out.push({
        source,
        eventsPerSecond: recentAccepted / 10,
        rejectedPerSecond: recentRejected / 10,
        acceptedTotal: s.acceptedTotal,
        rejectedTotal: s.rejectedTotal,
        lastEventAt: s.lastEventAt ? new Date(s.lastEventAt) : null,
        series,
      });
    }
    return out.sort((a, b) => a.source.localeCompare(b.source));
  }
}
